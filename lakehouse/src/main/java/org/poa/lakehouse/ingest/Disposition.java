package org.poa.lakehouse.ingest;

/**
 * What became of an input row. Every row read ends in exactly one of ACCEPTED (incl. UPDATED and
 * VIOLATION), DUPLICATE or QUARANTINED, which is why read = accepted + duplicates + quarantined.
 */
public enum Disposition {
    /** A new row of the target table. */
    ACCEPTED,
    /** A model whose registration changed: the models row is replaced and a lineage event appended. */
    UPDATED,
    /** An inference outside its model's license: kept in license_violations, earns nothing. */
    VIOLATION,
    /** Already in the table, or a copy of another row of the input, or a duplicate contribution. */
    DUPLICATE,
    /** Rejected with a reason code; kept in the quarantine table. */
    QUARANTINED,
    /** Not an input row: an earlier contribution that an earlier-dated submission of this run replaces. */
    DISPLACED;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean countsAsAccepted() {
        return this == ACCEPTED || this == UPDATED || this == VIOLATION;
    }
}

package org.poa.lakehouse.ingest;

import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one ingest run. {@code read == accepted + duplicates + quarantined} holds always;
 * {@link IngestReport#check()} fails the run when it does not.
 */
public record IngestReport(String table, long read, long accepted, long duplicates, long quarantined,
                           long updated, long violations, long displaced,
                           Map<String, Long> quarantineReasons, Map<String, Long> duplicateReasons) {

    public IngestReport {
        quarantineReasons = new TreeMap<>(quarantineReasons);
        duplicateReasons = new TreeMap<>(duplicateReasons);
    }

    public IngestReport check() {
        if (read != accepted + duplicates + quarantined) {
            throw new IllegalStateException("ingest " + table + " lost rows: read " + read + " != accepted "
                    + accepted + " + duplicates " + duplicates + " + quarantined " + quarantined);
        }
        return this;
    }

    /** A few lines for people. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("ingest %s: read %d = accepted %d + duplicates %d + quarantined %d",
                table, read, accepted, duplicates, quarantined));
        if (updated > 0) {
            out.append(String.format("%n  updated registrations: %d", updated));
        }
        if (violations > 0) {
            out.append(String.format("%n  license violations (accepted into license_violations, earn nothing): %d", violations));
        }
        if (displaced > 0) {
            out.append(String.format("%n  earlier-stored submissions now recorded as duplicates: %d", displaced));
        }
        if (!duplicateReasons.isEmpty()) {
            out.append("\n  duplicates: ").append(join(duplicateReasons));
        }
        if (!quarantineReasons.isEmpty()) {
            out.append("\n  quarantined: ").append(join(quarantineReasons));
        }
        return out.toString();
    }

    private static String join(Map<String, Long> counts) {
        StringBuilder out = new StringBuilder();
        counts.forEach((reason, count) -> {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(reason).append(' ').append(count);
        });
        return out.toString();
    }
}

package org.poa.lakehouse.catalog;

import java.math.BigDecimal;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One row of {@link Tables#MERKLE_ROOTS}: an epoch's root, its leaf count and total, and the Delta
 * versions of every table it was computed from (what {@code audit} time-travels to).
 */
public record MerkleRootRow(long epoch, String root, long leafCount, BigDecimal totalCumulativeWei, Map<String, Long> inputVersions) {

    public static final TableDef TABLE = Tables.MERKLE_ROOTS;

    public MerkleRootRow {
        // Sorted by table name: the stored map has one order whatever the caller's map.
        inputVersions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(inputVersions));
    }

    public static MerkleRootRow fromRow(Row r) {
        return new MerkleRootRow(r.getLong(0), r.getString(1), r.getLong(2), r.getDecimal(3), r.getJavaMap(4));
    }

    public Row toRow() {
        return RowFactory.create(epoch, root, leafCount, totalCumulativeWei, Rows.scalaMap(inputVersions));
    }
}

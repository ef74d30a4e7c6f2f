package org.poa.lakehouse.catalog;

import io.delta.tables.DeltaTable;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The writes the jobs make, all through Delta MERGE or overwrite so that Delta's optimistic
 * concurrency control refuses a second writer that raced the first, and so that a write that
 * adds nothing creates no table version (Delta commits no MERGE that changed no row:
 * {@code TableWritesTest}).
 */
public final class TableWrites {

    private TableWrites() {
    }

    /**
     * Inserts rows whose keys are not in the table yet; returns false when there was nothing to insert.
     * One insert-only MERGE: Delta runs it as an anti-join against the table and commits nothing when
     * no row is new (no separate look for new rows first: that was a second pass over the input).
     */
    public static boolean insertNew(Lakehouse lakehouse, TableDef table, Dataset<Row> rows) {
        Row metrics = lakehouse.ensure(table).as("t").merge(shape(table, rows).as("s"), keyCondition(table))
                .whenNotMatched().insertAll()
                .execute().head();
        return metrics.<Long>getAs("num_inserted_rows") > 0;
    }

    /** Inserts new keys and replaces the rows of existing ones; no rows, no commit. Returns whether it wrote. */
    public static boolean upsert(Lakehouse lakehouse, TableDef table, Dataset<Row> rows) {
        Row metrics = lakehouse.ensure(table).as("t").merge(shape(table, rows).as("s"), keyCondition(table))
                .whenMatched().updateAll()
                .whenNotMatched().insertAll()
                .execute().head();
        return metrics.<Long>getAs("num_affected_rows") > 0;
    }

    /**
     * Replaces the whole table atomically (derived tables rebuilt from their inputs); {@code note}
     * goes into the Delta commit's userMetadata, e.g. which input versions it was built from.
     */
    public static void replaceAll(Lakehouse lakehouse, TableDef table, Dataset<Row> rows, String note) {
        lakehouse.ensure(table);
        shape(table, rows).write().format("delta").mode("overwrite").option("userMetadata", note)
                .save(lakehouse.path(table));
    }

    /**
     * Replaces, in one commit, the rows matching {@code predicate} (SQL over the table's columns,
     * e.g. one epoch's rows) with {@code rows}, which must all match it too. Re-running a step
     * for an epoch goes through here, so readers see either the old rows or the new ones.
     */
    public static void replaceWhere(Lakehouse lakehouse, TableDef table, Dataset<Row> rows, String predicate) {
        lakehouse.ensure(table);
        shape(table, rows).write().format("delta").mode("overwrite").option("replaceWhere", predicate)
                .save(lakehouse.path(table));
    }

    /**
     * Like {@link #replaceWhere}, but writes nothing (no table version) when the rows matching
     * {@code predicate} already are exactly {@code rows}, as a multiset: a re-run of a step that
     * computes the same result leaves the table as it was. Returns whether it wrote.
     */
    public static boolean replaceWhereIfChanged(Lakehouse lakehouse, TableDef table, Dataset<Row> rows, String predicate) {
        DeltaTable target = lakehouse.ensure(table);
        Dataset<Row> stored = target.toDF().where(predicate);
        // The first write of these rows (the usual case) has nothing to compare with: the rows are
        // the same multiset as none only when there are none. That skips a shuffle of every row.
        boolean same = stored.isEmpty() ? shape(table, rows).isEmpty() : differences(table, rows, stored).isEmpty();
        if (same) {
            return false;
        }
        replaceWhere(lakehouse, table, rows, predicate);
        return true;
    }

    /**
     * The rows whose count differs between {@code fresh} and {@code stored} (both in the table's
     * columns), with the difference (positive: more fresh copies). Empty when they are the same
     * multiset. One shuffle: each distinct row counts +1 per fresh copy and -1 per stored copy.
     */
    public static Dataset<Row> differences(TableDef table, Dataset<Row> fresh, Dataset<Row> stored) {
        return shape(table, fresh).withColumn("_side", functions.lit(1L))
                .unionByName(shape(table, stored).withColumn("_side", functions.lit(-1L)))
                .groupBy(org.poa.lakehouse.spark.Columns.of(table.columns()))
                .agg(functions.sum("_side").as("_difference"))
                .where(functions.col("_difference").notEqual(0));
    }

    /** A Spark SQL string literal (backslash-escaped): for predicates built from ids. */
    public static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The table's columns in schema order, failing on a missing one. */
    public static Dataset<Row> shape(TableDef table, Dataset<Row> rows) {
        return rows.select(org.poa.lakehouse.spark.Columns.of(table.columns()));
    }

    private static String keyCondition(TableDef table) {
        return table.keys().stream()
                .map(k -> "t.`" + k + "` = s.`" + k + "`")
                .collect(Collectors.joining(" AND "));
    }
}

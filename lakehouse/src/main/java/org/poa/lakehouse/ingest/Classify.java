package org.poa.lakehouse.ingest;

import static org.apache.spark.sql.functions.array_except;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.poa.core.validate.Reason;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.spark.Columns;
import org.poa.lakehouse.spark.JsonText;

/**
 * The steps that give parsed rows their disposition. A row whose {@code disposition} is null is
 * still undecided; each step decides some of the undecided rows and leaves the others alone.
 */
public final class Classify {

    public static final String DISPOSITION = "disposition";

    private Classify() {
    }

    private static List<String> plus(List<String> a, String b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.add(b);
        return out;
    }

    /** Rows the parser rejected are quarantined; the rest are undecided. */
    public static Dataset<Row> start(Dataset<Row> parsed) {
        return parsed.withColumn(DISPOSITION,
                when(col("reason").isNotNull(), lit(Disposition.QUARANTINED.code())));
    }

    public static Column undecided() {
        return col(DISPOSITION).isNull();
    }

    /** Quarantines undecided rows where {@code condition} holds. */
    public static Dataset<Row> reject(Dataset<Row> rows, Column condition, Reason reason, Column detail) {
        Column hit = undecided().and(condition);
        return rows
                .withColumn("reason", when(hit, lit(reason.code())).otherwise(col("reason")))
                .withColumn("detail", when(hit, detail).otherwise(col("detail")))
                .withColumn(DISPOSITION, when(hit, lit(Disposition.QUARANTINED.code())).otherwise(col(DISPOSITION)));
    }

    /** Quarantines undecided rows whose {@code column} is not among {@code knownIds}' single column. */
    public static Dataset<Row> requireKnown(Dataset<Row> rows, String column, Dataset<Row> knownIds,
                                            boolean small, Reason reason, String what) {
        Dataset<Row> known = knownIds.toDF("__known_id").distinct().withColumn("__known", lit(true));
        if (small) {
            known = broadcast(known);
        }
        Dataset<Row> joined = rows.join(known, rows.col(column).equalTo(known.col("__known_id")), "left");
        Dataset<Row> checked = reject(joined, col("__known").isNull(), reason,
                concat(lit(what + " '"), col(column), lit("' is unknown")));
        return checked.drop("__known_id", "__known");
    }

    /**
     * Quarantines undecided rows whose array {@code column} holds an id missing from {@code knownIds}
     * (a registry: small by nature, gathered into one set).
     */
    public static Dataset<Row> requireAllKnown(Dataset<Row> rows, String column, Dataset<Row> knownIds,
                                               Reason reason, String what) {
        Dataset<Row> knownSet = knownIds.toDF("__id").agg(collect_set(col("__id")).as("__known_set"));
        Dataset<Row> joined = rows.crossJoin(broadcast(knownSet))
                .withColumn("__missing", array_except(col(column), col("__known_set")));
        Dataset<Row> checked = reject(joined, size(col("__missing")).gt(0), reason,
                concat(lit(what + " '"), element_at(col("__missing"), 1), lit("' is unknown")));
        return checked.drop("__known_set", "__missing");
    }

    private static Column valueDigest(Column[] values) {
        return sha2(JsonText.of(struct(values)), 256);
    }

    /**
     * Decides undecided rows by key: the first row of a key in the input (by source, line) is a
     * candidate, later ones are duplicates when their values are equal and conflicts when not.
     * A candidate whose key is in {@code existing} is a duplicate when equal, and otherwise either
     * UPDATED ({@code updatable}) or a CONFLICTS_EXISTING rejection. Others are ACCEPTED.
     */
    public static Dataset<Row> byKey(Dataset<Row> rows, Dataset<Row> existing, TableDef table, boolean updatable) {
        List<String> keys = table.keys();
        List<String> values = table.values();
        Column[] valueCols = Columns.of(values);
        Column[] keyCols = Columns.of(keys);
        WindowSpec byKey = Window.partitionBy(keyCols).orderBy(col("source_file"), col("source_line"));

        Dataset<Row> decided = rows.where(col(DISPOSITION).isNotNull());
        // Values are compared by the SHA-256 of their JSON text, not the text: the window and the join
        // below then shuffle 64 characters per row instead of every prompt and output a second time
        // (and every stored row's values once more). Equal values give equal digests; different values
        // colliding is as likely as a SHA-256 collision.
        Dataset<Row> open = rows.where(undecided())
                .withColumn("__v", valueDigest(valueCols))
                .withColumn("__rn", row_number().over(byKey))
                .withColumn("__first_v", first(col("__v")).over(byKey))
                .withColumn("__first_at", first(concat_ws(":", col("source_file"), col("source_line").cast("string"))).over(byKey));
        Dataset<Row> stored = existing.withColumn("__ev", valueDigest(valueCols))
                .select(Columns.of(plus(keys, "__ev")));
        Dataset<Row> joined = open.join(stored, Columns.using(keys), "left");

        Column repeat = col("__rn").gt(1);
        Column sameAsFirst = col("__v").equalTo(col("__first_v"));
        Column known = col("__ev").isNotNull();
        Column sameAsExisting = col("__v").equalTo(col("__ev"));
        String changed = updatable ? Disposition.UPDATED.code() : Disposition.QUARANTINED.code();
        Column disposition = when(repeat.and(sameAsFirst), lit(Disposition.DUPLICATE.code()))
                .when(repeat, lit(Disposition.QUARANTINED.code()))
                .when(known.and(sameAsExisting), lit(Disposition.DUPLICATE.code()))
                .when(known, lit(changed))
                .otherwise(lit(Disposition.ACCEPTED.code()));
        Column reason = when(repeat.and(sameAsFirst), lit(null))
                .when(repeat, lit(Reason.CONFLICTING_DUPLICATE.code()))
                .when(known.and(sameAsExisting), lit(null))
                .when(known.and(lit(!updatable)), lit(Reason.CONFLICTS_EXISTING.code()));
        Column detail = when(repeat.and(sameAsFirst), lit(null))
                .when(repeat, concat(lit("same " + String.join(", ", keys) + " as "), col("__first_at"),
                        lit(" with other values")))
                .when(known.and(sameAsExisting), lit(null))
                .when(known.and(lit(!updatable)), lit("same " + String.join(", ", keys) + " already stored with other values"));
        Dataset<Row> out = joined
                .withColumn(DISPOSITION, disposition)
                .withColumn("reason", reason.cast("string"))
                .withColumn("detail", detail.cast("string"));
        return decided.unionByName(out.select(Columns.of(rows.columns())));
    }
}

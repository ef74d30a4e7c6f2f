package org.poa.lakehouse.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.parse.ContributionParser;
import org.poa.lakehouse.ingest.parse.RecordParser;
import org.poa.lakehouse.ingest.parse.RecordParsing;
import org.poa.lakehouse.spark.Columns;
import org.poa.lakehouse.spark.JsonText;
import org.poa.core.validate.Reason;

/**
 * Contributions, with DESIGN.md's duplicate rule: of all submissions of the same normalized content
 * to a datanet (same contribution_id), the earliest {@code submitted_at} keeps it, ties going to the
 * smaller contributor address (compared as a number, i.e. in lower case, not in its EIP-55
 * spelling). The others are recorded as DUPLICATE_CONTENT in the quarantine and
 * earn nothing. A submission identical to the stored one (same contributor and time) is a re-ingest
 * and recorded nowhere. When this run brings an earlier submission than the stored one, it replaces
 * it and the stored one is recorded as a duplicate (DISPLACED).
 */
public final class IngestContributions extends TableIngest {

    public IngestContributions(Lakehouse lakehouse, IngestOptions options) {
        super(lakehouse, options);
    }

    @Override
    protected RecordParser parser() {
        return new ContributionParser(options.maxContentBytes());
    }

    @Override
    protected Dataset<Row> classify(Dataset<Row> rows) {
        Dataset<Row> known = Classify.requireKnown(rows, "datanet_id",
                lakehouse.read(Tables.DATANETS).select("datanet_id"), true, Reason.UNKNOWN_DATANET, "datanet_id");
        return byContent(known);
    }

    private Dataset<Row> byContent(Dataset<Row> rows) {
        String[] columns = rows.columns();
        Dataset<Row> decided = rows.where(col(Classify.DISPOSITION).isNotNull());
        Dataset<Row> open = rows.where(Classify.undecided()).withColumn("__new", lit(true));

        Column[] values = RecordParsing.valueFields(parser()).stream().map(f -> col(f.name())).toArray(Column[]::new);
        Dataset<Row> stored = lakehouse.read(Tables.CONTRIBUTIONS)
                .join(open.select("contribution_id").distinct(), "contribution_id")
                .withColumn("raw", JsonText.of(struct(values)))
                .withColumn("reason", lit(null).cast("string"))
                .withColumn("detail", lit(null).cast("string"))
                .withColumn(Classify.DISPOSITION, lit(null).cast("string"))
                .withColumn("__new", lit(false))
                .select(Columns.of(open.columns()));

        WindowSpec byId = Window.partitionBy("contribution_id")
                .orderBy(col("submitted_at"), lower(col("contributor")), col("__new"), col("source_file"), col("source_line"));
        Dataset<Row> ranked = open.unionByName(stored)
                .withColumn("__rn", row_number().over(byId))
                .withColumn("__wc", first(col("contributor")).over(byId))
                .withColumn("__wt", first(col("submitted_at")).over(byId))
                .withColumn("__wat", first(concat_ws(":", col("source_file"), col("source_line").cast("string"))).over(byId))
                .where(col("__rn").gt(1).or(col("__new")));

        Column winner = col("__rn").equalTo(1);
        Column replay = col("contributor").equalTo(col("__wc")).and(col("submitted_at").equalTo(col("__wt")));
        Column disposition = when(winner, lit(Disposition.ACCEPTED.code()))
                .when(functions.not(col("__new")), lit(Disposition.DISPLACED.code()))
                .otherwise(lit(Disposition.DUPLICATE.code()));
        Column reason = when(winner.or(col("__new").and(replay)), lit(null).cast("string"))
                .otherwise(lit(Reason.DUPLICATE_CONTENT.code()));
        Column detail = when(winner.or(col("__new").and(replay)), lit(null).cast("string"))
                .otherwise(concat(lit("same normalized content as "), col("__wat"), lit(", submitted earlier by "),
                        col("__wc"), lit(" at "), col("__wt").cast("string")));
        Dataset<Row> out = ranked
                .withColumn(Classify.DISPOSITION, disposition)
                .withColumn("reason", reason)
                .withColumn("detail", detail);
        return decided.unionByName(out.select(Columns.of(columns)));
    }

    @Override
    protected void writeAccepted(Dataset<Row> classified) {
        TableWrites.upsert(lakehouse, Tables.CONTRIBUTIONS, tableRows(classified, Disposition.ACCEPTED));
    }

    @Override
    protected void reconcile(Dataset<Row> classified) {
        refreshStatus();
    }
}

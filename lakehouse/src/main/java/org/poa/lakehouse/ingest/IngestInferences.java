package org.poa.lakehouse.ingest;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.parse.InferenceParser;
import org.poa.lakehouse.ingest.parse.RecordParser;
import org.poa.lakehouse.spark.Columns;
import org.poa.core.validate.Reason;

/**
 * Inference logs: known model, new inference_id, then the license. An inference whose {@code use}
 * is not in the model's {@code allowed_uses}, or whose commercial use touches a datanet that
 * forbids commercial use, goes to {@code license_violations} and earns nobody anything.
 */
public final class IngestInferences extends TableIngest {

    /** Violation codes of {@code license_violations.violation}. */
    public static final String USE_NOT_ALLOWED = "use_not_allowed";
    public static final String NONCOMMERCIAL_DATANET = "noncommercial_datanet";

    public IngestInferences(Lakehouse lakehouse, IngestOptions options) {
        super(lakehouse, options);
    }

    @Override
    protected RecordParser parser() {
        return new InferenceParser(options.clock());
    }

    @Override
    protected Dataset<Row> classify(Dataset<Row> rows) {
        Dataset<Row> models = lakehouse.read(Tables.MODELS);
        Dataset<Row> known = Classify.requireKnown(rows, "model_id", models.select("model_id"), true,
                Reason.UNKNOWN_MODEL, "model_id");
        // A stored inference is in one of the two tables; both hold its whole content.
        Column[] content = Columns.of(Tables.INFERENCES.content());
        Dataset<Row> stored = lakehouse.read(Tables.INFERENCES).select(content)
                .unionByName(lakehouse.read(Tables.LICENSE_VIOLATIONS).select(content));
        Dataset<Row> deduped = Classify.byKey(known, stored, Tables.INFERENCES, false);
        return licensed(deduped, models);
    }

    /** Marks accepted rows that break their model's license as VIOLATION, with a code and detail. */
    private Dataset<Row> licensed(Dataset<Row> rows, Dataset<Row> models) {
        Dataset<Row> noncommercial = models.select(col("model_id"), explode(col("datanets")).as("datanet_id"))
                .join(lakehouse.read(Tables.DATANETS).where(col("license.commercial").equalTo(false)), "datanet_id")
                .groupBy("model_id").agg(min("datanet_id").as("__noncommercial"));
        Dataset<Row> terms = models.select(col("model_id"), col("license.allowed_uses").as("__allowed"))
                .join(noncommercial, Columns.using("model_id"), "left");
        Dataset<Row> joined = rows.join(broadcast(terms), Columns.using("model_id"), "left");

        Column accepted = col(Classify.DISPOSITION).equalTo(Disposition.ACCEPTED.code());
        Column notAllowed = accepted.and(not(array_contains(col("__allowed"), col("use"))));
        Column commercial = col("use").isin(options.commercialUses().toArray());
        Column forbidden = accepted.and(commercial).and(col("__noncommercial").isNotNull());
        return joined
                .withColumn("violation", when(notAllowed, lit(USE_NOT_ALLOWED))
                        .when(forbidden, lit(NONCOMMERCIAL_DATANET)))
                .withColumn("detail", when(notAllowed, concat(lit("use '"), col("use"),
                                lit("' is not in the model's allowed_uses ["), array_join(col("__allowed"), ", "), lit("]")))
                        .when(forbidden, concat(lit("commercial use of datanet '"), col("__noncommercial"),
                                lit("', whose license forbids commercial use")))
                        .otherwise(col("detail")))
                .withColumn(Classify.DISPOSITION, when(col("violation").isNotNull(), lit(Disposition.VIOLATION.code()))
                        .otherwise(col(Classify.DISPOSITION)))
                .drop("__allowed", "__noncommercial");
    }


    @Override
    protected void writeAccepted(Dataset<Row> classified) {
        TableWrites.insertNew(lakehouse, Tables.INFERENCES, tableRows(classified, Disposition.ACCEPTED));
        TableWrites.insertNew(lakehouse, Tables.LICENSE_VIOLATIONS, tableRows(classified, Disposition.VIOLATION));
    }
}

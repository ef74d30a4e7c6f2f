package org.poa.lakehouse.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.parse.ModelParser;
import org.poa.lakehouse.ingest.parse.RecordParser;
import org.poa.lakehouse.registry.ModelLineage;
import org.poa.lakehouse.spark.Columns;
import org.poa.lakehouse.validate.Reason;

/**
 * Models: a new model_id is registered; a known one with other values replaces the models row and
 * appends a lineage event: {@code relicensed} when its license changed, {@code updated} otherwise.
 */
public final class IngestModels extends TableIngest {

    static final List<String> VALUES = List.of("developer", "kind", "base_model", "datanets", "license", "attribution");

    public IngestModels(Lakehouse lakehouse, IngestOptions options) {
        super(lakehouse, options);
    }

    @Override
    protected RecordParser parser() {
        return new ModelParser();
    }

    @Override
    protected Dataset<Row> classify(Dataset<Row> rows) {
        Dataset<Row> known = Classify.requireAllKnown(rows, "datanets",
                lakehouse.read(Tables.DATANETS).select("datanet_id"), Reason.UNKNOWN_DATANET, "datanet");
        return Classify.byKey(known, lakehouse.read(Tables.MODELS), Tables.MODELS.keys(), VALUES, true);
    }

    @Override
    protected void writeAccepted(Dataset<Row> classified) {
        Dataset<Row> changed = classified.where(col(Classify.DISPOSITION).isin(
                Disposition.ACCEPTED.code(), Disposition.UPDATED.code()));
        Dataset<Row> before = lakehouse.read(Tables.MODELS)
                .select(col("model_id"), to_json(col("license")).as("__old_license"));
        Dataset<Row> events = changed.join(before, Columns.using("model_id"), "left")
                .select(col("model_id"),
                        when(col("__old_license").isNull(), lit("registered"))
                                .when(col("__old_license").equalTo(to_json(col("license"))), lit("updated"))
                                .otherwise(lit("relicensed")).as("event"),
                        ModelLineage.details().as("details"))
                .localCheckpoint();
        TableWrites.upsert(lakehouse, Tables.MODELS, changed);
        ModelLineage.append(lakehouse, events);
    }
}

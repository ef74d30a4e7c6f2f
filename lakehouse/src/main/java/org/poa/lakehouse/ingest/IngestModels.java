package org.poa.lakehouse.ingest;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.parse.ModelParser;
import org.poa.lakehouse.ingest.parse.RecordParser;
import org.poa.lakehouse.registry.ModelLineage;
import org.poa.core.validate.Reason;

/**
 * Models: a new model_id is registered; a known one with other values replaces the models row. The
 * lineage then records each change ({@link ModelLineage#sync}).
 */
public final class IngestModels extends TableIngest {

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
        return Classify.byKey(known, lakehouse.read(Tables.MODELS), Tables.MODELS, true);
    }

    @Override
    protected void writeAccepted(Dataset<Row> classified) {
        TableWrites.upsert(lakehouse, Tables.MODELS, classified.where(col(Classify.DISPOSITION).isin(
                Disposition.ACCEPTED.code(), Disposition.UPDATED.code())));
    }

    @Override
    protected void reconcile(Dataset<Row> classified) {
        ModelLineage.sync(lakehouse, classified.where(col(Classify.DISPOSITION).isin(Disposition.ACCEPTED.code(),
                Disposition.UPDATED.code(), Disposition.DUPLICATE.code())));
    }
}

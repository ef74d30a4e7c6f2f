package org.poa.lakehouse.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.parse.GradientParser;
import org.poa.lakehouse.ingest.parse.RecordParser;
import org.poa.core.validate.Reason;

/**
 * Imported gradient vectors of registered models; one row per (model, kind, id, checkpoint). A key
 * already stored with other numbers is quarantined (conflicts_existing), never silently replaced:
 * scores already paid out were computed from the stored vectors.
 */
public final class IngestGradients extends TableIngest {

    public IngestGradients(Lakehouse lakehouse, IngestOptions options) {
        super(lakehouse, options);
    }

    @Override
    protected RecordParser parser() {
        return new GradientParser();
    }

    @Override
    protected Dataset<Row> classify(Dataset<Row> rows) {
        Dataset<Row> known = Classify.requireKnown(rows, "model_id", lakehouse.read(Tables.MODELS).select("model_id"), true,
                Reason.UNKNOWN_MODEL, "model_id");
        return Classify.byKey(known, lakehouse.read(Tables.GRADIENTS), Tables.GRADIENTS, false);
    }

    @Override
    protected void writeAccepted(Dataset<Row> classified) {
        TableWrites.insertNew(lakehouse, Tables.GRADIENTS, tableRows(classified, Disposition.ACCEPTED));
    }
}

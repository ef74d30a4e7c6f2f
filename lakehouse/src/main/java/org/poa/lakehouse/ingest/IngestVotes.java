package org.poa.lakehouse.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.parse.RecordParser;
import org.poa.lakehouse.ingest.parse.VoteParser;
import org.poa.core.validate.Reason;

/** Votes on known contributions; a new vote rebuilds the status timeline. */
public final class IngestVotes extends TableIngest {

    public IngestVotes(Lakehouse lakehouse, IngestOptions options) {
        super(lakehouse, options);
    }

    @Override
    protected RecordParser parser() {
        return new VoteParser();
    }

    @Override
    protected Dataset<Row> classify(Dataset<Row> rows) {
        Dataset<Row> known = Classify.requireKnown(rows, "contribution_id",
                lakehouse.read(Tables.CONTRIBUTIONS).select("contribution_id"), false,
                Reason.UNKNOWN_CONTRIBUTION, "contribution_id");
        return Classify.byKey(known, lakehouse.read(Tables.VOTES), Tables.VOTES, false);
    }

    @Override
    protected void writeAccepted(Dataset<Row> classified) {
        TableWrites.insertNew(lakehouse, Tables.VOTES, tableRows(classified, Disposition.ACCEPTED));
    }

    @Override
    protected void reconcile(Dataset<Row> classified) {
        refreshStatus();
    }
}

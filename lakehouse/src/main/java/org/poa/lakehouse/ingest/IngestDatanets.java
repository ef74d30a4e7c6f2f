package org.poa.lakehouse.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.parse.DatanetParser;
import org.poa.lakehouse.ingest.parse.RecordParser;

/** Datanets are immutable once registered: the same id with other values is a conflict. */
public final class IngestDatanets extends TableIngest {

    public IngestDatanets(Lakehouse lakehouse, IngestOptions options) {
        super(lakehouse, options);
    }

    @Override
    protected RecordParser parser() {
        return new DatanetParser();
    }

    @Override
    protected Dataset<Row> classify(Dataset<Row> rows) {
        return Classify.byKey(rows, lakehouse.read(Tables.DATANETS), Tables.DATANETS, false);
    }

    @Override
    protected void writeAccepted(Dataset<Row> classified) {
        TableWrites.insertNew(lakehouse, Tables.DATANETS, tableRows(classified, Disposition.ACCEPTED));
    }
}

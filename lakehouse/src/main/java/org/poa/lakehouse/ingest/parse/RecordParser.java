package org.poa.lakehouse.ingest.parse;

import java.io.Serializable;
import java.util.List;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.validate.Fields;
import org.poa.lakehouse.validate.Rejection;

/**
 * Turns one input record into the values of its table's row, or rejects it with a reason.
 * Runs on executors, so it keeps no state beyond its settings.
 */
public interface RecordParser extends Serializable {

    /** Provenance columns every input table carries; filled from the input file, not by parsers. */
    List<String> PROVENANCE = List.of("source_file", "source_line");

    TableDef table();

    /** Values for {@link #table()}'s columns except {@link #PROVENANCE}, in schema order. */
    Object[] parse(Fields record) throws Rejection;
}

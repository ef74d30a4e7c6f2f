package org.poa.lakehouse.ingest.parse;

import java.io.Serializable;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.core.validate.Fields;
import org.poa.core.validate.Rejection;

/**
 * Turns one input record into the values of its table's row, or rejects it with a reason.
 * Runs on executors, so it keeps no state beyond its settings.
 */
public interface RecordParser extends Serializable {

    TableDef table();

    /** Values for {@link #table()}'s {@link TableDef#content()} columns, in schema order (provenance is
     * filled from the input file, not by parsers). */
    Object[] parse(Fields record) throws Rejection;
}

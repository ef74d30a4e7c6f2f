package org.poa.lakehouse.ingest.parse;

import java.util.regex.Pattern;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.validate.Fields;
import org.poa.core.validate.Reason;
import org.poa.core.validate.Rejection;

/** votes: contribution_id, validator, verdict (approve|reject), voted_at. */
public final class VoteParser implements RecordParser {

    private static final Pattern ID = Pattern.compile("0x[0-9a-f]{64}");

    @Override
    public TableDef table() {
        return Tables.VOTES;
    }

    @Override
    public Object[] parse(Fields record) throws Rejection {
        String id = record.string("contribution_id").toLowerCase(java.util.Locale.ROOT);
        if (!ID.matcher(id).matches()) {
            throw new Rejection(Reason.BAD_VALUE, "contribution_id must be 0x + 64 hex digits");
        }
        String validator = record.payee("validator");
        String verdict = record.string("verdict");
        if (!verdict.equals("approve") && !verdict.equals("reject")) {
            throw new Rejection(Reason.BAD_VALUE, "verdict must be approve or reject, got '" + verdict + "'");
        }
        return new Object[] {id, validator, verdict, record.timestamp("voted_at")};
    }
}

package org.poa.lakehouse.ingest.parse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.poa.core.text.TextNormalizer;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.ids.ContributionIds;
import org.poa.core.validate.Fields;
import org.poa.core.validate.Reason;
import org.poa.core.validate.Rejection;

/** contributions: datanet_id, contributor, content, submitted_at, optional label and source. */
public final class ContributionParser implements RecordParser {

    private final int maxContentBytes;

    public ContributionParser(int maxContentBytes) {
        this.maxContentBytes = maxContentBytes;
    }

    @Override
    public TableDef table() {
        return Tables.CONTRIBUTIONS;
    }

    @Override
    public Object[] parse(Fields record) throws Rejection {
        String datanet = record.string("datanet_id");
        String contributor = record.payee("contributor");
        String content = record.string("content");
        int bytes = content.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxContentBytes) {
            throw new Rejection(Reason.CONTENT_TOO_LARGE, "content is " + bytes + " bytes, the maximum is " + maxContentBytes);
        }
        Instant submitted = record.timestamp("submitted_at");
        String label = record.optionalString("label");
        String source = record.optionalString("source");
        List<String> tokens = TextNormalizer.tokens(content);
        if (tokens.isEmpty()) {
            throw new Rejection(Reason.EMPTY_CONTENT, "content has no letters or digits");
        }
        String id = ContributionIds.of(datanet, String.join(" ", tokens));
        return new Object[] {id, datanet, contributor, content, tokens.size(), submitted, label, source};
    }
}

package org.poa.lakehouse.ingest.parse;

import java.math.BigDecimal;
import org.apache.spark.sql.RowFactory;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.validate.Fields;
import org.poa.core.validate.Reason;
import org.poa.core.validate.Rejection;

/** datanets: datanet_id, name, owner, license {commercial, derivatives}, quorum (3), approval_threshold (0.66). */
public final class DatanetParser implements RecordParser {

    public static final int DEFAULT_QUORUM = 3;
    public static final BigDecimal DEFAULT_THRESHOLD = new BigDecimal("0.66");

    @Override
    public TableDef table() {
        return Tables.DATANETS;
    }

    @Override
    public Object[] parse(Fields record) throws Rejection {
        String id = record.identifier("datanet_id");
        String name = record.string("name");
        String owner = record.payee("owner");
        Fields license = record.object("license");
        boolean commercial = license.bool("commercial");
        boolean derivatives = license.bool("derivatives");
        int quorum = record.integer("quorum", DEFAULT_QUORUM);
        if (quorum < 1) {
            throw new Rejection(Reason.BAD_VALUE, "quorum must be at least 1, got " + quorum);
        }
        BigDecimal threshold = record.decimal("approval_threshold", DEFAULT_THRESHOLD);
        if (threshold.signum() <= 0 || threshold.compareTo(BigDecimal.ONE) > 0) {
            throw new Rejection(Reason.BAD_VALUE, "approval_threshold must be in (0, 1], got " + threshold);
        }
        if (threshold.stripTrailingZeros().scale() > Tables.FRACTION.scale()) {
            throw new Rejection(Reason.BAD_VALUE, "approval_threshold has more than " + Tables.FRACTION.scale()
                    + " decimal places");
        }
        return new Object[] {id, name, owner, RowFactory.create(commercial, derivatives), quorum,
            threshold.setScale(Tables.FRACTION.scale())};
    }
}

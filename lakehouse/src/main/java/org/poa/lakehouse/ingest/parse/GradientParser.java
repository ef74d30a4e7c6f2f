package org.poa.lakehouse.ingest.parse;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.validate.Fields;
import org.poa.core.validate.Reason;
import org.poa.core.validate.Rejection;

/**
 * gradients (DESIGN.md, imported projected gradients of models trained elsewhere): kind
 * (contribution|inference), id (a contribution id, or an inference id), model_id, checkpoint
 * (integer ≥ 0), lr (a positive number), vector (array of finite numbers, stored as floats).
 */
public final class GradientParser implements RecordParser {

    /** Longer vectors are not projected gradients: the preconditioner would need k² numbers each. */
    public static final int MAX_DIMENSION = 8192;
    private static final Pattern CONTRIBUTION_ID = Pattern.compile("0x[0-9a-f]{64}");

    @Override
    public TableDef table() {
        return Tables.GRADIENTS;
    }

    @Override
    public Object[] parse(Fields record) throws Rejection {
        String kind = record.string("kind");
        if (!kind.equals("contribution") && !kind.equals("inference")) {
            throw new Rejection(Reason.BAD_VALUE, "kind must be contribution or inference, got '" + kind + "'");
        }
        String id = record.string("id");
        if (kind.equals("contribution")) {
            id = id.toLowerCase(Locale.ROOT);
            if (!CONTRIBUTION_ID.matcher(id).matches()) {
                throw new Rejection(Reason.BAD_VALUE, "id of a contribution must be 0x + 64 hex digits");
            }
        }
        String model = record.string("model_id");
        int checkpoint = record.integer("checkpoint", -1);
        if (checkpoint < 0) {
            throw new Rejection(checkpoint == -1 ? Reason.MISSING_FIELD : Reason.BAD_VALUE, "checkpoint must be an integer >= 0");
        }
        BigDecimal lr = record.decimal("lr", null);
        if (lr == null) {
            throw new Rejection(Reason.MISSING_FIELD, "lr is required");
        }
        double rate = lr.doubleValue();
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new Rejection(Reason.BAD_VALUE, "lr must be a positive number");
        }
        float[] vector = record.floats("vector", MAX_DIMENSION);
        Float[] boxed = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            boxed[i] = vector[i];
        }
        return new Object[] {model, kind, id, checkpoint, rate, SparkValues.seq(java.util.Arrays.asList(boxed))};
    }
}

package org.poa.lakehouse.ingest.parse;

import java.time.Instant;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.epoch.EpochClock;
import org.poa.core.validate.Fields;
import org.poa.core.validate.Reason;
import org.poa.core.validate.Rejection;

/** inferences: inference_id, model_id, caller, use, fee_wei, prompt, output, ts, optional label; epoch from ts. */
public final class InferenceParser implements RecordParser {

    private final EpochClock clock;

    public InferenceParser(EpochClock clock) {
        this.clock = clock;
    }

    @Override
    public TableDef table() {
        return Tables.INFERENCES;
    }

    @Override
    public Object[] parse(Fields record) throws Rejection {
        String id = record.string("inference_id");
        String model = record.string("model_id");
        String caller = record.address("caller");
        String use = record.string("use");
        java.math.BigDecimal fee = record.wei("fee_wei");
        String prompt = record.text("prompt");
        String output = record.text("output");
        Instant ts = record.timestamp("ts");
        String label = record.optionalString("label");
        long epoch = clock.epochOf(ts);
        if (epoch < 1) {
            throw new Rejection(Reason.BEFORE_GENESIS, "ts " + ts + " is before genesis " + clock.genesis());
        }
        return new Object[] {epoch, id, model, caller, use, fee, prompt, output, ts, label};
    }
}

package org.poa.jobs.attribute;

import java.time.Instant;
import org.poa.core.epoch.EpochClock;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;

/** What one attribute run covers: an epoch, and every model or one. */
public record AttributionScope(Lakehouse lakehouse, EpochClock clock, long epoch, String modelId) {

    /** The end of the epoch: contributions count as approved as of then. */
    public Instant end() {
        return clock.end(epoch);
    }

    /** The rows this run replaces in a table partitioned by epoch (SQL over its columns). */
    public String predicate() {
        return "epoch = " + epoch + (modelId == null ? "" : " AND model_id = " + TableWrites.literal(modelId));
    }
}

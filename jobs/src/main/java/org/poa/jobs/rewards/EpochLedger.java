package org.poa.jobs.rewards;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.RewardEpochRow;

/**
 * The {@code reward_epochs} ledger: which epochs have rewards and balances, and at which versions
 * they were written. Later steps read balances at the recorded version, so they never see a
 * half-written epoch.
 */
public final class EpochLedger {

    private final Lakehouse lakehouse;

    public EpochLedger(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
    }

    public Optional<RewardEpochRow> entry(long epoch) {
        List<Row> rows = lakehouse.read(RewardEpochRow.TABLE).where(col("epoch").equalTo(epoch)).collectAsList();
        return rows.stream().findFirst().map(RewardEpochRow::fromRow);
    }

    /** The entry of epoch N, or a one-line error telling to run the rewards step first. */
    public RewardEpochRow require(long epoch) {
        return entry(epoch).orElseThrow(() -> new IllegalStateException(
                "epoch " + epoch + " has no rewards yet: run poa rewards --epoch " + epoch + " first"));
    }

    /** The last epoch with rewards, or 0. */
    public long lastEpoch() {
        Row r = lakehouse.read(RewardEpochRow.TABLE).agg(org.apache.spark.sql.functions.max("epoch")).head();
        return r.isNullAt(0) ? 0 : r.getLong(0);
    }
}

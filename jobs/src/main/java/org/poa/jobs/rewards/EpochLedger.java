package org.poa.jobs.rewards;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/**
 * The {@code reward_epochs} ledger: which epochs have rewards and balances, and at which versions
 * they were written. Later steps read balances at the recorded version, so they never see a
 * half-written epoch.
 */
public final class EpochLedger {

    /** One ledger row: what the rewards step recorded for an epoch. */
    public record Entry(long epoch, long rewardsVersion, long balancesVersion, java.math.BigDecimal totalCumulativeWei,
                        long accounts, String treasury, java.util.Map<String, Long> inputVersions) {
    }

    private final Lakehouse lakehouse;

    public EpochLedger(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
    }

    public Optional<Entry> entry(long epoch) {
        List<Row> rows = lakehouse.read(Tables.REWARD_EPOCHS).where(col("epoch").equalTo(epoch)).collectAsList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row r = rows.get(0);
        return Optional.of(new Entry(epoch, r.getAs("rewards_version"), r.getAs("balances_version"),
                r.getAs("total_cumulative_wei"), r.getAs("accounts"), r.getAs("treasury"),
                r.getJavaMap(r.fieldIndex("input_versions"))));
    }

    /** The entry of epoch N, or a one-line error telling to run the rewards step first. */
    public Entry require(long epoch) {
        return entry(epoch).orElseThrow(() -> new IllegalStateException(
                "epoch " + epoch + " has no rewards yet: run poa rewards --epoch " + epoch + " first"));
    }

    /** The last epoch with rewards, or 0. */
    public long lastEpoch() {
        Row r = lakehouse.read(Tables.REWARD_EPOCHS).agg(org.apache.spark.sql.functions.max("epoch")).head();
        return r.isNullAt(0) ? 0 : r.getLong(0);
    }
}

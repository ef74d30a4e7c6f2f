package org.poa.lakehouse.catalog;

import java.math.BigDecimal;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One row of {@link Tables#REWARD_EPOCHS}: what the rewards step computed for an epoch, the input
 * versions it read and the {@code rewards}/{@code balances} versions it wrote. Later steps read
 * balances at {@code balancesVersion}, so they never see a half-written epoch.
 */
public record RewardEpochRow(long epoch, long inferences, BigDecimal feesWei, BigDecimal rewardsWei, BigDecimal unattributedWei,
                             long accounts, BigDecimal totalCumulativeWei, String treasury, Map<String, Long> inputVersions,
                             long rewardsVersion, long balancesVersion) {

    public static final TableDef TABLE = Tables.REWARD_EPOCHS;

    public RewardEpochRow {
        // Sorted by table name: the stored map has one order whatever the caller's map.
        inputVersions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(inputVersions));
    }

    public static RewardEpochRow fromRow(Row r) {
        return new RewardEpochRow(r.getLong(0), r.getLong(1), r.getDecimal(2), r.getDecimal(3), r.getDecimal(4), r.getLong(5),
                r.getDecimal(6), r.getString(7), r.getJavaMap(8), r.getLong(9), r.getLong(10));
    }

    public Row toRow() {
        return RowFactory.create(epoch, inferences, feesWei, rewardsWei, unattributedWei, accounts, totalCumulativeWei, treasury,
                Rows.scalaMap(inputVersions), rewardsVersion, balancesVersion);
    }

    /** The versions the epoch's root pins: the inputs read, and the rewards and balances written. */
    public Map<String, Long> pinnedVersions() {
        Map<String, Long> all = new java.util.TreeMap<>(inputVersions);
        all.put(Tables.REWARDS.name(), rewardsVersion);
        all.put(Tables.BALANCES.name(), balancesVersion);
        return all;
    }
}

package org.poa.jobs.rewards;

import org.poa.core.rewards.FeeSplit;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.action.StepRows;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.RewardEpochRow;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.epoch.EpochClock;
import org.poa.lakehouse.fault.FaultPoint;
import org.poa.core.validate.Addresses;
import org.poa.core.validate.Rejection;
import scala.Tuple2;

/**
 * {@code poa rewards --epoch N}: splits every accepted inference's fee of the epoch into exact
 * integer-wei rewards (see {@link FeeSplit} for who gets what) and adds them to the cumulative
 * balances of epoch N-1.
 *
 * <p>Rounding happens once per epoch: each (account, role, model) row's exact amount is a whole
 * part plus a remainder in units of 1/{@link FeeSplit#DENOMINATOR} wei; rows get their whole part,
 * and the wei left over (fees minus whole parts, always fewer than the rows) go one each to the
 * rows with the largest remainders, ties by account (as a number: lowercase hex), role and model. So the epoch's rewards sum to
 * its fees exactly; the job checks that, and that balances grow by exactly the rewards, and fails
 * before writing anything if either is off by one wei.
 *
 * <p>Inputs are read at pinned Delta versions, recorded in {@code reward_epochs}. Re-running an
 * epoch that gives the same rows writes nothing; one that gives different rows replaces them,
 * unless a later epoch was computed on top of it.
 */
public final class EpochRewards {

    /** What a run did. */
    public record Result(long epoch, long inferences, BigInteger feesWei, long rewardRows, BigInteger unattributedWei,
                         long accounts, BigInteger totalCumulativeWei, boolean written) implements StepResult {
        @Override
        public StepRows rows() {
            return new StepRows(inferences, "inferences", rewardRows, "rewards");
        }

        @Override
        public List<String> lines() {
            return List.of(String.format("epoch %d: %d inferences, fees %s wei = rewards %s wei over %d rows (unattributed %s wei)",
                            epoch, inferences, feesWei, feesWei, rewardRows, unattributedWei),
                    String.format("balances: %d accounts, %s wei cumulative%s", accounts, totalCumulativeWei,
                            written ? "" : " (unchanged: nothing written)"));
        }
    }

    private EpochRewards() {
    }

    static Result run(Lakehouse lakehouse, EpochClock clock, long epoch, String treasuryText, Consumer<String> progress) {
        String treasury = treasury(treasuryText);
        EpochLedger ledger = new EpochLedger(lakehouse);
        long last = ledger.lastEpoch();
        Optional<RewardEpochRow> previous = epoch > 1 ? ledger.entry(epoch - 1) : Optional.empty();
        if (previous.isEmpty() && epoch > 1) {
            requireFirstEpoch(lakehouse, epoch, last);
        }
        Map<String, Long> versions = new LinkedHashMap<>();
        for (TableDef table : List.of(Tables.INFERENCES, Tables.MODELS, Tables.ATTRIBUTIONS, Tables.VOTES)) {
            versions.put(table.name(), lakehouse.version(table));
        }
        progress.accept("rewards of epoch " + epoch + ": reading inferences v" + versions.get("inferences")
                + ", attributions v" + versions.get("attributions") + ", models v" + versions.get("models")
                + ", votes v" + versions.get("votes"));

        Dataset<Row> inferences = lakehouse.readAtVersion(Tables.INFERENCES, versions.get("inferences"))
                .where(col("epoch").equalTo(epoch)).select("inference_id", "model_id", "fee_wei");
        Row feeTotals = inferences.agg(count(lit(1)), sum("fee_wei")).head();
        long inferenceCount = feeTotals.getLong(0);
        BigInteger fees = feeTotals.isNullAt(1) ? BigInteger.ZERO : feeTotals.getDecimal(1).toBigIntegerExact();

        List<Dataset<Row>> cached = new java.util.ArrayList<>();
        Dataset<Row> rewards = rewards(lakehouse, clock, epoch, treasury, versions, inferences, fees, cached)
                .persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(rewards);
        try {
            Row rewardTotals = rewards.agg(count(lit(1)), sum("amount_wei"),
                    sum(org.apache.spark.sql.functions.when(col("role").equalTo(FeeSplit.UNATTRIBUTED), col("amount_wei")))).head();
            long rewardRows = rewardTotals.getLong(0);
            BigInteger rewarded = rewardTotals.isNullAt(1) ? BigInteger.ZERO : rewardTotals.getDecimal(1).toBigIntegerExact();
            BigInteger unattributed = rewardTotals.isNullAt(2) ? BigInteger.ZERO : rewardTotals.getDecimal(2).toBigIntegerExact();
            if (!rewarded.equals(fees)) {
                throw new IllegalStateException("epoch " + epoch + ": rewards sum to " + rewarded + " wei but the accepted fees are "
                        + fees + " wei; nothing written");
            }

            Dataset<Row> balances = balances(lakehouse, epoch, previous.map(RewardEpochRow::balancesVersion), rewards)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Row balanceTotals = balances.agg(count(lit(1)), sum("cumulative_wei")).head();
                long accounts = balanceTotals.getLong(0);
                BigInteger total = balanceTotals.isNullAt(1) ? BigInteger.ZERO : balanceTotals.getDecimal(1).toBigIntegerExact();
                BigInteger before = previous.map(e -> e.totalCumulativeWei().toBigIntegerExact()).orElse(BigInteger.ZERO);
                if (!total.equals(before.add(rewarded))) {
                    throw new IllegalStateException("epoch " + epoch + ": balances total " + total + " wei, not the previous "
                            + before + " plus this epoch's " + rewarded + "; nothing written");
                }
                // Without a ledger row for the epoch there is nothing to compare with (a first run).
                boolean same = ledger.entry(epoch).filter(e -> e.treasury().equals(treasury)).isPresent()
                        && sameRows(lakehouse, Tables.REWARDS, epoch, rewards) && sameRows(lakehouse, Tables.BALANCES, epoch, balances);
                if (same) {
                    progress.accept("epoch " + epoch + " already has exactly these rewards and balances: nothing written");
                    return new Result(epoch, inferenceCount, fees, rewardRows, unattributed, accounts, total, false);
                }
                if (last > epoch) {
                    throw new IllegalStateException("epoch " + epoch + "'s rewards would change, but epoch " + last
                            + " was already computed on top of them; nothing written");
                }
                progress.accept("writing " + rewardRows + " rewards and " + accounts + " balances of epoch " + epoch);
                String predicate = "epoch = " + epoch;
                TableWrites.replaceWhere(lakehouse, Tables.REWARDS, rewards, predicate);
                long rewardsVersion = lakehouse.version(Tables.REWARDS);
                TableWrites.replaceWhere(lakehouse, Tables.BALANCES, balances, predicate);
                long balancesVersion = lakehouse.version(Tables.BALANCES);
                FaultPoint.reach("rewards:tables-written");
                RewardEpochRow entry = new RewardEpochRow(epoch, inferenceCount, new BigDecimal(fees), new BigDecimal(rewarded),
                        new BigDecimal(unattributed), accounts, new BigDecimal(total), treasury, versions, rewardsVersion, balancesVersion);
                TableWrites.upsert(lakehouse, RewardEpochRow.TABLE,
                        lakehouse.spark().createDataFrame(List.of(entry.toRow()), RewardEpochRow.TABLE.schema()));
                return new Result(epoch, inferenceCount, fees, rewardRows, unattributed, accounts, total, true);
            } finally {
                balances.unpersist();
            }
        } finally {
            cached.forEach(Dataset::unpersist);
        }
    }

    /** An epoch's rewards and balances recomputed from pinned inputs; nothing written. Close to free the cache. */
    public record Recomputed(Dataset<Row> rewards, Dataset<Row> balances, List<Dataset<Row>> cached) implements AutoCloseable {
        @Override
        public void close() {
            cached.forEach(Dataset::unpersist);
        }
    }

    /**
     * The rows {@link #run} would write for the epoch from the inputs at {@code versions} (as
     * recorded in reward_epochs) on top of the balances of epoch N-1 at {@code previousBalancesVersion}:
     * what an auditor recomputes by Delta time travel.
     */
    public static Recomputed recompute(Lakehouse lakehouse, EpochClock clock, long epoch, String treasury, Map<String, Long> versions,
                                       Optional<Long> previousBalancesVersion) {
        Dataset<Row> inferences = lakehouse.readAtVersion(Tables.INFERENCES, versions.get("inferences"))
                .where(col("epoch").equalTo(epoch)).select("inference_id", "model_id", "fee_wei");
        Row feeTotal = inferences.agg(sum("fee_wei")).head();
        BigInteger fees = feeTotal.isNullAt(0) ? BigInteger.ZERO : feeTotal.getDecimal(0).toBigIntegerExact();
        List<Dataset<Row>> cached = new java.util.ArrayList<>();
        Dataset<Row> rewards = rewards(lakehouse, clock, epoch, treasury, versions, inferences, fees, cached)
                .persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(rewards);
        return new Recomputed(rewards, balances(lakehouse, epoch, previousBalancesVersion, rewards), cached);
    }

    /** Balances after the epoch: those of epoch N-1 (at their recorded version) plus the epoch's rewards. */
    static Dataset<Row> balances(Lakehouse lakehouse, long epoch, Optional<Long> previousBalancesVersion, Dataset<Row> rewards) {
        Dataset<Row> prior = previousBalancesVersion.isEmpty() ? emptyBalances(lakehouse)
                : lakehouse.readAtVersion(Tables.BALANCES, previousBalancesVersion.get()).where(col("epoch").equalTo(epoch - 1));
        Dataset<Row> earned = rewards.groupBy("account").agg(sum("amount_wei").as("earned"));
        return prior.select(col("account"), col("cumulative_wei").as("before"))
                .join(earned, org.poa.lakehouse.spark.Columns.using("account"), "full_outer")
                .select(lit(epoch).as("epoch"), col("account"),
                        coalesce(col("before"), lit(BigDecimal.ZERO)).plus(coalesce(col("earned"), lit(BigDecimal.ZERO)))
                                .cast(Tables.WEI).as("cumulative_wei"))
                .where(col("cumulative_wei").gt(0));
    }

    /** The epoch's reward rows: (epoch, account, role, model_id, amount_wei), amounts positive. */
    static Dataset<Row> rewards(Lakehouse lakehouse, EpochClock clock, long epoch, String treasury,
                                Map<String, Long> versions, Dataset<Row> inferences, BigInteger fees,
                                List<Dataset<Row>> cached) {
        Instant end = clock.end(epoch);
        Dataset<Row> approvers = lakehouse.readAtVersion(Tables.VOTES, versions.get("votes"))
                .where(col("voted_at").lt(lit(end)))
                .groupBy("contribution_id", "validator")
                .agg(max_by(col("verdict"), col("voted_at")).as("verdict"))
                .where(col("verdict").equalTo("approve"))
                .groupBy("contribution_id").agg(collect_list("validator").as("validators"));
        Dataset<Row> models = lakehouse.readAtVersion(Tables.MODELS, versions.get("models"))
                .select(col("model_id"), col("developer"), col("license.split_bps").as("split"), col("attribution"));
        // Each inference and its credits meet in one shuffle and one sort, and are split in one pass
        // over the sorted rows (InferenceShares): no collect_list per inference (its aggregation
        // falls back to sorting and sorted both before and after the shuffle) and no sort-merge join
        // of the inferences with those lists. The sort key is a 64-bit hash of the id alone, which
        // Spark radix-sorts without comparing rows; InferenceShares tells apart ids that share a hash.
        Dataset<Row> inferenceRows = inferences
                .join(broadcast(models), org.poa.lakehouse.spark.Columns.using("model_id"), "left")
                .select(col("inference_id"), lit(InferenceShares.INFERENCE).as("kind"), col("fee_wei"), col("model_id"),
                        col("developer"), col("split"), col("attribution"), lit(null).cast(InferenceShares.CREDIT).as("credit"));
        Dataset<Row> creditRows = lakehouse.readAtVersion(Tables.ATTRIBUTIONS, versions.get("attributions"))
                .where(col("epoch").equalTo(epoch).and(col("weight").gt(0)))
                .select("inference_id", "method", "contribution_id", "contributor", "weight")
                .join(approvers, org.poa.lakehouse.spark.Columns.using("contribution_id"), "left")
                .select(col("inference_id"), lit(InferenceShares.CREDIT_ROW).as("kind"), lit(null).cast(Tables.WEI).as("fee_wei"),
                        lit(null).cast("string").as("model_id"), lit(null).cast("string").as("developer"),
                        lit(null).cast(inferenceRows.schema().apply("split").dataType()).as("split"),
                        lit(null).cast(inferenceRows.schema().apply("attribution").dataType()).as("attribution"),
                        struct("method", "contribution_id", "contributor", "weight", "validators").cast(InferenceShares.CREDIT).as("credit"));
        Dataset<Row> shares = inferenceRows.unionByName(creditRows)
                .withColumn("__h", xxhash64(col("inference_id")))
                .repartition(col("__h"))
                .sortWithinPartitions(col("__h"))
                .mapPartitions(new InferenceShares(treasury), Encoders.row(InferenceShares.RESULT));
        Dataset<Row> rows = shares.groupBy("account", "role", "model_id")
                .agg(sum("whole").as("whole"), sum("part").as("part"))
                .map((org.apache.spark.api.java.function.MapFunction<Row, Row>) EpochRewards::settleRow,
                        Encoders.row(new org.apache.spark.sql.types.StructType()
                                .add("account", "string").add("role", "string").add("model_id", "string")
                                .add("floor", Tables.WEI).add("remainder", "long")))
                .persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(rows);
        Row floors = rows.agg(sum("floor")).head();
        BigInteger floorTotal = floors.isNullAt(0) ? BigInteger.ZERO : floors.getDecimal(0).toBigIntegerExact();
        long leftover = fees.subtract(floorTotal).longValueExact();
        Dataset<Row> amounts;
        if (leftover == 0) {
            amounts = rows.select(col("account"), col("role"), col("model_id"), col("floor").as("amount_wei"));
        } else {
            // One wei each to the `leftover` rows with the largest remainders: a distributed sort
            // (total order, so the same rows win on every run) and the rank of each row in it.
            JavaRDD<Row> ranked = rows.orderBy(col("remainder").desc(), lower(col("account")), col("role"), col("model_id"))
                    .javaRDD().zipWithIndex().map((Tuple2<Row, Long> t) -> {
                        Row r = t._1();
                        BigDecimal floor = r.getDecimal(3);
                        return RowFactory.create(r.getString(0), r.getString(1), r.getString(2),
                                t._2() < leftover ? floor.add(BigDecimal.ONE) : floor);
                    });
            amounts = lakehouse.spark().createDataFrame(ranked, new org.apache.spark.sql.types.StructType()
                    .add("account", "string", false).add("role", "string", false).add("model_id", "string", false)
                    .add("amount_wei", Tables.WEI, false));
        }
        return amounts.where(col("amount_wei").gt(0))
                .select(lit(epoch).as("epoch"), col("account"), col("role"), col("model_id"), col("amount_wei"));
    }

    private static Row settleRow(Row r) {
        BigInteger whole = r.getDecimal(3).toBigIntegerExact();
        BigInteger[] carried = r.getDecimal(4).toBigIntegerExact().divideAndRemainder(FeeSplit.DENOMINATOR);
        BigInteger floor = whole.add(carried[0]);
        return RowFactory.create(r.getString(0), r.getString(1), r.getString(2), new BigDecimal(floor), carried[1].longValueExact());
    }

    /**
     * True when the table's rows of the epoch are exactly these, as a multiset: one shuffle that
     * counts each distinct row +1 per fresh copy and -1 per stored copy; any non-zero is a difference.
     */
    private static boolean sameRows(Lakehouse lakehouse, TableDef table, long epoch, Dataset<Row> rows) {
        return TableWrites.differences(table, rows, lakehouse.read(table).where(col("epoch").equalTo(epoch))).isEmpty();
    }

    private static Dataset<Row> emptyBalances(Lakehouse lakehouse) {
        return lakehouse.spark().createDataFrame(List.of(), Tables.BALANCES.schema());
    }

    /** An epoch without the one before it may only be the first: no reward epoch yet and no earlier inference. */
    private static void requireFirstEpoch(Lakehouse lakehouse, long epoch, long last) {
        if (last > 0) {
            throw new IllegalStateException("epoch " + (epoch - 1) + " has no rewards yet: run poa rewards --epoch "
                    + (epoch - 1) + " first (epochs build on each other)");
        }
        Row earliest = lakehouse.read(Tables.INFERENCES).agg(org.apache.spark.sql.functions.min("epoch")).head();
        if (!earliest.isNullAt(0) && earliest.getLong(0) < epoch) {
            throw new IllegalStateException("epoch " + earliest.getLong(0) + " has inferences but no rewards: run poa rewards --epoch "
                    + earliest.getLong(0) + " first (epochs build on each other)");
        }
    }

    /** The treasury in EIP-55 form, or a one-line error: check it before starting Spark. */
    public static String treasury(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no treasury address: pass --treasury or set POA_TREASURY");
        }
        try {
            return Addresses.payee("treasury", Addresses.canonical("treasury", text.strip()));
        } catch (Rejection e) {
            throw new IllegalArgumentException(e.detail());
        }
    }
}

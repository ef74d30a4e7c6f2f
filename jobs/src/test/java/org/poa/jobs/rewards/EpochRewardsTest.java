package org.poa.jobs.rewards;

import org.poa.core.rewards.FeeSplit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;

/**
 * The rewards job on generated worlds (three models, scripted and random votes, fees from 1 wei to
 * ~10^30) against an independent computation in plain Java; the epoch ledger's ordering and
 * idempotence rules; the same rows whatever the input layout, partitions and cores.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EpochRewardsTest extends SparkTestBase {

    private static final List<TableDef> OUTPUTS = List.of(Tables.REWARDS, Tables.BALANCES, Tables.REWARD_EPOCHS);

    @Test
    @Order(1)
    void rewardsEqualTheIndependentComputationConserveFeesAndOnlyGrowBalances() {
        // Further worlds (seeds 21 and 31) go through the same checks in the tests below.
        for (long seed : new long[] {1, 2}) {
            RewardsWorld world = RewardsWorld.generate(seed, seed == 1 ? 200 : 80);
            Lakehouse lakehouse = newLakehouse("seed-" + seed);
            // Seed 2: rows shuffled into two inserts of five files each, five shuffle partitions, and
            // the treasury given in lowercase (rows must carry its EIP-55 spelling).
            world.write(lakehouse, seed == 1 ? RewardsWorld.Layout.PLAIN : RewardsWorld.Layout.shuffled(7, 2, 5));
            String given = seed == 2 ? world.treasury.toLowerCase(Locale.ROOT) : world.treasury;
            spark.conf().set("spark.sql.shuffle.partitions", seed == 1 ? "2" : "5");
            Map<Long, EpochRewards.Result> results = new TreeMap<>();
            try {
                for (long epoch = 1; epoch <= 3; epoch++) {
                    EpochRewards.Result result = EpochRewards.run(lakehouse, RewardsWorld.CLOCK, epoch, given, m -> { });
                    assertTrue(result.written(), "seed " + seed + ", epoch " + epoch);
                    results.put(epoch, result);
                }
            } finally {
                spark.conf().set("spark.sql.shuffle.partitions", "2");
            }
            Outputs outputs = Outputs.read(lakehouse);
            for (long epoch = 1; epoch <= 3; epoch++) {
                String label = "seed " + seed + ", epoch " + epoch;
                Map<List<String>, BigInteger> rewards = assertEpoch(outputs, world, epoch, results.get(epoch), label);
                BigInteger unattributed = RewardsWorld.sumBy(rewards, k -> k.get(1)).getOrDefault(FeeSplit.UNATTRIBUTED, BigInteger.ZERO);
                assertTrue(unattributed.signum() > 0, label + ": m-none's inferences have no evidence");
                assertValidatorScripts(world, rewards, epoch, label);
            }
        }
    }

    /** The output tables, read once. */
    record Outputs(Map<Long, Map<List<String>, BigInteger>> rewards, Map<Long, Map<String, BigInteger>> balances,
                   Map<Long, Row> ledger) {
        static Outputs read(Lakehouse lakehouse) {
            Map<Long, Row> ledger = new TreeMap<>();
            for (Row r : lakehouse.read(Tables.REWARD_EPOCHS).collectAsList()) {
                assertEquals(null, ledger.put(r.getAs("epoch"), r), "reward_epochs holds an epoch twice");
            }
            return new Outputs(RewardsWorld.allRewards(lakehouse), RewardsWorld.allBalances(lakehouse), ledger);
        }

        Map<List<String>, BigInteger> rewards(long epoch) {
            return rewards.getOrDefault(epoch, Map.of());
        }

        Map<String, BigInteger> balances(long epoch) {
            return balances.getOrDefault(epoch, Map.of());
        }
    }

    /**
     * The checks of one computed epoch: conservation (rewards sum to the fees, balances grow by exactly
     * the rewards and never shrink), exactness (rows equal the independent computation), the result
     * and the ledger row. Returns the epoch's rewards.
     */
    static Map<List<String>, BigInteger> assertEpoch(Outputs outputs, RewardsWorld world, long epoch,
                                                     EpochRewards.Result result, String label) {
        Map<List<String>, BigInteger> rewards = outputs.rewards(epoch);
        Map<String, BigInteger> balances = outputs.balances(epoch);
        Map<String, BigInteger> before = outputs.balances(epoch - 1);

        // Conservation: the epoch's rewards are its fees, to the wei.
        BigInteger fees = world.fees(epoch);
        assertEquals(fees, RewardsWorld.total(rewards), label + ": sum of rewards vs fees");
        assertEquals(fees, result.feesWei(), label);
        rewards.values().forEach(v -> assertTrue(v.signum() > 0, label + ": non-positive reward"));
        // Balances grow by exactly the rewards and never shrink.
        Map<String, BigInteger> expectedNow = new TreeMap<>(before);
        RewardsWorld.sumBy(rewards, k -> k.get(0)).forEach((account, v) -> expectedNow.merge(account, v, BigInteger::add));
        assertEquals(expectedNow, balances, label + ": balance(N) = balance(N-1) + rewards(N)");
        for (Map.Entry<String, BigInteger> e : before.entrySet()) {
            assertTrue(balances.getOrDefault(e.getKey(), BigInteger.ZERO).compareTo(e.getValue()) >= 0,
                    label + ": balance of " + e.getKey() + " shrank");
        }
        assertEquals(RewardsWorld.total(balances), result.totalCumulativeWei(), label);
        assertEquals(balances.size(), result.accounts(), label);

        // Exactness: every (account, role, model) as computed independently.
        assertEquals(world.expectedRewards(epoch, world.treasury), rewards, label + ": rewards rows");
        assertEquals(world.expectedBalances(epoch, world.treasury).get(epoch), balances, label + ": balances rows");
        BigInteger unattributed = RewardsWorld.sumBy(rewards, k -> k.get(1)).getOrDefault(FeeSplit.UNATTRIBUTED, BigInteger.ZERO);
        assertEquals(unattributed, result.unattributedWei(), label);
        for (List<String> key : rewards.keySet()) {
            assertTrue(key.get(0).startsWith("0x") && key.get(0).length() == 42
                    && !key.get(0).equals(key.get(0).toLowerCase(Locale.ROOT)), label + ": account not EIP-55: " + key);
        }

        // The ledger row.
        Row ledger = outputs.ledger().get(epoch);
        assertEquals(world.treasury, ledger.getAs("treasury"), label);
        assertEquals(new BigDecimal(fees), ledger.<BigDecimal>getAs("fees_wei"), label);
        assertEquals(new BigDecimal(fees), ledger.<BigDecimal>getAs("rewards_wei"), label);
        assertEquals(new BigDecimal(unattributed), ledger.<BigDecimal>getAs("unattributed_wei"), label);
        assertEquals(new BigDecimal(RewardsWorld.total(balances)), ledger.<BigDecimal>getAs("total_cumulative_wei"), label);
        assertEquals(world.inferences.stream().filter(i -> i.epoch() == epoch).count(), (long) ledger.getAs("inferences"), label);
        return rewards;
    }

    /** The scripted validators of the hot contribution: only a latest approve before the epoch's end counts. */
    private static void assertValidatorScripts(RewardsWorld world, Map<List<String>, BigInteger> rewards, long epoch, String label) {
        Map<String, BigInteger> validators = new TreeMap<>();
        rewards.forEach((k, v) -> {
            if (k.get(1).equals(FeeSplit.VALIDATOR)) {
                validators.merge(k.get(0), v, BigInteger::add);
            }
        });
        List<String> earning = epoch == 1
                ? List.of(world.steady, world.rejectedAfter, world.flipped)
                : List.of(world.steady, world.late, world.atEnd, world.flipped);
        for (String v : List.of(world.steady, world.late, world.atEnd, world.switched, world.rejectedAfter, world.flipped)) {
            boolean earns = validators.containsKey(v);
            assertEquals(earning.contains(v), earns, label + ": validator " + role(world, v) + " " + (earns ? "earned" : "did not earn"));
        }
        // The hot inference alone gives each approver of hot 10^20 wei * 15% * (1/1.5) / approvers (less a unit's rounding).
        BigInteger least = BigInteger.TEN.pow(20).multiply(BigInteger.valueOf(1_500)).divide(BigInteger.valueOf(10_000))
                .multiply(BigInteger.TWO).divide(BigInteger.valueOf(3)).divide(BigInteger.valueOf(earning.size()))
                .multiply(BigInteger.valueOf(99)).divide(BigInteger.valueOf(100));
        for (String v : earning) {
            assertTrue(validators.get(v).compareTo(least) >= 0, label + ": " + role(world, v) + " earned " + validators.get(v));
        }
    }

    private static String role(RewardsWorld world, String v) {
        return v.equals(world.steady) ? "steady" : v.equals(world.late) ? "late" : v.equals(world.atEnd) ? "at-end"
                : v.equals(world.switched) ? "switched" : v.equals(world.rejectedAfter) ? "rejected-after" : "flipped";
    }

    @Test
    @Order(2)
    void epochsRunInOrderAndReRunsWriteNothingOrFailUnderALaterEpoch() {
        RewardsWorld world = RewardsWorld.generate(21, 60);
        Lakehouse lakehouse = newLakehouse("ordering");
        world.write(lakehouse, RewardsWorld.Layout.PLAIN);

        // Epoch 2 before epoch 1: refused, naming epoch 1, nothing written.
        Map<String, Long> empty = versions(lakehouse);
        IllegalStateException early = assertThrows(IllegalStateException.class,
                () -> EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 2, world.treasury, m -> { }));
        assertTrue(early.getMessage().contains("epoch 1 ") && early.getMessage().contains("--epoch 1"), early.getMessage());
        assertEquals(empty, versions(lakehouse));
        assertTrue(lakehouse.read(Tables.REWARD_EPOCHS).isEmpty());

        EpochRewards.Result one = EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 1, world.treasury, m -> { });
        assertTrue(one.written());
        // Epoch 3 right after epoch 1: refused, naming epoch 2.
        IllegalStateException gap = assertThrows(IllegalStateException.class,
                () -> EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 3, world.treasury, m -> { }));
        assertTrue(gap.getMessage().contains("epoch 2 ") && gap.getMessage().contains("--epoch 2"), gap.getMessage());
        EpochRewards.Result two = EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 2, world.treasury, m -> { });
        assertTrue(two.written());
        Outputs computed = Outputs.read(lakehouse);
        assertEpoch(computed, world, 1, one, "epoch 1");
        assertEpoch(computed, world, 2, two, "epoch 2");

        // Re-running the earlier epoch with the same inputs: nothing written, no new table version.
        Map<String, Long> done = versions(lakehouse);
        EpochRewards.Result again = EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 1, world.treasury, m -> { });
        assertFalse(again.written());
        assertEquals(world.fees(1), again.feesWei());
        assertEquals(done, versions(lakehouse));

        // Another treasury would change epoch 1 under epoch 2: refused, nothing written.
        String other = RewardsWorld.address(new Random(99));
        IllegalStateException moved = assertThrows(IllegalStateException.class,
                () -> EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 1, other, m -> { }));
        assertTrue(moved.getMessage().contains("epoch 2"), moved.getMessage());
        assertEquals(done, versions(lakehouse));
        assertEquals(computed, Outputs.read(lakehouse));

        // A changed attribution weight of the last epoch: re-running it replaces that epoch's rows.
        RewardsWorld.Attribution partner = world.hotPartner.get(2L);
        RewardsWorld changed = world.withWeight(partner, 3.0);
        assertNotEquals(world.expectedRewards(2, world.treasury), changed.expectedRewards(2, world.treasury));
        upsertAttributionsOf(lakehouse, changed, partner.inference());
        EpochRewards.Result replaced = EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 2, world.treasury, m -> { });
        assertTrue(replaced.written());
        Outputs after = Outputs.read(lakehouse);
        assertEpoch(after, changed, 2, replaced, "changed epoch 2");
        assertEpoch(after, changed, 1, one, "epoch 1 after epoch 2 changed");
        assertEquals(computed.rewards(1), after.rewards(1));
        assertEquals(computed.balances(1), after.balances(1));
        Row ledger = after.ledger().get(2L);
        assertEquals(lakehouse.version(Tables.REWARDS), (long) ledger.getAs("rewards_version"));
        assertEquals(lakehouse.version(Tables.BALANCES), (long) ledger.getAs("balances_version"));
        assertEquals(lakehouse.version(Tables.ATTRIBUTIONS),
                ledger.<String, Long>getJavaMap(ledger.fieldIndex("input_versions")).get("attributions"));
        assertEquals(Set.of(1L, 2L), after.ledger().keySet());
    }

    private static void upsertAttributionsOf(Lakehouse lakehouse, RewardsWorld world, String inference) {
        List<Row> rows = world.attributionRows().stream().filter(r -> r.getString(1).equals(inference)).toList();
        assertTrue(TableWrites.upsert(lakehouse, Tables.ATTRIBUTIONS, spark.createDataFrame(rows, Tables.ATTRIBUTIONS.schema())));
    }

    @Test
    @Order(3)
    void theFirstEpochWithInferencesNeedsNoEarlierOneAndAnEmptyEpochCarriesBalancesOver() {
        // Inferences in epochs 2 and 4 only (the world moved one epoch later, its epoch 2 dropped).
        RewardsWorld world = RewardsWorld.generate(31, 40).onlyEpochs(Set.of(1L, 3L)).shiftedBy(1);
        Lakehouse lakehouse = newLakehouse("first-later");
        world.write(lakehouse, RewardsWorld.Layout.PLAIN);
        Map<String, Long> empty = versions(lakehouse);
        IllegalStateException early = assertThrows(IllegalStateException.class,
                () -> EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 4, world.treasury, m -> { }));
        assertTrue(early.getMessage().contains("epoch 2 "), early.getMessage());
        assertEquals(empty, versions(lakehouse));

        EpochRewards.Result second = EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 2, world.treasury, m -> { });
        assertTrue(second.written());
        IllegalStateException gap = assertThrows(IllegalStateException.class,
                () -> EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 4, world.treasury, m -> { }));
        assertTrue(gap.getMessage().contains("epoch 3 ") && gap.getMessage().contains("--epoch 3"), gap.getMessage());
        EpochRewards.Result quiet = EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 3, world.treasury, m -> { });
        assertTrue(quiet.written());
        assertEquals(0, quiet.inferences());
        assertEquals(BigInteger.ZERO, quiet.feesWei());
        EpochRewards.Result fourth = EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 4, world.treasury, m -> { });
        assertTrue(fourth.written());
        Outputs outputs = Outputs.read(lakehouse);
        assertEpoch(outputs, world, 2, second, "epoch 2");
        assertEpoch(outputs, world, 3, quiet, "epoch 3");
        assertEpoch(outputs, world, 4, fourth, "epoch 4");
        assertTrue(outputs.rewards(3).isEmpty());
        assertFalse(outputs.balances(2).isEmpty());
        assertEquals(outputs.balances(2), outputs.balances(3), "an epoch without inferences carries balances over");
        assertEquals(Set.of(2L, 3L, 4L), outputs.ledger().keySet());
    }

    @Test
    @Order(4)
    void anInferenceOfAnUnregisteredModelFailsNamingTheModelAndWritesNothing() {
        RewardsWorld base = RewardsWorld.generate(41, 30);
        RewardsWorld world = base.withInference(new RewardsWorld.Inference(1, "inf-ghost", "m-ghost", BigInteger.TEN,
                RewardsWorld.CLOCK.start(1).plusSeconds(5)));
        Lakehouse lakehouse = newLakehouse("ghost");
        world.write(lakehouse, RewardsWorld.Layout.PLAIN);
        Map<String, Long> empty = versions(lakehouse);
        Exception failure = assertThrows(Exception.class,
                () -> EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 1, world.treasury, m -> { }));
        assertTrue(messages(failure).contains("m-ghost"), messages(failure));
        assertEquals(empty, versions(lakehouse));
        assertTrue(lakehouse.read(Tables.REWARDS).isEmpty());
        assertTrue(lakehouse.read(Tables.BALANCES).isEmpty());
        assertTrue(lakehouse.read(Tables.REWARD_EPOCHS).isEmpty());
        // Epoch 1 still has no rewards, so epoch 2 still refuses.
        assertThrows(IllegalStateException.class, () -> EpochRewards.run(lakehouse, RewardsWorld.CLOCK, 2, world.treasury, m -> { }));
    }

    @Test
    @Order(5)
    void tiedRemaindersGoToTheSmallerAccountAndAmountsBeyondDecimal38FailTheRun() {
        // Epoch fees summing past 10^38 - 1 wei.
        BigInteger big = BigInteger.TEN.pow(37).multiply(BigInteger.valueOf(6));
        RewardsWorld fees = RewardsWorld.generate(71, 3)
                .withInference(new RewardsWorld.Inference(1, "inf-big-1", "m-none", big, RewardsWorld.CLOCK.start(1).plusSeconds(60)))
                .withInference(new RewardsWorld.Inference(1, "inf-big-2", "m-none", big, RewardsWorld.CLOCK.start(1).plusSeconds(120)));
        Lakehouse one = newLakehouse("overflow-fees");
        fees.write(one, RewardsWorld.Layout.PLAIN);
        Map<String, Long> empty = versions(one);
        Exception failure = assertThrows(Exception.class, () -> EpochRewards.run(one, RewardsWorld.CLOCK, 1, fees.treasury, m -> { }));
        assertTrue(messages(failure).contains("OVERFLOW"), messages(failure));
        assertEquals(empty, versions(one));

        // Epoch 1: the hot inference, 9 * 10^37 wei to m-none, and 1 wei to m-mix credited by n-gram
        // to two contributions equally: their contributors' 0.3 wei are the largest remainders, tied,
        // and the one wei left over goes to the smaller account.
        BigInteger nine = BigInteger.TEN.pow(37).multiply(BigInteger.valueOf(9));
        RewardsWorld base = RewardsWorld.generate(72, 3);
        List<String> ids = new ArrayList<>(base.contributors.keySet());
        String a = ids.get(1);
        String b = ids.get(2);
        assertNotEquals(base.contributors.get(a), base.contributors.get(b));
        RewardsWorld cumulative = base
                .withInference(new RewardsWorld.Inference(1, "inf-big-1", "m-none", nine, RewardsWorld.CLOCK.start(1).plusSeconds(60)))
                .withInference(new RewardsWorld.Inference(1, "inf-tie", "m-mix", BigInteger.ONE, RewardsWorld.CLOCK.start(1).plusSeconds(90)))
                .withInference(new RewardsWorld.Inference(2, "inf-big-2", "m-none", nine, RewardsWorld.CLOCK.start(2).plusSeconds(60)))
                .withAttributions(List.of(
                        new RewardsWorld.Attribution(1, "inf-tie", "m-mix", "ngram", a, base.contributors.get(a), "net-a", 1.0),
                        new RewardsWorld.Attribution(1, "inf-tie", "m-mix", "ngram", b, base.contributors.get(b), "net-a", 1.0)));
        Lakehouse two = newLakehouse("overflow-balances");
        cumulative.write(two, RewardsWorld.Layout.PLAIN);
        EpochRewards.Result first = EpochRewards.run(two, RewardsWorld.CLOCK, 1, cumulative.treasury, m -> { });
        Map<List<String>, BigInteger> rewards = assertEpoch(Outputs.read(two), cumulative, 1, first, "epoch 1");
        String smaller = FeeSplit.BY_ADDRESS.compare(base.contributors.get(a), base.contributors.get(b)) < 0
                ? base.contributors.get(a) : base.contributors.get(b);
        String larger = smaller.equals(base.contributors.get(a)) ? base.contributors.get(b) : base.contributors.get(a);
        assertEquals(BigInteger.ONE, rewards.get(List.of(smaller, FeeSplit.DATA, "m-mix")), rewards.toString());
        assertFalse(rewards.containsKey(List.of(larger, FeeSplit.DATA, "m-mix")), rewards.toString());

        // Each epoch's fees fit, but the treasury's cumulative balance passes 10^38 - 1 in epoch 2.
        Map<String, Long> written = versions(two);
        Exception overflow = assertThrows(Exception.class, () -> EpochRewards.run(two, RewardsWorld.CLOCK, 2, cumulative.treasury, m -> { }));
        assertTrue(messages(overflow).contains("Decimal(38, 0)") || messages(overflow).contains("OVERFLOW"), messages(overflow));
        assertEquals(written, versions(two));
    }

    @Test
    @Order(9)
    void sameRowsWhateverInputFilesAndPartitions() {
        // Seed 1 again (the first test computed it from one file per table, two partitions): now with
        // seven shuffle partitions, its rows shuffled into two inserts of three files. (Executors: the
        // integration tests compare local Spark with a two-executor cluster.)
        RewardsWorld world = RewardsWorld.generate(1, 200);
        spark.conf().set("spark.sql.shuffle.partitions", "7");
        Lakehouse single = newLakehouse("single-core");
        world.write(single, RewardsWorld.Layout.shuffled(13, 2, 3));
        assertTrue(single.read(Tables.ATTRIBUTIONS).inputFiles().length >= 4, "the shuffled layout must write several files");
        runEpochs(single, world, 3);
        List<String> rewards = RewardsWorld.rowStrings(single, Tables.REWARDS);
        List<String> balances = RewardsWorld.rowStrings(single, Tables.BALANCES);
        assertTrue(rewards.size() > 60, "rows to compare: " + rewards.size());

        Path first = workDir.resolve("seed-1");
        if (Files.isDirectory(first)) {
            Lakehouse plain = new Lakehouse(spark, first.toString());
            assertEquals(RewardsWorld.rowStrings(plain, Tables.REWARDS), rewards);
            assertEquals(RewardsWorld.rowStrings(plain, Tables.BALANCES), balances);
            // Re-run there in this session: same rows, nothing written.
            Map<String, Long> versions = versions(plain);
            assertFalse(EpochRewards.run(plain, RewardsWorld.CLOCK, 3, world.treasury, m -> { }).written());
            assertEquals(versions, versions(plain));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void runEpochs(Lakehouse lakehouse, RewardsWorld world, long last) {
        Map<Long, EpochRewards.Result> results = new TreeMap<>();
        for (long epoch = 1; epoch <= last; epoch++) {
            EpochRewards.Result result = EpochRewards.run(lakehouse, RewardsWorld.CLOCK, epoch, world.treasury, m -> { });
            assertTrue(result.written(), "epoch " + epoch);
            results.put(epoch, result);
        }
        Outputs outputs = Outputs.read(lakehouse);
        results.forEach((epoch, result) -> assertEpoch(outputs, world, epoch, result, lakehouse.root() + " epoch " + epoch));
    }

    private static Map<String, Long> versions(Lakehouse lakehouse) {
        Map<String, Long> out = new TreeMap<>();
        for (TableDef table : OUTPUTS) {
            out.put(table.name(), lakehouse.version(table));
        }
        return out;
    }

    private static String messages(Throwable t) {
        List<String> out = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.add(c.getClass().getName() + ": " + c.getMessage());
        }
        return String.join(" <- ", out);
    }
}

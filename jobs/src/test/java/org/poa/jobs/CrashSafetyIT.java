package org.poa.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.poa.jobs.chain.LocalAnvil;
import org.poa.jobs.pipeline.EpochStep;
import org.poa.jobs.testkit.ChildProcesses;
import org.poa.jobs.testkit.Poa;
import org.poa.jobs.testkit.PoaRun;
import org.poa.jobs.testkit.ReferenceEpoch;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.fault.FaultPoint;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * Fault injection: every step of the epoch pipeline is run as {@code bin/poa epoch --from STEP --to
 * STEP} and its JVM killed with SIGKILL at a random moment of the step (and, for the windows a random
 * kill rarely hits, halted at named fault points as if killed), then run again. The lakehouse and the
 * chain must end exactly as in the uninterrupted run ({@link ReferenceEpoch}, on a chain of its own):
 * the same rows in every table, the same tree.json, the same nonces (no transaction sent twice).
 * Between the kill and the re-run, every table must be either as before the step or as after it: a
 * reader never sees half of a step's write. The re-run of a Delta-writing step is two runs at once:
 * at least one finishes, a loser fails in one line, and the tables are as if one ran.
 *
 * The seed is -Dcrash.seed (default fixed); the kill times are printed with every failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashSafetyIT extends SparkTestBase {

    /**
     * Columns that record when a row was written (wall clock), or which Delta versions held its inputs:
     * log positions, which a killed run followed by a re-run may advance without changing any content.
     * The audit at the end time-travels to the recorded versions and checks what they hold.
     */
    static final Map<String, List<String>> WALL_CLOCK = Map.of(
            "model_lineage", List.of("recorded_at", "details", "prev_hash", "hash"),
            "model_checkpoints", List.of("trained_at", "contributions_version", "status_version"),
            "reward_epochs", List.of("input_versions", "rewards_version", "balances_version"),
            "merkle_roots", List.of("input_versions"));

    /** The fault points (FaultPoint) each step is halted at, in order, before the random kill. */
    static final Map<EpochStep, List<String>> FAULT_POINTS = Map.of(
            EpochStep.REWARDS, List.of("rewards:tables-written"),
            // The top-up sent and not yet mined (the first transaction of the step), the top-up mined
            // and the root not sent, the root mined and not recorded.
            EpochStep.SETTLE, List.of("tx:broadcast", "settle:funded", "settle:submitted"));

    /** Re-run as one run: settle (one key's nonces, see docs/architecture.md) and train (one model's lineage). */
    static final Set<EpochStep> RERUN_ALONE = EnumSet.of(EpochStep.TRAIN, EpochStep.SETTLE);

    final long seed = Long.getLong("crash.seed", 20261130L);
    final List<String> log = new ArrayList<>();

    /** A lakehouse and an anvil chain with its own deployment; commands in this JVM or as bin/poa. */
    static final class World implements AutoCloseable {
        final Path home;
        final LocalAnvil anvil;
        final Poa here;
        final Poa process;

        World(Path home) throws Exception {
            this.home = home;
            Files.createDirectories(home);
            anvil = LocalAnvil.start(ReferenceEpoch.CHAIN_ID, null, 0);
            Map<String, String> env = ReferenceEpoch.chainEnvironment(anvil, home.resolve("lakehouse"));
            String deployed = Poa.inProcess().env(env)
                    .run("deploy", "--demo-token", "--treasury", ReferenceEpoch.TREASURY, "--dev", "--activation-delay", "0").ok().out();
            String distributor = JSON.readTree(deployed.substring(deployed.indexOf('{'))).path("distributor").asText();
            here = Poa.inProcess().env(env).env("POA_DISTRIBUTOR", distributor);
            process = Poa.launcher().dir(home).env(env).env("POA_DISTRIBUTOR", distributor);
        }

        String lakehouse() {
            return home.resolve("lakehouse").toString();
        }

        @Override
        public void close() {
            anvil.close();
        }
    }

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    ReferenceEpoch reference;
    World crashed;

    @BeforeAll
    void worlds() throws Exception {
        reference = ReferenceEpoch.get();
        crashed = new World(workDir.resolve("crashed"));
    }

    @AfterAll
    void stopChain() {
        if (crashed != null) {
            crashed.close();
        }
    }

    @Test
    void killedStepsRerunToTheUninterruptedResult() throws Exception {
        Random random = new Random(seed);
        log.add("seed " + seed);
        for (EpochStep step : EpochStep.values()) {
            Map<String, Long> versionsBefore = reference.versionsBefore(step);
            Map<String, Long> versionsAfter = reference.versionsAfter(step);
            Map<String, List<String>> before = snapshot(reference.lakehouse(), versionsBefore);
            Map<String, List<String>> after = snapshot(reference.lakehouse(), versionsAfter);
            long millis = reference.millis(step);
            if (versionsAfter.equals(versionsBefore)) {
                // A step that writes nothing (the audit): nothing to interrupt; it must pass in the crashed world too.
                String out = crashed.here.run(reference.args(step)).ok().out();
                assertTrue(out.contains("PASS") && !out.contains("FAIL"), out + String.join("\n", log));
                assertSameTables(after, snapshot(crashed.lakehouse()), "after " + step.code());
                continue;
            }

            for (String point : FAULT_POINTS.getOrDefault(step, List.of())) {
                Process halted = crashed.process.copy().env("POA_FAULT_POINT", point).start("halted", reference.args(step));
                int code = ChildProcesses.await(halted, Duration.ofMinutes(10), step.code() + " at " + point);
                log.add(step.code() + ": halted at fault point " + point + " (exit " + code + ")");
                assertEquals(FaultPoint.HALT_STATUS, code, step.code() + " did not reach fault point " + point + ": "
                        + Files.readString(crashed.process.output("halted", "err")) + "\n" + String.join("\n", log));
                assertEachTableBeforeOrAfter(step.code() + " at " + point, before, after, versionsBefore, versionsAfter,
                        snapshot(crashed.lakehouse()));
            }
            // Once the step has started (Spark is up), at a random moment of the uninterrupted step's time.
            long killAt = (long) (millis * random.nextDouble());
            String outcome = killDuring(step, killAt);
            log.add(step.code() + ": uninterrupted " + millis + " ms; killed " + killAt + " ms into the step: " + outcome);
            assertEachTableBeforeOrAfter(step.code(), before, after, versionsBefore, versionsAfter, snapshot(crashed.lakehouse()));
            if (RERUN_ALONE.contains(step)) {
                crashed.here.run(reference.args(step)).ok();
            } else {
                rerunTwiceAtOnce(step);
            }
            assertSameTables(after, snapshot(crashed.lakehouse()), "after re-running " + step.code());
        }
        assertArrayEquals(Files.readAllBytes(Path.of(reference.lakehouse(), "epochs/1/tree.json")),
                Files.readAllBytes(Path.of(crashed.lakehouse(), "epochs/1/tree.json")), String.join("\n", log));
        assertSameChainState();
        System.out.println(String.join("\n", log));
    }

    /** Starts the step as bin/poa and kills its JVM {@code millis} after the step began (unless it finished first). */
    String killDuring(EpochStep step, long millis) throws Exception {
        Process process = crashed.process.start("killed", reference.args(step));
        Path err = crashed.process.output("killed", "err");
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (process.isAlive() && !Files.readString(err, StandardCharsets.UTF_8).contains("epoch 1: step " + step.code())) {
            assertTrue(System.nanoTime() < deadline, step.code() + " never started: " + Files.readString(err));
            Thread.sleep(20);
        }
        if (process.waitFor(millis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            return "finished first (exit " + process.exitValue() + ")";
        }
        ChildProcesses.kill(process);
        return "killed (exit " + process.exitValue() + ")";
    }

    /**
     * The re-run as two runs started together (two commands in this JVM, each with a session of its
     * own): each either finishes or fails in one clean line (Delta's optimistic concurrency refusing the
     * later commit), at least one finishes, and the caller then checks that the tables are exactly the
     * uninterrupted run's.
     */
    void rerunTwiceAtOnce(EpochStep step) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<PoaRun> runs = new ArrayList<>();
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<PoaRun>> started = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                started.add(pool.submit(() -> {
                    start.await();
                    return crashed.here.run(reference.args(step));
                }));
            }
            start.countDown();
            for (var run : started) {
                runs.add(run.get(10, java.util.concurrent.TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> outcomes = new ArrayList<>();
        int finished = 0;
        for (PoaRun run : runs) {
            if (run.code() == 0) {
                finished++;
                outcomes.add("finished");
            } else {
                assertEquals(1, run.code(), run.describe());
                outcomes.add("failed: " + run.errorLine());
            }
        }
        log.add(step.code() + ": two re-runs at once: " + outcomes);
        assertTrue(finished >= 1, "neither of two concurrent " + step.code() + " runs finished: " + outcomes + "\n" + String.join("\n", log));
    }

    /** Equal tables, or a message naming the tables that differ and their first differing row. */
    void assertSameTables(Map<String, List<String>> expected, Map<String, List<String>> actual, String when) {
        List<String> differences = new ArrayList<>();
        java.util.Set<String> units = new java.util.TreeSet<>(expected.keySet());
        units.addAll(actual.keySet());
        for (String unit : units) {
            List<String> want = expected.getOrDefault(unit, List.of());
            List<String> got = actual.getOrDefault(unit, List.of());
            if (!want.equals(got)) {
                int i = 0;
                while (i < Math.min(want.size(), got.size()) && want.get(i).equals(got.get(i))) {
                    i++;
                }
                differences.add(unit + ": " + got.size() + " rows, expected " + want.size() + "; first difference: expected "
                        + (i < want.size() ? want.get(i) : "none") + ", got " + (i < got.size() ? got.get(i) : "none"));
            }
        }
        assertTrue(differences.isEmpty(), when + ":\n" + String.join("\n", differences) + "\n" + String.join("\n", log));
    }

    /** Nonces say how many transactions each key sent: a second submit (even a reverted one) shows. */
    void assertSameChainState() throws IOException {
        for (String key : List.of(ReferenceEpoch.SETTLER_KEY, ReferenceEpoch.TREASURY_KEY)) {
            String address = Credentials.create(key).getAddress();
            assertEquals(nonce(reference.anvil, address), nonce(crashed.anvil, address), "transactions sent by " + address + "\n"
                    + String.join("\n", log));
        }
        assertNotEquals(BigInteger.ZERO, nonce(crashed.anvil, Credentials.create(ReferenceEpoch.SETTLER_KEY).getAddress()));
    }

    /**
     * Every table (quarantine partition) of the killed run is in a state the uninterrupted run also
     * committed during the step: as before it, as after it, or as at one of the reference's commits in
     * between (a derived table such as contribution_status is rebuilt after each input kind).
     */
    void assertEachTableBeforeOrAfter(String step, Map<String, List<String>> before, Map<String, List<String>> after,
                                      Map<String, Long> versionsBefore, Map<String, Long> versionsAfter, Map<String, List<String>> seen) {
        java.util.Set<String> units = new java.util.TreeSet<>(after.keySet());
        units.addAll(before.keySet());
        units.addAll(seen.keySet());
        for (String unit : units) {
            List<String> rows = seen.getOrDefault(unit, List.of());
            List<String> was = before.getOrDefault(unit, List.of());
            List<String> will = after.getOrDefault(unit, List.of());
            if (rows.equals(was) || rows.equals(will)) {
                continue;
            }
            TableDef table = Tables.byName(unit.contains("/") ? unit.substring(0, unit.indexOf('/')) : unit);
            boolean committed = false;
            for (long v = versionsBefore.get(table.name()) + 1; v < versionsAfter.get(table.name()) && !committed; v++) {
                committed = rows.equals(rows(reference.lakehouse(), table, v).getOrDefault(unit, List.of()));
            }
            assertTrue(committed, "killed " + step + ": " + unit + " is in a state the uninterrupted run never committed ("
                    + rows.size() + " rows, " + was.size() + " before the step, " + will.size() + " after it)\n" + String.join("\n", log));
        }
    }

    /** The rows last read of each (lakehouse, table), with the Delta version they were read at. */
    final Map<String, Map.Entry<Long, Map<String, List<String>>>> read = new java.util.HashMap<>();

    /**
     * Every table's rows as sorted JSON, read straight from Delta (nothing created), empty when absent.
     * A table whose latest version is the one read last time is not read again: a version is immutable.
     */
    Map<String, List<String>> snapshot(String lakehouse) {
        return snapshot(lakehouse, ReferenceEpoch.versions(lakehouse));
    }

    /** Every table as it was at the given versions (-1: absent). */
    Map<String, List<String>> snapshot(String lakehouse, Map<String, Long> versions) {
        Map<String, List<String>> tables = new java.util.TreeMap<>();
        for (TableDef table : Tables.all()) {
            long version = versions.get(table.name());
            if (version >= 0) {
                var last = read.get(lakehouse + "/" + table.name());
                if (last == null || last.getKey() != version) {
                    last = Map.entry(version, rows(lakehouse, table, version));
                    read.put(lakehouse + "/" + table.name(), last);
                }
                tables.putAll(last.getValue());
            }
        }
        return tables;
    }

    /**
     * A table's rows at a version (null: the latest) as sorted JSON, without the wall-clock columns;
     * quarantine is written once per input kind (its {@code table} partition), so each partition is a
     * unit of its own ("quarantine/votes").
     */
    Map<String, List<String>> rows(String lakehouse, TableDef table, Long version) {
        List<String> skip = WALL_CLOCK.getOrDefault(table.name(), List.of());
        Column[] columns = table.columns().stream().filter(c -> !skip.contains(c)).map(c -> col("`" + c + "`")).toArray(Column[]::new);
        Column unit = table.equals(Tables.QUARANTINE)
                ? org.apache.spark.sql.functions.concat(org.apache.spark.sql.functions.lit(table.name() + "/"), col("table"))
                : org.apache.spark.sql.functions.lit(table.name());
        var reader = spark.read().format("delta");
        if (version != null) {
            reader = reader.option("versionAsOf", version);
        }
        Map<String, List<String>> units = new java.util.TreeMap<>();
        for (Row r : reader.load(Path.of(lakehouse, table.name()).toString()).select(unit, to_json(struct(columns))).collectAsList()) {
            units.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getString(1));
        }
        units.values().forEach(list -> list.sort(null));
        return units;
    }

    static BigInteger nonce(LocalAnvil chain, String address) throws IOException {
        Web3j web3j = Web3j.build(new HttpService(chain.url()));
        try {
            return web3j.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send().getTransactionCount();
        } finally {
            web3j.shutdown();
        }
    }
}

package org.poa.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.poa.jobs.chain.LocalAnvil;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * Fault injection: every step of an epoch (ingest, train, attribute, rewards, merkle, settle) is run
 * as {@code bin/poa} and its JVM killed with SIGKILL at a random moment (and, for the windows a random
 * kill rarely hits, at named fault points where the process halts as if killed), then run again. The
 * lakehouse and the chain must end exactly as in an uninterrupted run on a chain of its own: the same
 * rows in every table, the same tree.json, the same nonces (no transaction sent twice). Between the
 * kill and the re-run, every table must be either as before the step or as after it: a reader never
 * sees half of a step's write.
 *
 * The seed is -Dcrash.seed (default fixed); the kill times are printed with every failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashSafetyIT extends SparkTestBase {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final long CHAIN_ID = 31337;
    static final String SETTLER_KEY = LocalAnvil.DEV_KEYS.get(0);
    static final String TREASURY_KEY = LocalAnvil.DEV_KEYS.get(1);
    static final String TREASURY = Credentials.create(TREASURY_KEY).getAddress();
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

    /** A step, and the fault points (FaultPoint) to halt it at, in order, before the random kill. */
    record Step(String name, List<String> args, List<String> faultPoints) {
        /** Delta-writing steps are re-run as two concurrent runs; settle is not (see docs/architecture.md). */
        boolean concurrent() {
            return !name.equals("settle") && !name.equals("train");
        }
    }

    final List<Step> steps = List.of(
            new Step("ingest", List.of("ingest", "all", "--input", "../input"), List.of()),
            new Step("train", List.of("train"), List.of()),
            new Step("attribute", List.of("attribute", "--epoch", "1"), List.of()),
            new Step("rewards", List.of("rewards", "--epoch", "1", "--treasury", TREASURY), List.of("rewards:tables-written")),
            new Step("merkle", List.of("merkle", "--epoch", "1"), List.of()),
            // The top-up sent and not yet mined (the first transaction of the step), the top-up mined
            // and the root not sent, the root mined and not recorded.
            new Step("settle", List.of("settle", "--epoch", "1"), List.of("tx:broadcast", "settle:funded", "settle:submitted")));

    Path dir;
    final long seed = Long.getLong("crash.seed", 20261130L);
    final List<String> log = new ArrayList<>();

    /** One lakehouse folder and one anvil chain with its own deployment. */
    final class World implements AutoCloseable {
        final Path home;
        final LocalAnvil anvil;
        final Map<String, String> env = new HashMap<>();

        World(String name) throws Exception {
            home = dir.resolve(name);
            Files.createDirectories(home);
            anvil = LocalAnvil.start(CHAIN_ID, null, 0);
            env.put("POA_LAKEHOUSE", home.resolve("lakehouse").toString());
            env.put("POA_RPC_URL", anvil.url());
            env.put("POA_CHAIN_ID", Long.toString(CHAIN_ID));
            env.put("POA_PRIVATE_KEY", SETTLER_KEY);
            env.put("POA_TREASURY_PRIVATE_KEY", TREASURY_KEY);
            String deployed = run(this, List.of("deploy", "--demo-token", "--treasury", TREASURY, "--activation-delay", "0"));
            String distributor = JSON.readTree(deployed.substring(deployed.indexOf('{'))).path("distributor").asText();
            env.put("POA_DISTRIBUTOR", distributor);
        }

        String lakehouse() {
            return env.get("POA_LAKEHOUSE");
        }

        @Override
        public void close() {
            anvil.close();
        }
    }

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    World reference;
    World crashed;

    @BeforeAll
    void worlds() throws Exception {
        dir = workDir.resolve("crash");
        Path generated = dir.resolve("generated");
        Files.createDirectories(generated);
        Process generate = start(Map.of(), dir, List.of("generate", "--out", generated.toString(), "--contributions", "120",
                "--inferences", "150", "--epochs", "1", "--seed", "5"));
        assertTrue(generate.waitFor(10, TimeUnit.MINUTES) && generate.exitValue() == 0, "generate failed");
        for (String kind : ScaleOutIT.KINDS) {
            Files.createDirectories(dir.resolve("input").resolve(kind));
            Files.move(generated.resolve(kind + ".jsonl"), dir.resolve("input").resolve(kind).resolve(kind + ".jsonl"));
        }
        reference = new World("reference");
        crashed = new World("crashed");
    }

    @AfterAll
    void stopChains() {
        if (reference != null) {
            reference.close();
        }
        if (crashed != null) {
            crashed.close();
        }
    }

    @Test
    void killedStepsRerunToTheUninterruptedResult() throws Exception {
        Random random = new Random(seed);
        log.add("seed " + seed);
        for (Step step : steps) {
            Map<String, List<String>> before = snapshot(reference.lakehouse());
            Map<String, Long> versionsBefore = versions(reference.lakehouse());
            long started = System.nanoTime();
            run(reference, step.args());
            long millis = (System.nanoTime() - started) / 1_000_000;
            Map<String, List<String>> after = snapshot(reference.lakehouse());
            Map<String, Long> versionsAfter = versions(reference.lakehouse());

            for (String point : step.faultPoints()) {
                Process halted = start(merge(crashed.env, Map.of("POA_FAULT_POINT", point)), crashed.home, step.args());
                assertTrue(halted.waitFor(10, TimeUnit.MINUTES), step.name() + " at " + point + " timed out");
                log.add(step.name() + ": halted at fault point " + point + " (exit " + halted.exitValue() + ")");
                assertEquals(org.poa.lakehouse.fault.FaultPoint.HALT_STATUS, halted.exitValue(), step.name() + " did not reach fault point " + point + ": "
                        + Files.readString(crashed.home.resolve("last-err.txt")) + "\n" + String.join("\n", log));
                assertEachTableBeforeOrAfter(step.name() + " at " + point, before, after, versionsBefore, versionsAfter,
                        snapshot(crashed.lakehouse()));
            }
            // Anywhere from the JVM's start to the end of the uninterrupted run's time.
            long killAt = (long) (millis * (0.15 + 0.85 * random.nextDouble()));
            String outcome = killAfter(crashed, step.args(), killAt);
            log.add(step.name() + ": uninterrupted " + millis + " ms; killed at " + killAt + " ms: " + outcome);
            assertEachTableBeforeOrAfter(step.name(), before, after, versionsBefore, versionsAfter, snapshot(crashed.lakehouse()));
            if (step.concurrent()) {
                rerunTwiceAtOnce(step);
            } else {
                run(crashed, step.args());
            }
            assertSameTables(after, snapshot(crashed.lakehouse()), "after re-running " + step.name());
        }
        assertArrayEquals(Files.readAllBytes(Path.of(reference.lakehouse(), "epochs/1/tree.json")),
                Files.readAllBytes(Path.of(crashed.lakehouse(), "epochs/1/tree.json")), String.join("\n", log));
        assertSameChainState();
        // The versions the crashed world recorded hold what they should: the audit recomputes the
        // epoch from them (time travel) and checks it against tree.json and the chain.
        String audit = run(crashed, List.of("audit", "--epoch", "1"));
        assertTrue(audit.contains("PASS") && !audit.contains("FAIL"), audit);
        System.out.println(String.join("\n", log));
    }

    /**
     * The re-run as two runs started together: each either finishes or fails in one clean line (Delta's
     * optimistic concurrency refusing the later commit), at least one finishes, and the caller then
     * checks that the tables are exactly the uninterrupted run's, with no further run.
     */
    void rerunTwiceAtOnce(Step step) throws IOException, InterruptedException {
        List<Process> runs = List.of(start(crashed.env, crashed.home, step.args(), "first"),
                start(crashed.env, crashed.home, step.args(), "second"));
        int finished = 0;
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Process run = runs.get(i);
            assertTrue(run.waitFor(10, TimeUnit.MINUTES), step.name() + " timed out");
            String err = Files.readString(crashed.home.resolve((i == 0 ? "first" : "second") + "-err.txt"), StandardCharsets.UTF_8);
            List<String> errors = err.lines().filter(l -> l.startsWith("poa: ")).toList();
            if (run.exitValue() == 0) {
                finished++;
                outcomes.add("finished");
            } else {
                assertEquals(1, run.exitValue(), step.name() + " run " + i + ": " + err);
                assertEquals(1, errors.size(), step.name() + " run " + i + " fails in one line: " + err);
                assertTrue(!err.contains("\tat "), "no stack trace: " + err);
                outcomes.add("failed: " + errors.get(0));
            }
        }
        log.add(step.name() + ": two re-runs at once: " + outcomes);
        assertTrue(finished >= 1, "neither of two concurrent " + step.name() + " runs finished: " + outcomes + "\n" + String.join("\n", log));
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
        for (String key : List.of(SETTLER_KEY, TREASURY_KEY)) {
            String address = Credentials.create(key).getAddress();
            assertEquals(nonce(reference, address), nonce(crashed, address), "transactions sent by " + address + "\n" + String.join("\n", log));
        }
        assertNotEquals(BigInteger.ZERO, nonce(crashed, Credentials.create(SETTLER_KEY).getAddress()));
    }

    static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new HashMap<>(a);
        all.putAll(b);
        return all;
    }

    static BigInteger nonce(World world, String address) throws IOException {
        Web3j web3j = Web3j.build(new HttpService(world.anvil.url()));
        try {
            return web3j.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send().getTransactionCount();
        } finally {
            web3j.shutdown();
        }
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

    /** Every table's rows as sorted JSON, read straight from Delta (nothing created), empty when absent. */
    Map<String, List<String>> snapshot(String lakehouse) {
        Map<String, List<String>> tables = new java.util.TreeMap<>();
        for (TableDef table : Tables.all()) {
            if (version(lakehouse, table) >= 0) {
                tables.putAll(rows(lakehouse, table, null));
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

    /** The table's latest Delta version (its newest commit file), or -1 when it does not exist. */
    static long version(String lakehouse, TableDef table) {
        Path log = Path.of(lakehouse, table.name(), "_delta_log");
        if (!Files.isDirectory(log)) {
            return -1;
        }
        try (var files = Files.list(log)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElse(-1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, Long> versions(String lakehouse) {
        Map<String, Long> versions = new java.util.TreeMap<>();
        Tables.all().forEach(t -> versions.put(t.name(), version(lakehouse, t)));
        return versions;
    }

    // ------------------------------------------------------------------------------------ processes

    static Process start(Map<String, String> env, Path workdir, List<String> args) throws IOException {
        return start(env, workdir, args, "last");
    }

    /** Starts bin/poa with its output in {@code <name>-out.txt} and {@code <name>-err.txt} of the folder. */
    static Process start(Map<String, String> env, Path workdir, List<String> args, String name) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("bin/poa").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile())
                .redirectOutput(workdir.resolve(name + "-out.txt").toFile()).redirectError(workdir.resolve(name + "-err.txt").toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("POA_") || variable.startsWith("AWS_"));
        builder.environment().put("POA_DRIVER_MEMORY", "1g");
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Runs a step to completion and returns its standard output. */
    String run(World world, List<String> args) throws IOException, InterruptedException {
        Process process = start(world.env, world.home, args);
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "bin/poa " + String.join(" ", args) + " timed out");
        String out = Files.readString(world.home.resolve("last-out.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(world.home.resolve("last-err.txt"), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "bin/poa " + String.join(" ", args) + ":\n" + out + err + "\n" + String.join("\n", log));
        return out;
    }

    /** Starts a step and kills its JVM with SIGKILL after {@code millis} (unless it finished first). */
    static String killAfter(World world, List<String> args, long millis) throws IOException, InterruptedException {
        Process process = start(world.env, world.home, args);
        if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
            return "finished first (exit " + process.exitValue() + ")";
        }
        // bin/poa is a shell running the JVM (and a stderr filter): SIGKILL the JVM, as a crash would.
        for (ProcessHandle child : process.descendants().toList()) {
            child.destroyForcibly();
        }
        assertTrue(process.waitFor(1, TimeUnit.MINUTES), "bin/poa did not end after its JVM was killed");
        return "killed (exit " + process.exitValue() + ")";
    }
}

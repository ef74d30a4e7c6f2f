package org.poa.jobs.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.poa.jobs.action.JobGroup;
import org.poa.jobs.chain.LocalAnvil;
import org.poa.jobs.pipeline.EpochStep;
import org.poa.lakehouse.SharedSpark;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.web3j.crypto.Credentials;

/**
 * One epoch of a generated world (150 contributions, 200 inferences) through every step of the
 * pipeline, each step alone ({@code poa epoch --from STEP --to STEP}) in this JVM, settled on an anvil
 * of its own: the uninterrupted run the integration tests compare with. Made once per JVM, on first
 * use; after each step the table versions are recorded, so a test reads any table as it was before or
 * after any step (Delta time travel).
 */
public final class ReferenceEpoch {

    public static final long CHAIN_ID = 31337;
    public static final String SETTLER_KEY = LocalAnvil.DEV_KEYS.get(0);
    public static final String TREASURY_KEY = LocalAnvil.DEV_KEYS.get(1);
    public static final String TREASURY = Credentials.create(TREASURY_KEY).getAddress();

    private static ReferenceEpoch instance;

    /** The generated batch folder (input of ingest). */
    public final Path input;
    public final Path home;
    public final LocalAnvil anvil;
    public final String distributor;
    /** Commands on the reference lakehouse and chain, in this JVM. */
    public final Poa here;
    private final Map<EpochStep, Map<String, Long>> before = new EnumMap<>(EpochStep.class);
    private final Map<EpochStep, Map<String, Long>> after = new EnumMap<>(EpochStep.class);
    private final Map<EpochStep, Long> millis = new EnumMap<>(EpochStep.class);
    private final Map<EpochStep, String> output = new EnumMap<>(EpochStep.class);
    private final List<String> jobGroups;

    private ReferenceEpoch(Path dir) throws Exception {
        home = dir;
        input = dir.resolve("input");
        Poa.inProcess().run("generate", "--out", input.toString(), "--contributions", "150", "--inferences", "200", "--epochs", "1",
                "--seed", "11").ok();
        anvil = LocalAnvil.start(CHAIN_ID, null, 0);
        Map<String, String> env = chainEnvironment(anvil, dir.resolve("lakehouse"));
        String deployed = Poa.inProcess().env(env).run("deploy", "--demo-token", "--treasury", TREASURY, "--dev", "--activation-delay", "0")
                .ok().out();
        distributor = new ObjectMapper().readTree(deployed.substring(deployed.indexOf('{'))).path("distributor").asText();
        here = Poa.inProcess().env(env).env("POA_DISTRIBUTOR", distributor);
        jobGroups = recordJobGroups(() -> {
            for (EpochStep step : EpochStep.values()) {
                before.put(step, versions(lakehouse()));
                long started = System.nanoTime();
                output.put(step, here.run(args(step)).ok().out());
                millis.put(step, (System.nanoTime() - started) / 1_000_000);
                after.put(step, versions(lakehouse()));
            }
        });
    }

    /** The reference, made on first use. */
    public static synchronized ReferenceEpoch get() throws Exception {
        if (instance == null) {
            Path dir = Files.createTempDirectory("poa-reference");
            instance = new ReferenceEpoch(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                instance.anvil.close();
                org.poa.lakehouse.SparkTestBase.deleteTree(dir);
            }, "stop-reference-epoch"));
        }
        return instance;
    }

    /** POA_* of a lakehouse settling on an anvil with the settler's and treasury's development keys. */
    public static Map<String, String> chainEnvironment(LocalAnvil chain, Path lakehouse) {
        return Map.of("POA_LAKEHOUSE", lakehouse.toString(), "POA_RPC_URL", chain.url(), "POA_CHAIN_ID", Long.toString(CHAIN_ID),
                "POA_PRIVATE_KEY", SETTLER_KEY, "POA_TREASURY_PRIVATE_KEY", TREASURY_KEY);
    }

    public String lakehouse() {
        return home.resolve("lakehouse").toString();
    }

    /** The step alone: {@code epoch --epoch 1 --from STEP --to STEP}, with the batch and the treasury. */
    public String[] args(EpochStep step) {
        return args(step, step);
    }

    /** {@code epoch --epoch 1 --from FROM --to TO}, with the batch and the treasury. */
    public String[] args(EpochStep from, EpochStep to) {
        return new String[] {"epoch", "--epoch", "1", "--from", from.code(), "--to", to.code(), "--input", input.toString(),
            "--treasury", TREASURY};
    }

    /** Each table's latest version (-1: absent) before the step ran. */
    public Map<String, Long> versionsBefore(EpochStep step) {
        return before.get(step);
    }

    /** Each table's latest version (-1: absent) after the step ran. */
    public Map<String, Long> versionsAfter(EpochStep step) {
        return after.get(step);
    }

    /** How long the step took in this JVM. */
    public long millis(EpochStep step) {
        return millis.get(step);
    }

    /** What the step's command printed. */
    public String output(EpochStep step) {
        return output.get(step);
    }

    /** The job group of every Spark job the steps ran, in order. */
    public List<String> jobGroups() {
        return jobGroups;
    }

    /** The table's latest Delta version (its newest commit file), or -1 when it does not exist. */
    public static long version(String lakehouse, TableDef table) {
        Path log = Path.of(lakehouse, table.name(), "_delta_log");
        if (!Files.isDirectory(log)) {
            return -1;
        }
        try (var files = Files.list(log)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElse(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every table's latest version. */
    public static Map<String, Long> versions(String lakehouse) {
        Map<String, Long> versions = new TreeMap<>();
        Tables.all().forEach(t -> versions.put(t.name(), version(lakehouse, t)));
        return versions;
    }

    /** Work that may throw. */
    public interface Work {
        void run() throws Exception;
    }

    /** The job group of every Spark job started on the shared session while {@code work} runs, in order. */
    public static List<String> recordJobGroups(Work work) throws Exception {
        List<String> groups = Collections.synchronizedList(new ArrayList<>());
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                groups.add(String.valueOf(start.properties().getProperty(JobGroup.ID)));
            }
        };
        listening(listener, () -> {
            work.run();
            return null;
        });
        return List.copyOf(groups);
    }

    /**
     * Runs {@code work} with {@code listener} on the shared session's Spark context and returns its
     * result once the listener has seen every event the work caused.
     */
    public static <T> T listening(SparkListener listener, java.util.concurrent.Callable<T> work) throws Exception {
        var context = SharedSpark.session().sparkContext();
        context.addSparkListener(listener);
        try {
            T result = work.call();
            context.listenerBus().waitUntilEmpty();
            return result;
        } finally {
            context.removeSparkListener(listener);
        }
    }
}

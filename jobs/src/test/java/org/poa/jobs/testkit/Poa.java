package org.poa.jobs.testkit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poa.jobs.cli.PoaEnvironment;
import org.poa.jobs.cli.PoaMain;
import org.poa.lakehouse.SharedSpark;

/**
 * Runs the poa command line for a test, either in this JVM on the shared SparkSession (the default:
 * no JVM or Spark start-up per command) or as {@code bin/poa} in a process of its own (for what is
 * about the process: the launcher, a kill, spark-submit, the locale). Either way the command sees
 * only the environment given here, plus, for a process, the machine's PATH and HOME.
 */
public final class Poa {

    /** The project's root folder (tests run in a module folder). */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private final boolean process;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> global = new ArrayList<>();
    private Path dir = ROOT;

    private Poa(boolean process) {
        this.process = process;
    }

    /** In this JVM, on the shared SparkSession. */
    public static Poa inProcess() {
        return new Poa(false);
    }

    /**
     * As {@code bin/poa}, a JVM of its own (1 GiB driver heap unless the environment says otherwise),
     * with the JVM options of {@link #QUICK_JVM} and Spark set for a few rows ({@link #SMALL_DATA}).
     */
    public static Poa launcher() {
        Poa poa = new Poa(true);
        poa.env.put("POA_DRIVER_MEMORY", "1g");
        poa.env.put("POA_JAVA_OPTS", QUICK_JVM + " " + SMALL_DATA);
        return poa;
    }

    /**
     * JVM options of the test's processes: C1 only, and the serial collector. A step on a test's few
     * hundred rows is over before C2's code pays for itself; compiling it took 28 s of CPU in a 23 s
     * no-op merkle run, C1 alone halved that run's CPU time and the serial collector took 10% more off
     * (measured). Only the JIT and the collector differ: the same bytecode runs. The code cache keeps
     * tiered compilation's 240 MB: C1 alone gets 48 MB, which a run of a few minutes (the demo, an
     * ingest of every kind) filled; the JVM then stops compiling, and once failed outright ("Out of space
     * in CodeCache for method handle intrinsic" ended Spark's dispatcher thread: exit 50).
     */
    public static final String QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m -XX:+UseSerialGC";

    /**
     * Spark settings, as system properties of the driver JVM (SparkConf reads {@code spark.*} ones), the
     * same as this JVM's session ({@link org.poa.lakehouse.SharedSpark}):
     * <ul>
     * <li>Expressions and whole stages interpreted instead of generated and compiled. On a test's few
     * hundred rows, code generation is most of a step's CPU: Spark generates a projection per task and
     * a class per query, and formats and compiles each. The demo as {@code bin/poa}: 235.8 s and 273 s
     * of CPU with code generation, 166.2 s and 187 s without (measured). The results are the same by
     * Spark's own contract (it tests both paths against each other); EpochCommandIT re-runs the whole
     * pipeline with code generation and checks that it writes nothing.</li>
     * <li>Two shuffle partitions and no adaptive execution. Adaptive execution runs each stage of a
     * query as a job of its own and re-plans between them, which on a few hundred rows is all cost:
     * {@code bin/poa ingest all} of the reference batch took 61.1 and 57.6 s (72.3 and 69.9 s of CPU)
     * with it, 51.6 and 46.9 s (60.5 and 56.3 s of CPU) without (2026-12-03, alternating runs). The
     * product's settings meet the tables in EpochCommandIT's compiled re-run and ScaleOutIT's cluster,
     * whose {@code --conf} wins over these.</li>
     * </ul>
     */
    public static final String SMALL_DATA = "-Dspark.sql.codegen.factoryMode=NO_CODEGEN -Dspark.sql.codegen.wholeStage=false"
            + " -Dspark.sql.adaptive.enabled=false -Dspark.sql.shuffle.partitions=2";

    /** A copy with the same settings, for a variant. */
    public Poa copy() {
        Poa copy = new Poa(process);
        copy.env.putAll(env);
        copy.global.addAll(global);
        copy.dir = dir;
        return copy;
    }

    public Poa env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Poa env(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    /** Options put before every command line's own (e.g. --lakehouse DIR). */
    public Poa global(String... options) {
        global.addAll(List.of(options));
        return this;
    }

    /** The working folder of a process (its ./lakehouse); its output files go there too. */
    public Poa dir(Path folder) {
        this.dir = folder;
        return this;
    }

    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** Runs one command line to its end. */
    public PoaRun run(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(global);
        all.addAll(List.of(args));
        if (!process) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = PoaMain.run(new PoaEnvironment(env, new PrintWriter(out, true), new PrintWriter(err, true),
                    SharedSpark.session()), all.toArray(String[]::new));
            return new PoaRun(all, code, out.toString(), err.toString());
        }
        Process started = start("run", args);
        int code = ChildProcesses.await(started, Duration.ofMinutes(10), "bin/poa " + String.join(" ", all));
        return new PoaRun(all, code, Files.readString(output("run", "out"), StandardCharsets.UTF_8),
                Files.readString(output("run", "err"), StandardCharsets.UTF_8));
    }

    /** Starts bin/poa; its output goes to {@code <dir>/<name>-out.txt} and {@code -err.txt}. Processes only. */
    public Process start(String name, String... args) throws IOException {
        if (!process) {
            throw new IllegalStateException("start() is for bin/poa processes");
        }
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/poa").toString()));
        command.addAll(global);
        command.addAll(List.of(args));
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(output(name, "out").toFile()).redirectError(output(name, "err").toFile());
        builder.environment().keySet().removeIf(v -> !v.equals("PATH") && !v.equals("HOME") && !v.equals("JAVA_HOME")
                && !v.equals("SPARK_HOME") && !v.equals("LANG") && !v.startsWith("LC_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Where a started process's standard output or error goes. */
    public Path output(String name, String stream) {
        return dir.resolve(name + "-" + stream + ".txt");
    }
}

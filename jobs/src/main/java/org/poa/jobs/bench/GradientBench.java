package org.poa.jobs.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.poa.attribution.gradient.ScoreColumns;
import org.poa.attribution.gradient.ScoreKernel;
import org.poa.jobs.attribute.GradientScoringStage;

/**
 * {@code poa bench gradient}: (1) the scoring kernel ({@link ScoreKernel#scores} per block of 256
 * inferences against columns laid out once, as the attribute step's InfluenceTask calls it: the Vector
 * API micro-kernel, or BLAS sgemm in a JVM without jdk.incubator.vector) on N random inference
 * vectors against C contributor vectors of dimension k, single-threaded and on every core, plus one
 * large GEMM per up to 256 MiB of output; (2) in the same run, numpy's float32 matmul (OpenBLAS
 * sgemm) of the same shapes, from {@code bench/numpy_sgemm.py} in a virtualenv {@code .venvs/bench}
 * made on first use from {@code bench/requirements.txt}; (3) the whole scoring stage as a Spark job:
 * N generated inference vectors scored by InfluenceTask against the index of C contributors' random
 * training vectors, credits written as Parquet. GFLOP/s = 2·N·C·k / seconds, best of the repeats.
 */
public final class GradientBench {

    /** InfluenceTask's block of inferences per GEMM. */
    public static final int BLOCK = 256;
    /** The large GEMM's output is at most this many floats (256 MiB). */
    private static final long BIG_OUTPUT_FLOATS = 1L << 26;

    /** The benchmark's shape. */
    public record Options(int inferences, int contributors, int contributionsPerContributor, int k, long seed, int repeats,
                          boolean reference, boolean stage, int topContributors, int topContributions) {
    }

    private GradientBench() {
    }

    public static Map<String, Object> run(Options options, java.util.function.Supplier<SparkSession> spark, Path scratch,
                                          Consumer<String> progress) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> machine = new LinkedHashMap<>(MachineInfo.describe());
        machine.put("load_average_at_start", MachineInfo.loadAverage());
        machine.put("jdk_incubator_vector", ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        report.put("machine", machine);
        report.put("options", options);
        int n = options.inferences();
        int c = options.contributors();
        int k = options.k();
        report.put("kernel_implementation", ScoreKernel.implementation());
        report.put("kernel_shape", n + " x " + k + " times " + k + " x " + c + " (float32)");
        report.put("kernel_gflop", 2.0 * n * c * k / 1e9);

        Map<String, Object> kernel = kernel(options, progress);
        report.putAll(kernel);
        if (options.reference()) {
            progress.accept("reference: numpy float32 matmul of the same shapes (bench/numpy_sgemm.py)");
            Map<String, Object> numpy = numpy(options, (Integer) kernel.get("java_big_rows"), progress);
            report.put("numpy_version", numpy.get("numpy"));
            report.put("numpy_blas", numpy.get("blas"));
            report.put("numpy_max_abs_error_vs_float64", String.format("%.1e", ((Number) numpy.get("max_abs_error_vs_float64")).doubleValue()));
            int cores = ((Number) numpy.get("cores")).intValue();
            for (String key : List.of("blockwise_1t_gflops", "blockwise_" + cores + "t_gflops", "big_1t_gflops",
                    "big_" + cores + "t_gflops", "full_1t_gflops", "full_" + cores + "t_gflops")) {
                if (numpy.containsKey(key)) {
                    report.put("numpy_" + key, numpy.get(key));
                }
            }
            report.put("numpy_blockwise_1t_runs_seconds", numpy.get("blockwise_1t_runs"));
            double java1 = (Double) kernel.get("java_blockwise_1t_gflops");
            double numpy1 = ((Number) numpy.get("blockwise_1t_gflops")).doubleValue();
            // The ratio that decides: one thread each. Spark runs one task per core and each task's
            // GEMM is single-threaded (dev.ludovic.netlib), so per-core throughput is what the stage gets.
            report.put("ratio_kernel_vs_sgemm_1t", java1 / numpy1);
            Object javaAll = kernel.get("java_blockwise_" + cores + "t_gflops");
            Object numpyAll = numpy.get("blockwise_" + cores + "t_gflops");
            if (javaAll != null && numpyAll != null) {
                report.put("ratio_kernel_vs_sgemm_all_cores", (Double) javaAll / ((Number) numpyAll).doubleValue());
            }
            report.put("ratio_big_gemm_vs_sgemm_1t", (Double) kernel.get("java_big_1t_gflops")
                    / ((Number) numpy.get("big_1t_gflops")).doubleValue());
        }
        System.gc();
        if (options.stage()) {
            report.putAll(stage(options, spark.get(), scratch, progress));
        }
        machine.put("load_average_at_end", MachineInfo.loadAverage());
        report.put("peak_rss_mb", MachineInfo.peakRssMb());
        return report;
    }

    // ---------------------------------------------------------------------------------------------
    // (1) The kernel in this JVM.

    /** N inference vectors in blocks of {@link #BLOCK} rows (row major, uniform in [-1, 1)). */
    static float[][] randomBlocks(int n, int k, long seed) {
        float[][] blocks = new float[(n + BLOCK - 1) / BLOCK][];
        for (int b = 0; b < blocks.length; b++) {
            int rows = Math.min(BLOCK, n - b * BLOCK);
            blocks[b] = random(rows * k, mix(seed, b));
        }
        return blocks;
    }

    static float[] random(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    /**
     * Scores every block against the contributors with {@link ScoreKernel#scores}, as InfluenceTask
     * does, into {@code out} (N × C row major): what the test checks against a triple loop.
     */
    public static void scoreAll(float[][] blocks, int k, float[] contributors, int c, float[] out) {
        ScoreColumns columns = ScoreKernel.columns(contributors, c, k);
        float[] block = new float[BLOCK * c];
        int row = 0;
        for (float[] rowsMatrix : blocks) {
            int rows = rowsMatrix.length / k;
            ScoreKernel.scores(rowsMatrix, rows, columns, block);
            System.arraycopy(block, 0, out, row * c, rows * c);
            row += rows;
        }
    }

    /** One pass over blocks {@code first, first + stride, ...}; returns a checksum so nothing is optimized away. */
    private static double pass(float[][] blocks, int first, int stride, int k, ScoreColumns contributors, float[] out) {
        double sum = 0;
        for (int b = first; b < blocks.length; b += stride) {
            ScoreKernel.scores(blocks[b], blocks[b].length / k, contributors, out);
            sum += out[0];
        }
        return sum;
    }

    private static Map<String, Object> kernel(Options options, Consumer<String> progress) throws Exception {
        int n = options.inferences();
        int c = options.contributors();
        int k = options.k();
        double gflop = 2.0 * n * c * k / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        progress.accept("kernel: " + n + " random inference vectors and " + c + " contributor vectors of " + k
                + " floats; " + ScoreKernel.implementation());
        float[][] blocks = randomBlocks(n, k, options.seed());
        float[] matrix = random(c * k, mix(options.seed(), -1));
        // Laid out once, as each InfluenceTask does for its partition.
        ScoreColumns contributors = ScoreKernel.columns(matrix, c, k);

        // Correctness of what is timed: the first block against double-precision dot products.
        float[] scores = new float[BLOCK * c];
        ScoreKernel.scores(blocks[0], blocks[0].length / k, contributors, scores);
        double maxError = 0;
        for (int i = 0; i < blocks[0].length / k; i++) {
            for (int j = 0; j < c; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += (double) blocks[0][i * k + t] * matrix[j * k + t];
                }
                maxError = Math.max(maxError, Math.abs(s - scores[i * c + j]));
            }
        }
        out.put("java_max_abs_error_vs_float64", String.format("%.1e", maxError));

        // Warm-up: JIT the BLAS loops (about two seconds of blocks).
        long warm = System.nanoTime();
        double checksum = 0;
        for (int b = 0; System.nanoTime() - warm < 2_000_000_000L; b = (b + 1) % blocks.length) {
            checksum += pass(new float[][] {blocks[b]}, 0, 1, k, contributors, scores);
        }

        out.put("java_block_rows", BLOCK);
        List<Double> runs = new ArrayList<>();
        for (int r = 0; r < options.repeats(); r++) {
            long start = System.nanoTime();
            checksum += pass(blocks, 0, 1, k, contributors, scores);
            runs.add(seconds(start));
        }
        double best = runs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        out.put("java_blockwise_1t_runs_seconds", runs);
        out.put("java_blockwise_1t_gflops", gflop / best);
        progress.accept(String.format("kernel, 1 thread, blocks of %d: best %.2f s = %.2f GFLOP/s", BLOCK, best, gflop / best));

        int threads = Runtime.getRuntime().availableProcessors();
        if (threads > 1) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                runs = new ArrayList<>();
                for (int r = 0; r < options.repeats() + 1; r++) { // the first one warms the pool's threads
                    long start = System.nanoTime();
                    List<Future<Double>> parts = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        int first = t;
                        // Each thread's output allocated by that thread, as each Spark task allocates its own.
                        parts.add(pool.submit(() -> pass(blocks, first, threads, k, contributors, new float[BLOCK * c])));
                    }
                    for (Future<Double> part : parts) {
                        checksum += part.get();
                    }
                    if (r > 0) {
                        runs.add(seconds(start));
                    }
                }
            } finally {
                pool.shutdown();
                pool.awaitTermination(1, TimeUnit.MINUTES);
            }
            best = runs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            out.put("java_blockwise_" + threads + "t_runs_seconds", runs);
            out.put("java_blockwise_" + threads + "t_gflops", gflop / best);
            progress.accept(String.format("kernel, %d threads on disjoint blocks (as Spark's tasks): best %.2f s = %.2f GFLOP/s",
                    threads, best, gflop / best));
        }

        // One large GEMM per call, output up to 256 MiB (the full N × C would not fit a 4 GB heap).
        int bigRows = (int) Math.min(n, Math.max(BLOCK, BIG_OUTPUT_FLOATS / c / BLOCK * BLOCK));
        float[] big = new float[bigRows * k];
        for (int b = 0, row = 0; row < bigRows; b++) {
            int rows = Math.min(blocks[b].length / k, bigRows - row);
            System.arraycopy(blocks[b], 0, big, row * k, rows * k);
            row += rows;
        }
        float[] bigOut = new float[bigRows * c];
        int calls = (n + bigRows - 1) / bigRows;
        runs = new ArrayList<>();
        for (int r = 0; r < Math.max(1, options.repeats() - 1); r++) {
            long start = System.nanoTime();
            for (int call = 0; call < calls; call++) {
                int rows = Math.min(bigRows, n - call * bigRows);
                ScoreKernel.scores(big, rows, contributors, bigOut);
                checksum += bigOut[0];
            }
            runs.add(seconds(start));
        }
        best = runs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        out.put("java_big_rows", bigRows);
        out.put("java_big_1t_gflops", gflop / best);
        progress.accept(String.format("kernel, 1 thread, %d calls of %d rows: best %.2f s = %.2f GFLOP/s", calls, bigRows, best,
                gflop / best));
        out.put("java_checksum", checksum);
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // (2) numpy in a virtualenv of its own.

    private static Map<String, Object> numpy(Options options, int bigRows, Consumer<String> progress) throws Exception {
        Path root = projectRoot();
        Path python = venv(root, progress);
        List<String> command = List.of(python.toString(), root.resolve("bench/numpy_sgemm.py").toString(),
                "--inferences", Integer.toString(options.inferences()), "--contributors", Integer.toString(options.contributors()),
                "--k", Integer.toString(options.k()), "--block", Integer.toString(BLOCK), "--big-rows", Integer.toString(bigRows),
                "--repeats", Integer.toString(options.repeats()), "--seed", Long.toString(options.seed()));
        // Some machines set these for old OpenBLAS builds; they slow a current one: not for the reference.
        String json = run(command, root, 3600, List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"));
        return new ObjectMapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    /** {@code .venvs/bench}'s python, made (python3 -m venv, pip install) when missing or older than the requirements. */
    static Path venv(Path root, Consumer<String> progress) throws IOException, InterruptedException {
        Path venv = root.resolve(".venvs/bench");
        Path requirements = root.resolve("bench/requirements.txt");
        Path stamp = venv.resolve(".installed");
        if (!Files.isRegularFile(stamp) || Files.getLastModifiedTime(requirements).compareTo(Files.getLastModifiedTime(stamp)) > 0) {
            progress.accept("creating " + venv + " from bench/requirements.txt (pip)");
            run(List.of("rm", "-rf", venv.toString()), root, 60, List.of());
            run(List.of("python3", "-m", "venv", venv.toString()), root, 300, List.of());
            run(List.of(venv.resolve("bin/pip").toString(), "install", "-q", "--disable-pip-version-check", "-r",
                    requirements.toString()), root, 900, List.of());
            Files.writeString(stamp, "");
        }
        return venv.resolve("bin/python");
    }

    /** The project folder: {@code -Dpoa.home} (set by bin/poa) or the first folder above the working one with bench/. */
    static Path projectRoot() {
        List<Path> candidates = new ArrayList<>();
        String home = System.getProperty("poa.home");
        if (home != null) {
            candidates.add(Path.of(home));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            candidates.add(p);
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p.resolve("bench/numpy_sgemm.py"))) {
                return p;
            }
        }
        throw new IllegalStateException("the project's bench/ folder was not found (run from the project or set -Dpoa.home)");
    }

    private static String run(List<String> command, Path directory, long timeoutSeconds, List<String> unset)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("poa-bench", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectError(log.toFile());
            unset.forEach(builder.environment()::remove);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IOException("could not run " + command.get(0) + " (is Python 3 installed?): " + e.getMessage(), e);
            }
            byte[] stdout = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // (3) The whole stage in Spark.

    /** Inference i: ("inference-" + i, its seeded random vector of k doubles, packed). */
    static final class InferenceVector implements MapFunction<Long, Row> {
        private final int k;
        private final long seed;

        InferenceVector(int k, long seed) {
            this.k = k;
            this.seed = seed;
        }

        @Override
        public Row call(Long i) {
            return RowFactory.create(String.format("inference-%09d", i), GradientScoringStage.pack(randomDoubles(k, mix(seed, i))));
        }
    }

    /** Contribution t of contributor t / perContributor, in one of four datanets. */
    static final class ContributionVector implements MapFunction<Long, Row> {
        private final int k;
        private final long seed;
        private final int perContributor;

        ContributionVector(int k, long seed, int perContributor) {
            this.k = k;
            this.seed = seed;
            this.perContributor = perContributor;
        }

        @Override
        public Row call(Long t) {
            return RowFactory.create(String.format("contribution-%09d", t), String.format("0x%040x", t / perContributor),
                    "datanet-" + (t % 4), GradientScoringStage.pack(randomDoubles(k, mix(~seed, t))));
        }
    }

    static double[] randomDoubles(int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[k];
        for (int i = 0; i < k; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        return v;
    }

    private static Map<String, Object> stage(Options options, SparkSession spark, Path scratch, Consumer<String> progress)
            throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        int n = options.inferences();
        int k = options.k();
        long contributions = (long) options.contributors() * options.contributionsPerContributor();
        int parallelism = spark.sparkContext().defaultParallelism();
        int partitions = Math.max(parallelism, (int) Math.min(1024, n / 62_500));
        Dataset<Row> inferences = spark.range(0, n, 1, partitions)
                .map(new InferenceVector(k, options.seed()), Encoders.row(GradientScoringStage.INFERENCE_VECTORS));
        Dataset<Row> training = spark.range(0, contributions, 1, parallelism)
                .map(new ContributionVector(k, options.seed(), options.contributionsPerContributor()),
                        Encoders.row(GradientScoringStage.CONTRIBUTION_VECTORS));
        Path output = scratch.resolve("gradient-credits");

        progress.accept("stage: generating " + n + " inference vectors alone (Spark, " + partitions
                + " partitions, written nowhere) to time what the stage spends making its input");
        long start = System.nanoTime();
        inferences.write().format("noop").mode("overwrite").save();
        out.put("stage_generate_only_seconds", seconds(start));

        progress.accept("stage: index of " + contributions + " contributions, then InfluenceTask over " + n
                + " inferences (top " + options.topContributors() + " contributors, top " + options.topContributions()
                + " contributions), credits to " + output);
        start = System.nanoTime();
        GradientScoringStage.Result result = GradientScoringStage.run(spark, training, inferences, k, true,
                options.topContributors(), options.topContributions(), output.toString());
        double wall = seconds(start);
        out.put("stage_master", spark.sparkContext().master());
        out.put("stage_partitions", partitions);
        out.put("stage_contributors", result.contributors());
        out.put("stage_contributions", result.contributions());
        out.put("stage_index_build_seconds", result.indexSeconds());
        out.put("stage_score_and_write_seconds", result.scoreAndWriteSeconds());
        out.put("stage_wall_seconds", wall);
        out.put("stage_inferences_per_second", n / wall);
        out.put("stage_rows_written", result.rowsWritten());
        out.put("stage_output", output.toString());
        progress.accept(String.format("stage: %.1f s wall (index %.1f s, score and write %.1f s), %,d credit rows",
                wall, result.indexSeconds(), result.scoreAndWriteSeconds(), result.rowsWritten()));
        return out;
    }

    // ---------------------------------------------------------------------------------------------

    static long mix(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

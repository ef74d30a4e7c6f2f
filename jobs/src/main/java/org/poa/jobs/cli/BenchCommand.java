package org.poa.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poa.jobs.bench.GradientBench;
import org.poa.jobs.bench.MerkleBench;
import org.poa.jobs.bench.NgramBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks on generated data, each beside a reference doing the same work in the same run.",
        subcommands = {BenchCommand.Ngram.class, BenchCommand.Merkle.class, BenchCommand.Gradient.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a benchmark (see poa bench --help)");
    }

    /** A benchmark's report: one line per entry on stdout, and as JSON to {@code json} when given. */
    static void print(Map<String, Object> report, Path json) throws java.io.IOException {
        for (Map.Entry<String, Object> e : report.entrySet()) {
            Object v = e.getValue();
            System.out.printf("%-40s %s%n", e.getKey(), v instanceof Double d ? String.format("%.2f", d) : v);
        }
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Files.writeString(json, mapper.writeValueAsString(report) + "\n");
        }
    }

    @Command(name = "ngram", mixinStandardHelpOptions = true,
            description = {"N-gram span attribution: generates an approved corpus and one epoch of outputs into",
                "--lakehouse (use a scratch folder), times the index build and attribute, then a plain Spark SQL",
                "self-join of 6-grams on the same data. Run with POA_DRIVER_MEMORY=4g for the full size."})
    static final class Ngram implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--outputs", paramLabel = "N", description = "Inference outputs. Default: ${DEFAULT-VALUE}.")
        long outputs = 1_000_000;

        @Option(names = "--output-tokens", paramLabel = "N", description = "Tokens per output (about). Default: ${DEFAULT-VALUE}.")
        int outputTokens = 100;

        @Option(names = "--corpus-tokens", paramLabel = "N", description = "Approved corpus tokens. Default: ${DEFAULT-VALUE}.")
        long corpusTokens = 50_000_000;

        @Option(names = "--document-tokens", paramLabel = "N", description = "Tokens per contribution. Default: ${DEFAULT-VALUE}.")
        int documentTokens = 100;

        @Option(names = "--vocabulary", paramLabel = "N", description = "Distinct words. Default: ${DEFAULT-VALUE}.")
        int vocabulary = 50_000;

        @Option(names = "--copied", paramLabel = "F", description = "Share of output pieces copied from the corpus. Default: ${DEFAULT-VALUE}.")
        double copied = 0.5;

        @Option(names = "--seed", paramLabel = "N", description = "Generator seed. Default: ${DEFAULT-VALUE}.")
        long seed = 1;

        @Option(names = "--no-baseline", description = "Skip the Spark SQL baseline.")
        boolean noBaseline;

        @Option(names = "--reuse", description = "Reuse the data already in --lakehouse (skip generation).")
        boolean reuse;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON here.")
        Path json;

        @Override
        public Integer call() throws Exception {
            if (outputs < 1 || outputTokens < 1 || corpusTokens < 1 || documentTokens < 1 || vocabulary < 2
                    || copied < 0 || copied > 1) {
                throw new IllegalArgumentException("bench sizes must be positive and --copied between 0 and 1");
            }
            PoaContext context = PoaCommand.root(spec).context();
            NgramBench.Options options = new NgramBench.Options(outputs, outputTokens, corpusTokens, documentTokens,
                    vocabulary, copied, seed, !noBaseline, !reuse);
            Map<String, Object> report = NgramBench.run(context.lakehouse(), options, Progress::step);
            print(report, json);
            return 0;
        }
    }

    @Command(name = "merkle", mixinStandardHelpOptions = true,
            description = {"Merkle trees without Spark: the tree of --accounts random accounts, its root and every",
                "proof in this JVM; then poa merkle build and @openzeppelin/merkle-tree (node) as separate",
                "processes on the same CSV of --compare-accounts (tree, root, every proof, dump), outputs compared.",
                "Run with POA_DRIVER_MEMORY=4g for 10 million accounts."})
    static final class Merkle implements Callable<Integer> {

        @Option(names = "--accounts", paramLabel = "N", description = "Accounts for the in-JVM run. Default: ${DEFAULT-VALUE}.")
        int accounts = 1_000_000;

        @Option(names = "--compare-accounts", paramLabel = "N", description = "Accounts for the side-by-side run. Default: ${DEFAULT-VALUE}.")
        int compareAccounts = 100_000;

        @Option(names = "--seed", paramLabel = "N", description = "Generator seed. Default: ${DEFAULT-VALUE}.")
        long seed = 1;

        @Option(names = "--repeats", paramLabel = "R", description = "Side-by-side runs of each tool (medians reported). Default: ${DEFAULT-VALUE}.")
        int repeats = 3;

        @Option(names = "--no-reference", description = "Skip the side-by-side run with node.")
        boolean noReference;

        @Option(names = "--scratch", paramLabel = "DIR", description = "Folder for the CSV and outputs. Default: a temporary folder.")
        Path scratch;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON here.")
        Path json;

        @Override
        public Integer call() throws Exception {
            if (accounts < 1 || compareAccounts < 1 || repeats < 1) {
                throw new IllegalArgumentException("--accounts, --compare-accounts and --repeats must be at least 1");
            }
            Path dir = scratch != null ? scratch : Files.createTempDirectory("poa-bench-merkle");
            Map<String, Object> report = MerkleBench.run(new MerkleBench.Options(accounts, compareAccounts, seed, !noReference, repeats),
                    dir, Progress::step);
            print(report, json);
            if (scratch == null) {
                Files.deleteIfExists(dir);
            }
            return 0;
        }
    }

    @Command(name = "gradient", mixinStandardHelpOptions = true,
            description = {"Gradient scoring: the kernel (blocks of 256 inferences against every contributor,",
                "as the attribute step scores them) on --inferences x --k random floats against --contributors,",
                "1 thread and every core, beside numpy's float32 matmul (OpenBLAS sgemm) of the same shapes in the",
                "same run (bench/numpy_sgemm.py in .venvs/bench, made on first use from bench/requirements.txt);",
                "then the whole scoring stage as a Spark job: generated inference vectors scored by InfluenceTask",
                "against the index of contributors' random training vectors, credits written as Parquet under",
                "--scratch. GFLOP/s = 2 x inferences x contributors x k / seconds, best of --repeats.",
                "Run with POA_DRIVER_MEMORY=4g for the full size."})
    static final class Gradient implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--inferences", paramLabel = "N", description = "Inference vectors. Default: ${DEFAULT-VALUE}.")
        int inferences = 1_000_000;

        @Option(names = "--contributors", paramLabel = "N", description = "Contributors. Default: ${DEFAULT-VALUE}.")
        int contributors = 1000;

        @Option(names = "--contributions-per-contributor", paramLabel = "N",
                description = "Training vectors per contributor (stage only). Default: ${DEFAULT-VALUE}.")
        int contributionsPerContributor = 10;

        @Option(names = "--k", paramLabel = "K", description = "Vector dimension. Default: ${DEFAULT-VALUE}.")
        int k = 128;

        @Option(names = "--seed", paramLabel = "N", description = "Generator seed. Default: ${DEFAULT-VALUE}.")
        long seed = 1;

        @Option(names = "--repeats", paramLabel = "R", description = "Timed kernel passes (best reported). Default: ${DEFAULT-VALUE}.")
        int repeats = 3;

        @Option(names = "--no-reference", description = "Skip numpy.")
        boolean noReference;

        @Option(names = "--no-stage", description = "Skip the Spark stage (kernel and numpy only).")
        boolean noStage;

        @Option(names = "--scratch", paramLabel = "DIR",
                description = "Folder for the stage's output. Default: a temporary folder, deleted afterwards.")
        Path scratch;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON here.")
        Path json;

        @Override
        public Integer call() throws Exception {
            if (inferences < 1 || contributors < 1 || contributionsPerContributor < 1 || k < 1 || repeats < 1) {
                throw new IllegalArgumentException("bench sizes and --repeats must be at least 1");
            }
            if ((long) contributors * k > Integer.MAX_VALUE / 2 || (long) GradientBench.BLOCK * contributors > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("--contributors x --k is too large for one array");
            }
            Path dir = scratch != null ? scratch : Files.createTempDirectory("poa-bench-gradient");
            try {
                GradientBench.Options options = new GradientBench.Options(inferences, contributors, contributionsPerContributor, k,
                        seed, repeats, !noReference, !noStage, 10, 10);
                Map<String, Object> report = GradientBench.run(options,
                        () -> PoaCommand.root(spec).context().lakehouse().spark(), dir, Progress::step);
                print(report, json);
            } finally {
                if (scratch == null) {
                    deleteTree(dir);
                }
            }
            return 0;
        }

        private static void deleteTree(Path root) throws java.io.IOException {
            if (!Files.exists(root)) {
                return;
            }
            try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

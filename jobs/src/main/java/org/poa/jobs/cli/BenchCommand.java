package org.poa.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poa.core.cli.Progress;
import org.poa.jobs.action.StepRows;
import org.poa.jobs.bench.BenchReport;
import org.poa.jobs.bench.EpochReferences;
import org.poa.jobs.bench.EpochSteps;
import org.poa.jobs.bench.GradientBench;
import org.poa.jobs.bench.MachineInfo;
import org.poa.jobs.bench.MerkleBench;
import org.poa.jobs.bench.NgramBench;
import org.poa.jobs.chain.DemoChain;
import org.poa.jobs.merkle.EpochMerkle;
import org.poa.jobs.pipeline.EpochPipeline;
import org.poa.jobs.pipeline.EpochRun;
import org.poa.jobs.pipeline.EpochStep;
import org.poa.jobs.sample.SampleWorld;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks on generated data, each beside a reference doing the same work in the same run.",
        subcommands = {BenchCommand.Ngram.class, BenchCommand.Merkle.class, BenchCommand.Gradient.class,
            BenchCommand.Epoch.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a benchmark (see poa bench --help)");
    }

    @Command(name = "ngram", mixinStandardHelpOptions = true,
            description = {"N-gram span attribution: generates an approved corpus and one epoch of outputs into",
                "--lakehouse (use a scratch folder), times the index build and attribute, then a plain Spark SQL",
                "self-join of 6-grams on the same data. Run with POA_DRIVER_MEMORY=4g for the full size. The index's",
                "shard size is --conf spark.poa.ngram.shardMemory (default 1g)."})
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

        @Option(names = "--compare-corpus-tokens", paramLabel = "N",
                description = {"First run the same on a corpus of N tokens (in --lakehouse/_compare) and report it beside",
                    "the main run, e.g. 50000000 (one index shard) beside 1000000000 (many). Default: none."})
        long compareCorpusTokens;

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
                    vocabulary, copied, seed, !noBaseline, !reuse, compareCorpusTokens);
            Map<String, Object> report = NgramBench.run(context.lakehouse(), options, context.progress());
            BenchReport.print(context.out(), report, json);
            return 0;
        }
    }

    @Command(name = "merkle", mixinStandardHelpOptions = true,
            description = {"Merkle trees without Spark: the tree of --accounts random accounts, its root and every",
                "proof in this JVM; then poa merkle build and @openzeppelin/merkle-tree (node) as separate",
                "processes on the same CSV of --compare-accounts (tree, root, every proof, dump), outputs compared.",
                "Run with POA_DRIVER_MEMORY=4g for 10 million accounts."})
    static final class Merkle implements Callable<Integer> {

        @Spec
        CommandSpec spec;

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
            PoaCommand root = PoaCommand.root(spec);
            Map<String, Object> report = MerkleBench.run(new MerkleBench.Options(accounts, compareAccounts, seed, !noReference, repeats),
                    dir, new Progress(root.environment().err()));
            BenchReport.print(root.out(), report, json);
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
                PoaCommand root = PoaCommand.root(spec);
                Map<String, Object> report = GradientBench.run(options, () -> root.context().lakehouse().spark(), dir,
                        new Progress(root.environment().err()));
                BenchReport.print(root.out(), report, json);
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

    @Command(name = "epoch", mixinStandardHelpOptions = true,
            description = {"One whole epoch at scale, each step timed: generate the five input files of a sample world",
                "(one epoch, --inferences and --contributions), then ingest, train, index, attribute (n-gram spans and",
                "gradient influence), rewards, merkle, settle on a local anvil and audit, in this JVM on local Spark.",
                "Prints per step the wall time, rows in and out, input rows per second, the JVM's peak resident",
                "memory during the step (driver and local executors are this one JVM) and the heap still in use after",
                "it and a full GC. Beside them, in the same run, the references: each input copied into Delta by Spark's",
                "own JSON reader, and a plain GROUP BY of the epoch's credits written to Delta; printed with the ratios",
                "(the epoch against the copy of its inference log, ingest against the copies of its inputs, rewards and",
                "audit against the GROUP BY). Everything goes under --workdir, which must not hold an earlier run.",
                "Run with POA_DRIVER_MEMORY=4g for a million inferences."})
    static final class Epoch implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--inferences", paramLabel = "N", description = "Inferences. Default: ${DEFAULT-VALUE}.")
        long inferences = 1_000_000;

        @Option(names = "--contributions", paramLabel = "M", description = "Contributions. Default: ${DEFAULT-VALUE}.")
        int contributions = 100_000;

        @Option(names = "--seed", paramLabel = "S", description = "Generator seed. Default: ${DEFAULT-VALUE}.")
        long seed = 7;

        @Option(names = "--bad-rate", paramLabel = "R", description = "Share of malformed input rows. Default: ${DEFAULT-VALUE}.")
        double badRate = 0.005;

        @Option(names = "--workdir", required = true, paramLabel = "DIR",
                description = "Scratch folder for the inputs, the lakehouse (unless --lakehouse) and the chain's state.")
        Path workdir;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON here.")
        Path json;

        @Override
        public Integer call() throws Exception {
            if (inferences < 1 || contributions < 1) {
                throw new IllegalArgumentException("--inferences and --contributions must be at least 1");
            }
            PoaCommand root = PoaCommand.root(spec);
            Path input = workdir.resolve("input");
            for (Path earlier : List.of(input, workdir.resolve("anvil-state.json"), workdir.resolve("demo.json"))) {
                if (Files.exists(earlier)) {
                    throw new IllegalArgumentException(earlier + " exists: bench epoch needs a fresh --workdir");
                }
            }
            Files.createDirectories(workdir);
            PoaContext context = root.context(workdir.resolve("lakehouse").toString());
            Map<String, Object> report = new LinkedHashMap<>();
            Map<String, Object> machine = new LinkedHashMap<>(MachineInfo.describe());
            machine.put("load_average_at_start", MachineInfo.loadAverage());
            report.put("machine", machine);
            report.put("inferences", inferences);
            report.put("contributions", contributions);
            EpochSteps steps = new EpochSteps(context.progress());
            WorldOptions world = new WorldOptions();
            world.seed = seed;
            world.contributions = contributions;
            world.inferences = inferences;
            world.epochs = 1;
            world.badRate = badRate;
            steps.time("generate", () -> {
                SampleWorld.Written written = world.generate(context.clock(), input, context.progress());
                return new StepRows(written.lines(), "rows", written.lines(), "lines");
            });
            if (context.lakehouse().exists(Tables.INFERENCES)) {
                throw new IllegalArgumentException("the lakehouse " + context.root() + " already holds tables: bench epoch needs an empty one");
            }
            // The references, in the same run: a plain copy of each input into Delta (ingest's I/O
            // without its logic), and after the epoch a plain GROUP BY of its credits.
            EpochReferences references = new EpochReferences(context.progress());
            Path copies = workdir.resolve("reference");
            references.warmUp(context.lakehouse().spark(), copies.resolve("warm-up"));
            double inputCopies = 0;
            double logCopy = 0;
            for (String kind : List.of("datanets", "contributions", "votes", "models", "inferences")) {
                EpochReferences.Reference copy = references.copy(context.lakehouse().spark(), "copy " + kind,
                        input.resolve(kind).resolve(kind + ".jsonl"), copies.resolve(kind));
                inputCopies += copy.seconds();
                if (kind.equals("inferences")) {
                    logCopy = copy.seconds();
                }
            }
            String rootHash = null;
            try (DemoChain chain = DemoChain.open(workdir, 0, Map.of(), context.progress())) {
                EpochRun run = new EpochRun(1, input.toString(), false, context.ingestOptions(IngestOptions.DEFAULT_MAX_CONTENT_BYTES),
                        chain.treasury(), new EpochRun.Chain(chain.rpc(), chain.settler(), chain.treasuryKey()), false, c -> { });
                var outcomes = new EpochPipeline(context.actions()).run(run, EpochStep.INGEST, EpochStep.AUDIT, steps);
                for (var outcome : outcomes) {
                    if (outcome.result() instanceof EpochMerkle.Result merkle) {
                        rootHash = merkle.root();
                    }
                }
            }
            double groupBy = references.creditsGroupBy(context.lakehouse(), 1, copies.resolve("credits-group-by")).seconds();
            report.put("root", rootHash);
            machine.put("load_average_at_end", MachineInfo.loadAverage());
            context.out().print(steps.table());
            double epochSeconds = steps.totalSeconds() - steps.secondsOf("generate");
            Map<String, Double> ratios = new LinkedHashMap<>();
            ratios.put("epoch (generation excluded) / copy of the inference log", epochSeconds / logCopy);
            ratios.put("ingest / copy of its five inputs", steps.secondsOf("ingest") / inputCopies);
            ratios.put("rewards / credits group-by", steps.secondsOf("rewards") / groupBy);
            ratios.put("audit / credits group-by", steps.secondsOf("audit") / groupBy);
            context.out().printf("%nreferences (same run, same data):%n");
            for (EpochReferences.Reference r : references.all()) {
                context.out().printf("  %-20s %9.1f s %,14d rows  %s%n", r.name(), r.seconds(), r.rows(), r.what());
            }
            context.out().printf("epoch, generation excluded: %.1f s = %.1fx the copy of its inference log (%.1f s)%n",
                    epochSeconds, epochSeconds / logCopy, logCopy);
            ratios.forEach((what, ratio) -> context.out().printf("  %-58s %6.1fx%n", what, ratio));
            report.put("steps", steps.json());
            report.put("references", references.json());
            report.put("epoch_seconds", epochSeconds);
            report.put("ratios", ratios);
            report.put("total_seconds", steps.totalSeconds());
            report.put("peak_rss_mb", steps.peakRssMb());
            BenchReport.writeJson(report, json);
            return 0;
        }
    }
}

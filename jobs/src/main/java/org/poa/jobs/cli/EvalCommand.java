package org.poa.jobs.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poa.jobs.bench.BenchReport;
import org.poa.jobs.eval.AttributionEval;
import org.poa.jobs.eval.ReviewEval;
import org.poa.lakehouse.config.IngestOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measures attribution quality the way the field does.",
        subcommands = {EvalCommand.Attribution.class, EvalCommand.Review.class})
final class EvalCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name an evaluation (see poa eval --help)");
    }

    @Command(name = "attribution", mixinStandardHelpOptions = true,
            description = {"Linear datamodeling score (LDS) of a trained classifier's gradient attribution: retrains on",
                "--subsets random subsets of --fraction of its contributors, and per sampled inference correlates",
                "(Spearman) the predicted loss (minus the chosen contributors' summed scores) with the retrained",
                "model's loss at the logged label. Prints the mean over inferences with a 95% interval."})
    static final class Attribution implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--model", paramLabel = "ID", required = true, description = "A trained classifier model.")
        String model;

        @Option(names = "--subsets", paramLabel = "M", description = "Retrained subsets. Default: ${DEFAULT-VALUE}.")
        int subsets = 50;

        @Option(names = "--fraction", paramLabel = "F", description = "Share of contributors in each subset. Default: ${DEFAULT-VALUE}.")
        double fraction = 0.5;

        @Option(names = "--inferences", paramLabel = "N", description = "Inferences sampled. Default: ${DEFAULT-VALUE}.")
        int inferences = 200;

        @Option(names = "--projection", paramLabel = "K",
                description = "Override the model's gradient.projection (0 = exact). Default: the model's.")
        Integer projection;

        @Option(names = "--seed", paramLabel = "S", description = "Seed of the sample and subsets. Default: ${DEFAULT-VALUE}.")
        long seed = 1;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
        Path json;

        @Override
        public Integer call() throws Exception {
            PoaContext context = PoaCommand.root(spec).context();
            AttributionEval.Result r = AttributionEval.run(context.lakehouse(), model, subsets, fraction,
                    inferences, projection, seed, context.progress());
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", r.modelId());
            report.put("mode", r.mode());
            report.put("subsets", r.subsets());
            report.put("fraction", r.fraction());
            report.put("inferences", r.inferences());
            report.put("contributors", r.contributors());
            report.put("lds", r.lds());
            report.put("lds_95_low", r.low());
            report.put("lds_95_high", r.high());
            report.put("seconds", r.seconds());
            BenchReport.print(context.out(), report, json);
            context.out().printf("LDS %.3f (95%% interval %.3f to %.3f) over %d inferences, %d subsets%n", r.lds(), r.low(), r.high(),
                    r.inferences(), r.subsets());
            return 0;
        }
    }

    @Command(name = "review", mixinStandardHelpOptions = true,
            description = {"The review queue's quality on a generated world with planted label flips (about half of them",
                "all rows of one contributor) and near-copies (30-90% of another contributor's earlier text, one word in",
                "10-14 changed): generates it, ingests it into the (empty) --lakehouse, trains, runs poa review with its",
                "defaults, and prints the share of flipped contributions in the self-influence top share, the share of",
                "near-copies flagged and the share of other contributions flagged."})
    static final class Review implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--contributions", paramLabel = "N", description = "Contributions generated. Default: ${DEFAULT-VALUE}.")
        int contributions = 2000;

        @Option(names = "--flip-rate", paramLabel = "R", description = "Share of labelled contributions flipped. Default: ${DEFAULT-VALUE}.")
        double flipRate = 0.05;

        @Option(names = "--copy-rate", paramLabel = "R", description = "Near-copies added, as a share of contributions. Default: ${DEFAULT-VALUE}.")
        double copyRate = 0.04;

        @Option(names = "--seed", paramLabel = "S", description = "Default: ${DEFAULT-VALUE}.")
        long seed = 1;

        @Option(names = "--out", paramLabel = "DIR", description = "Where the generated batch goes. Default: a temporary folder.")
        Path out;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
        Path json;

        @Override
        public Integer call() throws Exception {
            PoaContext context = PoaCommand.root(spec).context();
            Path folder = out != null ? out : java.nio.file.Files.createTempDirectory("poa-review-world");
            ReviewEval.Result r = ReviewEval.run(context.actions(), context.ingestOptions(IngestOptions.DEFAULT_MAX_CONTENT_BYTES),
                    folder, contributions, flipRate, copyRate, seed, context.progress());
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("contributions", r.contributions());
            report.put("flip_rate", r.flipRate());
            report.put("copy_rate", r.copyRate());
            report.put("seed", r.seed());
            report.put("self_influence_share", r.selfInfluenceShare());
            report.put("copy_threshold", r.copyThreshold());
            report.put("labelled_scored", r.labelledScored());
            report.put("flipped_scored", r.flippedScored());
            report.put("flipped_flagged", r.flippedFlagged());
            report.put("flip_recall", r.flipRecall());
            report.put("flipper_scored", r.flipperScored());
            report.put("flipper_flagged", r.flipperFlagged());
            report.put("flipper_rank", r.flipperRank());
            report.put("copies_scored", r.copiesScored());
            report.put("copies_flagged", r.copiesFlagged());
            report.put("copy_recall", r.copyRecall());
            report.put("originals_scored", r.originalsScored());
            report.put("originals_flagged", r.originalsFlagged());
            report.put("original_flag_rate", r.originalFlagRate());
            report.put("seconds", r.seconds());
            BenchReport.print(context.out(), report, json);
            context.out().printf("self-influence: %d of %d flipped labels in the top %.0f%% (%.1f%%; target 80%%); the flipper's rows %d of %d,"
                            + " the flipper ranked #%d by share flagged%n", r.flippedFlagged(), r.flippedScored(), r.selfInfluenceShare() * 100,
                    r.flipRecall() * 100, r.flipperFlagged(), r.flipperScored(), r.flipperRank());
            context.out().printf("copied spans: %d of %d near-copies flagged (%.1f%%; target 95%%), %d of %d others (%.2f%%; target at most 1%%)%n",
                    r.copiesFlagged(), r.copiesScored(), r.copyRecall() * 100, r.originalsFlagged(), r.originalsScored(),
                    r.originalFlagRate() * 100);
            return 0;
        }
    }
}

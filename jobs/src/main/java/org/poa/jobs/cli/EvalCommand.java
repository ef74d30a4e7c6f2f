package org.poa.jobs.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poa.jobs.bench.BenchReport;
import org.poa.jobs.eval.AttributionEval;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measures attribution quality the way the field does.",
        subcommands = {EvalCommand.Attribution.class})
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
}

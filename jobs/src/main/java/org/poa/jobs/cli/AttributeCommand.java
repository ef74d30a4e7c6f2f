package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.jobs.attribute.AttributeAction;
import org.poa.jobs.attribute.IndexAction;
import org.poa.jobs.pipeline.EpochActions;
import org.poa.jobs.report.TopCredits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "attribute", mixinStandardHelpOptions = true,
        description = {"Attributes every accepted inference of an epoch to the contributions behind it and",
            "replaces the epoch's rows of attributions, attribution_spans and influence_usage. ngram: maximal",
            "spans of the output found in the model's approved contributions as of the epoch's end (DESIGN.md).",
            "gradient: influence of the model's training contributions (checkpoints from poa train, or imported",
            "gradients), summed per contributor; see docs/attribution.md. Brings the n-gram index up to date first."})
final class AttributeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EpochOption epoch = new EpochOption();

    @Option(names = "--model", paramLabel = "ID", description = "Only this model (default: every model of the method).")
    String model;

    @Option(names = "--method", paramLabel = "METHOD", description = "ngram, gradient or all (default: ${DEFAULT-VALUE}).")
    AttributeAction.Methods method = AttributeAction.Methods.all;

    @Option(names = "--shard-tokens", paramLabel = "N", description = "Tokens per new index shard file. Default: ${DEFAULT-VALUE}.")
    long shardTokens = IndexAction.DEFAULT_SHARD_TOKENS;

    @Option(names = "--top", paramLabel = "K", description = "Print the K most credited contributions. Default: ${DEFAULT-VALUE}.")
    int top = 5;

    @Override
    public Integer call() {
        long n = epoch.value();
        PoaContext context = PoaCommand.root(spec).context();
        EpochActions actions = context.actions();
        if (method != AttributeAction.Methods.gradient) {
            actions.index().shardTokens(shardTokens).execute();
        }
        AttributeAction.Result result = actions.attribute(n).model(model).methods(method).execute();
        result.lines().forEach(context.out()::println);
        for (String ran : result.methodSeconds().keySet()) {
            TopCredits.print(context.out(), context.lakehouse(), n, model, top, ran);
        }
        return 0;
    }
}

package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains classifier models on the approved, labelled contributions of their datanets: MLlib",
            "multinomial logistic regression on hashed unigram+bigram features, one checkpoint per entry of the",
            "model's gradient.checkpoints. Stores the checkpoints in model_checkpoints and appends a trained event",
            "(data snapshot versions, training-data digest, weights hash) to model_lineage. A model whose training",
            "data and settings are unchanged is not retrained: nothing is written."})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "ID", description = "Only this model (default: every classifier model).")
    String model;

    @Override
    public Integer call() {
        PoaContext context = PoaCommand.root(spec).context();
        context.actions().train().model(model).execute().lines().forEach(context.out()::println);
        return 0;
    }
}

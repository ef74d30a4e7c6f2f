package org.poa.jobs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.poa.jobs.train.ModelTraining;
import org.poa.lakehouse.catalog.Lakehouse;
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
        Lakehouse lakehouse = PoaCommand.root(spec).context().lakehouse();
        List<String> models = model != null ? List.of(model) : ModelTraining.classifiers(lakehouse);
        if (models.isEmpty()) {
            System.out.println("(no classifier models)");
        }
        for (String id : models) {
            print(ModelTraining.run(lakehouse, id, Progress::step));
        }
        return 0;
    }

    static void print(ModelTraining.Result r) {
        System.out.printf("model %s: %s on %d examples, labels %s, %d checkpoints (iterations %s), weights %s%s%n",
                r.modelId(), r.changed() ? "trained" : "unchanged", r.examples(), r.labels(), r.checkpoints().size(),
                r.checkpoints().stream().map(c -> String.valueOf(c.iterations())).toList(), r.weightsHash(),
                r.changed() ? String.format(", training accuracy %.3f", r.trainingAccuracy()) : "");
    }
}

package org.poa.jobs.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.poa.jobs.action.EpochAction;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.action.StepRows;
import org.poa.lakehouse.catalog.Lakehouse;

/**
 * The train step: classifier models fitted on the approved, labelled contributions of their
 * datanets (every classifier, or one). A model whose training data and settings are unchanged is
 * not retrained and nothing is written for it.
 */
public final class TrainAction extends EpochAction<TrainAction.Result> {

    /** One result per model, in model order. */
    public record Result(List<ModelTraining.Result> models) implements StepResult {
        @Override
        public StepRows rows() {
            return new StepRows(models.stream().mapToLong(ModelTraining.Result::examples).sum(), "examples",
                    models.stream().mapToLong(m -> m.checkpoints().size()).sum(), "checkpoints");
        }

        @Override
        public List<String> lines() {
            return models.isEmpty() ? List.of("(no classifier models)") : models.stream().map(ModelTraining.Result::line).toList();
        }
    }

    private String modelId;

    public TrainAction(Lakehouse lakehouse, Consumer<String> progress) {
        super("train", lakehouse, progress);
    }

    /** Only this model (an error when it is not a registered classifier). */
    public TrainAction model(String id) {
        this.modelId = id;
        return this;
    }

    @Override
    protected String describe() {
        return "train" + (modelId == null ? "" : " --model " + modelId);
    }

    @Override
    protected Result doExecute() {
        List<String> ids = modelId != null ? List.of(modelId) : ModelTraining.classifiers(lakehouse);
        List<ModelTraining.Result> results = new ArrayList<>();
        for (String id : ids) {
            progress.accept("training " + id);
            results.add(ModelTraining.run(lakehouse, id, progress));
        }
        return new Result(results);
    }
}

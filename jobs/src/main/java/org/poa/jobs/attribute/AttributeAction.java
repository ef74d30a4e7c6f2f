package org.poa.jobs.attribute;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.poa.core.epoch.EpochClock;
import org.poa.jobs.action.EpochAction;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.action.StepRows;
import org.poa.lakehouse.catalog.Lakehouse;

/**
 * The attribute step: every accepted inference of an epoch attributed by each method its model
 * lists (n-gram spans, then gradient influence), replacing the epoch's rows of the methods' tables.
 * Uses the n-gram index as it is: the index step (or {@link IndexAction}) brings it up to date first.
 */
public final class AttributeAction extends EpochAction<AttributeAction.Result> {

    /** Which methods run. */
    public enum Methods { ngram, gradient, all }

    /** Every model's run of every method, and each method's wall time (scoring and writing). */
    public record Result(long epoch, List<AttributionRun> runs, Map<String, Double> methodSeconds) implements StepResult {
        /** The runs of one method. */
        public List<AttributionRun> runs(String method) {
            return runs.stream().filter(r -> r.method().equals(method)).toList();
        }

        @Override
        public StepRows rows() {
            return new StepRows(runs.stream().mapToLong(AttributionRun::inferences).sum(), "scorings",
                    runs.stream().mapToLong(AttributionRun::credits).sum(), "credits");
        }

        @Override
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            methodSeconds.keySet().forEach(method -> lines.addAll(AttributionReport.lines(epoch, method, runs(method))));
            return lines;
        }
    }

    private final EpochClock clock;
    private final long epoch;
    private String modelId;
    private Methods methods = Methods.all;

    public AttributeAction(Lakehouse lakehouse, EpochClock clock, long epoch, Consumer<String> progress) {
        super("attribute", lakehouse, progress);
        this.clock = clock;
        this.epoch = epoch;
    }

    /** Only this model (an error when it is not registered or lists none of the methods run). */
    public AttributeAction model(String id) {
        this.modelId = id;
        return this;
    }

    public AttributeAction methods(Methods methods) {
        this.methods = methods;
        return this;
    }

    @Override
    protected String describe() {
        return "attribute --epoch " + epoch + (modelId == null ? "" : " --model " + modelId) + " --method " + methods;
    }

    @Override
    protected Result doExecute() {
        AttributionScope scope = new AttributionScope(lakehouse, clock, epoch, modelId);
        List<AttributionRun> runs = new ArrayList<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (AttributionMethod method : methods()) {
            // With one model named, a method it does not list is skipped, not an error (unless it was asked for alone).
            if (modelId != null && methods == Methods.all && !AttributedModel.lists(lakehouse, modelId, method.name())) {
                continue;
            }
            long started = System.nanoTime();
            runs.addAll(AttributionRunner.run(scope, method, progress));
            seconds.put(method.name(), (System.nanoTime() - started) / 1e9);
        }
        return new Result(epoch, runs, seconds);
    }

    private List<AttributionMethod> methods() {
        List<AttributionMethod> all = new ArrayList<>();
        if (methods != Methods.gradient) {
            all.add(new NgramAttribution(progress));
        }
        if (methods != Methods.ngram) {
            all.add(new GradientAttribution(progress));
        }
        return all;
    }
}

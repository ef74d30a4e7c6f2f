package org.poa.jobs.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs steps of one epoch in their order ({@link EpochStep}), in this JVM, each as its action (so
 * each in its own Spark job group). Every step is idempotent, so the pipeline is: a re-run finishes
 * what a failed one left and changes nothing that is done.
 */
public final class EpochPipeline {

    /** Told about each step as it starts and ends. */
    public interface Listener {
        default void started(EpochStep step) {
        }

        default void finished(EpochStep step, org.poa.jobs.action.StepResult result, double seconds) {
        }
    }

    /** One step's result and wall time. */
    public record Outcome(EpochStep step, org.poa.jobs.action.StepResult result, double seconds) {
    }

    private final EpochActions actions;

    public EpochPipeline(EpochActions actions) {
        this.actions = actions;
    }

    /** Checks, before running anything, that the run has what each step of the range needs. */
    public static void check(EpochRun run, EpochStep from, EpochStep to) {
        for (EpochStep step : EpochStep.range(from, to)) {
            step.check(run);
        }
    }

    public List<Outcome> run(EpochRun run, EpochStep from, EpochStep to, Listener listener) {
        check(run, from, to);
        List<Outcome> outcomes = new ArrayList<>();
        for (EpochStep step : EpochStep.range(from, to)) {
            listener.started(step);
            long started = System.nanoTime();
            org.poa.jobs.action.StepResult result = step.run(actions, run);
            Outcome outcome = new Outcome(step, result, (System.nanoTime() - started) / 1e9);
            outcomes.add(outcome);
            listener.finished(step, result, outcome.seconds());
        }
        return outcomes;
    }
}

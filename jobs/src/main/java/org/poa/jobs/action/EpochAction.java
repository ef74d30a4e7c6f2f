package org.poa.jobs.action;

import java.util.function.Consumer;
import org.poa.lakehouse.catalog.Lakehouse;

/**
 * One step of an epoch as an action, in the spirit of Iceberg's {@code BaseSparkAction}: configured
 * through its own setters, run by {@link #execute()}, which returns a typed result; every Spark job
 * of the step runs in a job group named after the step.
 */
public abstract class EpochAction<R extends StepResult> {

    private final String name;
    protected final Lakehouse lakehouse;
    protected final Consumer<String> progress;

    protected EpochAction(String name, Lakehouse lakehouse, Consumer<String> progress) {
        this.name = name;
        this.lakehouse = lakehouse;
        this.progress = progress;
    }

    /** The step's name: also its Spark job group id. */
    public final String name() {
        return name;
    }

    /** Runs the step. */
    public final R execute() {
        return JobGroup.run(lakehouse.spark(), name, "poa " + describe(), () -> {
            try (StepWatch watching = StepProgress.watch(lakehouse.spark().sparkContext(), name, progress)) {
                return doExecute();
            }
        });
    }

    /** The step with its settings, as a person would say it ("rewards of epoch 3"), for the job group's description. */
    protected abstract String describe();

    protected abstract R doExecute();
}

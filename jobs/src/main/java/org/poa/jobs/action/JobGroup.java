package org.poa.jobs.action;

import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Runs work under a Spark job group, so that the Spark UI, the event log and a listener show which
 * step every job belongs to. The caller's group (a step running inside another) is restored after.
 */
public final class JobGroup {

    /** Spark's local property holding the group id. */
    public static final String ID = "spark.jobGroup.id";
    private static final String DESCRIPTION = "spark.job.description";
    private static final String INTERRUPT = "spark.job.interruptOnCancel";

    private JobGroup() {
    }

    public static <T> T run(SparkSession spark, String id, String description, Supplier<T> work) {
        SparkContext context = spark.sparkContext();
        String previousId = context.getLocalProperty(ID);
        String previousDescription = context.getLocalProperty(DESCRIPTION);
        String previousInterrupt = context.getLocalProperty(INTERRUPT);
        context.setJobGroup(id, description, false);
        try {
            return work.get();
        } finally {
            context.setLocalProperty(ID, previousId);
            context.setLocalProperty(DESCRIPTION, previousDescription);
            context.setLocalProperty(INTERRUPT, previousInterrupt);
        }
    }
}

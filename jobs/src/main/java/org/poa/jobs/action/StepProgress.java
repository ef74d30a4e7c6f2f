package org.poa.jobs.action;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.Success$;
import org.poa.core.cli.Progress;

/**
 * Live progress of one step while it runs: a Spark listener counts the tasks of the step's job group
 * (submitted and finished) and the rows they read, and a timer reports through
 * {@link Progress#live} the share of tasks done, rows per second and an estimate of the time left.
 * The share is of the tasks submitted so far: a step's later stages are not known until they start,
 * so the estimate is a floor that grows as they come.
 */
public final class StepProgress implements StepWatch {

    /** First report after this long: short steps stay quiet. */
    static final long QUIET_MILLIS = 5_000;

    private final SparkContext context;
    private final String group;
    private final Progress progress;
    private final Listener listener = new Listener();
    private final ScheduledExecutorService timer;
    private final long started = System.nanoTime();

    private StepProgress(SparkContext context, String group, Progress progress, long firstMillis, long everyMillis) {
        this.context = context;
        this.group = group;
        this.progress = progress;
        context.addSparkListener(listener);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "poa-progress-" + group);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::report, firstMillis, everyMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Watches the job group {@code group} until closed; reports only when {@code sink} is a
     * {@link Progress} that is not off (a plain consumer gets the step lines only).
     */
    public static StepWatch watch(SparkContext context, String group, Consumer<String> sink) {
        if (!(sink instanceof Progress progress) || progress.mode() == Progress.Mode.OFF) {
            return () -> { };
        }
        long every = progress.mode().interval();
        return new StepProgress(context, group, progress, Math.max(QUIET_MILLIS, every), every);
    }

    /** For tests: reports every {@code everyMillis}, the first after as long. */
    static StepProgress every(SparkContext context, String group, Progress progress, long everyMillis) {
        return new StepProgress(context, group, progress, everyMillis, everyMillis);
    }

    /** The status line as it stands now. */
    String status() {
        double seconds = (System.nanoTime() - started) / 1e9;
        long total = listener.tasks.get();
        long done = listener.done.get();
        long rows = listener.rows.get();
        StringBuilder line = new StringBuilder(group).append(": ");
        if (total == 0) {
            return line.append("planning (no Spark tasks yet), ").append(String.format("%.0f s", seconds)).toString();
        }
        line.append(String.format("%d%% of %,d tasks so far, %,d rows read (%,.0f rows/s)", 100 * done / total, total, rows,
                seconds > 0 ? rows / seconds : 0));
        if (done > 0 && done < total) {
            line.append(String.format(", at least %.0f s left", seconds * (total - done) / done));
        }
        return line.toString();
    }

    private void report() {
        try {
            progress.live(status());
        } catch (RuntimeException e) {
            // A report is best effort; the step's own work must not fail for it.
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        context.removeSparkListener(listener);
        progress.clearLive();
    }

    /** Counts the group's tasks; Spark calls it on its listener thread. */
    private final class Listener extends SparkListener {
        private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
        private final AtomicLong tasks = new AtomicLong();
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong rows = new AtomicLong();

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
            java.util.Properties properties = submitted.properties();
            if (properties != null && group.equals(properties.getProperty(JobGroup.ID))) {
                stages.add(submitted.stageInfo().stageId());
                tasks.addAndGet(submitted.stageInfo().numTasks());
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (!stages.contains(end.stageId()) || end.reason() != Success$.MODULE$) {
                return;
            }
            done.incrementAndGet();
            TaskMetrics metrics = end.taskMetrics();
            if (metrics != null) {
                rows.addAndGet(metrics.inputMetrics().recordsRead() + metrics.shuffleReadMetrics().recordsRead());
            }
        }
    }
}

package org.poa.jobs.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.poa.core.cli.Progress;
import org.poa.lakehouse.SharedSpark;

/** Live progress of a step: the tasks of its own job group, the rows they read, reports while it runs. */
class StepProgressTest {

    @Test
    void countsTheTasksAndRowsOfItsGroupOnlyAndReportsWhileTheStepRuns() throws Exception {
        SparkSession spark = SharedSpark.session();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        StringWriter log = new StringWriter();
        Progress progress = new Progress(new PrintWriter(log), Progress.Mode.PLAIN);
        java.nio.file.Path input = java.nio.file.Files.createTempFile("progress", ".txt");
        java.nio.file.Files.writeString(input, "1\n2\n3\n4\n5\n6\n7\n8\n");
        String status;
        try (StepProgress watch = StepProgress.every(spark.sparkContext(), "probe-step", progress, 50)) {
            JobGroup.run(spark, "other-step", "not watched", () -> jsc.parallelize(List.of(1, 2, 3), 3).count());
            long rows = JobGroup.run(spark, "probe-step", "watched", () -> jsc.textFile(input.toString(), 4)
                    .map(i -> {
                        Thread.sleep(100);
                        return i;
                    }).count());
            assertEquals(8, rows);
            spark.sparkContext().listenerBus().waitUntilEmpty();
            status = watch.status();
        }
        assertTrue(status.startsWith("probe-step: 100% of 4 tasks so far, 8 rows read ("), status);
        assertTrue(!status.contains("left"), "nothing left when every task is done: " + status);
        List<String> lines = log.toString().lines().toList();
        assertTrue(lines.size() >= 2, "reported while the step ran: " + lines);
        assertTrue(lines.stream().allMatch(l -> l.matches("\\[ *\\d+\\.\\ds\\] probe-step: .*")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("% of 4 tasks so far")), lines.toString());

        int before = log.toString().length();
        Thread.sleep(200);
        assertEquals(before, log.toString().length(), "no report after close");
    }

    @Test
    void aPlainConsumerOrOffGetsNoLiveReports() {
        SparkSession spark = SharedSpark.session();
        try (StepWatch watch = StepProgress.watch(spark.sparkContext(), "quiet", line -> { })) {
            assertTrue(!(watch instanceof StepProgress));
        }
        Progress off = new Progress(new PrintWriter(new StringWriter()), Progress.Mode.OFF);
        try (StepWatch watch = StepProgress.watch(spark.sparkContext(), "quiet", off)) {
            assertTrue(!(watch instanceof StepProgress));
        }
    }
}

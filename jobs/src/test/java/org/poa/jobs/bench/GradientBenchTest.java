package org.poa.jobs.bench;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.SparkTestBase;

/**
 * {@code poa bench gradient} at a tiny size: the kernel it times computes the scores (against a
 * triple loop), and the report carries its numbers. No timing is asserted; numpy is skipped (its
 * virtualenv would need the network).
 */
class GradientBenchTest extends SparkTestBase {

    private static final int N = 2000;
    private static final int C = 20;
    private static final int K = 16;

    @Test
    void kernelScoresAreTheDotProducts() {
        float[][] blocks = GradientBench.randomBlocks(N, K, 7);
        float[] contributors = GradientBench.random(C * K, 8);
        float[] scores = new float[N * C];
        GradientBench.scoreAll(blocks, K, contributors, C, scores);
        assertEquals((N + GradientBench.BLOCK - 1) / GradientBench.BLOCK, blocks.length);
        int row = 0;
        for (float[] block : blocks) {
            for (int i = 0; i < block.length / K; i++, row++) {
                for (int c = 0; c < C; c++) {
                    double expected = 0;
                    for (int t = 0; t < K; t++) {
                        expected += (double) block[i * K + t] * contributors[c * K + t];
                    }
                    assertEquals(expected, scores[row * C + c], 1e-4, "inference " + row + ", contributor " + c);
                }
            }
        }
        assertEquals(N, row);
    }

    @Test
    void reportHasTheKernelAndTheStage() throws Exception {
        Path scratch = workDir.resolve("bench");
        List<String> progress = new ArrayList<>();
        Map<String, Object> report = GradientBench.run(new GradientBench.Options(N, C, 3, K, 1, 1, false, true, 10, 10),
                () -> spark, scratch, progress::add);
        for (String key : List.of("machine", "options", "kernel_implementation", "kernel_gflop", "java_max_abs_error_vs_float64",
                "java_blockwise_1t_gflops", "java_big_1t_gflops", "stage_wall_seconds", "stage_inferences_per_second",
                "stage_rows_written", "stage_index_build_seconds", "peak_rss_mb")) {
            assertTrue(report.containsKey(key), "report lacks " + key + ": " + report.keySet());
        }
        assertTrue((Double) report.get("java_blockwise_1t_gflops") > 0);
        assertEquals(C, report.get("stage_contributors"));
        assertEquals(3 * C, report.get("stage_contributions"));
        long rows = (Long) report.get("stage_rows_written");
        assertTrue(rows > N && rows <= 10L * N, "credit rows: " + rows);
        // The real scoring path wrote it: per credited inference, weights sum to 1, ranks from 1.
        var written = spark.read().parquet(report.get("stage_output").toString());
        assertEquals(rows, written.count());
        assertEquals(0, written.groupBy("inference_id").agg(sum("weight").as("w"))
                .where(abs(col("w").minus(lit(1.0))).gt(1e-9)).count());
        assertEquals(1, (Integer) written.agg(org.apache.spark.sql.functions.min("rank")).head().get(0));
    }
}

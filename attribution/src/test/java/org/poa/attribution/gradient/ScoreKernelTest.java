package org.poa.attribution.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The single-precision kernel against double-precision dot products and against BLAS sgemm on shapes
 * that exercise every edge of the micro-kernel: row tails (rows not a multiple of 6), a partial last
 * panel, fewer columns than one panel, dimension 1; and the micro-kernel's two tile widths against
 * each other, bit for bit (this JVM runs one of them, another machine the other).
 */
class ScoreKernelTest {

    private static final int[][] SHAPES = {
        // rows, columns, dimension
        {256, 1000, 128}, {1, 1, 1}, {5, 3, 7}, {6, 64, 16}, {7, 65, 33}, {13, 17, 128}, {37, 129, 19}, {300, 200, 1},
    };

    @Test
    void theTestJvmRunsTheVectorKernel() {
        // surefire passes --add-modules=jdk.incubator.vector (as bin/poa and spark-submit do), so the
        // comparisons below test the micro-kernel, not BLAS against itself.
        assertTrue(ScoreKernel.vectorKernel(), ScoreKernel.implementation());
        assertTrue(ScoreKernel.implementation().startsWith("Vector API"), ScoreKernel.implementation());
    }

    @Test
    void scoresAreTheDotProductsOnEveryShape() {
        Random random = new Random(11);
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int cols = shape[1];
            int d = shape[2];
            float[] a = gaussian(random, rows * d);
            float[] b = gaussian(random, cols * d);
            float[] fast = new float[rows * cols];
            float[] blas = new float[rows * cols];
            ScoreKernel.scores(a, rows, ScoreKernel.columns(b, cols, d), fast);
            ScoreKernel.scores(a, rows, ScoreKernel.blasColumns(b, cols, d), blas);
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < cols; c++) {
                    double exact = 0;
                    double magnitude = 0;
                    for (int t = 0; t < d; t++) {
                        double p = (double) a[i * d + t] * b[c * d + t];
                        exact += p;
                        magnitude += Math.abs(p);
                    }
                    // Float rounding: a few ulps of the sum of magnitudes per term.
                    double tolerance = 1e-6 * magnitude * d + 1e-30;
                    String where = Arrays.toString(shape) + " at " + i + "," + c;
                    assertEquals(exact, fast[i * cols + c], tolerance, "vector kernel " + where);
                    assertEquals(exact, blas[i * cols + c], tolerance, "BLAS " + where);
                }
            }
        }
    }

    @Test
    void aRowsScoresDoNotDependOnItsBlock() {
        // Each score is one multiply-add chain over the dimension: the same bits whether the row is
        // scored alone, as a row tail or inside a 6-row tile, so partitioning never changes a screen.
        Random random = new Random(12);
        int rows = 41;
        int cols = 150;
        int d = 96;
        float[] a = gaussian(random, rows * d);
        ScoreColumns columns = ScoreKernel.columns(gaussian(random, cols * d), cols, d);
        float[] together = new float[rows * cols];
        ScoreKernel.scores(a, rows, columns, together);
        for (int i = 0; i < rows; i++) {
            float[] alone = new float[cols];
            ScoreKernel.scores(Arrays.copyOfRange(a, i * d, (i + 1) * d), 1, columns, alone);
            for (int c = 0; c < cols; c++) {
                assertEquals(Float.floatToIntBits(together[i * cols + c]), Float.floatToIntBits(alone[c]),
                        "row " + i + ", column " + c);
            }
        }
    }

    @Test
    void bothTileWidthsGiveTheSameBits() {
        // 4 vectors of columns where the JVM has 32 vector registers, 2 where it has 16: a root must
        // not depend on which machine scored, so the widths must agree to the bit on every edge shape.
        Random random = new Random(13);
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int cols = shape[1];
            int d = shape[2];
            float[] a = gaussian(random, rows * d);
            float[] b = gaussian(random, cols * d);
            float[] wide = new float[rows * cols];
            float[] narrow = new float[rows * cols];
            VectorScoreKernel.scores(a, rows, VectorScoreKernel.pack(b, cols, d, VectorScoreKernel.WIDE), wide);
            VectorScoreKernel.scores(a, rows, VectorScoreKernel.pack(b, cols, d, VectorScoreKernel.NARROW), narrow);
            for (int i = 0; i < wide.length; i++) {
                assertEquals(Float.floatToIntBits(wide[i]), Float.floatToIntBits(narrow[i]),
                        Arrays.toString(shape) + " at " + i / cols + "," + i % cols);
            }
        }
    }

    @Test
    void emptySidesWriteNothing() {
        float[] out = {42f};
        ScoreKernel.scores(new float[0], 0, ScoreKernel.columns(new float[4], 2, 2), out);
        ScoreKernel.scores(new float[4], 2, ScoreKernel.columns(new float[0], 0, 2), out);
        assertEquals(42f, out[0]);
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}

package org.poa.attribution.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The gradient building blocks against plain definitions: sketches, the GEMM kernel, the preconditioner. */
class GradientMathTest {

    private static final HashedFeatures FEATURES = new HashedFeatures(64);

    @Test
    void exactSketchIsTheFlattenedRankOneGradient() {
        Random random = new Random(1);
        for (int trial = 0; trial < 20; trial++) {
            double[] r1 = residual(random, 3);
            double[] r2 = residual(random, 3);
            HashedFeatures.Sparse x1 = FEATURES.of(words(random));
            HashedFeatures.Sparse x2 = FEATURES.of(words(random));
            GradientSketch exact = new GradientSketch(3, 64, 0, 7);
            double[] g1 = new double[exact.dimension()];
            double[] g2 = new double[exact.dimension()];
            exact.write(r1, x1, g1, 0);
            exact.write(r2, x2, g2, 0);
            // ⟨ρ1 ⊗ [x1; 1], ρ2 ⊗ [x2; 1]⟩ = ⟨ρ1, ρ2⟩ (⟨x1, x2⟩ + 1)
            double expected = dot(r1, r2) * (x1.dot(x2) + 1);
            assertEquals(expected, dot(g1, g2), 1e-12);
            assertEquals(3 * 65, exact.dimension());
        }
    }

    @Test
    void projectedSketchPreservesInnerProductsAndIsTheSameEverywhere() {
        Random random = new Random(2);
        GradientSketch exact = new GradientSketch(3, 64, 0, 7);
        GradientSketch projected = new GradientSketch(3, 64, 2048, 7);
        double worst = 0;
        for (int trial = 0; trial < 30; trial++) {
            double[] r1 = residual(random, 3);
            double[] r2 = residual(random, 3);
            HashedFeatures.Sparse x1 = FEATURES.of(words(random));
            HashedFeatures.Sparse x2 = FEATURES.of(words(random));
            double[] g1 = new double[exact.dimension()];
            double[] g2 = new double[exact.dimension()];
            exact.write(r1, x1, g1, 0);
            exact.write(r2, x2, g2, 0);
            double[] p1 = new double[2048];
            double[] p2 = new double[2048];
            projected.write(r1, x1, p1, 0);
            projected.write(r2, x2, p2, 0);
            // Johnson-Lindenstrauss: the error is about ‖g1‖‖g2‖/√k.
            double error = Math.abs(dot(p1, p2) - dot(g1, g2)) / Math.sqrt(dot(g1, g1) * dot(g2, g2));
            worst = Math.max(worst, error);
            double[] again = new double[2048];
            new GradientSketch(3, 64, 2048, 7).write(r1, x1, again, 0);
            assertArrayEquals(p1, again, "a fresh sketch with the same seed draws the same matrix");
        }
        assertTrue(worst < 0.12, "worst relative error " + worst);
        double[] other = new double[2048];
        double[] p = new double[2048];
        double[] rho = {0.5, -0.25, -0.25};
        HashedFeatures.Sparse x = FEATURES.of("one two three");
        projected.write(rho, x, p, 0);
        new GradientSketch(3, 64, 2048, 8).write(rho, x, other, 0);
        assertTrue(Math.abs(dot(p, other)) / Math.sqrt(dot(p, p) * dot(other, other)) < 0.15, "another seed, another matrix");
    }

    @Test
    void projectedSketchIsTheSignMatrixTimesTheGradientToTheBit() {
        Random random = new Random(4);
        for (int k : new int[] {1, 64, 100, 128, 300}) {
            GradientSketch sketch = new GradientSketch(3, 64, k, 11);
            for (int trial = 0; trial < 10; trial++) {
                double[] rho = residual(random, 3);
                rho[trial % 3] = trial < 3 ? 0 : rho[trial % 3];
                HashedFeatures.Sparse x = FEATURES.of(words(random));
                int offset = 5;
                double[] fast = new double[offset + k];
                sketch.write(rho, x, fast, offset);
                // The definition, summed in the same order: column by column, +v or -v per sign bit.
                double[] plain = new double[offset + k];
                long[] signs = new long[(k + 63) / 64];
                double scale = 1.0 / Math.sqrt(k);
                for (int a = 0; a < 3; a++) {
                    if (rho[a] == 0) {
                        continue;
                    }
                    for (int j = 0; j <= x.indices().length; j++) {
                        int feature = j < x.indices().length ? x.indices()[j] : 64;
                        double v = rho[a] * (j < x.indices().length ? x.values()[j] : 1.0) * scale;
                        sketch.column(a, feature, signs);
                        for (int r = 0; r < k; r++) {
                            plain[offset + r] += ((signs[r / 64] >>> (r % 64)) & 1L) == 0 ? v : -v;
                        }
                    }
                }
                assertArrayEquals(plain, fast, "k = " + k);
            }
        }
    }

    @Test
    void kernelEqualsTheTripleLoopInBothPrecisions() {
        Random random = new Random(3);
        int rows = 37;
        int cols = 23;
        int d = 19;
        double[] a = new double[rows * d];
        double[] b = new double[cols * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextGaussian();
        }
        double[] out = new double[rows * cols];
        ScoreKernel.scores(a, rows, b, cols, d, out);
        float[] af = new float[a.length];
        float[] bf = new float[b.length];
        for (int i = 0; i < a.length; i++) {
            af[i] = (float) a[i];
        }
        for (int i = 0; i < b.length; i++) {
            bf[i] = (float) b[i];
        }
        float[] outf = new float[rows * cols];
        ScoreKernel.scores(af, rows, ScoreKernel.columns(bf, cols, d), outf);
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += a[i * d + k] * b[c * d + k];
                }
                assertEquals(s, out[i * cols + c], 1e-12, "double " + i + "," + c);
                assertEquals(s, outf[i * cols + c], 1e-4, "float " + i + "," + c);
            }
        }
    }

    @Test
    void preconditionerSolvesTheDampedSystem() {
        Random random = new Random(4);
        int k = 6;
        double[] sum = new double[k * k];
        int n = 40;
        for (int t = 0; t < n; t++) {
            double[] phi = new double[k];
            for (int i = 0; i < k; i++) {
                phi[i] = random.nextGaussian() * (i + 1);
            }
            Preconditioner.accumulate(sum, phi, 0, k);
        }
        Preconditioner inverse = Preconditioner.of(sum, n, k, 0.1);
        double trace = 0;
        for (int i = 0; i < k; i++) {
            trace += sum[i * k + i] / n;
        }
        double lambda = 0.1 * trace / k;
        double[] v = {1, -2, 3, 0.5, 0, 4};
        double[] x = v.clone();
        inverse.apply(x, 0);
        for (int i = 0; i < k; i++) {
            double row = lambda * x[i];
            for (int j = 0; j < k; j++) {
                row += sum[i * k + j] / n * x[j];
            }
            assertEquals(v[i], row, 1e-9, "(F + λI) x = v at " + i);
        }
    }

    @Test
    void paramsComeFromTheModelWithDefaultsAndClearErrors() {
        assertEquals(GradientParams.DEFAULTS.projection(), GradientParams.of(null).projection());
        GradientParams p = GradientParams.of(Map.of("gradient.projection", "0", "gradient.checkpoints", "2,4",
                "gradient.seed", "9007199254740993"));
        assertTrue(p.exact());
        assertArrayEquals(new int[] {2, 4}, p.checkpoints());
        assertEquals(9007199254740993L, p.seed(), "seeds beyond 2^53 stay exact");
        assertEquals("gradient.checkpoints must be strictly increasing, got [4, 2]",
                assertThrows(IllegalArgumentException.class, () -> GradientParams.of(Map.of("gradient.checkpoints", "4,2"))).getMessage());
        assertEquals("gradient.preconditioner must be identity or gauss-newton, got 'newton'",
                assertThrows(IllegalArgumentException.class, () -> GradientParams.of(Map.of("gradient.preconditioner", "newton")))
                        .getMessage());
    }

    private static double[] residual(Random random, int classes) {
        double[] p = new double[classes];
        double total = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = Math.exp(random.nextGaussian());
            total += p[c];
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= total;
        }
        p[random.nextInt(classes)] -= 1;
        return p;
    }

    private static String words(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 6 + random.nextInt(10); i++) {
            s.append("w").append(random.nextInt(30)).append(' ');
        }
        return s.toString();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

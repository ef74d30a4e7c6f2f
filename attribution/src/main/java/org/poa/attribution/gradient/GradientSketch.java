package org.poa.attribution.gradient;

import java.io.Serializable;

/**
 * Maps a per-example gradient g = ρ ⊗ [x; 1] of one checkpoint to the vector the scores are inner
 * products of: in exact mode g itself, flattened class-major (K·(D+1) numbers); in projected mode
 * R·g with R a seeded Rademacher matrix scaled by 1/√k (TRAK / LoGra style), computed from the
 * rank-1 factors without materializing g or R: each (class, feature) pair's column of k signs is
 * drawn from a SplitMix64 stream keyed by (seed, class, feature), so R needs no memory and every
 * executor draws the same matrix.
 */
public final class GradientSketch implements Serializable {

    private final int classes;
    private final int features;
    private final int k;
    private final long seed;

    public GradientSketch(int classes, int features, int projection, long seed) {
        this.classes = classes;
        this.features = features;
        this.k = projection;
        this.seed = seed;
    }

    /** Numbers per checkpoint. */
    public int dimension() {
        return k == 0 ? classes * (features + 1) : k;
    }

    /** Writes the sketch of ρ ⊗ [x; 1] into out[offset, offset + dimension()). */
    public void write(double[] rho, HashedFeatures.Sparse x, double[] out, int offset) {
        int[] idx = x.indices();
        double[] val = x.values();
        if (k == 0) {
            int row = features + 1;
            for (int a = 0; a < classes; a++) {
                int base = offset + a * row;
                for (int j = 0; j < idx.length; j++) {
                    out[base + idx[j]] = rho[a] * val[j];
                }
                out[base + features] = rho[a];
            }
            return;
        }
        double scale = 1.0 / Math.sqrt(k);
        long[] signs = new long[(k + 63) / 64];
        for (int a = 0; a < classes; a++) {
            if (rho[a] == 0) {
                continue;
            }
            for (int j = 0; j <= idx.length; j++) {
                int feature = j < idx.length ? idx[j] : features; // the bias column last
                double v = rho[a] * (j < idx.length ? val[j] : 1.0) * scale;
                column(a, feature, signs);
                for (int r = 0; r < k; r++) {
                    out[offset + r] += ((signs[r >>> 6] >>> (r & 63)) & 1L) == 0 ? v : -v;
                }
            }
        }
    }

    /** The k sign bits of R's column for (class, feature). */
    private void column(int a, int feature, long[] bits) {
        long state = seed ^ (0x9E3779B97F4A7C15L * (a + 1)) ^ (0xC2B2AE3D27D4EB4FL * (feature + 1L));
        for (int w = 0; w < bits.length; w++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            bits[w] = z ^ (z >>> 31);
        }
    }
}

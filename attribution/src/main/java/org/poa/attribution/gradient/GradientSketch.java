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
                addSigned(v, signs, out, offset);
            }
        }
    }

    /**
     * out[offset + r] += v where sign bit r is 0, -v where it is 1. The bit goes straight into the
     * sign of v's IEEE bits (-v is exactly v with its sign flipped), so the sum is the same to the
     * bit as with a branch, without one: the signs are random, and a branch on them mispredicted half
     * the time (it was most of the epoch's gradient step).
     */
    private void addSigned(double v, long[] signs, double[] out, int offset) {
        long bits = Double.doubleToRawLongBits(v);
        for (int w = 0; w < signs.length; w++) {
            long word = signs[w];
            int base = offset + (w << 6);
            int n = Math.min(64, k - (w << 6));
            for (int r = 0; r < n; r++) {
                out[base + r] += Double.longBitsToDouble(bits ^ ((word >>> r) << 63));
            }
        }
    }

    /** The k sign bits of R's column for (class, feature): bit r of word r / 64 is 1 for -1. */
    void column(int a, int feature, long[] bits) {
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

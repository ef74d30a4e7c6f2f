package org.poa.attribution.gradient;

import dev.ludovic.netlib.lapack.LAPACK;
import java.io.Serializable;
import org.netlib.util.intW;

/**
 * The damped inverse Gauss-Newton matrix of one checkpoint in projected space:
 * (F + λ I)⁻¹ with F = (1/T) Σ_t φ_t φ_tᵀ over the T training vectors and λ = damping · tr(F) / k.
 * For softmax cross-entropy at the training labels F is the empirical Fisher, the Gauss-Newton
 * approximation TRAK and LoGra use. Factored once (LAPACK Cholesky), applied to each training vector.
 */
public final class Preconditioner implements Serializable {

    private final int k;
    private final double[] factor;

    private Preconditioner(int k, double[] factor) {
        this.k = k;
        this.factor = factor;
    }

    /** Accumulates Σ φ φᵀ (upper triangle suffices for LAPACK; the full matrix keeps it simple). */
    public static void accumulate(double[] sum, double[] phi, int offset, int k) {
        for (int i = 0; i < k; i++) {
            double pi = phi[offset + i];
            if (pi == 0) {
                continue;
            }
            int row = i * k;
            for (int j = 0; j < k; j++) {
                sum[row + j] += pi * phi[offset + j];
            }
        }
    }

    /** Factors (sum / count + λ I). */
    public static Preconditioner of(double[] sum, long count, int k, double damping) {
        double[] a = new double[k * k];
        double trace = 0;
        for (int i = 0; i < k * k; i++) {
            a[i] = count == 0 ? 0 : sum[i] / count;
        }
        for (int i = 0; i < k; i++) {
            trace += a[i * k + i];
        }
        double lambda = damping * (trace > 0 ? trace / k : 1.0);
        for (int i = 0; i < k; i++) {
            a[i * k + i] += lambda;
        }
        intW info = new intW(0);
        LAPACK.getInstance().dpotrf("U", k, a, k, info);
        if (info.val != 0) {
            throw new IllegalStateException("the damped Gauss-Newton matrix is not positive definite (LAPACK dpotrf info "
                    + info.val + ")");
        }
        return new Preconditioner(k, a);
    }

    /** v[offset, offset + k) ← (F + λ I)⁻¹ v[offset, offset + k), in place. */
    public void apply(double[] v, int offset) {
        double[] b = new double[k];
        System.arraycopy(v, offset, b, 0, k);
        intW info = new intW(0);
        LAPACK.getInstance().dpotrs("U", k, 1, factor, k, b, k, info);
        System.arraycopy(b, 0, v, offset, k);
    }
}

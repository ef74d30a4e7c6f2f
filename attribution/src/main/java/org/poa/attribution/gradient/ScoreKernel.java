package org.poa.attribution.gradient;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The scoring kernel: a block of inference vectors (rows × d, row major) times the transposed matrix
 * of contributor (or contribution) vectors (cols × d, row major) gives rows × cols scores, row
 * major. One BLAS GEMM per block through the BLAS Spark already ships (dev.ludovic.netlib: its
 * Vector API implementation when the JVM has jdk.incubator.vector, a Java one otherwise): no
 * per-pair objects, the inner loop is the library's blocked, vectorized product.
 */
public final class ScoreKernel {

    private static final BLAS BLAS_INSTANCE = BLAS.getInstance();

    private ScoreKernel() {
    }

    /** Single precision (projected mode, imported vectors). */
    public static void scores(float[] rowsMatrix, int rows, float[] colsMatrix, int cols, int d, float[] out) {
        // Column-major view: out^T (cols × rows) = colsMatrix (d × cols)^T · rowsMatrix (d × rows).
        BLAS_INSTANCE.sgemm("T", "N", cols, rows, d, 1f, colsMatrix, d, rowsMatrix, d, 0f, out, cols);
    }

    /** Double precision (exact mode). */
    public static void scores(double[] rowsMatrix, int rows, double[] colsMatrix, int cols, int d, double[] out) {
        BLAS_INSTANCE.dgemm("T", "N", cols, rows, d, 1.0, colsMatrix, d, rowsMatrix, d, 0.0, out, cols);
    }

    /** Which implementation the JVM got (reported by the benchmark). */
    public static String implementation() {
        return BLAS_INSTANCE.getClass().getName();
    }
}

package org.poa.attribution.gradient;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The scoring kernel: a block of inference vectors (rows × d, row major) times the transposed matrix
 * of contributor (or contribution) vectors gives rows × cols scores, row major; no per-pair objects.
 *
 * Single precision (projected mode, imported vectors, the hot path) runs {@link VectorScoreKernel},
 * a register-blocked Vector API micro-kernel over columns packed once per task
 * ({@link #columns}), when the JVM has jdk.incubator.vector (bin/poa and spark-submit add it) and a
 * vector unit of at least 8 float lanes; otherwise one BLAS sgemm per block through the BLAS Spark
 * already ships (dev.ludovic.netlib). Both compute the same float products (they differ only in
 * rounding), and callers re-score their candidates exactly in double, so results do not depend on
 * which one an executor got. Double precision (exact mode, small models) is BLAS dgemm.
 */
public final class ScoreKernel {

    private static final BLAS BLAS_INSTANCE = BLAS.getInstance();
    private static final boolean VECTOR = vectorKernelUsable();

    private ScoreKernel() {
    }

    private static boolean vectorKernelUsable() {
        if (Boolean.getBoolean("poa.kernel.blas")
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorScoreKernel.lanes() >= 8;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Lays out {@code count} column vectors (count × d, row major) for {@link #scores(float[], int, ScoreColumns, float[])}. */
    public static ScoreColumns columns(float[] matrix, int count, int d) {
        if (matrix.length < count * d) {
            throw new IllegalArgumentException("matrix has " + matrix.length + " floats, " + count + " x " + d + " expected");
        }
        if (VECTOR && count > 0) {
            return VectorScoreKernel.pack(matrix, count, d);
        }
        return blasColumns(matrix, count, d);
    }

    /** The BLAS layout whatever the JVM has (tests compare the two kernels). */
    static ScoreColumns blasColumns(float[] matrix, int count, int d) {
        return new ScoreColumns(count, d, matrix, null, 0);
    }

    /** Whether single precision runs on the Vector API micro-kernel in this JVM. */
    public static boolean vectorKernel() {
        return VECTOR;
    }

    /** Single precision: out (rows × columns.count(), row major) = rowsMatrix · columnsᵀ. */
    public static void scores(float[] rowsMatrix, int rows, ScoreColumns columns, float[] out) {
        if (columns.count == 0 || rows == 0) {
            return;
        }
        if (columns.panels != null) {
            VectorScoreKernel.scores(rowsMatrix, rows, columns, out);
        } else {
            int cols = columns.count;
            int d = columns.dimension;
            // Column-major view: out^T (cols × rows) = matrix (d × cols)^T · rowsMatrix (d × rows).
            BLAS_INSTANCE.sgemm("T", "N", cols, rows, d, 1f, columns.matrix, d, rowsMatrix, d, 0f, out, cols);
        }
    }

    /** Double precision (exact mode). */
    public static void scores(double[] rowsMatrix, int rows, double[] colsMatrix, int cols, int d, double[] out) {
        BLAS_INSTANCE.dgemm("T", "N", cols, rows, d, 1.0, colsMatrix, d, rowsMatrix, d, 0.0, out, cols);
    }

    /** Which single-precision implementation the JVM got (reported by the benchmark). */
    public static String implementation() {
        return VECTOR ? VectorScoreKernel.describe() : "BLAS sgemm: " + BLAS_INSTANCE.getClass().getName();
    }
}

package org.poa.attribution.gradient;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision scores on Java's Vector API: a register-blocked micro-kernel that keeps a tile of
 * 6 inference rows × a few vectors of columns in registers while it walks the shared dimension once,
 * reading the columns from panels packed for it (dimension × panel width, contiguous) so every load
 * is a full aligned vector and a panel stays in the L1 cache across the rows of a block. A
 * general-purpose BLAS cannot assume a packed, reused operand and reloads its tiles per call.
 *
 * The tile's width follows the register file: 4 vectors (24 accumulators) where the preferred
 * species has 16 float lanes (AVX-512: 32 vector registers), 2 vectors (12 accumulators, the 6 × 16
 * of BLIS's Haswell kernel) below that (AVX2: 16 registers, where 24 accumulators spill to the stack
 * on every step of the dimension). docs/BENCHMARKS.md has both measured beside OpenBLAS.
 *
 * Each score is one fused multiply-add chain over the dimension in order, so it depends only on its
 * row and column, never on the block a row landed in nor on the tile's width. Loaded only when
 * jdk.incubator.vector is in the boot layer (see {@link ScoreKernel}).
 */
final class VectorScoreKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Vectors of columns per tile: 4 with 32 vector registers (16 float lanes), else 2. */
    static final int WIDE = 4;
    static final int NARROW = 2;
    static final int PREFERRED_VECTORS = LANES >= 16 ? WIDE : NARROW;
    /** Rows per micro-tile. */
    private static final int TILE_ROWS = 6;

    private VectorScoreKernel() {
    }

    /** Lanes of the preferred species (the caller falls back to BLAS when there is no real vector unit). */
    static int lanes() {
        return LANES;
    }

    static String describe() {
        return "Vector API micro-kernel (" + TILE_ROWS + " rows x " + PREFERRED_VECTORS * LANES + " columns, " + SPECIES + ")";
    }

    static ScoreColumns pack(float[] matrix, int count, int d) {
        return pack(matrix, count, d, PREFERRED_VECTORS);
    }

    /** Panels of {@code vectors} ({@link #WIDE} or {@link #NARROW}) vectors of columns: tests pack both. */
    static ScoreColumns pack(float[] matrix, int count, int d, int vectors) {
        if (vectors != WIDE && vectors != NARROW) {
            throw new IllegalArgumentException("panels of " + vectors + " vectors: " + WIDE + " or " + NARROW + " expected");
        }
        int width = vectors * LANES;
        int panels = (count + width - 1) / width;
        float[] packed = new float[panels * width * d];
        for (int c = 0; c < count; c++) {
            int base = (c / width) * width * d + c % width;
            for (int t = 0; t < d; t++) {
                packed[base + t * width] = matrix[c * d + t];
            }
        }
        return new ScoreColumns(count, d, null, packed, width);
    }

    /** out (rows × count, row major) = a (rows × d, row major) times the packed columns. */
    static void scores(float[] a, int rows, ScoreColumns columns, float[] out) {
        int d = columns.dimension;
        int count = columns.count;
        float[] packed = columns.panels;
        int width = columns.panelWidth;
        boolean wide = width == WIDE * LANES;
        float[] tile = null;
        for (int p = 0, col = 0; col < count; p++, col += width) {
            int panel = p * width * d;
            boolean partial = col + width > count;
            if (partial && tile == null) {
                tile = new float[TILE_ROWS * width];
            }
            int r = 0;
            for (; r + TILE_ROWS <= rows; r += TILE_ROWS) {
                float[] to = partial ? tile : out;
                int o = partial ? 0 : r * count + col;
                int stride = partial ? width : count;
                if (wide) {
                    tile6x4(a, r * d, d, packed, panel, to, o, stride);
                } else {
                    tile6x2(a, r * d, d, packed, panel, to, o, stride);
                }
                if (partial) {
                    copy(tile, TILE_ROWS, width, out, r, col, count);
                }
            }
            for (; r < rows; r++) {
                float[] to = partial ? tile : out;
                int o = partial ? 0 : r * count + col;
                if (wide) {
                    tile1x4(a, r * d, d, packed, panel, to, o);
                } else {
                    tile1x2(a, r * d, d, packed, panel, to, o);
                }
                if (partial) {
                    copy(tile, 1, width, out, r, col, count);
                }
            }
        }
    }

    private static void copy(float[] tile, int rows, int width, float[] out, int row, int col, int count) {
        int n = count - col;
        for (int i = 0; i < rows; i++) {
            System.arraycopy(tile, i * width, out, (row + i) * count + col, n);
        }
    }

    private static void tile6x4(float[] a, int a0, int d, float[] b, int panel, float[] out, int o, int stride) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        int a1 = a0 + d, a2 = a1 + d, a3 = a2 + d, a4 = a3 + d, a5 = a4 + d;
        for (int t = 0; t < d; t++) {
            int at = panel + t * 4 * LANES;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, at);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, at + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, at + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, at + 3 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + t]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(SPECIES, a[a1 + t]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(SPECIES, a[a2 + t]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(SPECIES, a[a3 + t]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(SPECIES, a[a4 + t]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(SPECIES, a[a5 + t]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52); c53 = x.fma(b3, c53);
        }
        // Stores written out: a helper taking vectors would box them whenever C2 does not inline it.
        int o0 = o;
        c00.intoArray(out, o0);
        c01.intoArray(out, o0 + LANES);
        c02.intoArray(out, o0 + 2 * LANES);
        c03.intoArray(out, o0 + 3 * LANES);
        int o1 = o + stride;
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + LANES);
        c12.intoArray(out, o1 + 2 * LANES);
        c13.intoArray(out, o1 + 3 * LANES);
        int o2 = o + 2 * stride;
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + LANES);
        c22.intoArray(out, o2 + 2 * LANES);
        c23.intoArray(out, o2 + 3 * LANES);
        int o3 = o + 3 * stride;
        c30.intoArray(out, o3);
        c31.intoArray(out, o3 + LANES);
        c32.intoArray(out, o3 + 2 * LANES);
        c33.intoArray(out, o3 + 3 * LANES);
        int o4 = o + 4 * stride;
        c40.intoArray(out, o4);
        c41.intoArray(out, o4 + LANES);
        c42.intoArray(out, o4 + 2 * LANES);
        c43.intoArray(out, o4 + 3 * LANES);
        int o5 = o + 5 * stride;
        c50.intoArray(out, o5);
        c51.intoArray(out, o5 + LANES);
        c52.intoArray(out, o5 + 2 * LANES);
        c53.intoArray(out, o5 + 3 * LANES);
    }

    private static void tile1x4(float[] a, int a0, int d, float[] b, int panel, float[] out, int o) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int t = 0; t < d; t++) {
            int at = panel + t * 4 * LANES;
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + t]);
            c0 = x.fma(FloatVector.fromArray(SPECIES, b, at), c0);
            c1 = x.fma(FloatVector.fromArray(SPECIES, b, at + LANES), c1);
            c2 = x.fma(FloatVector.fromArray(SPECIES, b, at + 2 * LANES), c2);
            c3 = x.fma(FloatVector.fromArray(SPECIES, b, at + 3 * LANES), c3);
        }
        c0.intoArray(out, o);
        c1.intoArray(out, o + LANES);
        c2.intoArray(out, o + 2 * LANES);
        c3.intoArray(out, o + 3 * LANES);
    }

    private static void tile6x2(float[] a, int a0, int d, float[] b, int panel, float[] out, int o, int stride) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        int a1 = a0 + d, a2 = a1 + d, a3 = a2 + d, a4 = a3 + d, a5 = a4 + d;
        for (int t = 0; t < d; t++) {
            int at = panel + t * 2 * LANES;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, at);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, at + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + t]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[a1 + t]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[a2 + t]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[a3 + t]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[a4 + t]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[a5 + t]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00.intoArray(out, o);
        c01.intoArray(out, o + LANES);
        int o1 = o + stride;
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + LANES);
        int o2 = o + 2 * stride;
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + LANES);
        int o3 = o + 3 * stride;
        c30.intoArray(out, o3);
        c31.intoArray(out, o3 + LANES);
        int o4 = o + 4 * stride;
        c40.intoArray(out, o4);
        c41.intoArray(out, o4 + LANES);
        int o5 = o + 5 * stride;
        c50.intoArray(out, o5);
        c51.intoArray(out, o5 + LANES);
    }

    private static void tile1x2(float[] a, int a0, int d, float[] b, int panel, float[] out, int o) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = c0;
        for (int t = 0; t < d; t++) {
            int at = panel + t * 2 * LANES;
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + t]);
            c0 = x.fma(FloatVector.fromArray(SPECIES, b, at), c0);
            c1 = x.fma(FloatVector.fromArray(SPECIES, b, at + LANES), c1);
        }
        c0.intoArray(out, o);
        c1.intoArray(out, o + LANES);
    }
}

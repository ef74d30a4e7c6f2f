package org.poa.attribution.gradient;

/**
 * The column side of the scoring kernel (contributor or contribution vectors, single precision),
 * laid out once for the kernel this JVM runs: column panels for the Vector API micro-kernel, the
 * plain row-major matrix for BLAS. Built on the executor that scores (the layout depends on that
 * JVM's vector width), never serialized.
 */
public final class ScoreColumns {

    final int count;
    final int dimension;
    /** Row-major count × dimension (BLAS), or null. */
    final float[] matrix;
    /** Panels of {@code panelWidth} columns, each dimension × panelWidth row major, zero padded; or null. */
    final float[] panels;
    final int panelWidth;

    ScoreColumns(int count, int dimension, float[] matrix, float[] panels, int panelWidth) {
        this.count = count;
        this.dimension = dimension;
        this.matrix = matrix;
        this.panels = panels;
        this.panelWidth = panelWidth;
    }

    public int count() {
        return count;
    }

    public int dimension() {
        return dimension;
    }
}

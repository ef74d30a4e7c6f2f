package org.poa.jobs.attribute;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Gradient vectors inside the gradient step's Datasets: packed little-endian doubles, not boxed arrays. */
final class VectorBytes {

    private VectorBytes() {
    }

    static byte[] pack(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        return b.array();
    }

    static double[] unpack(byte[] bytes) {
        double[] v = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
        return v;
    }

    /** Unpacks into {@code out} at {@code offset}. */
    static void unpack(byte[] bytes, double[] out, int offset) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out, offset, bytes.length / 8);
    }
}

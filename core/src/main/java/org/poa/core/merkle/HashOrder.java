package org.poa.core.merkle;

import java.util.Arrays;

/**
 * Sorts fixed-width byte strings (hashes, addresses) by unsigned byte order without a comparator
 * object per element: a primitive sort of (first 4 bytes, index) pairs packed into longs, then the
 * rare runs that share those 4 bytes are finished by comparing whole strings.
 */
final class HashOrder {

    private HashOrder() {
    }

    /** Indices 0..n-1 ordered by {@code data[width*i, width*i+width)}, ties by index. */
    static int[] sort(byte[] data, int width, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int at = width * i;
            long prefix = (data[at] & 0xffL) << 24 | (data[at + 1] & 0xffL) << 16 | (data[at + 2] & 0xffL) << 8 | (data[at + 3] & 0xffL);
            // Flip the top bit so a signed sort of the packed longs is an unsigned sort of the prefix.
            keys[i] = (prefix ^ 0x80000000L) << 32 | i;
        }
        Arrays.parallelSort(keys);
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = (int) keys[k];
        }
        int runStart = 0;
        for (int k = 1; k <= n; k++) {
            if (k == n || (keys[k] >>> 32) != (keys[runStart] >>> 32)) {
                if (k - runStart > 32) {
                    // Long runs happen with chosen prefixes (vanity addresses 0x00000000...): no quadratic sort.
                    Integer[] run = new Integer[k - runStart];
                    for (int m = 0; m < run.length; m++) {
                        run[m] = order[runStart + m];
                    }
                    Arrays.sort(run, (a, b) -> compare(data, width, a, b));
                    for (int m = 0; m < run.length; m++) {
                        order[runStart + m] = run[m];
                    }
                } else if (k - runStart > 1) {
                    insertionSort(order, runStart, k, data, width);
                }
                runStart = k;
            }
        }
        return order;
    }

    static int compare(byte[] data, int width, int i, int j) {
        int c = Arrays.compareUnsigned(data, width * i, width * i + width, data, width * j, width * j + width);
        return c != 0 ? c : Integer.compare(i, j);
    }

    private static void insertionSort(int[] order, int from, int to, byte[] data, int width) {
        for (int k = from + 1; k < to; k++) {
            int v = order[k];
            int m = k - 1;
            while (m >= from && compare(data, width, order[m], v) > 0) {
                order[m + 1] = order[m];
                m--;
            }
            order[m + 1] = v;
        }
    }
}

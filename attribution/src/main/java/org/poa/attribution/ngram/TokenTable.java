package org.poa.attribution.ngram;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Token string to id, exact, laid out flat: an open-addressing table of (hash, id) longs and the
 * words' UTF-8 bytes end to end in one array. A lookup touches the table and the words' array, not
 * three scattered objects as a {@code HashMap<String, Integer>} does; on a corpus-sized vocabulary
 * that halves the cost of mapping an output to ids. Words are kept and compared as UTF-8, so an
 * output's tokens are looked up straight from its UTF-8 bytes, with the hash {@link OutputTokens}
 * computed while it split them ({@link #hash}); equal bytes are equal strings.
 */
final class TokenTable {

    private long[] slots = new long[1 << 10];
    private byte[] bytes = new byte[1 << 12];
    private int[] offsets = new int[1 << 9];
    private int size;
    private int used;

    int size() {
        return size;
    }

    /** The hash a word is filed under: 31-polynomial over its UTF-8 bytes (unsigned), the last byte added last. */
    static int hash(byte[] utf8, int from, int to) {
        int hash = 0;
        for (int j = from; j < to; j++) {
            hash = 31 * hash + (utf8[j] & 0xFF);
        }
        return hash;
    }

    /** The id of the word {@code utf8[from, to)} whose {@link #hash} is {@code hash}, or -1; no copy is made. */
    int get(byte[] utf8, int from, int to, int hash) {
        return (int) slots[slotOf(utf8, from, to, hash)] - 1;
    }

    /** The slot holding the word {@code utf8[from, to)}, or the empty slot where it would go. */
    private int slotOf(byte[] utf8, int from, int to, int hash) {
        int mask = slots.length - 1;
        for (int at = spread(hash) & mask; ; at = (at + 1) & mask) {
            long slot = slots[at];
            if (slot == 0 || ((int) (slot >>> 32) == hash && matches((int) slot - 1, utf8, from, to))) {
                return at;
            }
        }
    }

    /** Bytes held by the table's arrays. */
    long bytes() {
        return 8L * slots.length + bytes.length + 4L * offsets.length;
    }

    /** The word's id, adding it with the next id when new. */
    int add(String word) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        int hash = hash(utf8, 0, utf8.length);
        int at = slotOf(utf8, 0, utf8.length, hash);
        if (slots[at] != 0) {
            return (int) slots[at] - 1;
        }
        int id = append(utf8);
        slots[at] = ((long) hash << 32) | (id + 1L);
        if (2L * size > slots.length) {
            grow();
        }
        return id;
    }

    private boolean matches(int id, byte[] utf8, int from, int to) {
        int start = offsets[id];
        int length = offsets[id + 1] - start;
        return length == to - from && Arrays.equals(bytes, start, start + length, utf8, from, to);
    }

    private int append(byte[] utf8) {
        if (size + 2 > offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        while (used + utf8.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        System.arraycopy(utf8, 0, bytes, used, utf8.length);
        offsets[size] = used;
        used += utf8.length;
        offsets[size + 1] = used;
        return size++;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long slot : old) {
            if (slot != 0) {
                int at = spread((int) (slot >>> 32)) & mask;
                while (slots[at] != 0) {
                    at = (at + 1) & mask;
                }
                slots[at] = slot;
            }
        }
    }

    private static int spread(int hash) {
        return (hash * 0x9E3779B9) ^ (hash >>> 16);
    }
}

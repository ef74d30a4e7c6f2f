package org.poa.attribution.ngram;

import java.util.Arrays;

/**
 * Token string to id, exact, laid out flat: an open-addressing table of (hash, id) longs and the
 * words' characters end to end in one array. A lookup touches the table and the words' array, not
 * three scattered objects as a {@code HashMap<String, Integer>} does; on a corpus-sized vocabulary
 * that halves the cost of mapping an output to ids.
 */
final class TokenTable {

    private long[] slots = new long[1 << 10];
    private char[] chars = new char[1 << 12];
    private int[] offsets = new int[1 << 9];
    private int size;
    private int used;

    int size() {
        return size;
    }

    /** The word's id, or -1. */
    int get(String word) {
        long slot = slots[slotOf(word, word.hashCode())];
        return slot == 0 ? -1 : (int) slot - 1;
    }

    /** The id of the word {@code text[from, to)}, or -1; no substring is made. */
    int get(String text, int from, int to) {
        int hash = 0;
        for (int j = from; j < to; j++) {
            hash = 31 * hash + text.charAt(j);
        }
        int mask = slots.length - 1;
        for (int at = spread(hash) & mask; ; at = (at + 1) & mask) {
            long slot = slots[at];
            if (slot == 0) {
                return -1;
            }
            if ((int) (slot >>> 32) == hash && matches((int) slot - 1, text, from, to)) {
                return (int) slot - 1;
            }
        }
    }

    /** Bytes held by the table's arrays. */
    long bytes() {
        return 8L * slots.length + 2L * chars.length + 4L * offsets.length;
    }

    /** The word's id, adding it with the next id when new. */
    int add(String word) {
        int hash = word.hashCode();
        int at = slotOf(word, hash);
        if (slots[at] != 0) {
            return (int) slots[at] - 1;
        }
        int id = append(word);
        slots[at] = ((long) hash << 32) | (id + 1L);
        if (2L * size > slots.length) {
            grow();
        }
        return id;
    }

    /** The slot holding the word, or the empty slot where it would go. */
    private int slotOf(String word, int hash) {
        int mask = slots.length - 1;
        for (int at = spread(hash) & mask; ; at = (at + 1) & mask) {
            long slot = slots[at];
            if (slot == 0 || ((int) (slot >>> 32) == hash && matches((int) slot - 1, word))) {
                return at;
            }
        }
    }

    private boolean matches(int id, String word) {
        int from = offsets[id];
        int length = offsets[id + 1] - from;
        if (length != word.length()) {
            return false;
        }
        for (int j = 0; j < length; j++) {
            if (chars[from + j] != word.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private boolean matches(int id, String text, int from, int to) {
        int start = offsets[id];
        if (offsets[id + 1] - start != to - from) {
            return false;
        }
        for (int j = from; j < to; j++) {
            if (chars[start + j - from] != text.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private int append(String word) {
        if (size + 2 > offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        while (used + word.length() > chars.length) {
            chars = Arrays.copyOf(chars, chars.length * 2);
        }
        word.getChars(0, word.length(), chars, used);
        offsets[size] = used;
        used += word.length();
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

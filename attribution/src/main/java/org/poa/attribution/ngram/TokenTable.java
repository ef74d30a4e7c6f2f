package org.poa.attribution.ngram;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Token string to id, exact, laid out flat: an open-addressing table whose slot is two longs, the
 * word's first 8 UTF-8 bytes (zero-padded) and its length beside its id, and the words' bytes end
 * to end in one array. A word of at most 8 bytes is found, or found missing, from its slot alone:
 * one cache line, where a slot of (hash, id) sent every lookup on to the words' offsets and bytes,
 * three dependent misses once the table outgrows the cache. Only longer words compare their
 * remaining bytes. Words are kept and compared as UTF-8, so an output's tokens are looked up
 * straight from its UTF-8 bytes, with the hash {@link OutputTokens} computed while it split them
 * ({@link #hash}); equal bytes are equal strings.
 */
final class TokenTable {

    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int INLINE = 8;
    /** A lookup's id before its slot is read: not yet known. */
    private static final int PENDING = -2;

    /** Slot s: {@code slots[2s]} the word's first 8 bytes, {@code slots[2s+1]} its length &lt;&lt; 32 | (id + 1); 0 when empty. */
    private long[] slots = new long[2 << 10];
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

    /**
     * The ids of {@code count} words of {@code utf8}, word i at {@code [starts[i], ends[i])} with
     * {@link #hash} {@code hashes[i]}, -1 for a word the table lacks; no copy is made. First every
     * word's home slot is read in one loop of independent reads, which the CPU overlaps; only a word
     * its home slot does not settle (another word is there, or the word is longer than 8 bytes)
     * probes on.
     */
    int[] ids(byte[] utf8, int[] starts, int[] ends, int[] hashes, int count) {
        int mask = slots.length / 2 - 1;
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = 2 * (spread(hashes[i]) & mask);
        }
        // Only reads here: a compare on a word just read would stall the loop on each miss.
        long[] held = new long[2 * count];
        for (int i = 0; i < count; i++) {
            int at = ids[i];
            held[2 * i] = slots[at];
            held[2 * i + 1] = slots[at + 1];
        }
        boolean pending = false;
        for (int i = 0; i < count; i++) {
            int length = ends[i] - starts[i];
            long meta = held[2 * i + 1];
            boolean found = held[2 * i] == key(utf8, starts[i], ends[i]) && (int) (meta >>> 32) == length && length <= INLINE;
            // Found, or missing for sure (an empty home slot), or to be settled below.
            ids[i] = found ? (int) meta - 1 : meta == 0 ? -1 : PENDING;
            pending |= ids[i] == PENDING;
        }
        for (int i = 0; pending && i < count; i++) {
            if (ids[i] == PENDING) {
                ids[i] = (int) slots[slotOf(utf8, starts[i], ends[i], hashes[i], key(utf8, starts[i], ends[i])) + 1] - 1;
            }
        }
        return ids;
    }

    /** The index in {@code slots} of the slot holding the word, or of the empty slot where it would go. */
    private int slotOf(byte[] utf8, int from, int to, int hash, long key) {
        int mask = slots.length / 2 - 1;
        int length = to - from;
        for (int at = spread(hash) & mask; ; at = (at + 1) & mask) {
            long meta = slots[2 * at + 1];
            if (meta == 0 || (slots[2 * at] == key && (int) (meta >>> 32) == length
                    && (length <= INLINE || matchesTail((int) meta - 1, utf8, from, to)))) {
                return 2 * at;
            }
        }
    }

    /** The first 8 bytes of {@code utf8[from, to)}, little-endian, zero-padded. */
    private static long key(byte[] utf8, int from, int to) {
        int length = to - from;
        if (from + INLINE <= utf8.length) {
            long eight = (long) EIGHT_BYTES.get(utf8, from);
            return length >= INLINE ? eight : eight & ((1L << (length << 3)) - 1);
        }
        long key = 0;
        for (int j = Math.min(length, INLINE) - 1; j >= 0; j--) {
            key = key << 8 | (utf8[from + j] & 0xFF);
        }
        return key;
    }

    /** Bytes held by the table's arrays. */
    long bytes() {
        return 8L * slots.length + bytes.length + 4L * offsets.length;
    }

    /** The word's id, adding it with the next id when new. */
    int add(String word) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        int at = slotOf(utf8, 0, utf8.length, hash(utf8, 0, utf8.length), key(utf8, 0, utf8.length));
        if (slots[at + 1] != 0) {
            return (int) slots[at + 1] - 1;
        }
        int id = append(utf8);
        slots[at] = key(utf8, 0, utf8.length);
        slots[at + 1] = ((long) utf8.length << 32) | (id + 1L);
        if (4L * size > slots.length) {
            grow();
        }
        return id;
    }

    /** Whether word {@code id}, as long as {@code utf8[from, to)} and with its first 8 bytes, has its other bytes too. */
    private boolean matchesTail(int id, byte[] utf8, int from, int to) {
        int start = offsets[id];
        return Arrays.equals(bytes, start + INLINE, offsets[id + 1], utf8, from + INLINE, to);
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

    /** Twice the slots, the words placed again by their hash (kept at most half full). */
    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length / 2 - 1;
        for (int s = 0; s < old.length; s += 2) {
            if (old[s + 1] != 0) {
                int id = (int) old[s + 1] - 1;
                int at = spread(hash(bytes, offsets[id], offsets[id + 1])) & mask;
                while (slots[2 * at + 1] != 0) {
                    at = (at + 1) & mask;
                }
                slots[2 * at] = old[s];
                slots[2 * at + 1] = old[s + 1];
            }
        }
    }

    private static int spread(int hash) {
        return (hash * 0x9E3779B9) ^ (hash >>> 16);
    }
}

package org.poa.attribution.ngram;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * An in-memory index of a corpus (the allowed documents of some shards) that answers DESIGN.md's
 * span rule exactly for one {@code min_span} = k.
 *
 * <p>Structure: every document's tokens, as ids of one vocabulary, laid end to end with a separator
 * between documents; a hash table from each k-gram to the chain of positions where it starts.
 * A query walks an output once: at position i it looks up the k-gram t[i..i+k) and extends every
 * occurrence to the right token by token, which gives L(i) and the positions that reach it. Spans
 * longer than k cost nothing extra to find; k-gram equality is checked on the tokens themselves, so
 * hash collisions cannot make a false match.
 *
 * <p>Memory: about 20 bytes per corpus token (tokens, chain links, table), plus the vocabulary.
 * Immutable after {@link Builder#build()}, safe for concurrent queries.
 */
public final class SpanIndex {

    /** Between documents; no token id is negative, so extension always stops here. */
    private static final int SEPARATOR = Integer.MIN_VALUE;
    private static final int UNKNOWN = -1;
    private static final long BASE = 0x9E3779B97F4A7C15L;

    private final int k;
    private final TokenTable vocabulary;
    private final int[] tokens;
    private final int[] documentStart;
    private final String[] documentIds;
    private final int[] next;
    /**
     * Two hash tables, chosen by bit 31 of a k-gram's hash, so that two threads can fill them at
     * once. Per slot: the k-gram's fingerprint (high 32 bits) and its chain's head position + 1
     * (low 32); 0 = empty.
     */
    private final long[][] tables = new long[2][];
    private final int mask;

    private SpanIndex(int k, TokenTable vocabulary, int[] tokens, int[] documentStart,
                      String[] documentIds) {
        this.k = k;
        this.vocabulary = vocabulary;
        this.tokens = tokens;
        this.documentStart = documentStart;
        this.documentIds = documentIds;
        this.next = new int[tokens.length];
        long windows = 0;
        for (int d = 0; d < documentIds.length; d++) {
            windows += Math.max(0, documentLength(d) - k + 1);
        }
        long perTable = windows / 2 + windows / 6 + 16;
        int capacity = Integer.highestOneBit((int) Math.min(1L << 30, perTable));
        if (capacity < perTable && capacity < (1 << 30)) {
            capacity <<= 1;
        }
        this.mask = capacity - 1;
        tables[0] = new long[capacity];
        tables[1] = new long[capacity];
        // The tables are independent and every position belongs to one of them: fill them in
        // parallel (a corpus-sized build is bound by memory latency, not by one core).
        Thread other = new Thread(() -> fill(1), "span-index-build");
        other.start();
        fill(0);
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the span index", e);
        }
    }

    private void fill(int part) {
        for (int d = 0; d < documentIds.length; d++) {
            int start = documentStart[d];
            int last = start + documentLength(d) - k;
            for (int p = start; p <= last; p++) {
                long mixed = mix(hash(tokens, p, k));
                if (part(mixed) == part) {
                    insert(tables[part], p, mixed);
                }
            }
        }
    }

    private static int part(long mixed) {
        return (int) (mixed >>> 31) & 1;
    }

    public int k() {
        return k;
    }

    public int documentCount() {
        return documentIds.length;
    }

    /** Corpus tokens held (separators excluded). */
    public long tokenCount() {
        return tokens.length - documentIds.length - 1L;
    }

    public int vocabularySize() {
        return vocabulary.size();
    }

    /**
     * Steps 1 to 3 of the span rule for one output: the spans kept by maximality, in order of start,
     * each with the contributions holding it (a too-common span has its count and no contributions).
     */
    public List<Span> find(List<String> outputTokens, int maxCount) {
        int n = outputTokens.size();
        int[] q = new int[n];
        for (int i = 0; i < n; i++) {
            q[i] = vocabulary.get(outputTokens.get(i));
        }
        int windows = Math.max(0, n - k + 1);
        // Pass 1: every window's table slot, loaded in a loop of independent reads so the CPU keeps
        // many cache misses in flight; most windows end here (empty slot: no match).
        long[] mixed = new long[windows];
        long[] first = new long[windows];
        int unknownUntil = -1;
        for (int i = 0; i < windows; i++) {
            if (i == 0) {
                for (int j = 0; j < k - 1; j++) {
                    if (q[j] == UNKNOWN) {
                        unknownUntil = j;
                    }
                }
            }
            if (q[i + k - 1] == UNKNOWN) {
                unknownUntil = i + k - 1;
            }
            if (unknownUntil >= i) {
                continue;
            }
            mixed[i] = mix(hash(q, i, k));
            first[i] = tables[part(mixed[i])][(int) mixed[i] & mask];
        }
        List<Span> kept = new ArrayList<>();
        int rightEnd = 0;
        int[] best = new int[16];
        // Pass 2: the span rule, walking chains only where a slot was occupied.
        for (int i = 0; i < windows && rightEnd < n; i++) {
            if (first[i] == 0) {
                continue;
            }
            int head = lookup(q, i, mixed[i], first[i]);
            if (head < 0) {
                continue;
            }
            int longest = 0;
            int reached = 0;
            for (int p = head; p >= 0; p = next[p]) {
                int length = k;
                while (i + length < n && tokens[p + length] == q[i + length]) {
                    length++;
                }
                if (length > longest) {
                    longest = length;
                    reached = 0;
                }
                if (length == longest) {
                    if (reached == best.length) {
                        best = Arrays.copyOf(best, reached * 2);
                    }
                    best[reached++] = p;
                }
            }
            if (i + longest <= rightEnd) {
                continue;
            }
            rightEnd = i + longest;
            kept.add(span(i, longest, best, reached, maxCount));
        }
        return kept;
    }

    private Span span(int start, int length, int[] positions, int count, int maxCount) {
        // Positions come from the chain in descending order: their documents arrive sorted
        // (descending) too, so equal neighbours are the only repeats.
        List<String> holders = new ArrayList<>();
        int previous = -1;
        int distinct = 0;
        for (int j = 0; j < count; j++) {
            int document = documentOf(positions[j]);
            if (document != previous) {
                distinct++;
                previous = document;
                holders.add(documentIds[document]);
            }
        }
        if (distinct > maxCount) {
            return new Span(start, length, distinct, List.of());
        }
        holders.sort(null);
        return new Span(start, length, distinct, holders);
    }

    private int documentOf(int position) {
        int found = Arrays.binarySearch(documentStart, position);
        return found >= 0 ? found : -found - 2;
    }

    private int documentLength(int d) {
        int end = d + 1 < documentStart.length ? documentStart[d + 1] - 1 : tokens.length - 1;
        return end - documentStart[d];
    }

    /** The chain head of window i's k-gram, or -1; {@code slot} is the first probed slot's content. */
    private int lookup(int[] q, int i, long mixed, long slot) {
        long[] slots = tables[part(mixed)];
        int print = (int) (mixed >>> 32);
        for (int at = (int) mixed & mask; slot != 0; at = (at + 1) & mask, slot = slots[at]) {
            int head = (int) slot - 1;
            if ((int) (slot >>> 32) == print && Arrays.equals(tokens, head, head + k, q, i, i + k)) {
                return head;
            }
        }
        return -1;
    }

    private void insert(long[] slots, int p, long mixed) {
        int print = (int) (mixed >>> 32);
        long tag = (long) print << 32;
        for (int at = (int) mixed & mask; ; at = (at + 1) & mask) {
            long slot = slots[at];
            if (slot == 0) {
                slots[at] = tag | (p + 1L);
                next[p] = -1;
                return;
            }
            int head = (int) slot - 1;
            if ((int) (slot >>> 32) == print && Arrays.equals(tokens, head, head + k, tokens, p, p + k)) {
                next[p] = head;
                slots[at] = tag | (p + 1L);
                return;
            }
        }
    }

    private static long hash(int[] a, int from, int k) {
        long h = 0;
        for (int j = from; j < from + k; j++) {
            h = h * BASE + a[j] + 1;
        }
        return h;
    }

    /** MurmurHash3's 64-bit finalizer: spreads the polynomial hash over the table. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Loads shards (or documents) into one index. */
    public static final class Builder {
        private final int k;
        private final TokenTable vocabulary = new TokenTable();
        private int[] tokens;
        private int size;
        private int[] starts = new int[1024];
        private final List<String> ids = new ArrayList<>();

        /** {@code expectedTokens}: a hint (allowed documents' tokens) so the arrays are sized once. */
        public Builder(int k, long expectedTokens) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be positive");
            }
            this.k = k;
            this.tokens = new int[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(16, expectedTokens + 1))];
            tokens[size++] = SEPARATOR;
        }

        /** Adds one document given as tokens. */
        public Builder add(String contributionId, List<String> documentTokens) {
            int[] coded = new int[documentTokens.size()];
            for (int i = 0; i < coded.length; i++) {
                coded[i] = vocabulary.add(documentTokens.get(i));
            }
            append(contributionId, coded, coded.length);
            return this;
        }

        /** Adds the documents of a shard file whose ordinal is in {@code allowed} (null: all). */
        public Builder addShard(InputStream shard, BitSet allowed) throws IOException {
            int[][] remap = new int[1][];
            ShardFile.read(shard, new ShardFile.Visitor() {
                @Override
                public void header(int vocabularySize, int documentCount, long tokenCount) {
                    remap[0] = new int[vocabularySize];
                }

                @Override
                public void word(int index, String word) {
                    remap[0][index] = vocabulary.add(word);
                }

                @Override
                public boolean wants(int ordinal) {
                    return allowed == null || allowed.get(ordinal);
                }

                @Override
                public void document(int ordinal, String contributionId, int[] local, int length) {
                    for (int i = 0; i < length; i++) {
                        local[i] = remap[0][local[i]];
                    }
                    append(contributionId, local, length);
                }
            });
            return this;
        }

        private void append(String id, int[] coded, int length) {
            long needed = (long) size + length + 1;
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("an n-gram index holds at most 2^31 tokens: split the corpus");
            }
            if (needed > tokens.length) {
                tokens = Arrays.copyOf(tokens, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, tokens.length * 3L / 2)));
            }
            if (ids.size() == starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
            }
            starts[ids.size()] = size;
            ids.add(id);
            System.arraycopy(coded, 0, tokens, size, length);
            size += length;
            tokens[size++] = SEPARATOR;
        }

        public SpanIndex build() {
            return new SpanIndex(k, vocabulary, Arrays.copyOf(tokens, size),
                    Arrays.copyOf(starts, ids.size()), ids.toArray(String[]::new));
        }
    }
}

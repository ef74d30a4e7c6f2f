package org.poa.attribution.ngram;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * <p>Memory: about 16 bytes per corpus token (tokens, chain links, table), plus the vocabulary.
 * Immutable after {@link Builder#build()}, safe for concurrent queries.
 */
public final class SpanIndex {

    /** Between documents; no token id is negative, so extension always stops here. */
    private static final int SEPARATOR = Integer.MIN_VALUE;
    private static final int UNKNOWN = -1;
    private static final long BASE = 0x9E3779B97F4A7C15L;

    private final int k;
    private final Map<String, Integer> vocabulary;
    private final int[] tokens;
    private final int[] documentStart;
    private final String[] documentIds;
    private final int[] next;
    private final int[] slotHead;
    private final int[] slotPrint;
    private final int mask;

    private SpanIndex(int k, Map<String, Integer> vocabulary, int[] tokens, int[] documentStart,
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
        int capacity = Integer.highestOneBit((int) Math.max(16, Math.min(1L << 30, windows + windows / 3)));
        if (capacity < windows + windows / 3) {
            capacity <<= 1;
        }
        this.slotHead = new int[capacity];
        this.slotPrint = new int[capacity];
        this.mask = capacity - 1;
        for (int d = 0; d < documentIds.length; d++) {
            int start = documentStart[d];
            int last = start + documentLength(d) - k;
            for (int p = start; p <= last; p++) {
                insert(p, mix(hash(tokens, p, k)));
            }
        }
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
            q[i] = vocabulary.getOrDefault(outputTokens.get(i), UNKNOWN);
        }
        List<Span> kept = new ArrayList<>();
        int rightEnd = 0;
        int[] best = new int[16];
        for (int i = 0; i + k <= n && rightEnd < n; i++) {
            // A window holding a token the corpus never uses matches nothing: jump past that token.
            int unknown = lastUnknownIn(q, i, i + k);
            if (unknown >= 0) {
                i = unknown;
                continue;
            }
            int head = lookup(q, i);
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

    private static int lastUnknownIn(int[] q, int from, int to) {
        for (int j = to - 1; j >= from; j--) {
            if (q[j] == UNKNOWN) {
                return j;
            }
        }
        return -1;
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

    private int lookup(int[] q, int i) {
        long mixed = mix(hash(q, i, k));
        int print = (int) (mixed >>> 32);
        for (int slot = (int) mixed & mask; ; slot = (slot + 1) & mask) {
            int head = slotHead[slot] - 1;
            if (head < 0) {
                return -1;
            }
            if (slotPrint[slot] == print && Arrays.equals(tokens, head, head + k, q, i, i + k)) {
                return head;
            }
        }
    }

    private void insert(int p, long mixed) {
        int print = (int) (mixed >>> 32);
        for (int slot = (int) mixed & mask; ; slot = (slot + 1) & mask) {
            int head = slotHead[slot] - 1;
            if (head < 0) {
                slotHead[slot] = p + 1;
                slotPrint[slot] = print;
                next[p] = -1;
                return;
            }
            if (slotPrint[slot] == print && Arrays.equals(tokens, head, head + k, tokens, p, p + k)) {
                next[p] = head;
                slotHead[slot] = p + 1;
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
        private final Map<String, Integer> vocabulary = new HashMap<>();
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
                coded[i] = vocabulary.computeIfAbsent(documentTokens.get(i), w -> vocabulary.size());
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
                    remap[0][index] = vocabulary.computeIfAbsent(word, w -> vocabulary.size());
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

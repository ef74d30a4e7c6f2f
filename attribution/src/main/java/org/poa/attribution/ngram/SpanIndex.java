package org.poa.attribution.ngram;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * One shard of a model's n-gram index: an in-memory index of some of its corpus's documents that
 * answers the span rule's first two steps within those documents, for one {@code min_span} = k.
 * {@link SpanMerge} combines the answers of every shard into DESIGN.md's spans exactly, so a corpus
 * is held as shards of bounded size, each loaded where its share of the work runs.
 *
 * <p>What a shard answers for an output t[0..n): every start i whose longest match in the shard,
 * L_s(i) ≥ k, reaches further right than the match of every earlier start in the shard (the
 * shard's own maximality), with the number of the shard's documents holding t[i..i+L_s(i)) and,
 * when that number is at most {@code max_count}, their ids. A start the shard leaves out cannot be
 * a kept span that this shard holds: an earlier start of the same shard reaches at least as far, and
 * the merged rule's rightmost end only grows. See {@link SpanMerge}.
 *
 * <p>Layout, about 10 bytes per token:
 * <ul>
 *   <li>{@code tokens} (4 bytes a token): every document's tokens as ids of one vocabulary, end to
 *       end, with a separator after each document (an int no token has, so no match crosses a
 *       document boundary);</li>
 *   <li>{@code entries} (4 bytes a window): the start of every window (k tokens inside one
 *       document), grouped by the bucket its hash falls in, ascending within a bucket;</li>
 *   <li>{@code prints} (1 byte a window): 8 other bits of each window's hash, beside its entry, so a
 *       lookup reads a window's tokens only when the bits agree;</li>
 *   <li>{@code buckets} (8 bytes per 4 to 8 windows): where each bucket's entries end (a bucket
 *       starts where the previous one ends), and a 32-bit mask in which each of its windows sets
 *       two bits, chosen by 5 more bits of its hash and by 5 bits of its print.</li>
 * </ul>
 * A lookup hashes the output's k tokens and reads its bucket's word. Most k-grams of an output are
 * not in a given shard (each shard holds a share of the corpus), and most of those end there: one
 * of their two bits is not in the mask (with 4 to 8 windows a bucket, the windows of other k-grams
 * set both about 1 time in 20 to 1 in 6). Otherwise it compares the bucket's prints with the
 * window's (the first 8 in one read) and extends every entry whose print agrees and whose k tokens
 * equal the output's, token by token, until a mismatch, the separator or the output's end. Equality
 * is checked on the token ids, never on the hash, and the ids come from exact strings: a hash
 * collision costs time, never a false match. The index has no per-k-gram table and no chain links
 * (the chained hash table it replaced took about 20 bytes a token); it is built by a radix sort of
 * the windows by bucket in two levels (see {@link #build()}).
 * Immutable after {@link Builder#build()}, safe for concurrent queries.
 */
public final class SpanIndex {

    /** Between documents; no token id is negative, so extension always stops here. */
    private static final int SEPARATOR = Integer.MIN_VALUE;
    private static final int UNKNOWN = -1;
    private static final long BASE = 0x9E3779B97F4A7C15L;
    /**
     * Windows per bucket at most on average (the bucket count is a power of two, so 4 to 8): a
     * lookup that passes the mask scans about this many prints.
     */
    private static final int WINDOWS_PER_BUCKET = 8;
    /** A bucket word's mask: its high 32 bits. */
    private static final int MASK_SHIFT = 32;
    /** Eight prints at once, the first at the lowest byte. */
    private static final VarHandle EIGHT_PRINTS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /**
     * Top bits of the bucket number a build first deals windows by, at least: 1,024 write streams
     * (with 256, two 75M-token shards loaded in 11.1 s against 10.0, one run each).
     */
    private static final int PARTITION_BITS = 10;
    /**
     * A build's bucket bits below its partition's, at most: with a window's 5 mask-bit bits they
     * make the 16 bits of hash it deals beside the window (more partitions for larger shards:
     * 8,192 for a 75M-token shard).
     */
    private static final int BUCKET_BITS_IN_PARTITION = 11;

    private final int k;
    private final TokenTable vocabulary;
    private final int[] tokens;
    private final int[] documentStart;
    /** The documents' ids, UTF-8, end to end; document d's are {@code idBytes[idOffsets[d], idOffsets[d + 1])}. */
    private final byte[] idBytes;
    private final int[] idOffsets;
    private final int bucketBits;
    private final int shift;
    /** Per bucket: {@code mask << 32 | end}, end being where its entries end. */
    private final long[] buckets;
    private final int[] entries;
    private final byte[] prints;

    private SpanIndex(int k, TokenTable vocabulary, int[] tokens, int[] documentStart, byte[] idBytes, int[] idOffsets) {
        this.k = k;
        this.vocabulary = vocabulary;
        this.tokens = tokens;
        this.documentStart = documentStart;
        this.idBytes = idBytes;
        this.idOffsets = idOffsets;
        long windows = 0;
        for (int d = 0; d < documentStart.length; d++) {
            windows += Math.max(0, documentLength(d) - k + 1);
        }
        // At least two buckets, so that every bucket number has a top bit and a shift below 64.
        long buckets = Math.max(2, (windows + WINDOWS_PER_BUCKET - 1) / WINDOWS_PER_BUCKET);
        this.bucketBits = Math.min(30, 64 - Long.numberOfLeadingZeros(buckets - 1));
        this.shift = 64 - bucketBits;
        this.buckets = new long[1 << bucketBits];
        this.entries = new int[(int) windows];
        // 8 bytes more, so that the bucket's first 8 prints are one read even at the end.
        this.prints = new byte[(int) windows + 8];
        build();
    }

    /**
     * Fills the buckets in two radix passes, so that no pass reads or writes at random over a
     * corpus-sized array. (One random write per window cost a cache miss each: 93% of a shard's load
     * in stop 42's profile. One random read of a window's tokens, to hash it again in pass 2: 75% in
     * stop 44's.) Pass 1 hashes every window (rolling) and deals its position, its print and what
     * pass 2 needs of the rest of its hash (bucket bits below the partition's, mask bit: 2 bytes a
     * window while the build runs) by the top bits of its bucket, as many sequential streams; a
     * partition is a contiguous range of buckets and of entries. Pass 2 sorts each partition by bucket
     * in a buffer the size of a partition, which stays in cache. Both passes keep window order, so
     * every bucket's entries come out ascending, as the lookup expects. Two threads: pass 1 over each
     * half of the documents, pass 2 over alternate partitions.
     */
    private void build() {
        int partitionBits = Math.max(Math.min(PARTITION_BITS, bucketBits), bucketBits - BUCKET_BITS_IN_PARTITION);
        int partitions = 1 << partitionBits;
        int partitionShift = 64 - partitionBits;
        int half = halfOfDocuments();
        int[][] histograms = new int[2][partitions];
        inParallel(t -> {
            int[] histogram = histograms[t];
            forEachWindow(t == 0 ? 0 : half, t == 0 ? half : documentStart.length,
                    (p, mixed) -> histogram[(int) (mixed >>> partitionShift)]++);
        });
        int[] partitionStart = new int[partitions + 1];
        int[][] cursors = new int[2][partitions];
        int running = 0;
        for (int q = 0; q < partitions; q++) {
            partitionStart[q] = running;
            cursors[0][q] = running;
            running += histograms[0][q];
            cursors[1][q] = running;
            running += histograms[1][q];
        }
        partitionStart[partitions] = running;
        int largest = 0;
        for (int q = 0; q < partitions; q++) {
            largest = Math.max(largest, partitionStart[q + 1] - partitionStart[q]);
        }
        char[] rests = new char[entries.length];
        int restBits = bucketBits - partitionBits;
        inParallel(t -> {
            int[] cursor = cursors[t];
            forEachWindow(t == 0 ? 0 : half, t == 0 ? half : documentStart.length, (p, mixed) -> {
                int at = cursor[(int) (mixed >>> partitionShift)]++;
                entries[at] = p;
                prints[at] = (byte) mixed;
                rests[at] = (char) ((int) ((mixed >>> shift) & ((1L << restBits) - 1)) << 5 | maskIndex(mixed));
            });
        });
        int bufferSize = largest;
        inParallel(t -> {
            Buffers buffers = new Buffers(bufferSize);
            for (int q = t; q < partitions; q += 2) {
                sortPartition(q, partitionBits, partitionStart[q], partitionStart[q + 1], rests, buffers);
            }
        });
    }

    /**
     * Entries [from, to) of partition q, in window order, sorted by bucket (a counting sort) with
     * their prints, and the ends and masks of the partition's buckets, empty ones included.
     */
    private void sortPartition(int q, int partitionBits, int from, int to, char[] rests, Buffers buffers) {
        int bucketsPerPartition = 1 << (bucketBits - partitionBits);
        int firstBucket = q * bucketsPerPartition;
        // A bucket's word counts its windows in the low half, then holds where its entries start, then
        // (a cursor) where they end; the mask in the high half is set once, in the first loop. A
        // window's rest is its bucket's bits below the partition's, then its mask bit's index.
        for (int e = from; e < to; e++) {
            int rest = rests[e];
            int bucket = firstBucket + (rest >>> 5);
            buffers.bucketOf[e - from] = bucket;
            buckets[bucket] = (buckets[bucket] + 1) | 1L << (MASK_SHIFT + (rest & 31)) | 1L << (MASK_SHIFT + (prints[e] & 31));
        }
        int running = from;
        for (int b = firstBucket; b < firstBucket + bucketsPerPartition; b++) {
            int size = (int) buckets[b];
            buckets[b] = (buckets[b] & ~0xFFFFFFFFL) | running;
            running += size;
        }
        for (int e = 0; e < to - from; e++) {
            int at = (int) buckets[buffers.bucketOf[e]]++ - from;
            buffers.placed[at] = entries[from + e];
            buffers.placedPrints[at] = prints[from + e];
        }
        System.arraycopy(buffers.placed, 0, entries, from, to - from);
        System.arraycopy(buffers.placedPrints, 0, prints, from, to - from);
    }

    /** One thread's scratch for {@link #sortPartition}, the size of the largest partition. */
    private static final class Buffers {
        final int[] bucketOf;
        final int[] placed;
        final byte[] placedPrints;

        Buffers(int size) {
            bucketOf = new int[size];
            placed = new int[size];
            placedPrints = new byte[size];
        }
    }

    private interface Window {
        void at(int position, long mixed);
    }

    /** Every window start of documents [from, to), in order, with its {@code mix(hash(...))}, the hash rolled. */
    private void forEachWindow(int from, int to, Window window) {
        long top = leadingPower(k);
        for (int d = from; d < to; d++) {
            int p = documentStart[d];
            int last = p + documentLength(d) - k;
            if (p > last) {
                continue;
            }
            long h = hash(tokens, p, k);
            while (true) {
                window.at(p, mix(h));
                if (p == last) {
                    break;
                }
                h = roll(h, tokens[p], tokens[p + k], top);
                p++;
            }
        }
    }

    /** The first document of the corpus's second half (by tokens): where the second thread starts. */
    private int halfOfDocuments() {
        int found = Arrays.binarySearch(documentStart, tokens.length / 2);
        return found >= 0 ? found : -found - 1;
    }

    private interface Half {
        void run(int half);
    }

    private static void inParallel(Half work) {
        Thread other = new Thread(() -> work.run(1), "span-index-build");
        other.start();
        work.run(0);
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the span index", e);
        }
    }

    public int k() {
        return k;
    }

    public int documentCount() {
        return documentStart.length;
    }

    /** Corpus tokens held (separators excluded). */
    public long tokenCount() {
        return tokens.length - documentStart.length - 1L;
    }

    /** Bytes held by the index's arrays: tokens, entries, prints, buckets, documents and vocabulary. */
    public long memoryBytes() {
        return 4L * tokens.length + 4L * entries.length + prints.length + 8L * buckets.length + 4L * documentStart.length
                + idBytes.length + 4L * idOffsets.length + vocabulary.bytes();
    }

    /** {@link #find(OutputTokens, int)} of tokens given one by one (tests and tools). */
    public List<Span> find(List<String> outputTokens, int maxCount) {
        return find(OutputTokens.of(outputTokens), maxCount);
    }

    /**
     * This shard's answer for one output (see the class comment): in order of start, the starts
     * whose match in this shard reaches further than every earlier one's, each with the number of
     * this shard's documents holding the match and, when at most {@code maxCount}, their ids
     * (sorted); a more common match has its count and no ids.
     */
    public List<Span> find(OutputTokens output, int maxCount) {
        int[] q = output.ids(vocabulary);
        int n = q.length;
        int windows = Math.max(0, n - k + 1);
        // The misses of a lookup are its reads of the shard (one bucket word, then for a few windows
        // prints, entries and tokens), so the passes are split so that the CPU keeps many in flight:
        // pass 1 only computes, pass 2 only gathers bucket words, in loops of independent reads.
        long[] mixed = new long[windows];
        boolean[] unknown = new boolean[windows];
        hashWindows(q, windows, mixed, unknown);
        long[] word = new long[windows];
        for (int i = 0; i < windows; i++) {
            word[i] = unknown[i] ? 0 : buckets[(int) (mixed[i] >>> shift)];
        }
        // Pass 3: the windows whose two mask bits are set, in order, without a branch.
        int[] passing = new int[windows];
        int m = 0;
        for (int i = 0; i < windows; i++) {
            long bits = maskBits(mixed[i]);
            passing[m] = i;
            m += (word[i] & bits) == bits ? 1 : 0;
        }
        // Pass 4: for each, its bucket's first 8 prints in one read, compared with its own at once
        // (reads the CPU overlaps, where a scan in the walk waited for each in turn).
        long[] candidates = new long[m];
        for (int j = 0; j < m; j++) {
            int i = passing[j];
            int first = bucketStart((int) (mixed[i] >>> shift));
            candidates[j] = equalBytes((long) EIGHT_PRINTS.get(prints, first), (byte) mixed[i]) & firstBytes((int) word[i] - first);
        }
        List<Span> kept = new ArrayList<>();
        int rightEnd = 0;
        int[] best = new int[16];
        int[] agreeing = new int[16];
        // Pass 5: the shard's maximality, extending the bucket's entries whose print and k tokens agree.
        for (int j = 0; j < m && rightEnd < n; j++) {
            int i = passing[j];
            int first = bucketStart((int) (mixed[i] >>> shift));
            int last = (int) word[i];
            long candidate = candidates[j];
            if (candidate == 0 && last - first <= 8) {
                continue;
            }
            // The entries whose print agrees, ascending: among the first 8, then any further ones.
            if (last - first > agreeing.length) {
                agreeing = new int[Integer.highestOneBit(last - first) * 2];
            }
            int count = 0;
            for (; candidate != 0; candidate &= candidate - 1) {
                agreeing[count++] = first + (Long.numberOfTrailingZeros(candidate) >>> 3);
            }
            byte print = (byte) mixed[i];
            for (int e = first + 8; e < last; e++) {
                if (prints[e] == print) {
                    agreeing[count++] = e;
                }
            }
            int longest = 0;
            int reached = 0;
            // A start is kept only if a match reaches past rightEnd; inside an earlier span that is
            // rare (the earlier match's own next window stops just there), so an entry whose token
            // at rightEnd differs is passed over without extending it.
            int beyond = rightEnd - i;
            for (int c = 0; c < count; c++) {
                int p = entries[agreeing[c]];
                if (beyond >= k && (p + beyond >= tokens.length || tokens[p + beyond] != q[rightEnd])) {
                    continue;
                }
                if (!Arrays.equals(tokens, p, p + k, q, i, i + k)) {
                    continue;
                }
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
            if (longest == 0 || i + longest <= rightEnd) {
                continue;
            }
            rightEnd = i + longest;
            kept.add(span(i, longest, best, reached, maxCount));
        }
        return kept;
    }

    /** Where a bucket's entries start: where the previous bucket ends. */
    private int bucketStart(int bucket) {
        return bucket == 0 ? 0 : (int) buckets[bucket - 1];
    }

    /** The high bit of each byte of {@code eight} that equals {@code print}, and no other bit. */
    private static long equalBytes(long eight, byte print) {
        long x = eight ^ (0x0101010101010101L * (print & 0xFF));
        // A byte's high bit survives only when the byte is 0: no carry crosses bytes.
        return ~(((x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | x | 0x7F7F7F7F7F7F7F7FL);
    }

    /** The bits of the lowest {@code size} bytes of a long (all of them from 8 on). */
    private static long firstBytes(int size) {
        return size >= 8 ? -1L : (1L << (size << 3)) - 1;
    }

    private Span span(int start, int length, int[] positions, int count, int maxCount) {
        // Positions come from the bucket in ascending order: their documents arrive sorted too, so
        // equal neighbours are the only repeats.
        int previous = -1;
        int distinct = 0;
        for (int j = 0; j < count; j++) {
            int document = documentOf(positions[j]);
            if (document != previous) {
                positions[distinct++] = document;
                previous = document;
            }
        }
        if (distinct > maxCount) {
            return new Span(start, length, distinct, List.of());
        }
        List<String> holders = new ArrayList<>(distinct);
        for (int j = 0; j < distinct; j++) {
            holders.add(documentId(positions[j]));
        }
        holders.sort(null);
        return new Span(start, length, distinct, holders);
    }

    private String documentId(int document) {
        return new String(idBytes, idOffsets[document], idOffsets[document + 1] - idOffsets[document], StandardCharsets.UTF_8);
    }

    private int documentOf(int position) {
        int found = Arrays.binarySearch(documentStart, position);
        return found >= 0 ? found : -found - 2;
    }

    private int documentLength(int d) {
        int end = d + 1 < documentStart.length ? documentStart[d + 1] - 1 : tokens.length - 1;
        return end - documentStart[d];
    }

    /**
     * Every window's {@code mix(hash(q, i, k))}, the hash rolled from one window to the next (the
     * same bits: the polynomial is evaluated in the same ring, mod 2^64), and whether the window
     * holds a token the shard lacks (it then cannot match).
     */
    private void hashWindows(int[] q, int windows, long[] mixed, boolean[] unknown) {
        if (windows == 0) {
            return;
        }
        long top = leadingPower(k);
        long h = hash(q, 0, k);
        int unknownUntil = -1;
        for (int j = 0; j < k - 1; j++) {
            if (q[j] == UNKNOWN) {
                unknownUntil = j;
            }
        }
        for (int i = 0; ; i++) {
            if (q[i + k - 1] == UNKNOWN) {
                unknownUntil = i + k - 1;
            }
            unknown[i] = unknownUntil >= i;
            mixed[i] = mix(h);
            if (i + 1 == windows) {
                return;
            }
            h = roll(h, q[i], q[i + k], top);
        }
    }

    /**
     * The two bits of a bucket word's mask that a window of this mixed hash sets: one by its bits
     * 8–12, above the print's, one by the print's own low 5 bits (a window whose print matches has
     * that one set anyway, so it costs no extra scan; windows of other k-grams have other prints).
     */
    private static long maskBits(long mixed) {
        return 1L << (MASK_SHIFT + maskIndex(mixed)) | 1L << (MASK_SHIFT + ((int) mixed & 31));
    }

    private static int maskIndex(long mixed) {
        return ((int) mixed >>> 8) & 31;
    }

    /** {@code BASE^(k-1)}, the weight of a window's first token in its {@link #hash}. */
    private static long leadingPower(int k) {
        long top = 1;
        for (int j = 1; j < k; j++) {
            top *= BASE;
        }
        return top;
    }

    /**
     * The {@link #hash} of the next window from this one's: drop token {@code out} (weight
     * {@code top}), append {@code in}. The same bits as hashing the window afresh (mod 2^64).
     */
    private static long roll(long h, int out, int in, long top) {
        return (h - (out + 1L) * top) * BASE + in + 1;
    }

    private static long hash(int[] a, int from, int k) {
        long h = 0;
        for (int j = from; j < from + k; j++) {
            h = h * BASE + a[j] + 1;
        }
        return h;
    }

    /** MurmurHash3's 64-bit finalizer: spreads the polynomial hash over the buckets and prints. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Loads shard files (or documents) into one index. */
    public static final class Builder {
        private final int k;
        private final TokenTable vocabulary = new TokenTable();
        private int[] tokens;
        private int size;
        private int[] starts = new int[1024];
        private int documents;
        private byte[] idBytes = new byte[1 << 12];
        private int[] idOffsets = new int[1025];
        private int idBytesUsed;

        /**
         * {@code expectedTokens}: a hint (the allowed documents' tokens plus one per document plus
         * one) so the token array is sized once and, when the hint is exact, never copied.
         */
        public Builder(int k, long expectedTokens) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be positive");
            }
            this.k = k;
            this.tokens = new int[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(16, expectedTokens))];
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
                throw new IllegalStateException("an n-gram index shard holds at most 2^31 tokens: use smaller shards");
            }
            if (needed > tokens.length) {
                tokens = Arrays.copyOf(tokens, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, tokens.length * 3L / 2)));
            }
            if (documents == starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
                idOffsets = Arrays.copyOf(idOffsets, starts.length + 1);
            }
            byte[] idUtf8 = id.getBytes(StandardCharsets.UTF_8);
            while (idBytesUsed + idUtf8.length > idBytes.length) {
                idBytes = Arrays.copyOf(idBytes, idBytes.length * 2);
            }
            System.arraycopy(idUtf8, 0, idBytes, idBytesUsed, idUtf8.length);
            idBytesUsed += idUtf8.length;
            starts[documents++] = size;
            idOffsets[documents] = idBytesUsed;
            System.arraycopy(coded, 0, tokens, size, length);
            size += length;
            tokens[size++] = SEPARATOR;
        }

        public SpanIndex build() {
            int[] held = size == tokens.length ? tokens : Arrays.copyOf(tokens, size);
            tokens = null;
            return new SpanIndex(k, vocabulary, held, Arrays.copyOf(starts, documents), Arrays.copyOf(idBytes, idBytesUsed),
                    Arrays.copyOf(idOffsets, documents + 1));
        }
    }
}

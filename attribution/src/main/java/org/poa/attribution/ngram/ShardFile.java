package org.poa.attribution.ngram;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The on-disk form of one index shard file: the tokenized documents of a batch of approved
 * contributions, so that no contribution is tokenized twice. Tokens are stored as indexes into the
 * file's own vocabulary (exact strings), so files built at different times need no shared
 * dictionary and a lookup can never confuse two tokens.
 *
 * <p>Version 2, written today: the vocabulary in order of falling frequency in the file (ties in
 * order of first use), and every number an unsigned LEB128 varint, so the frequent words, whose
 * indexes are small, take one byte (about 1.5 bytes a token on the benchmark's text, against 4 in
 * version 1):
 * <pre>
 * int magic "POAN", int version 2                          -- big-endian
 * varint vocabularySize, varint documentCount, varint tokenCount
 * vocabularySize x (varint byteLength, UTF-8 bytes)        -- most frequent first
 * documentCount  x (varint byteLength, UTF-8 id, varint n, n x varint token)
 * </pre>
 * Version 1 (ints, vocabulary in order of first use) is still read, so an index built before
 * needs no rebuild. The same documents in the same order give the same bytes.
 */
public final class ShardFile {

    static final int MAGIC = 0x504F414E;
    static final int VERSION = 2;
    private static final int VERSION_INTS = 1;

    private ShardFile() {
    }

    /** Collects documents in memory, then writes them as one shard file. */
    public static final class Builder {
        private final Map<String, Integer> vocabulary = new HashMap<>();
        private final List<String> words = new ArrayList<>();
        private int[] frequency = new int[1024];
        private final List<String> ids = new ArrayList<>();
        private final List<int[]> documents = new ArrayList<>();
        private long tokenCount;

        /** Adds a document: its contribution id and its tokens (already normalized). */
        public Builder add(String contributionId, List<String> tokens) {
            int[] coded = new int[tokens.size()];
            for (int i = 0; i < coded.length; i++) {
                int index = vocabulary.computeIfAbsent(tokens.get(i), w -> {
                    words.add(w);
                    return words.size() - 1;
                });
                if (index == frequency.length) {
                    frequency = Arrays.copyOf(frequency, frequency.length * 2);
                }
                frequency[index]++;
                coded[i] = index;
            }
            ids.add(contributionId);
            documents.add(coded);
            tokenCount += coded.length;
            return this;
        }

        public int documentCount() {
            return ids.size();
        }

        public long tokenCount() {
            return tokenCount;
        }

        public void writeTo(OutputStream stream) throws IOException {
            // Most frequent first (ties: first use), so frequent words get the short varints.
            Integer[] order = new Integer[words.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> frequency[a] != frequency[b] ? Integer.compare(frequency[b], frequency[a]) : Integer.compare(a, b));
            int[] rank = new int[order.length];
            for (int r = 0; r < order.length; r++) {
                rank[order[r]] = r;
            }
            Output out = new Output(stream);
            out.int32(MAGIC);
            out.int32(VERSION);
            out.varint(words.size());
            out.varint(ids.size());
            out.varint(tokenCount);
            for (Integer word : order) {
                out.string(words.get(word));
            }
            for (int d = 0; d < ids.size(); d++) {
                out.string(ids.get(d));
                int[] tokens = documents.get(d);
                out.varint(tokens.length);
                for (int token : tokens) {
                    out.varint(rank[token]);
                }
            }
            out.flush();
        }
    }

    /** Receives a shard's content while it is read, so a reader can keep only what it needs. */
    public interface Visitor {
        /** The header: called first. */
        void header(int vocabularySize, int documentCount, long tokenCount);

        /** Each vocabulary word, in index order. */
        void word(int index, String word);

        /** Whether to read document {@code ordinal}'s tokens; a skipped document costs no copy. */
        boolean wants(int ordinal);

        /** A wanted document: its id and tokens (the array is reused: copy what you keep). */
        void document(int ordinal, String contributionId, int[] tokens, int length);
    }

    /** Reads a shard file, passing its parts to {@code visitor}. */
    public static void read(InputStream stream, Visitor visitor) throws IOException {
        Input in = new Input(stream);
        if (in.int32() != MAGIC) {
            throw new IOException("not an n-gram index shard (bad magic number)");
        }
        int version = in.int32();
        if (version != VERSION && version != VERSION_INTS) {
            throw new IOException("n-gram index shard version " + version + " is not " + VERSION + ": rebuild the index");
        }
        boolean ints = version == VERSION_INTS;
        int vocabularySize = ints ? in.int32() : in.varint();
        int documentCount = ints ? in.int32() : in.varint();
        long tokenCount = ints ? in.int64() : in.varlong();
        visitor.header(vocabularySize, documentCount, tokenCount);
        for (int i = 0; i < vocabularySize; i++) {
            visitor.word(i, in.string(ints ? in.int32() : in.varint()));
        }
        int[] buffer = new int[1024];
        for (int d = 0; d < documentCount; d++) {
            String id = in.string(ints ? in.int32() : in.varint());
            int n = ints ? in.int32() : in.varint();
            if (n < 0) {
                throw new IOException("n-gram index shard is corrupt (negative document length)");
            }
            if (!visitor.wants(d)) {
                if (ints) {
                    in.skip(4L * n);
                } else {
                    in.skipVarints(n);
                }
                continue;
            }
            if (buffer.length < n) {
                buffer = new int[Math.max(n, buffer.length * 2)];
            }
            for (int j = 0; j < n; j++) {
                buffer[j] = ints ? in.int32() : in.varint();
            }
            visitor.document(d, id, buffer, n);
        }
    }

    /**
     * A buffered reader of the file's numbers and strings; its own buffer, since
     * {@code DataInputStream} would cost a virtual call per byte.
     */
    private static final class Input {
        private final InputStream stream;
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;

        Input(InputStream stream) {
            this.stream = stream;
        }

        private int next() throws IOException {
            if (position == limit) {
                limit = stream.readNBytes(buffer, 0, buffer.length);
                position = 0;
                if (limit == 0) {
                    throw new IOException("n-gram index shard is truncated");
                }
            }
            return buffer[position++] & 0xff;
        }

        int int32() throws IOException {
            return (next() << 24) | (next() << 16) | (next() << 8) | next();
        }

        long int64() throws IOException {
            return ((long) int32() << 32) | (int32() & 0xffffffffL);
        }

        int varint() throws IOException {
            long value = varlong();
            if (value > Integer.MAX_VALUE) {
                throw new IOException("n-gram index shard is corrupt (number out of range)");
            }
            return (int) value;
        }

        long varlong() throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b;
                if (position < limit) {
                    b = buffer[position++] & 0xff;
                } else {
                    b = next();
                }
                value |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    return value;
                }
            }
            throw new IOException("n-gram index shard is corrupt (varint too long)");
        }

        void skipVarints(int count) throws IOException {
            for (int j = 0; j < count; j++) {
                while (next() >= 0x80) {
                    // continuation bytes
                }
            }
        }

        void skip(long bytes) throws IOException {
            for (long j = 0; j < bytes; j++) {
                next();
            }
        }

        String string(int length) throws IOException {
            if (length < 0) {
                throw new IOException("n-gram index shard is corrupt (negative length)");
            }
            byte[] bytes = new byte[length];
            for (int j = 0; j < length; j++) {
                bytes[j] = (byte) next();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** A whole shard in memory (tests and tools; the index reads shards with a {@link Visitor}). */
    public record Contents(List<String> vocabulary, List<String> ids, List<int[]> documents) {
        public List<String> tokens(int ordinal) {
            return Arrays.stream(documents.get(ordinal)).mapToObj(vocabulary::get).toList();
        }
    }

    public static Contents readAll(InputStream stream) throws IOException {
        List<String> vocabulary = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<int[]> documents = new ArrayList<>();
        read(stream, new Visitor() {
            @Override
            public void header(int vocabularySize, int documentCount, long tokenCount) {
            }

            @Override
            public void word(int index, String word) {
                vocabulary.add(word);
            }

            @Override
            public boolean wants(int ordinal) {
                return true;
            }

            @Override
            public void document(int ordinal, String contributionId, int[] tokens, int length) {
                ids.add(contributionId);
                documents.add(Arrays.copyOf(tokens, length));
            }
        });
        return new Contents(vocabulary, ids, documents);
    }

    /** A buffered writer of the file's numbers and strings (the counterpart of {@link Input}). */
    private static final class Output {
        private final OutputStream stream;
        private final byte[] buffer = new byte[1 << 16];
        private int position;

        Output(OutputStream stream) {
            this.stream = stream;
        }

        private void put(int b) throws IOException {
            if (position == buffer.length) {
                stream.write(buffer, 0, position);
                position = 0;
            }
            buffer[position++] = (byte) b;
        }

        void int32(int value) throws IOException {
            put(value >>> 24);
            put(value >>> 16);
            put(value >>> 8);
            put(value);
        }

        void varint(long value) throws IOException {
            while ((value & ~0x7fL) != 0) {
                put((int) ((value & 0x7f) | 0x80));
                value >>>= 7;
            }
            put((int) value);
        }

        void string(String s) throws IOException {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length);
            for (byte b : bytes) {
                put(b);
            }
        }

        void flush() throws IOException {
            stream.write(buffer, 0, position);
            position = 0;
            stream.flush();
        }
    }
}

package org.poa.attribution.ngram;

import java.io.DataInputStream;
import java.io.DataOutputStream;
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
 * The on-disk form of one index shard: the tokenized documents of a batch of approved
 * contributions, so that no contribution is tokenized twice. Tokens are stored as indexes into the
 * shard's own vocabulary (exact strings), so shards built at different times need no shared
 * dictionary and a lookup can never confuse two tokens.
 *
 * <pre>
 * int magic "POAN", int version
 * int vocabularySize, int documentCount, long tokenCount
 * vocabularySize x (int byteLength, UTF-8 bytes)          -- in order of first use
 * documentCount  x (int byteLength, UTF-8 id, int n, n x int token)
 * </pre>
 * Big-endian (DataOutputStream). The same documents in the same order give the same bytes.
 */
public final class ShardFile {

    static final int MAGIC = 0x504F414E;
    static final int VERSION = 1;

    private ShardFile() {
    }

    /** Collects documents in memory, then writes them as one shard. */
    public static final class Builder {
        private final Map<String, Integer> vocabulary = new HashMap<>();
        private final List<String> words = new ArrayList<>();
        private final List<String> ids = new ArrayList<>();
        private final List<int[]> documents = new ArrayList<>();
        private long tokenCount;

        /** Adds a document: its contribution id and its tokens (already normalized). */
        public Builder add(String contributionId, List<String> tokens) {
            int[] coded = new int[tokens.size()];
            for (int i = 0; i < coded.length; i++) {
                coded[i] = vocabulary.computeIfAbsent(tokens.get(i), w -> {
                    words.add(w);
                    return words.size() - 1;
                });
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
            DataOutputStream out = new DataOutputStream(stream);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(words.size());
            out.writeInt(ids.size());
            out.writeLong(tokenCount);
            for (String word : words) {
                writeString(out, word);
            }
            for (int d = 0; d < ids.size(); d++) {
                writeString(out, ids.get(d));
                int[] tokens = documents.get(d);
                out.writeInt(tokens.length);
                for (int token : tokens) {
                    out.writeInt(token);
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

    /** Reads a shard, passing its parts to {@code visitor}. */
    public static void read(InputStream stream, Visitor visitor) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != MAGIC) {
            throw new IOException("not an n-gram index shard (bad magic number)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("n-gram index shard version " + version + " is not " + VERSION + ": rebuild the index");
        }
        int vocabularySize = in.readInt();
        int documentCount = in.readInt();
        long tokenCount = in.readLong();
        visitor.header(vocabularySize, documentCount, tokenCount);
        for (int i = 0; i < vocabularySize; i++) {
            visitor.word(i, readString(in));
        }
        int[] buffer = new int[1024];
        byte[] bytes = new byte[4096];
        for (int d = 0; d < documentCount; d++) {
            String id = readString(in);
            int n = in.readInt();
            if (!visitor.wants(d)) {
                in.skipNBytes(4L * n);
                continue;
            }
            if (buffer.length < n) {
                buffer = new int[Math.max(n, buffer.length * 2)];
            }
            // Bulk read: DataInputStream.readInt per token costs four virtual calls each.
            int done = 0;
            while (done < n) {
                int chunk = Math.min(n - done, bytes.length / 4);
                in.readFully(bytes, 0, chunk * 4);
                for (int j = 0; j < chunk; j++) {
                    int b = j * 4;
                    buffer[done + j] = ((bytes[b] & 0xff) << 24) | ((bytes[b + 1] & 0xff) << 16)
                            | ((bytes[b + 2] & 0xff) << 8) | (bytes[b + 3] & 0xff);
                }
                done += chunk;
            }
            visitor.document(d, id, buffer, n);
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

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new IOException("n-gram index shard is truncated");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

package org.poa.attribution.ngram;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An output's normalized tokens as one UTF-8 string, the tokens joined by single spaces (no token
 * holds a space: tokens are runs of letters and digits), with where each token starts and ends and
 * its {@link TokenTable#hash}, all found in one pass over the bytes. Made once per output and shard
 * pass: each shard maps the tokens to its own vocabulary from the bytes themselves, without a string
 * per token.
 */
public final class OutputTokens {

    private final byte[] text;
    private final int count;
    private final int[] starts;
    private final int[] ends;
    private final int[] hashes;

    private OutputTokens(byte[] text, int count, int[] starts, int[] ends, int[] hashes) {
        this.text = text;
        this.count = count;
        this.starts = starts;
        this.ends = ends;
        this.hashes = hashes;
    }

    /** From tokens (already normalized). */
    public static OutputTokens of(List<String> tokens) {
        return parse(String.join(" ", tokens));
    }

    /** From tokens joined by single spaces, as {@link #joined()} gives them. */
    public static OutputTokens parse(String joined) {
        return parse(joined.getBytes(StandardCharsets.UTF_8));
    }

    /** From the UTF-8 bytes of tokens joined by single spaces (not copied: do not change them after). */
    public static OutputTokens parse(byte[] joined) {
        int length = joined.length;
        // At most one token per two bytes (a byte and a space): sized once, no second pass to count.
        int capacity = (length + 1) / 2;
        int[] starts = new int[capacity];
        int[] ends = new int[capacity];
        int[] hashes = new int[capacity];
        int count = 0;
        int start = 0;
        int hash = 0;
        for (int j = 0; j <= length && length > 0; j++) {
            if (j == length || joined[j] == ' ') {
                if (j == start) {
                    throw new IllegalArgumentException("empty token at offset " + j + ": tokens are joined by single spaces");
                }
                starts[count] = start;
                ends[count] = j;
                hashes[count++] = hash;
                hash = 0;
                start = j + 1;
            } else {
                hash = 31 * hash + (joined[j] & 0xFF);
            }
        }
        return new OutputTokens(joined, count, starts, ends, hashes);
    }

    public int size() {
        return count;
    }

    /** The tokens joined by single spaces. */
    public String joined() {
        return new String(text, StandardCharsets.UTF_8);
    }

    /** The tokens as ids of {@code vocabulary}, -1 for a token it does not hold. */
    int[] ids(TokenTable vocabulary) {
        return vocabulary.ids(text, starts, ends, hashes, count);
    }
}

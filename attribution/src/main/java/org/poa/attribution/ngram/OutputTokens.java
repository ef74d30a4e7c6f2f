package org.poa.attribution.ngram;

import java.util.List;

/**
 * An output's normalized tokens as one string, the tokens joined by single spaces (no token holds a
 * space: tokens are runs of letters and digits), with where each token starts and ends. Made once
 * per output and matched against every shard of the index: each shard maps the tokens to its own
 * vocabulary from the string itself, without a string per token.
 */
public final class OutputTokens {

    private final String text;
    private final int[] starts;
    private final int[] ends;

    private OutputTokens(String text, int[] starts, int[] ends) {
        this.text = text;
        this.starts = starts;
        this.ends = ends;
    }

    /** From tokens (already normalized). */
    public static OutputTokens of(List<String> tokens) {
        return parse(String.join(" ", tokens));
    }

    /** From tokens joined by single spaces, as {@link #joined()} gives them. */
    public static OutputTokens parse(String joined) {
        int count = 0;
        int length = joined.length();
        for (int j = 0; j < length; j++) {
            if (joined.charAt(j) == ' ') {
                count++;
            }
        }
        count = length == 0 ? 0 : count + 1;
        int[] starts = new int[count];
        int[] ends = new int[count];
        int token = 0;
        int start = 0;
        for (int j = 0; j <= length && count > 0; j++) {
            if (j == length || joined.charAt(j) == ' ') {
                if (j == start) {
                    throw new IllegalArgumentException("empty token at offset " + j + ": tokens are joined by single spaces");
                }
                starts[token] = start;
                ends[token++] = j;
                start = j + 1;
            }
        }
        return new OutputTokens(joined, starts, ends);
    }

    public int size() {
        return starts.length;
    }

    /** The tokens joined by single spaces. */
    public String joined() {
        return text;
    }

    /** The tokens as ids of {@code vocabulary}, -1 for a token it does not hold. */
    int[] ids(TokenTable vocabulary) {
        int[] ids = new int[starts.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.get(text, starts[i], ends[i]);
        }
        return ids;
    }
}

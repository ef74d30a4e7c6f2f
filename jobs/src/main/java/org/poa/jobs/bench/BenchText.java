package org.poa.jobs.bench;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Synthetic text for benchmarks, regenerable anywhere from (seed, index): document d's tokens can
 * be rebuilt inside the task that copies a passage from it, so nothing is shipped around. Words
 * are drawn from a Zipf-like (log-uniform) distribution over a pronounceable vocabulary, so
 * frequent words repeat like in real text while 6-token sequences rarely recur by chance.
 */
public record BenchText(long seed, int vocabulary, long documents, int documentTokens) implements Serializable {

    private static final String[] SYLLABLES = {
        "ba", "ke", "di", "mo", "su", "ra", "le", "ni", "to", "pa",
        "ve", "go", "zu", "fi", "ha", "ju", "ce", "wo", "xi", "ty"};

    /** The vocabulary's word number {@code i}: distinct for distinct i. */
    public static String word(int i) {
        StringBuilder w = new StringBuilder();
        int n = i;
        do {
            w.append(SYLLABLES[n % SYLLABLES.length]);
            n /= SYLLABLES.length;
        } while (n > 0);
        return w.toString();
    }

    private int zipf(SplittableRandom random) {
        return (int) Math.min(vocabulary - 1, Math.pow(vocabulary + 1.0, random.nextDouble()) - 1);
    }

    /** Document d's words. */
    public String[] document(long d) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + d);
        String[] words = new String[documentTokens];
        for (int i = 0; i < words.length; i++) {
            words[i] = word(zipf(random));
        }
        return words;
    }

    /**
     * Output o: about {@code tokens} words, a {@code copied} fraction of them in passages of 6 to
     * 40 words copied from random documents, the rest drawn from the vocabulary.
     */
    public String output(long o, int tokens, double copied) {
        SplittableRandom random = new SplittableRandom(~seed * 0xC2B2AE3D27D4EB4FL + o);
        StringBuilder out = new StringBuilder(tokens * 8);
        int written = 0;
        while (written < tokens) {
            if (random.nextDouble() < copied) {
                String[] source = document(random.nextLong(documents));
                int length = Math.min(6 + random.nextInt(35), source.length);
                int from = random.nextInt(source.length - length + 1);
                for (int i = from; i < from + length; i++) {
                    out.append(source[i]).append(' ');
                }
                written += length;
            } else {
                int length = 1 + random.nextInt(20);
                for (int i = 0; i < length; i++) {
                    out.append(word(zipf(random))).append(' ');
                }
                written += length;
            }
            out.setCharAt(out.length() - 1, random.nextInt(4) == 0 ? '\n' : ' ');
            out.append(random.nextInt(3) == 0 ? ", " : "");
        }
        return out.toString().trim();
    }
}

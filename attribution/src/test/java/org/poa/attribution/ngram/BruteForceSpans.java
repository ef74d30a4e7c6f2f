package org.poa.attribution.ngram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * DESIGN.md's span rule written as literally as possible, with no index: for each position every
 * document and every start is tried. Quadratic, for small corpora; the reference the index is
 * checked against.
 */
public final class BruteForceSpans {

    private BruteForceSpans() {
    }

    /** The kept spans of {@code output} against {@code corpus} (contribution id to tokens). */
    public static List<Span> find(List<String> output, Map<String, List<String>> corpus, int minSpan, int maxCount) {
        List<Span> kept = new ArrayList<>();
        int rightEnd = -1;
        for (int i = 0; i < output.size(); i++) {
            int longest = 0;
            for (List<String> document : corpus.values()) {
                longest = Math.max(longest, longestAt(output, i, document));
            }
            if (longest < minSpan || i + longest <= rightEnd) {
                continue;
            }
            rightEnd = i + longest;
            List<String> span = output.subList(i, i + longest);
            TreeSet<String> holders = new TreeSet<>();
            for (Map.Entry<String, List<String>> document : corpus.entrySet()) {
                if (java.util.Collections.indexOfSubList(document.getValue(), span) >= 0) {
                    holders.add(document.getKey());
                }
            }
            kept.add(holders.size() > maxCount
                    ? new Span(i, longest, holders.size(), List.of())
                    : new Span(i, longest, holders.size(), List.copyOf(holders)));
        }
        return kept;
    }

    private static int longestAt(List<String> output, int i, List<String> document) {
        int longest = 0;
        for (int s = 0; s < document.size(); s++) {
            int l = 0;
            while (i + l < output.size() && s + l < document.size() && output.get(i + l).equals(document.get(s + l))) {
                l++;
            }
            longest = Math.max(longest, l);
        }
        return longest;
    }
}

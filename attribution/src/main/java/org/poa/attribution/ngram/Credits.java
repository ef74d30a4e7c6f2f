package org.poa.attribution.ngram;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Step 4 of the span rule: each credited span gives length/count to each of its contributions;
 * a contribution's score is the sum, its weight the score over the inference's total. The sums
 * run in a fixed order (spans by start, contributions by id) so the doubles are the same bits on
 * every run, whatever the partitioning.
 */
public final class Credits {

    /** One contribution's credit for one inference. */
    public record Credit(String contributionId, double score, double weight) {
    }

    private Credits() {
    }

    public static List<Credit> of(List<Span> spans) {
        Map<String, Double> scores = new TreeMap<>();
        for (Span span : spans) {
            if (!span.credited()) {
                continue;
            }
            double share = (double) span.length() / span.count();
            for (String id : span.contributions()) {
                scores.merge(id, share, Double::sum);
            }
        }
        double total = 0;
        for (double score : scores.values()) {
            total += score;
        }
        final double sum = total;
        return scores.entrySet().stream()
                .map(e -> new Credit(e.getKey(), e.getValue(), e.getValue() / sum))
                .toList();
    }
}

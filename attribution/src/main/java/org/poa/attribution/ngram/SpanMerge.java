package org.poa.attribution.ngram;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DESIGN.md's span rule, steps 1 to 3, over a corpus held as shards: the answers of every shard
 * ({@link SpanIndex#find}) for one output merged into the kept spans, exactly as one index of the
 * whole corpus would give them.
 *
 * <p>For each start i, L(i) is the largest of the shards' L_s(i) and D(i) is the union of the
 * documents of the shards that reach it (a document lives in one shard, so the counts add up). The
 * starts then go through maximality in order (kept when i + L(i) passes the rightmost end kept so
 * far) and the spans held by more than {@code max_count} documents lose their ids.
 *
 * <p>Why the shards' own maximality loses nothing: a shard leaves out start i when one of its
 * earlier starts j reaches at least as far, i + L_s(i) ≤ j + L_s(j). If this shard gives L(i), then
 * i + L(i) ≤ j + L_s(j) ≤ j + L(j), and the rightmost end after j is at least j + L(j), so i is not
 * kept; if another shard gives a longer L(i), this shard's documents are not in D(i). The shard's
 * own answer at j (or at the earlier start that left j out) is in the merge, so the merged
 * rightmost end passes j + L_s(j) as well. Each shard also stops at the first match that reaches
 * the output's end: no later start can pass it.
 */
public final class SpanMerge {

    private SpanMerge() {
    }

    /** The kept spans of one output, from each shard's answer for it (in any order of shards). */
    public static List<Span> merge(List<List<Span>> shardAnswers, int maxCount) {
        List<Span> all = new ArrayList<>();
        shardAnswers.forEach(all::addAll);
        all.sort(Comparator.comparingInt(Span::start).thenComparing(Comparator.comparingInt(Span::length).reversed()));
        List<Span> kept = new ArrayList<>();
        int rightEnd = 0;
        for (int at = 0; at < all.size(); ) {
            Span longest = all.get(at);
            int count = 0;
            List<String> holders = new ArrayList<>();
            int next = at;
            for (; next < all.size() && all.get(next).start() == longest.start(); next++) {
                Span part = all.get(next);
                if (part.length() == longest.length()) {
                    count += part.count();
                    holders.addAll(part.contributions());
                }
            }
            at = next;
            if (longest.end() <= rightEnd) {
                continue;
            }
            rightEnd = longest.end();
            if (count > maxCount) {
                kept.add(new Span(longest.start(), longest.length(), count, List.of()));
            } else {
                holders.sort(null);
                kept.add(new Span(longest.start(), longest.length(), count, holders));
            }
        }
        return kept;
    }

    /** The kept spans of one output against a corpus held as {@code shards}. */
    public static List<Span> find(List<SpanIndex> shards, OutputTokens output, int maxCount) {
        List<List<Span>> answers = new ArrayList<>(shards.size());
        for (SpanIndex shard : shards) {
            answers.add(shard.find(output, maxCount));
        }
        return merge(answers, maxCount);
    }
}

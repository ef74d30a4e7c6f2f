package org.poa.attribution.text;

import org.poa.core.text.TokenRanges;

import org.poa.core.text.TextNormalizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Marks token ranges in a text for people to read: {@code ⟦1 … 1⟧} around span 1 in the original
 * text. Spans may overlap (a kept span can start inside the previous one), so both ends carry the
 * label. The marked text is wrapped in a first-strong isolate (U+2068 … U+2069): a Persian text
 * keeps its right-to-left order and the labels around it stay where they belong. The brackets are
 * mirrored characters, so they point the right way in either direction.
 */
public final class SpanMarks {

    public static final String OPEN = "⟦";
    public static final String CLOSE = "⟧";
    private static final String ISOLATE = "\u2068";
    private static final String POP = "\u2069";

    /** A span to mark: label, first token, end token (exclusive). */
    public record Mark(String label, int start, int end) {
    }

    private SpanMarks() {
    }

    /** The text with each span marked; the normalized tokens instead if offsets cannot be mapped. */
    public static String mark(String text, List<Mark> marks) {
        List<int[]> ranges = TokenRanges.of(text);
        if (ranges == null) {
            List<String> tokens = TextNormalizer.tokens(text);
            String joined = String.join(" ", tokens);
            ranges = new ArrayList<>();
            int at = 0;
            for (String token : tokens) {
                ranges.add(new int[] {at, at + token.length()});
                at += token.length() + 1;
            }
            text = joined;
        }
        record Insert(int offset, int order, String text) {
        }
        List<Insert> inserts = new ArrayList<>();
        for (int m = 0; m < marks.size(); m++) {
            Mark mark = marks.get(m);
            if (mark.start() < 0 || mark.end() > ranges.size() || mark.start() >= mark.end()) {
                throw new IllegalArgumentException("span " + mark.label() + " [" + mark.start() + ", " + mark.end()
                        + ") is outside the text's " + ranges.size() + " tokens");
            }
            inserts.add(new Insert(ranges.get(mark.start())[0], 2 * m + 1, OPEN + mark.label() + " "));
            inserts.add(new Insert(ranges.get(mark.end() - 1)[1], 2 * m, " " + mark.label() + CLOSE));
        }
        inserts.sort(Comparator.comparingInt(Insert::offset).thenComparingInt(Insert::order));
        StringBuilder out = new StringBuilder(ISOLATE);
        int at = 0;
        for (Insert insert : inserts) {
            out.append(text, at, insert.offset()).append(insert.text());
            at = insert.offset();
        }
        return out.append(text.substring(at)).append(POP).toString();
    }

    /**
     * The passage of {@code source} holding {@code tokens} (normalized), marked, with up to
     * {@code context} characters around it; null when the source does not hold them.
     */
    public static String passage(String source, List<String> tokens, String label, int context) {
        List<String> sourceTokens = TextNormalizer.tokens(source);
        int at = java.util.Collections.indexOfSubList(sourceTokens, tokens);
        if (at < 0) {
            return null;
        }
        List<int[]> ranges = TokenRanges.of(source);
        if (ranges == null) {
            return mark(source, List.of(new Mark(label, at, at + tokens.size())));
        }
        int begin = ranges.get(at)[0];
        int end = ranges.get(at + tokens.size() - 1)[1];
        int from = Math.max(0, begin - context);
        int to = Math.min(source.length(), end + context);
        // Whole characters only: never cut a surrogate pair.
        if (from > 0 && Character.isLowSurrogate(source.charAt(from))) {
            from--;
        }
        if (to < source.length() && Character.isLowSurrogate(source.charAt(to))) {
            to++;
        }
        return ISOLATE + (from > 0 ? "…" : "") + source.substring(from, begin) + OPEN + label + " "
                + source.substring(begin, end) + " " + label + CLOSE + source.substring(end, to)
                + (to < source.length() ? "…" : "") + POP;
    }
}

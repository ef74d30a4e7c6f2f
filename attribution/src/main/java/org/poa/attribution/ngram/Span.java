package org.poa.attribution.ngram;

import java.util.List;

/**
 * A kept span of an output: tokens {@code [start, start + length)} and the contributions that hold
 * it. {@code count} is the number of such contributions; a span with {@code count > max_count} is
 * too common and credits nobody (its {@code contributions} list is then empty).
 */
public record Span(int start, int length, int count, List<String> contributions) {

    public Span {
        contributions = List.copyOf(contributions);
    }

    public int end() {
        return start + length;
    }

    public boolean credited() {
        return !contributions.isEmpty();
    }
}

package org.poa.attribution.ngram;

import java.io.Serializable;
import java.util.Map;

/**
 * The per-model parameters of DESIGN.md's span rule: spans shorter than {@code minSpan} tokens are
 * not kept, spans held by more than {@code maxCount} contributions are dropped as too common.
 */
public record NgramParams(int minSpan, int maxCount) implements Serializable {

    public static final int DEFAULT_MIN_SPAN = 6;
    public static final int DEFAULT_MAX_COUNT = 10;
    /** Keys of a model's {@code params} map. */
    public static final String MIN_SPAN_KEY = "ngram.min_span";
    public static final String MAX_COUNT_KEY = "ngram.max_count";
    /** Bounds that keep a misconfigured model from making every position a span or every span common. */
    public static final int MAX_MIN_SPAN = 1_000;
    public static final int MAX_MAX_COUNT = 100_000;

    public static final NgramParams DEFAULTS = new NgramParams(DEFAULT_MIN_SPAN, DEFAULT_MAX_COUNT);

    public NgramParams {
        if (minSpan < 1 || minSpan > MAX_MIN_SPAN) {
            throw new IllegalArgumentException("ngram.min_span must be between 1 and " + MAX_MIN_SPAN + ", got " + minSpan);
        }
        if (maxCount < 1 || maxCount > MAX_MAX_COUNT) {
            throw new IllegalArgumentException("ngram.max_count must be between 1 and " + MAX_MAX_COUNT + ", got " + maxCount);
        }
    }

    /** The parameters in a model's {@code params} map, defaults for the missing ones. */
    public static NgramParams of(Map<String, String> params) {
        if (params == null) {
            return DEFAULTS;
        }
        return new NgramParams(
                intParam(params, MIN_SPAN_KEY, DEFAULT_MIN_SPAN),
                intParam(params, MAX_COUNT_KEY, DEFAULT_MAX_COUNT));
    }

    private static int intParam(Map<String, String> params, String key, int fallback) {
        String value = params.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
        }
    }
}

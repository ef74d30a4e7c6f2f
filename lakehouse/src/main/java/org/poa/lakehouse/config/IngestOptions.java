package org.poa.lakehouse.config;

import java.io.Serializable;
import java.util.Set;
import org.poa.core.epoch.EpochClock;

/**
 * Settings of ingestion: the epoch clock, the largest accepted contribution (UTF-8 bytes), and the
 * uses of an inference that count as commercial for datanet licenses.
 */
public record IngestOptions(EpochClock clock, int maxContentBytes, Set<String> commercialUses)
        implements Serializable {

    public static final int DEFAULT_MAX_CONTENT_BYTES = 64 * 1024;

    /** The smallest record limit: a gradient row of 8192 numbers takes about 150k characters. */
    public static final int MIN_RECORD_CHARS = 1024 * 1024;

    /**
     * The longest record (a JSON or CSV line, a Parquet row as JSON) read, in characters: room for the
     * largest accepted content written with JSON escapes (up to 6 characters per byte), at least
     * {@link #MIN_RECORD_CHARS}. A longer record is quarantined as line_too_long, start kept.
     */
    public int maxRecordChars() {
        return (int) Math.min(Integer.MAX_VALUE - 16, Math.max(MIN_RECORD_CHARS, 6L * maxContentBytes + 64 * 1024));
    }

    public static final IngestOptions DEFAULT = of(EpochClock.DEFAULT, DEFAULT_MAX_CONTENT_BYTES);

    /** With {@code commercial} as the one commercial use. */
    public static IngestOptions of(EpochClock clock, int maxContentBytes) {
        return new IngestOptions(clock, maxContentBytes, Set.of("commercial"));
    }

    public IngestOptions {
        commercialUses = Set.copyOf(commercialUses);
        if (maxContentBytes <= 0) {
            throw new IllegalArgumentException("max content bytes must be positive, got " + maxContentBytes);
        }
    }
}

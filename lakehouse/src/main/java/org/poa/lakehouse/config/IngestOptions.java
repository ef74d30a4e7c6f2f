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

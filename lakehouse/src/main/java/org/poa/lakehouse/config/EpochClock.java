package org.poa.lakehouse.config;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Epoch N covers {@code [genesis + (N-1)*length, genesis + N*length)} (DESIGN.md). Times before
 * genesis belong to no epoch.
 */
public record EpochClock(Instant genesis, Duration length) implements Serializable {

    public static final EpochClock DEFAULT = new EpochClock(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(1));

    public EpochClock {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("epoch length must be positive, got " + length);
        }
    }

    /** The epoch holding this instant, or 0 when it is before genesis. */
    public long epochOf(Instant ts) {
        if (ts.isBefore(genesis)) {
            return 0;
        }
        Duration since = Duration.between(genesis, ts);
        long lengthMicros = micros(length);
        return Math.floorDiv(micros(since), lengthMicros) + 1;
    }

    /** First instant of epoch N. */
    public Instant start(long epoch) {
        return genesis.plus(length.multipliedBy(epoch - 1));
    }

    /** First instant after epoch N. */
    public Instant end(long epoch) {
        return genesis.plus(length.multipliedBy(epoch));
    }

    private static long micros(Duration d) {
        return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000);
    }
}

package org.poa.core.epoch;

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

    /** Parses an epoch length such as 1d, 6h, 30m, 45s or ISO-8601 PT1H. */
    public static Duration parseLength(String text) {
        String t = text.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return Duration.parse(t);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("epoch length '" + text + "' is not like 1d, 6h, 30m or PT1H");
            }
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, Math.max(0, t.length() - 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("epoch length '" + text + "' is not like 1d, 6h, 30m or PT1H");
        }
        return switch (t.charAt(t.length() - 1)) {
            case 'd' -> Duration.ofDays(n);
            case 'h' -> Duration.ofHours(n);
            case 'm' -> Duration.ofMinutes(n);
            case 's' -> Duration.ofSeconds(n);
            default -> throw new IllegalArgumentException("epoch length '" + text + "' is not like 1d, 6h, 30m or PT1H");
        };
    }

    /** Parses an ISO-8601 UTC time such as 2026-01-01T00:00:00Z. */
    public static Instant parseInstant(String text) {
        try {
            return Instant.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 UTC time like 2026-01-01T00:00:00Z");
        }
    }

    private static long micros(Duration d) {
        return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000);
    }
}

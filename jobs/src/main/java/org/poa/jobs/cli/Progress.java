package org.poa.jobs.cli;

import java.time.Duration;
import java.time.Instant;

/** Progress lines on stderr, so stdout stays clean for query results. */
public final class Progress {

    private static final Instant START = Instant.now();

    private Progress() {
    }

    public static void step(String message) {
        long s = Duration.between(START, Instant.now()).toMillis();
        System.err.printf("[%5.1fs] %s%n", s / 1000.0, message);
    }
}

package org.poa.core.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Progress lines of a long command on its error stream ("[  12.3s] message", seconds since the
 * command started), so that standard output stays clean for results a script reads.
 *
 * <p>Long work also reports while it runs ({@link #live}). How depends on where the lines go
 * ({@link Mode}): on a terminal one status line is rewritten in place about once a second; in a log
 * (Airflow, a file, a test) a plain line is written every {@link Mode#interval} instead, so the log
 * stays readable. {@code POA_PROGRESS=terminal|plain|off} overrides the guess.
 */
public final class Progress implements Consumer<String> {

    /** Where progress goes, and how often a long step reports. */
    public enum Mode {
        /** A terminal: one status line rewritten in place every second. */
        TERMINAL(1_000),
        /** A log: a plain line every 30 s. */
        PLAIN(30_000),
        /** No live reports (the step lines still print). */
        OFF(0);

        private final long intervalMillis;

        Mode(long intervalMillis) {
            this.intervalMillis = intervalMillis;
        }

        /** Milliseconds between live reports. */
        public long interval() {
            return intervalMillis;
        }

        /**
         * The mode for an error stream: {@code setting} ({@code POA_PROGRESS}) when given, else a
         * terminal when the JVM has a console (both standard streams are terminals), else plain.
         */
        public static Mode of(String setting, boolean console) {
            if (setting == null || setting.isBlank()) {
                return console ? TERMINAL : PLAIN;
            }
            try {
                return valueOf(setting.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("POA_PROGRESS is '" + setting + "': use terminal, plain or off");
            }
        }
    }

    private final PrintWriter err;
    private final Mode mode;
    private final long started = System.nanoTime();
    private boolean liveShown;

    /** Plain progress (no status line rewritten in place): for logs and tests. */
    public Progress(PrintWriter err) {
        this(err, Mode.PLAIN);
    }

    public Progress(PrintWriter err, Mode mode) {
        this.err = err;
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /** Prints one progress line. */
    public synchronized void step(String message) {
        clearLive();
        err.printf("[%5.1fs] %s%n", seconds(), message);
        err.flush();
    }

    @Override
    public void accept(String message) {
        step(message);
    }

    /**
     * Reports long work in progress: on a terminal it replaces the previous status line, in a log
     * it is a line of its own. The next {@link #step} line starts on a clean line.
     */
    public synchronized void live(String status) {
        switch (mode) {
            case TERMINAL -> {
                err.printf("\r\033[K[%5.1fs] %s", seconds(), status);
                err.flush();
                liveShown = true;
            }
            case PLAIN -> {
                err.printf("[%5.1fs] %s%n", seconds(), status);
                err.flush();
            }
            case OFF -> {
            }
        }
    }

    /** Removes a status line left by {@link #live} (a no-op in a log). */
    public synchronized void clearLive() {
        if (liveShown) {
            err.print("\r\033[K");
            err.flush();
            liveShown = false;
        }
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}

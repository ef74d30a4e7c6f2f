package org.poa.core.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Progress lines of a long command on its error stream ("[  12.3s] message", seconds since the
 * command started), so that standard output stays clean for results a script reads.
 */
public final class Progress implements Consumer<String> {

    private final PrintWriter err;
    private final long started = System.nanoTime();

    public Progress(PrintWriter err) {
        this.err = err;
    }

    /** Prints one progress line. */
    public void step(String message) {
        err.printf("[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, message);
        err.flush();
    }

    @Override
    public void accept(String message) {
        step(message);
    }
}

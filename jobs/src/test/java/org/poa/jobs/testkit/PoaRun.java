package org.poa.jobs.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

/** What one poa command line printed, and its exit code. */
public record PoaRun(List<String> args, int code, String out, String err) {

    /** Fails the test, with everything printed, unless the command succeeded. */
    public PoaRun ok() {
        assertEquals(0, code, this::describe);
        return this;
    }

    /**
     * The one line a failed command printed: it starts with "poa: ", is the only such line on
     * stderr, and no stack trace came with it.
     */
    public String errorLine() {
        List<String> lines = err.lines().filter(l -> l.startsWith("poa: ")).toList();
        assertEquals(1, lines.size(), () -> "exactly one poa: line on stderr:\n" + describe());
        assertFalse(err.contains("\tat "), () -> "no stack trace:\n" + describe());
        return lines.get(0);
    }

    /** The command line with its exit code and output, for failure messages. */
    public String describe() {
        return "poa " + String.join(" ", args) + " (exit " + code + ")\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}

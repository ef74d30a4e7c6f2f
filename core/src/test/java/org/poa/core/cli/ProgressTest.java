package org.poa.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress: step lines, and live status rewritten in place on a terminal or as plain lines in a log. */
class ProgressTest {

    @Test
    void theSettingWinsOverTheConsoleGuess() {
        assertEquals(Progress.Mode.TERMINAL, Progress.Mode.of(null, true));
        assertEquals(Progress.Mode.PLAIN, Progress.Mode.of(" ", false));
        assertEquals(Progress.Mode.PLAIN, Progress.Mode.of("plain", true));
        assertEquals(Progress.Mode.OFF, Progress.Mode.of("Off", true));
        assertEquals(Progress.Mode.TERMINAL, Progress.Mode.of("terminal", false));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Progress.Mode.of("loud", true));
        assertEquals("POA_PROGRESS is 'loud': use terminal, plain or off", bad.getMessage());
        assertEquals(30_000, Progress.Mode.PLAIN.interval());
    }

    @Test
    void onATerminalTheStatusLineIsRewrittenAndClearedBeforeTheNextStep() {
        StringWriter text = new StringWriter();
        Progress progress = new Progress(new PrintWriter(text), Progress.Mode.TERMINAL);
        progress.live("ingest: 10%");
        progress.live("ingest: 50%");
        progress.step("ingest: done");
        String out = text.toString();
        assertEquals(3, out.split("\r\033\\[K", -1).length - 1, "two rewrites and one clear: " + out.replace("\033", "ESC"));
        assertTrue(out.matches("(?s)\r\033\\[K\\[ *\\d+\\.\\ds\\] ingest: 10%\r\033\\[K\\[ *\\d+\\.\\ds\\] ingest: 50%\r\033\\[K\\[ *\\d+\\.\\ds\\] ingest: done\n"),
                out.replace("\033", "ESC"));
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one line in all once the status is cleared");
    }

    @Test
    void inALogEachStatusIsALineOfItsOwnAndOffIsSilent() {
        StringWriter log = new StringWriter();
        Progress plain = new Progress(new PrintWriter(log));
        plain.live("rewards: 40%");
        plain.step("rewards: done");
        assertEquals(2, log.toString().lines().count(), log.toString());
        assertTrue(log.toString().lines().allMatch(l -> l.matches("\\[ *\\d+\\.\\ds\\] rewards: .*")), log.toString());
        assertTrue(!log.toString().contains("\r") && !log.toString().contains("\033"), "no terminal codes in a log");

        StringWriter none = new StringWriter();
        Progress off = new Progress(new PrintWriter(none), Progress.Mode.OFF);
        off.live("audit: 10%");
        assertEquals("", none.toString());
        off.step("audit: done");
        assertTrue(none.toString().endsWith("audit: done\n"));
    }
}

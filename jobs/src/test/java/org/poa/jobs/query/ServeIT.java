package org.poa.jobs.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poa.jobs.testkit.ChildProcesses;
import org.poa.jobs.testkit.Poa;
import org.poa.jobs.testkit.Ports;
import org.poa.jobs.testkit.ReferenceEpoch;

/**
 * {@code bin/poa serve} as a data scientist meets it: the process serves the reference lakehouse, the
 * real pyspark-client, deltalake and polars (python/run-tests, its own virtualenv) run the example
 * notebook, the read-only refusals and the open-format comparison against it; the server wrote no table
 * version; SIGTERM stops it cleanly.
 */
class ServeIT {

    @Test
    void pythonClientsQueryTheServedLakehouseAndSigtermStopsIt(@TempDir Path dir) throws Exception {
        ReferenceEpoch reference = ReferenceEpoch.get();
        Map<String, Long> before = ReferenceEpoch.versions(reference.lakehouse());
        int port = Ports.free();
        Poa poa = Poa.launcher().dir(dir).global("--lakehouse", reference.lakehouse());
        Process serve = poa.start("serve", "serve", "--port", Integer.toString(port));
        String url = "sc://127.0.0.1:" + port;
        try {
            awaitLine(serve, poa.output("serve", "out"), " at " + url + " (read-only)", Duration.ofMinutes(3));

            ProcessBuilder clients = new ProcessBuilder(Poa.ROOT.resolve("python/run-tests").toString()).directory(Poa.ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("pytest.txt").toFile());
            clients.environment().put("POA_CONNECT_URL", url);
            clients.environment().put("POA_LAKEHOUSE", reference.lakehouse());
            int code = ChildProcesses.await(clients.start(), Duration.ofMinutes(10), "python/run-tests");
            String report = Files.readString(dir.resolve("pytest.txt"), StandardCharsets.UTF_8);
            assertEquals(0, code, report + "\n--- serve's stderr\n" + Files.readString(poa.output("serve", "err")));
            assertTrue(report.matches("(?s).*\\b1[0-9] passed\\b.*"), report);
        } finally {
            serve.destroy();
        }
        assertEquals(143, ChildProcesses.await(serve, Duration.ofMinutes(1), "poa serve after SIGTERM"), "ended by SIGTERM");
        String err = Files.readString(poa.output("serve", "err"), StandardCharsets.UTF_8);
        assertTrue(err.contains("poa serve: stopped"), err);
        assertFalse(err.contains("\tat "), () -> "no stack trace: " + err);
        assertEquals(before, ReferenceEpoch.versions(reference.lakehouse()), "serving wrote nothing to any table");
    }

    private static void awaitLine(Process process, Path out, String expected, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(out) && Files.readString(out, StandardCharsets.UTF_8).contains(expected)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("poa serve ended (exit " + process.exitValue() + ") before serving: "
                        + Files.readString(out.resolveSibling("serve-err.txt")));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("poa serve did not print '" + expected + "' within " + limit);
    }
}

package org.poa.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.poa.jobs.testkit.Poa;
import org.poa.jobs.testkit.PoaRun;
import org.poa.lakehouse.SparkTestBase;

/**
 * Storage that fails under a run: a full disk and an unreadable lakehouse each end the command with
 * one line naming the problem, and leave every table as it was (no version added, no row changed).
 */
class StorageFailureTest {

    private static Path work;
    private static Path input;

    @BeforeAll
    static void world() {
        try {
            work = Files.createTempDirectory("poa-storage");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        input = work.resolve("input");
        try {
            Poa.inProcess().run("generate", "--out", input.toString(), "--contributions", "300", "--inferences", "3000", "--epochs", "1")
                    .ok();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void cleanUp() {
        SparkTestBase.deleteTree(work);
    }

    private static PoaRun poa(Path lakehouse, String... args) throws IOException, InterruptedException {
        return Poa.inProcess().global("--lakehouse", lakehouse.toString()).run(args);
    }

    private static PoaRun ingest(Path lakehouse, String kind) throws IOException, InterruptedException {
        return poa(lakehouse, "ingest", kind, "--input", input.resolve(kind).toString());
    }

    /** The one line a failed command printed: it starts with "poa: " and is the last line on stderr. */
    private static String errorLine(PoaRun result) {
        return result.errorLine();
    }

    @Test
    void aFullDiskEndsIngestWithOneLineAndLeavesEveryTableAsItWas() throws Exception {
        Path small = work.resolve("small-disk");
        Files.createDirectories(small);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", small.toString()),
                "mounting a small tmpfs needs root with CAP_SYS_ADMIN; this machine does not allow it");
        try {
            Path reference = work.resolve("reference");
            for (String kind : List.of("datanets", "models", "inferences")) {
                assertEquals(0, ingest(reference, kind).code(), kind);
            }
            Map<String, String> done = tables(reference);

            Path lakehouse = small.resolve("lakehouse");
            for (String kind : List.of("datanets", "models")) {
                assertEquals(0, ingest(lakehouse, kind).code(), kind);
            }
            Map<String, String> before = tables(lakehouse);
            // Leave about 100 KiB: the inferences' Parquet files start to be written, then the disk fills.
            Path filler = small.resolve("filler");
            fill(filler, small, 100 << 10);

            PoaRun full = ingest(lakehouse, "inferences");
            assertNotEquals(0, full.code());
            String line = errorLine(full);
            assertTrue(line.contains("disk is full") && line.contains("re-run"), line);

            Files.delete(filler);
            // Ingest commits quarantine, then the table: each table is as before or as the undisturbed run left it.
            Map<String, String> after = tables(lakehouse);
            assertEquals(before.keySet(), after.keySet());
            for (Map.Entry<String, String> table : after.entrySet()) {
                String name = table.getKey();
                assertTrue(table.getValue().equals(before.get(name)) || table.getValue().equals(done.get(name)),
                        name + " is " + table.getValue() + ", neither " + before.get(name) + " nor " + done.get(name));
            }
            assertEquals(before.get("inferences"), after.get("inferences"), "no inference was committed");

            PoaRun again = ingest(lakehouse, "inferences");
            assertEquals(0, again.code(), again.err());
            assertEquals(rowsOnly(done), rowsOnly(tables(lakehouse)), "after space is freed a re-run ends where an undisturbed run does");
        } finally {
            run("umount", "-l", small.toString());
        }
    }

    @Test
    void aLakehouseMissingADataFileFailsInOneLineNamingIt() throws Exception {
        Path lakehouse = work.resolve("missing-file");
        for (String kind : List.of("datanets", "models", "inferences")) {
            assertEquals(0, ingest(lakehouse, kind).code(), kind);
        }
        Map<String, String> before = tables(lakehouse);
        Path lost;
        try (Stream<Path> files = Files.walk(lakehouse.resolve("inferences"))) {
            lost = files.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
                    .findFirst().orElseThrow();
        }
        Files.delete(lost);

        PoaRun read = poa(lakehouse, "sql", "SELECT sum(length(output)) FROM inferences");
        assertNotEquals(0, read.code());
        String line = errorLine(read);
        assertTrue(line.contains("cannot be read") && line.contains(lost.getFileName().toString()), line);
        assertEquals(before, tables(lakehouse), "a failed run changed no table");
    }

    @Test
    void aCorruptCommitFailsInOneLineNamingTheTable() throws Exception {
        Path lakehouse = work.resolve("corrupt-log");
        assertEquals(0, ingest(lakehouse, "datanets").code());
        assertEquals(0, ingest(lakehouse, "models").code());
        // The table's latest commit, cut short.
        Path commit;
        try (Stream<Path> files = Files.list(lakehouse.resolve("models/_delta_log"))) {
            commit = files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).max(java.util.Comparator.naturalOrder())
                    .orElseThrow();
        }
        Files.writeString(commit, "{\"add\": {\"path\": \"part-0000");
        Files.deleteIfExists(commit.resolveSibling("." + commit.getFileName() + ".crc"));

        PoaRun status = poa(lakehouse, "sql", "SELECT count(*) FROM models");
        assertNotEquals(0, status.code());
        String line = errorLine(status);
        assertTrue(line.contains("cannot be read") && line.contains("models"), line);
    }

    /**
     * `poa tables`: each table's "rows version". A table never written (version -1) counts as empty at
     * version 0: a run that only created a table (a commit with no rows) left it as readers saw it.
     */
    private static Map<String, String> tables(Path lakehouse) throws IOException, InterruptedException {
        PoaRun tables = poa(lakehouse, "tables");
        assertEquals(0, tables.code(), tables.err());
        Map<String, String> out = new TreeMap<>();
        for (String line : tables.out().lines().toList()) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length == 3 && cells[2].matches("-1|[0-9]+")) {
                out.put(cells[0], cells[1] + " " + (cells[2].equals("-1") ? "0" : cells[2]));
            }
        }
        return out;
    }

    /** Row counts only: a re-run after a partial run may commit a table twice with the same rows. */
    private static Map<String, String> rowsOnly(Map<String, String> tables) {
        Map<String, String> out = new TreeMap<>();
        tables.forEach((name, value) -> out.put(name, value.split(" ")[0]));
        return out;
    }

    private static void fill(Path filler, Path disk, long leave) throws IOException {
        byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (Files.getFileStore(disk).getUsableSpace() > leave + block.length) {
                out.write(block);
            }
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}

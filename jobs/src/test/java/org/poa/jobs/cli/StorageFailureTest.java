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
import org.poa.jobs.cli.PoaCliTest.Result;

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
        Result generated = PoaCliTest.poa("generate", "--out", input.toString(), "--contributions", "300", "--inferences", "3000",
                "--epochs", "1");
        assertEquals(0, generated.code(), generated.err());
    }

    @AfterAll
    static void cleanUp() {
        PoaCliTest.SparkTestBaseAccess.delete(work);
    }

    private static Result poa(Path lakehouse, String... args) {
        String[] full = Stream.concat(Stream.of("--master", "local[2]", "--lakehouse", lakehouse.toString()), Stream.of(args))
                .toArray(String[]::new);
        return PoaCliTest.poa(full);
    }

    private static Result ingest(Path lakehouse, String kind) {
        return poa(lakehouse, "ingest", kind, "--input", input.resolve(kind + ".jsonl").toString());
    }

    /** The one line a failed command printed: it starts with "poa: " and is the last line on stderr. */
    private static String errorLine(Result result) {
        List<String> lines = result.err().lines().filter(l -> l.startsWith("poa: ")).toList();
        assertEquals(1, lines.size(), "exactly one poa: line on stderr:\n" + result.err());
        return lines.get(0);
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

            Result full = ingest(lakehouse, "inferences");
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

            Result again = ingest(lakehouse, "inferences");
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

        Result read = poa(lakehouse, "sql", "SELECT sum(length(output)) FROM inferences");
        assertNotEquals(0, read.code());
        String line = errorLine(read);
        assertTrue(line.contains("cannot be read") && line.contains(lost.getFileName().toString()), line);
        assertEquals(before, tables(lakehouse), "a failed run changed no table");
    }

    @Test
    void aCorruptCommitFailsInOneLineNamingTheTable() throws Exception {
        Path lakehouse = work.resolve("corrupt-log");
        assertEquals(0, ingest(lakehouse, "models").code());
        Path commit = lakehouse.resolve("models/_delta_log/00000000000000000001.json");
        Files.writeString(commit, "{\"add\": {\"path\": \"part-0000");
        Files.deleteIfExists(lakehouse.resolve("models/_delta_log/.00000000000000000001.json.crc"));

        Result status = poa(lakehouse, "sql", "SELECT count(*) FROM models");
        assertNotEquals(0, status.code());
        String line = errorLine(status);
        assertTrue(line.contains("cannot be read") && line.contains("models"), line);
    }

    /** `poa tables`: each table's "rows version". */
    private static Map<String, String> tables(Path lakehouse) {
        Result tables = poa(lakehouse, "tables");
        assertEquals(0, tables.code(), tables.err());
        Map<String, String> out = new TreeMap<>();
        for (String line : tables.out().lines().toList()) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length == 3 && cells[2].matches("[0-9]+")) {
                out.put(cells[0], cells[1] + " " + cells[2]);
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

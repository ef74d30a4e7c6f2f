package org.poa.jobs.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.junit.jupiter.api.Test;
import org.poa.jobs.sample.SampleWorld;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.epoch.EpochClock;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.InputKind;

/**
 * The same generated world ingested twice, once as five files with one shuffle partition and once
 * with the large inputs split into several files listed in another order and seven shuffle
 * partitions, the second as one batch ({@code poa ingest all}): every table holds the same rows.
 */
class IngestDeterminismTest extends SparkTestBase {

    /** Columns that say where or when a row was recorded, not what it is. */
    static final List<String> CIRCUMSTANTIAL = List.of("source_file", "source_line", "source", "line",
            "recorded_at", "hash", "prev_hash", "detail");

    @Test
    void tablesDoNotDependOnPartitionsOrFileLayout() throws IOException {
        Path whole = workDir.resolve("whole");
        new SampleWorld(new SampleWorld.Spec(3, 400, 600, 2, EpochClock.DEFAULT, 0.02)).write(whole);
        Path split = workDir.resolve("split");
        for (InputKind kind : InputKind.world()) {
            splitInto(whole.resolve(kind.code()).resolve(kind.code() + ".jsonl"), split.resolve(kind.code()), 3);
        }

        spark.conf().set("spark.sql.shuffle.partitions", "1");
        Lakehouse one = newLakehouse("one");
        for (InputKind kind : InputKind.world()) {
            kind.ingest(one, IngestOptions.DEFAULT).run(whole.resolve(kind.code()).resolve(kind.code() + ".jsonl").toString());
        }
        // The split world as one batch (poa ingest all): contribution_status is then refreshed once, after
        // votes, where the kinds one by one refresh it after contributions and again after votes.
        spark.conf().set("spark.sql.shuffle.partitions", "7");
        Lakehouse many = newLakehouse("many");
        new IngestAction(many, IngestOptions.DEFAULT, line -> { }).batch(split.toString()).execute();
        spark.conf().set("spark.sql.shuffle.partitions", "2");
        assertEquals(2, statusWrites(one), "kind by kind: the status is built after contributions and after votes");
        assertEquals(1, statusWrites(many), "a batch builds the status once");

        for (TableDef table : Tables.all()) {
            List<String> a = rows(one, table);
            List<String> b = rows(many, table);
            assertEquals(a.size(), b.size(), table.name());
            assertEquals(a, b, table.name());
        }
        assertTrue(rows(one, Tables.QUARANTINE).size() > 10, "the world has bad rows and duplicates");
        assertTrue(rows(one, Tables.LICENSE_VIOLATIONS).size() > 10, "the world has license violations");
    }

    /** How many commits wrote rows to contribution_status (its creation aside). */
    static long statusWrites(Lakehouse lakehouse) {
        return lakehouse.ensure(Tables.CONTRIBUTION_STATUS).history()
                .where(org.apache.spark.sql.functions.col("operation").equalTo("WRITE")).count();
    }

    /** Writes the lines round-robin into n files whose names sort in the reverse of their order. */
    static void splitInto(Path file, Path folder, int n) throws IOException {
        Files.createDirectories(folder);
        List<List<byte[]>> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(new ArrayList<>());
        }
        byte[] all = Files.readAllBytes(file);
        int start = 0;
        int line = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                parts.get(line++ % n).add(Arrays.copyOfRange(all, start, i + 1));
                start = i + 1;
            }
        }
        for (int i = 0; i < n; i++) {
            try (var out = Files.newOutputStream(folder.resolve((char) ('z' - i) + "-part.jsonl"))) {
                for (byte[] bytes : parts.get(i)) {
                    out.write(bytes);
                }
            }
        }
    }

    static List<String> rows(Lakehouse lakehouse, TableDef table) {
        Column[] kept = table.columns().stream().filter(c -> !CIRCUMSTANTIAL.contains(c))
                .map(c -> org.apache.spark.sql.functions.col("`" + c + "`")).toArray(Column[]::new);
        return lakehouse.read(table).select(kept).toJSON().collectAsList().stream()
                .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .sorted().toList();
    }
}

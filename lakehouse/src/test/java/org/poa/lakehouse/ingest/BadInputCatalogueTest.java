package org.poa.lakehouse.ingest;

import org.poa.core.ids.ContributionIds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.epoch.EpochClock;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.core.validate.Reason;

/**
 * One row per reason code, and the hostile rows of {@link #addHostileRows} (values built to exhaust
 * the heap or the stack, ids that break file names, the zero address, multi-megabyte lines, odd
 * Parquet schemas), each checked: the run finishes, the good rows are in, each bad row lands in the
 * quarantine with its reason, source file, line number and raw text (its start, for a too-long line);
 * nothing is lost; and ingesting the same files again changes no table.
 */
class BadInputCatalogueTest extends SparkTestBase {

    static final String OWNER = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    static final String BAD_SUM = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
    static final String USER = "0x2222222222222222222222222222222222222222";
    static final String ZERO = "0x0000000000000000000000000000000000000000";
    static final IngestOptions OPTIONS = new IngestOptions(EpochClock.DEFAULT, 200, Set.of("commercial"));

    /** One catalogue line: where it goes, its text, and the reason expected (null = accepted). */
    record Case(InputKind kind, String text, Reason expected) {
    }

    final List<Case> cases = new ArrayList<>();

    void add(InputKind kind, String text, Reason expected) {
        cases.add(new Case(kind, text, expected));
    }

    static String datanet(String id, String owner, String extra) {
        return "{\"datanet_id\":\"" + id + "\",\"name\":\"Pool " + id + "\",\"owner\":\"" + owner
                + "\",\"license\":{\"commercial\":true,\"derivatives\":false}" + extra + "}";
    }

    static String contribution(String datanet, String content, String at) {
        return "{\"datanet_id\":\"" + datanet + "\",\"contributor\":\"" + USER + "\",\"content\":\"" + content
                + "\",\"submitted_at\":\"" + at + "\"}";
    }

    static String model(String split) {
        return "{\"model_id\":\"m\",\"developer\":\"" + OWNER + "\",\"kind\":\"lm\",\"datanets\":[\"d\"],"
                + "\"license\":{\"fee_per_call_wei\":\"100\",\"allowed_uses\":[\"research\"],\"split_bps\":" + split + "}}";
    }

    static String inference(String id, String model, String fee, String ts) {
        return "{\"inference_id\":\"" + id + "\",\"model_id\":\"" + model + "\",\"caller\":\"" + USER
                + "\",\"use\":\"research\",\"fee_wei\":\"" + fee + "\",\"prompt\":\"\",\"output\":\"hello\",\"ts\":\"" + ts + "\"}";
    }

    @Test
    void everyReasonCodeIsCaughtAndNothingIsLost() throws IOException {
        Lakehouse lakehouse = newLakehouse("catalogue");
        String poem = "the quick brown fox jumps over the lazy dog";
        add(InputKind.DATANETS, datanet("d", OWNER, ""), null);
        add(InputKind.DATANETS, "{\"datanet_id\":\"x\",", Reason.MALFORMED_JSON);
        add(InputKind.DATANETS, "{\"datanet_id\":\"x\",\"name\":\"X\",\"license\":{\"commercial\":true,\"derivatives\":true}}", Reason.MISSING_FIELD);
        add(InputKind.DATANETS, datanet("x", OWNER, ",\"quorum\":\"three\""), Reason.WRONG_TYPE);
        add(InputKind.DATANETS, datanet("x", "0x123", ""), Reason.BAD_ADDRESS);
        add(InputKind.DATANETS, datanet("x", BAD_SUM, ""), Reason.BAD_CHECKSUM);
        add(InputKind.DATANETS, datanet("x", OWNER, ",\"approval_threshold\":1.5"), Reason.BAD_VALUE);

        add(InputKind.CONTRIBUTIONS, contribution("d", poem, "2026-01-01T00:00:00Z"), null);
        add(InputKind.CONTRIBUTIONS, contribution("d", "The QUICK brown fox -- jumps over the lazy dog!", "2026-01-02T00:00:00Z"),
                Reason.DUPLICATE_CONTENT);
        add(InputKind.CONTRIBUTIONS, contribution("d", "!!! ... ???", "2026-01-01T00:00:00Z"), Reason.EMPTY_CONTENT);
        add(InputKind.CONTRIBUTIONS, contribution("d", "long ".repeat(60), "2026-01-01T00:00:00Z"), Reason.CONTENT_TOO_LARGE);
        add(InputKind.CONTRIBUTIONS, contribution("nope", "some text", "2026-01-01T00:00:00Z"), Reason.UNKNOWN_DATANET);
        add(InputKind.CONTRIBUTIONS, contribution("d", "other text", "2026-13-01T00:00:00Z"), Reason.BAD_TIMESTAMP);
        add(InputKind.CONTRIBUTIONS, contribution("d", "broken \u0001 bytes", "2026-01-01T00:00:00Z"), Reason.INVALID_UTF8);

        String id = ContributionIds.ofContent("d", poem);
        add(InputKind.VOTES, "{\"contribution_id\":\"" + id + "\",\"validator\":\"" + OWNER
                + "\",\"verdict\":\"approve\",\"voted_at\":\"2026-01-01T01:00:00Z\"}", null);
        add(InputKind.VOTES, "{\"contribution_id\":\"" + id + "\",\"validator\":\"" + OWNER
                + "\",\"verdict\":\"maybe\",\"voted_at\":\"2026-01-01T01:00:00Z\"}", Reason.BAD_VALUE);
        add(InputKind.VOTES, "{\"contribution_id\":\"0x" + "0".repeat(64) + "\",\"validator\":\"" + OWNER
                + "\",\"verdict\":\"approve\",\"voted_at\":\"2026-01-01T01:00:00Z\"}", Reason.UNKNOWN_CONTRIBUTION);

        add(InputKind.MODELS, model("{\"protocol\":500,\"developer\":2500,\"validators\":1000,\"data\":6000}"), null);
        add(InputKind.MODELS, model("{\"protocol\":500,\"developer\":2500,\"validators\":1000,\"data\":5999}")
                .replace("\"m\"", "\"m2\""), Reason.BAD_SPLIT);
        String m3 = model("{\"protocol\":500,\"developer\":2500,\"validators\":1000,\"data\":6000}").replace("\"m\"", "\"m3\"");
        add(InputKind.MODELS, m3.substring(0, m3.length() - 1) + ",\"attribution\":{\"ngram\":null}}", Reason.BAD_VALUE);

        add(InputKind.INFERENCES, inference("i1", "m", "100", "2026-01-01T05:00:00Z"), null);
        add(InputKind.INFERENCES, inference("i1", "m", "101", "2026-01-01T05:00:00Z"), Reason.CONFLICTING_DUPLICATE);
        add(InputKind.INFERENCES, inference("i2", "ghost", "100", "2026-01-01T05:00:00Z"), Reason.UNKNOWN_MODEL);
        add(InputKind.INFERENCES, inference("i3", "m", "-5", "2026-01-01T05:00:00Z"), Reason.BAD_WEI);
        add(InputKind.INFERENCES, inference("i4", "m", "1" + "0".repeat(38), "2026-01-01T05:00:00Z"), Reason.WEI_OUT_OF_RANGE);
        add(InputKind.INFERENCES, inference("i5", "m", "100", "2025-12-31T23:59:59Z"), Reason.BEFORE_GENESIS);
        add(InputKind.INFERENCES, inference("i6", "m", "100", "2026-01-01T05:00:00.000001Z"), null);
        // One microsecond apart is another value, not a copy.
        add(InputKind.INFERENCES, inference("i6", "m", "100", "2026-01-01T05:00:00.000002Z"), Reason.CONFLICTING_DUPLICATE);

        addHostileRows(id);

        Map<InputKind, Path> files = new LinkedHashMap<>();
        for (InputKind kind : InputKind.world()) {
            files.put(kind, writeCatalogue(kind));
        }
        // A CSV input with a header, one good row and one broken row.
        Path csv = write("catalogue/votes.csv", "contribution_id,validator,verdict,voted_at\n"
                + id + "," + OWNER + ",reject,2026-01-01T02:00:00Z\n"
                + id + ",\"" + OWNER + ",approve,2026-01-01T03:00:00Z\n");
        // The same datanet id again with another name: a conflict with the stored row.
        Path again = write("catalogue/datanets-again.jsonl", datanet("d", OWNER, ",\"quorum\":5") + "\n");

        for (InputKind kind : InputKind.world()) {
            IngestReport report = kind.ingest(lakehouse, OPTIONS).run(files.get(kind).toString());
            long lines = cases.stream().filter(c -> c.kind() == kind).count();
            assertEquals(lines, report.read(), kind + ": every line is read");
            assertEquals(lines, report.accepted() + report.duplicates() + report.quarantined(), kind + ": nothing lost");
            assertEquals(cases.stream().filter(c -> c.kind() == kind && c.expected() == null).count(), report.accepted(),
                    kind + ": every good row is in");
        }
        IngestReport odd = InputKind.VOTES.ingest(lakehouse, OPTIONS).run(oddParquet(id).toString());
        assertEquals(List.of(2L, 1L, 1L), List.of(odd.read(), odd.accepted(), odd.quarantined()), "odd Parquet schema: " + odd);
        IngestReport csvReport = InputKind.VOTES.ingest(lakehouse, OPTIONS).run(csv.toString());
        assertEquals(2, csvReport.read());
        assertEquals(1, csvReport.accepted());
        IngestReport conflict = InputKind.DATANETS.ingest(lakehouse, OPTIONS).run(again.toString());
        assertEquals(1, conflict.quarantined());

        Map<String, Row> quarantine = new LinkedHashMap<>();
        for (Row row : lakehouse.read(Tables.QUARANTINE).collectAsList()) {
            quarantine.put(fileName(row.getString(1)) + ":" + row.getLong(2), row);
        }
        EnumSet<Reason> seen = EnumSet.noneOf(Reason.class);
        for (InputKind kind : InputKind.world()) {
            long line = 0;
            for (Case c : cases) {
                if (c.kind() != kind) {
                    continue;
                }
                line++;
                Row row = quarantine.get(kind.code() + ".jsonl:" + line);
                if (c.expected() == null) {
                    assertEquals(null, row, kind + " line " + line + " should be accepted");
                    continue;
                }
                assertTrue(row != null, kind + " line " + line + " should be quarantined as " + c.expected().code());
                assertEquals(kind.code(), row.getString(0));
                assertEquals(c.expected().code(), row.getString(3), kind + " line " + line + ": " + row.getString(4));
                if (c.expected() == Reason.LINE_TOO_LONG) {
                    assertEquals(c.text().substring(0, org.poa.lakehouse.ingest.parse.RecordParsing.KEPT_CHARS), row.getString(5),
                            "the start of a too-long line is kept");
                } else if (c.expected() != Reason.INVALID_UTF8) {
                    assertEquals(c.text(), row.getString(5), "raw text kept");
                }
                seen.add(c.expected());
            }
        }
        assertEquals("malformed_csv", quarantine.get("votes.csv:3").getString(3));
        seen.add(Reason.MALFORMED_CSV);
        assertEquals("conflicts_existing", quarantine.get("datanets-again.jsonl:1").getString(3));
        seen.add(Reason.CONFLICTS_EXISTING);
        // A Parquet input is a folder of part files; the quarantine names the part file inside it.
        Row oddRow = quarantine.values().stream().filter(r -> r.getString(1).contains("/odd-votes.parquet/"))
                .findFirst().orElseThrow(() -> new AssertionError("no quarantine row from odd-votes.parquet: " + quarantine.keySet()));
        assertEquals(Reason.ZERO_ADDRESS.code(), oddRow.getString(3), oddRow.getString(4));
        assertTrue(oddRow.getString(5).contains("\"we`ird\":"), "the odd columns are in the raw JSON: " + oddRow.getString(5));
        assertEquals(EnumSet.allOf(Reason.class), seen, "every reason code has a catalogue row");
        assertEquals(quarantine.size(), cases.stream().filter(c -> c.expected() != null).count() + 3);

        // Re-ingesting every file changes no table.
        Map<String, Long> before = versions(lakehouse);
        for (InputKind kind : InputKind.world()) {
            IngestReport report = kind.ingest(lakehouse, OPTIONS).run(files.get(kind).toString());
            assertEquals(0, report.accepted(), kind + " accepted rows again");
        }
        InputKind.VOTES.ingest(lakehouse, OPTIONS).run(csv.toString());
        InputKind.DATANETS.ingest(lakehouse, OPTIONS).run(again.toString());
        InputKind.VOTES.ingest(lakehouse, OPTIONS).run(oddParquet(id).toString());
        assertEquals(before, versions(lakehouse));
    }

    /**
     * Hostile rows per input kind, each a value that once took a run down or that would break a later
     * step: numbers whose plain form has a billion digits, digit strings of 100k characters, nesting
     * 100k deep, a 3 MB line, ids of 400 characters or with path and control characters, unescaped
     * control characters, and the zero address where someone is to be paid.
     */
    void addHostileRows(String contribution) {
        add(InputKind.DATANETS, datanet("big", OWNER, ",\"approval_threshold\":\"1e999999999\""), Reason.BAD_VALUE);
        add(InputKind.DATANETS, datanet("big2", OWNER, ",\"approval_threshold\":1e999999999"), Reason.BAD_VALUE);
        add(InputKind.DATANETS, datanet("tiny", OWNER, ",\"approval_threshold\":1e-999999999"), Reason.BAD_VALUE);
        add(InputKind.DATANETS, datanet("q", OWNER, ",\"quorum\":" + "9".repeat(100_000)), Reason.MALFORMED_JSON);
        add(InputKind.DATANETS, datanet("q2", OWNER, ",\"quorum\":\"" + "9".repeat(100_000) + "\""), Reason.WRONG_TYPE);
        add(InputKind.DATANETS, datanet("x".repeat(400), OWNER, ""), Reason.BAD_ID);
        add(InputKind.DATANETS, datanet("a/../b", OWNER, ""), Reason.BAD_ID);
        add(InputKind.DATANETS, datanet("nul\\u0000id", OWNER, ""), Reason.BAD_ID);
        add(InputKind.DATANETS, datanet("raw\u0002ctl", OWNER, ""), Reason.MALFORMED_JSON);
        add(InputKind.DATANETS, datanet("zero", ZERO, ""), Reason.ZERO_ADDRESS);
        add(InputKind.DATANETS, "{\"datanet_id\":\"deep\",\"license\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}",
                Reason.MALFORMED_JSON);
        add(InputKind.DATANETS, datanet("long", OWNER, ",\"notes\":\"" + "x".repeat(3_000_000) + "\""), Reason.LINE_TOO_LONG);
        add(InputKind.DATANETS, datanet("d2", OWNER, ""), null);

        add(InputKind.CONTRIBUTIONS, contribution("d", "a poem by nobody", "2026-01-01T00:00:00Z").replace(USER, ZERO),
                Reason.ZERO_ADDRESS);
        add(InputKind.CONTRIBUTIONS, contribution("d", "\\u0000\\u0001\\u001f", "2026-01-01T00:00:00Z"), Reason.EMPTY_CONTENT);
        add(InputKind.CONTRIBUTIONS, contribution("x".repeat(400), "some other text", "2026-01-01T00:00:00Z"),
                Reason.UNKNOWN_DATANET);
        add(InputKind.CONTRIBUTIONS, contribution("d2", "a second pool's first poem", "2026-01-01T00:00:00Z"), null);

        add(InputKind.VOTES, "{\"contribution_id\":\"" + contribution + "\",\"validator\":\"" + ZERO
                + "\",\"verdict\":\"approve\",\"voted_at\":\"2026-01-01T01:00:00Z\"}", Reason.ZERO_ADDRESS);

        String good = model("{\"protocol\":500,\"developer\":2500,\"validators\":1000,\"data\":6000}");
        add(InputKind.MODELS, good.replace("\"m\"", "\"m4\"").replace("\"100\"", "\"1" + "0".repeat(100_000) + "\""),
                Reason.WEI_OUT_OF_RANGE);
        add(InputKind.MODELS, good.replace("\"m\"", "\"m5\"").replace(OWNER, ZERO), Reason.ZERO_ADDRESS);
        String m6 = good.replace("\"m\"", "\"m6\"");
        add(InputKind.MODELS, m6.substring(0, m6.length() - 1) + ",\"attribution\":{\"ngram\":1e999999999}}", Reason.BAD_VALUE);

        add(InputKind.INFERENCES, inference("h1", "m", "100", "2026-01-01T05:00:00Z").replace("\"100\"", "1e999999999"),
                Reason.WEI_OUT_OF_RANGE);
        add(InputKind.INFERENCES, inference("h2", "m", "100", "2026-01-01T05:00:00Z").replace("\"prompt\":\"\"",
                "\"prompt\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000)), Reason.MALFORMED_JSON);
        // The caller pays; nobody is paid at the zero address, so it is accepted.
        add(InputKind.INFERENCES, inference("h3", "m", "100", "2026-01-01T05:00:00Z").replace(USER, ZERO), null);
    }

    /**
     * Votes as Parquet with column names that break unquoted SQL (a dot, a space, a backtick), a binary
     * and a map column, and a real timestamp: one good vote and one for the zero address.
     */
    Path oddParquet(String contribution) {
        Path path = workDir.resolve("catalogue/odd-votes.parquet");
        if (Files.exists(path)) {
            return path;
        }
        var schema = new org.apache.spark.sql.types.StructType()
                .add("contribution_id", "string").add("validator", "string").add("verdict", "string")
                .add("voted_at", "timestamp").add("a.b", "string").add("sp ace", "int").add("we`ird", "string")
                .add("blob", "binary").add("tags", "map<string,int>");
        java.sql.Timestamp at = java.sql.Timestamp.from(java.time.Instant.parse("2026-01-01T04:00:00Z"));
        List<Row> rows = List.of(
                org.apache.spark.sql.RowFactory.create(contribution, USER, "approve", at, "x", 1, "`", new byte[] {0, 1},
                        java.util.Map.of("k", 1)),
                org.apache.spark.sql.RowFactory.create(contribution, ZERO, "approve", at, "y", 2, "``", new byte[0], null));
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path.toString());
        return path;
    }

    private Path writeCatalogue(InputKind kind) throws IOException {
        Path file = workDir.resolve("catalogue/" + kind.code() + ".jsonl");
        Files.createDirectories(file.getParent());
        try (var out = Files.newOutputStream(file)) {
            for (Case c : cases) {
                if (c.kind() != kind) {
                    continue;
                }
                byte[] bytes = c.text().getBytes(StandardCharsets.UTF_8);
                if (c.expected() == Reason.INVALID_UTF8) {
                    String text = c.text();
                    int at = text.indexOf('\u0001');
                    byte[] head = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
                    byte[] tail = text.substring(at + 1).getBytes(StandardCharsets.UTF_8);
                    bytes = new byte[head.length + 2 + tail.length];
                    System.arraycopy(head, 0, bytes, 0, head.length);
                    bytes[head.length] = (byte) 0xC3;       // a lead byte followed by
                    bytes[head.length + 1] = (byte) 0x28;   // a non-continuation byte
                    System.arraycopy(tail, 0, bytes, head.length + 2, tail.length);
                }
                out.write(bytes);
                out.write('\n');
            }
        }
        return file;
    }

    static Map<String, Long> versions(Lakehouse lakehouse) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (TableDef table : Tables.all()) {
            out.put(table.name(), lakehouse.version(table));
        }
        return out;
    }

    private static String fileName(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }
}

package org.poa.lakehouse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.status.ContributionStatus;

/** A small world ingested end to end: duplicates, status, license violations, idempotent re-ingest. */
class IngestWorldTest extends SparkTestBase {

    static final String A = "0x1111111111111111111111111111111111111111";
    static final String B = "0x2222222222222222222222222222222222222222";
    static final String V1 = "0x00000000000000000000000000000000000000a1";
    static final String V2 = "0x00000000000000000000000000000000000000a2";
    static final String V3 = "0x00000000000000000000000000000000000000a3";

    static Lakehouse lakehouse;
    static Path datanets;
    static Path contributions;
    static Path models;
    static Path inferences;

    @BeforeAll
    static void world() {
        lakehouse = newLakehouse("world");
        datanets = write("in/datanets.jsonl", String.join("\n",
                "{\"datanet_id\":\"fa-poetry\",\"name\":\"Persian poetry\",\"owner\":\"" + A + "\",\"license\":{\"commercial\":true,\"derivatives\":true}}",
                "{\"datanet_id\":\"research\",\"name\":\"Research only\",\"owner\":\"" + B + "\",\"license\":{\"commercial\":false,\"derivatives\":true},\"quorum\":2,\"approval_threshold\":0.5}"));
        // Line 2 differs from line 1 only by Arabic letter variants (ي/ك), tatweel and ZWNJ: a duplicate.
        contributions = write("in/contributions.jsonl", String.join("\n",
                "{\"datanet_id\":\"fa-poetry\",\"contributor\":\"" + A + "\",\"content\":\"می‌خواهم که بیایی کنار من\",\"submitted_at\":\"2026-01-01T01:00:00Z\"}",
                "{\"datanet_id\":\"fa-poetry\",\"contributor\":\"" + B + "\",\"content\":\"مي\u200cخواهم كه بيـايي كنار من\",\"submitted_at\":\"2026-01-01T02:00:00Z\"}",
                "{\"datanet_id\":\"research\",\"contributor\":\"" + B + "\",\"content\":\"The quick brown fox\",\"submitted_at\":\"2026-01-01T03:00:00Z\"}"));
        models = write("in/models.jsonl", String.join("\n",
                "{\"model_id\":\"m1\",\"developer\":\"" + A + "\",\"kind\":\"lm\",\"datanets\":[\"fa-poetry\",\"research\"],"
                        + "\"license\":{\"fee_per_call_wei\":\"1000\",\"allowed_uses\":[\"commercial\",\"research\"],"
                        + "\"split_bps\":{\"protocol\":500,\"developer\":2500,\"validators\":1000,\"data\":6000}},\"attribution\":{\"ngram\":1.0}}"));
        inferences = write("in/inferences.jsonl", String.join("\n",
                "{\"inference_id\":\"i1\",\"model_id\":\"m1\",\"caller\":\"" + B + "\",\"use\":\"research\",\"fee_wei\":\"1000\",\"prompt\":\"p\",\"output\":\"o\",\"ts\":\"2026-01-01T05:00:00Z\"}",
                "{\"inference_id\":\"i2\",\"model_id\":\"m1\",\"caller\":\"" + B + "\",\"use\":\"commercial\",\"fee_wei\":\"1000\",\"prompt\":\"p\",\"output\":\"o\",\"ts\":\"2026-01-02T05:00:00Z\"}",
                "{\"inference_id\":\"i3\",\"model_id\":\"m1\",\"caller\":\"" + B + "\",\"use\":\"personal\",\"fee_wei\":\"1000\",\"prompt\":\"p\",\"output\":\"o\",\"ts\":\"2026-01-02T06:00:00Z\"}"));
    }

    static IngestReport ingest(InputKind kind, Path input) {
        return kind.ingest(lakehouse, IngestOptions.DEFAULT).run(input.toString());
    }

    static Map<String, Long> versions() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (TableDef table : Tables.all()) {
            out.put(table.name(), lakehouse.version(table));
        }
        return out;
    }

    @Test
    void ingestsTheWorldAndReingestChangesNothing() {
        IngestReport d = ingest(InputKind.DATANETS, datanets);
        assertEquals(2, d.accepted());
        IngestReport c = ingest(InputKind.CONTRIBUTIONS, contributions);
        assertEquals(3, c.read());
        assertEquals(2, c.accepted());
        assertEquals(1, c.duplicates());
        assertEquals(Map.of("duplicate_content", 1L), c.duplicateReasons());

        List<Row> ids = lakehouse.read(Tables.CONTRIBUTIONS).orderBy("submitted_at").select("contribution_id", "contributor").collectAsList();
        assertEquals(A, ids.get(0).getString(1));
        String poem = ids.get(0).getString(0);
        String fox = ids.get(1).getString(0);

        Path votes = write("in/votes.jsonl", String.join("\n",
                vote(poem, V1, "approve", "2026-01-01T10:00:00Z"),
                vote(poem, V2, "approve", "2026-01-01T11:00:00Z"),
                vote(poem, V3, "reject", "2026-01-01T12:00:00Z"),
                vote(fox, V1, "approve", "2026-01-01T10:00:00Z"),
                vote(fox, V2, "reject", "2026-01-01T11:00:00Z"),
                vote(fox, V2, "approve", "2026-01-02T11:00:00Z")));
        IngestReport v = ingest(InputKind.VOTES, votes);
        assertEquals(6, v.accepted());

        // poem: 2 approve of 3 = 0.667 >= 0.66 -> approved at 12:00. fox: quorum 2, 1/2 >= 0.5 -> approved at 11:00.
        List<Row> status = lakehouse.read(Tables.CONTRIBUTION_STATUS).where("valid_to is null")
                .orderBy("contribution_id").select("contribution_id", "status", "approvals", "rejections").collectAsList();
        assertEquals(2, status.size());
        for (Row row : status) {
            assertEquals("approved", row.getString(1));
        }
        // As of a time, only votes cast before it count: the poem's third vote is at 12:00 exactly.
        Instant noon = Instant.parse("2026-01-01T12:00:00Z");
        assertEquals(List.of(fox), approvedIds(noon));
        assertEquals(List.of(poem, fox).stream().sorted().toList(), approvedIds(noon.plusMillis(1)));
        assertEquals(List.of(), approvedIds(Instant.parse("2026-01-01T10:30:00Z")));

        IngestReport m = ingest(InputKind.MODELS, models);
        assertEquals(1, m.accepted());
        IngestReport i = ingest(InputKind.INFERENCES, inferences);
        assertEquals(3, i.accepted());
        assertEquals(2, i.violations());
        Map<String, String> violations = new LinkedHashMap<>();
        lakehouse.read(Tables.LICENSE_VIOLATIONS).collectAsList()
                .forEach(r -> violations.put(r.getAs("inference_id"), r.getAs("violation")));
        assertEquals(Map.of("i2", "noncommercial_datanet", "i3", "use_not_allowed"), violations);
        assertEquals(1L, lakehouse.read(Tables.INFERENCES).count());

        Map<String, Long> before = versions();
        for (InputKind kind : InputKind.world()) {
            Path input = switch (kind) {
                case DATANETS -> datanets;
                case CONTRIBUTIONS -> contributions;
                case VOTES -> votes;
                case MODELS -> models;
                case INFERENCES -> inferences;
                case GRADIENTS -> throw new IllegalStateException("not part of a world");
            };
            IngestReport again = ingest(kind, input);
            assertEquals(0, again.accepted(), kind + " accepted rows twice");
            assertTrue(again.read() > 0);
        }
        assertEquals(before, versions(), "re-ingesting changed a table");

        // A run that wrote a vote and died before rebuilding the status is repaired by running it again.
        spark.sql("INSERT INTO delta.`" + lakehouse.path(Tables.VOTES) + "` VALUES ('" + fox + "', '" + V3
                + "', 'reject', TIMESTAMP'2026-01-03 00:00:00', 'file:/crashed.jsonl', 1)");
        assertEquals(0, ingest(InputKind.VOTES, votes).accepted());
        Row foxNow = lakehouse.read(Tables.CONTRIBUTION_STATUS).where("valid_to is null and contribution_id = '" + fox + "'").head();
        assertEquals(2, foxNow.<Integer>getAs("approvals"));
        assertEquals(1, foxNow.<Integer>getAs("rejections"));
    }

    static List<String> approvedIds(Instant end) {
        return ContributionStatus.approvedAsOf(lakehouse, end).orderBy("contribution_id")
                .select("contribution_id").collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    static String vote(String id, String validator, String verdict, String at) {
        return "{\"contribution_id\":\"" + id + "\",\"validator\":\"" + validator + "\",\"verdict\":\"" + verdict
                + "\",\"voted_at\":\"" + at + "\"}";
    }
}

package org.poa.jobs.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.poa.core.text.TextNormalizer;
import org.poa.jobs.testkit.Poa;
import org.poa.jobs.testkit.PoaRun;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/**
 * The review queue (docs/review.md): its quality targets on a generated world with planted label
 * flips and near-copies ({@code poa eval review}, in this JVM), a re-run that writes nothing, the
 * queue in {@code poa status}; and the copied-spans signal against a brute-force finder on small
 * random corpora. An integration test (the ITs' JVM) for its cost: it ingests and trains a world.
 */
class ReviewQueueIT extends SparkTestBase {

    @Test
    void theQueueFindsPlantedFlipsAndNearCopiesAndARerunWritesNothing() throws Exception {
        String lakehouse = workDir.resolve("review-lakehouse").toString();
        Poa poa = Poa.inProcess().global("--lakehouse", lakehouse);
        java.nio.file.Path json = workDir.resolve("review-eval.json");
        PoaRun eval = poa.run("eval", "review", "--contributions", "2000", "--seed", "2", "--out", workDir.resolve("review-world").toString(),
                "--json", json.toString()).ok();
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        String said = eval.out();
        // Enough planted to mean something, then the targets.
        assertTrue(r.get("flipped_scored").asLong() >= 10, said);
        assertTrue(r.get("copies_scored").asLong() >= 50, said);
        assertTrue(r.get("flipped_flagged").asDouble() >= 0.8 * r.get("flipped_scored").asDouble(), said);
        assertTrue(r.get("copies_flagged").asDouble() >= 0.95 * r.get("copies_scored").asDouble(), said);
        assertTrue(r.get("originals_flagged").asDouble() <= 0.01 * r.get("originals_scored").asDouble(), said);
        assertTrue(said.contains("self-influence: ") && said.contains("copied spans: "), said);
        // The label-flipper stands out as a contributor: the largest share of its rows flagged.
        assertEquals(1, r.get("flipper_rank").asInt(), said);

        // Every flagged row names its evidence; ranks are 1.. within a datanet and signal.
        Lakehouse house = new Lakehouse(spark, lakehouse);
        Dataset<Row> queue = house.read(Tables.REVIEW_QUEUE);
        assertEquals(0, queue.where("signal = 'copied_spans' AND (source_contribution_id IS NULL OR score < 0.2)").count());
        assertEquals(0, queue.where("signal = 'self_influence' AND (model_id IS NULL OR size(checkpoints) = 0)").count());
        assertEquals(0, queue.where("status NOT IN ('pending', 'approved') OR rank < 1 OR rank > scored").count());
        assertEquals(queue.count(), queue.select("datanet_id", "signal", "rank").distinct().count(), "one row per rank");

        long version = house.version(Tables.REVIEW_QUEUE);
        PoaRun again = poa.run("review", "--top", "3").ok();
        assertTrue(again.out().contains("review_queue unchanged (nothing written)"), again.out());
        assertTrue(again.out().contains("datanet sentiment:") && again.out().contains("#1 "), again.out());
        assertEquals(version, house.version(Tables.REVIEW_QUEUE), "a re-run on the same tables writes nothing");

        PoaRun status = poa.run("status").ok();
        assertTrue(status.out().contains("review queue (poa review;"), status.out());
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith("sentiment ") && l.trim().split("\\s+").length == 4), status.out());

        // The epoch report shows the top of the queue as the table holds it.
        java.nio.file.Path pages = workDir.resolve("review-pages");
        poa.run("report", "--epoch", "1", "--out", pages.toString()).ok();
        String html = java.nio.file.Files.readString(pages.resolve("epoch-1.html"));
        String start = "<script type=\"application/json\" id=\"poa-data\">";
        String embedded = html.substring(html.indexOf(start) + start.length(), html.indexOf("</script>", html.indexOf(start)));
        JsonNode top = new ObjectMapper().readTree(embedded).get("review").get("top");
        List<Row> expected = queue.where("rank <= 5").orderBy("datanet_id", "signal", "rank", "contribution_id")
                .select("contribution_id", "rank").collectAsList();
        assertEquals(expected.size(), top.size(), embedded);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).getString(0), top.get(i).get("contribution_id").asText());
            assertEquals(expected.get(i).getInt(1), top.get(i).get("rank").asInt());
        }

        PoaRun unknown = poa.run("review", "--datanet", "no-such-datanet");
        assertEquals(1, unknown.code(), unknown.describe());
        assertEquals("poa: no datanet 'no-such-datanet'", unknown.errorLine());
    }

    /** Spark's copied share and earliest source against a direct search, on corpora where copies are common. */
    @Test
    void copiedSpansAgreeWithABruteForceSearch() {
        StructType schema = new StructType().add("contribution_id", DataTypes.StringType).add("contributor", DataTypes.StringType)
                .add("submitted_at", DataTypes.TimestampType).add("content", DataTypes.StringType);
        for (int seed = 1; seed <= 3; seed++) {
            Random random = new Random(seed);
            int minSpan = 2 + random.nextInt(3);
            List<Row> rows = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(15);
                // Half the texts lift a piece of an earlier one; the words come from six, so chance matches happen too.
                if (i > 0 && random.nextBoolean()) {
                    String[] earlier = texts.get(random.nextInt(i)).split(" ");
                    int from = random.nextInt(earlier.length);
                    for (int k = from; k < Math.min(earlier.length, from + 2 + random.nextInt(8)); k++) {
                        text.append(earlier[k]).append(' ');
                    }
                }
                for (int k = 0; k < length; k++) {
                    text.append((char) ('a' + random.nextInt(6))).append(random.nextBoolean() ? " " : ", ");
                }
                String content = text.toString().strip();
                texts.add(content.isEmpty() ? "z" : content);
                // Few contributors and times, so same-contributor and same-time holders are common.
                rows.add(RowFactory.create("c" + i, (random.nextBoolean() ? "0xAB" : "0xab") + random.nextInt(3),
                        Timestamp.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * random.nextInt(12))),
                        texts.get(i)));
            }
            Dataset<Row> corpus = spark.createDataFrame(rows, schema);
            Map<String, Row> got = new HashMap<>();
            for (Row row : CopiedSpans.of(corpus, corpus.select("contribution_id"), minSpan).collectAsList()) {
                got.put(row.getString(0), row);
            }
            assertEquals(rows.size(), got.size());
            for (Row c : rows) {
                Row answer = got.get(c.getString(0));
                String where = "seed " + seed + ", min span " + minSpan + ", " + c.getString(0) + " '" + c.getString(3) + "'";
                List<String> tokens = TextNormalizer.tokens(c.getString(3));
                boolean[] covered = new boolean[tokens.size()];
                Row earliest = null;
                for (int p = 0; p + minSpan <= tokens.size(); p++) {
                    List<String> window = tokens.subList(p, p + minSpan);
                    for (Row other : rows) {
                        boolean earlierOfAnother = !other.getString(1).equalsIgnoreCase(c.getString(1))
                                && other.getTimestamp(2).before(c.getTimestamp(2));
                        if (earlierOfAnother && java.util.Collections.indexOfSubList(TextNormalizer.tokens(other.getString(3)), window) >= 0) {
                            for (int k = p; k < p + minSpan; k++) {
                                covered[k] = true;
                            }
                            if (earliest == null || other.getTimestamp(2).before(earliest.getTimestamp(2))
                                    || other.getTimestamp(2).equals(earliest.getTimestamp(2)) && other.getString(0).compareTo(earliest.getString(0)) < 0) {
                                earliest = other;
                            }
                        }
                    }
                }
                int copied = 0;
                for (boolean b : covered) {
                    copied += b ? 1 : 0;
                }
                assertEquals(tokens.size(), answer.getInt(1), where);
                assertEquals(copied, answer.getInt(2), where);
                assertEquals(tokens.isEmpty() ? 0.0 : (double) copied / tokens.size(), answer.getDouble(3), 1e-12, where);
                assertEquals(earliest == null ? null : earliest.getString(0), answer.getString(4), where);
                assertEquals(earliest == null ? null : earliest.getString(1), answer.getString(5), where);
            }
        }
    }
}

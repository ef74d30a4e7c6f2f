package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.poa.attribution.gradient.HashedFeatures;
import org.poa.attribution.gradient.SoftmaxCheckpoint;
import org.poa.jobs.train.ModelCheckpoints;
import org.poa.jobs.train.ModelTraining;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.epoch.EpochClock;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.core.ids.ContributionIds;
import org.poa.lakehouse.ingest.InputKind;

/**
 * Training and gradient attribution on a world of three topics (sports, cooking, music) whose
 * contributors each write about one topic with its label, plus one contributor who writes about
 * sports but labels it cooking. Three models train on the same data: exact TracIn, projected TracIn
 * and the default (projected, damped Gauss-Newton). Checked against a direct computation of the
 * formula written here, between modes, for topic and mislabel behaviour, across layouts and re-runs.
 */
class GradientAttributionTest extends SparkTestBase {

    private static final String[] TOPICS = {"cooking", "music", "sports"};
    private static final Map<String, String[]> WORDS = Map.of(
            "sports", new String[] {"goal", "match", "team", "referee", "stadium", "score", "coach", "league", "penalty", "striker"},
            "cooking", new String[] {"oven", "recipe", "garlic", "simmer", "flour", "butter", "pan", "salt", "bake", "onion"},
            "music", new String[] {"guitar", "melody", "chord", "drum", "song", "tempo", "piano", "rhythm", "choir", "violin"});
    private static final String[] COMMON = {"the", "a", "was", "very", "today", "and", "with", "we", "it", "great", "new", "old"};
    private static final String FLIPPER = "0x" + "f".repeat(40);

    private static Lakehouse lakehouse;
    private static Path world;
    /** contributor → topic (the flipper: "flipped"). */
    private static final Map<String, String> TOPIC_OF = new TreeMap<>();
    /** inference id → topic. */
    private static final Map<String, String> INFERENCE_TOPIC = new TreeMap<>();

    @BeforeAll
    static void trainAndAttribute() throws IOException {
        world = workDir.resolve("world");
        writeWorld(new Random(7), world);
        lakehouse = newLakehouse("topics");
        ingest(lakehouse, world, null);
        for (String model : List.of("m-exact", "m-projected", "m-default")) {
            ModelTraining.Result trained = ModelTraining.run(lakehouse, model, m -> { });
            assertTrue(trained.changed());
            assertEquals(3 * 4 * 5 + 5, trained.examples(), "approved, labelled contributions only");
        }
        new AttributeAction(lakehouse, EpochClock.DEFAULT, 1, m -> { }).methods(AttributeAction.Methods.gradient).execute();
    }

    @Test
    void checkpointsAreDeterministicAndRecordedInTheLineage() {
        List<Row> hashes = lakehouse.read(Tables.MODEL_CHECKPOINTS).select("model_id", "weights_hash", "iterations", "lr")
                .orderBy("model_id", "checkpoint").collectAsList();
        assertEquals(9, hashes.size());
        // Same data and settings: the three models' weights are bit for bit the same.
        assertEquals(1, hashes.stream().map(r -> r.getString(1)).distinct().count());
        assertEquals(List.of(3, 10, 30), hashes.subList(0, 3).stream().map(r -> r.getInt(2)).toList());
        hashes.forEach(r -> assertEquals(1.0 / 3, r.getDouble(3), 1e-15));
        List<Row> trained = lakehouse.read(Tables.MODEL_LINEAGE).where(col("event").equalTo(ModelTraining.TRAINED))
                .orderBy("model_id").collectAsList();
        assertEquals(3, trained.size());
        String details = trained.get(0).getString(trained.get(0).fieldIndex("details"));
        assertTrue(details.contains("\"weights_hash\":\"" + hashes.get(0).getString(1) + "\""), details);
        assertTrue(details.contains("\"contributions_version\":" + lakehouse.version(Tables.CONTRIBUTIONS)), details);
        assertTrue(org.poa.lakehouse.registry.ModelLineage.verify(lakehouse, "m-exact").ok(), "the chain stays valid");

        // Re-training on unchanged data writes nothing: no new checkpoint version, no new event.
        long version = lakehouse.version(Tables.MODEL_CHECKPOINTS);
        long events = lakehouse.read(Tables.MODEL_LINEAGE).count();
        assertFalse(ModelTraining.run(lakehouse, "m-exact", m -> { }).changed());
        assertEquals(version, lakehouse.version(Tables.MODEL_CHECKPOINTS));
        assertEquals(events, lakehouse.read(Tables.MODEL_LINEAGE).count());
    }

    @Test
    void exactScoresEqualTheFormulaComputedDirectly() {
        List<SoftmaxCheckpoint> checkpoints = ModelCheckpoints.read(lakehouse, "m-exact");
        HashedFeatures features = new HashedFeatures(checkpoints.get(0).numFeatures());
        List<Row> training = lakehouse.read(Tables.CONTRIBUTIONS).where(col("label").isNotNull())
                .select("contribution_id", "contributor", "content", "label").collectAsList();
        Map<String, String> promptOf = new HashMap<>();
        Map<String, String> labelOf = new HashMap<>();
        for (Row r : lakehouse.read(Tables.INFERENCES).where(col("model_id").equalTo("m-exact")).collectAsList()) {
            promptOf.put(r.getAs("inference_id"), r.getAs("prompt"));
            labelOf.put(r.getAs("inference_id"), r.getAs("output"));
        }
        Map<String, List<Row>> rows = rowsByInference("m-exact");
        int compared = 0;
        for (var e : promptOf.entrySet()) {
            String inference = e.getKey();
            if (!List.of(TOPICS).contains(labelOf.get(inference))) {
                assertFalse(rows.containsKey(inference), "an output that is no label gets no gradient credit");
                continue;
            }
            // Σ_checkpoints lr Σ_{t of c} ⟨p_i − e_yi, p_t − e_yt⟩ · (⟨x_i, x_t⟩ + 1), the approved training set only.
            Map<String, Double> direct = new TreeMap<>();
            double[] xi = dense(features.of(e.getValue()), features.size());
            for (Row t : training) {
                if (t.getString(0).equals(REJECTED_ID)) {
                    continue;
                }
                double[] xt = dense(features.of(t.getString(2)), features.size());
                double sum = 0;
                for (SoftmaxCheckpoint c : checkpoints) {
                    double[] ri = residual(c, xi, labelOf.get(inference));
                    double[] rt = residual(c, xt, t.getString(3));
                    double rr = 0;
                    for (int k = 0; k < ri.length; k++) {
                        rr += ri[k] * rt[k];
                    }
                    double xx = 0;
                    for (int k = 0; k < xi.length; k++) {
                        xx += xi[k] * xt[k];
                    }
                    sum += c.lr() * rr * (xx + 1);
                }
                direct.merge(t.getString(1), sum, Double::sum);
            }
            List<Map.Entry<String, Double>> positive = direct.entrySet().stream().filter(d -> d.getValue() > 0)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
            List<Row> stored = rows.getOrDefault(inference, List.of());
            assertEquals(Math.min(1000, positive.size()), stored.size(), inference + ": every positive contributor");
            double total = positive.stream().mapToDouble(Map.Entry::getValue).sum();
            for (Row r : stored) {
                double expected = direct.get(r.getString(r.fieldIndex("contributor")));
                double score = r.getDouble(r.fieldIndex("score"));
                assertEquals(0, Math.abs(score - expected) / Math.abs(expected), 1e-9, inference + " " + r);
                assertEquals(expected / total, r.getDouble(r.fieldIndex("weight")), 1e-9);
                compared++;
            }
        }
        assertTrue(compared > 150, "compared " + compared);
    }

    @Test
    void projectedScoresRankLikeExactOnes() {
        Map<String, Double> exact = scores("m-exact");
        Map<String, Double> projected = scores("m-projected");
        List<String> common = exact.keySet().stream().filter(projected::containsKey).toList();
        assertTrue(common.size() >= 0.9 * exact.size(), common.size() + " of " + exact.size() + " pairs in both");
        double rho = org.poa.jobs.eval.Spearman.of(common.stream().mapToDouble(exact::get).toArray(),
                common.stream().mapToDouble(projected::get).toArray());
        System.out.printf("projected k=128 vs exact: Spearman %.4f over %d (inference, contributor) pairs%n", rho, common.size());
        assertTrue(rho >= 0.9, "Spearman " + rho);
    }

    @Test
    void contributorsOfTheInferencesTopicGetMostOfTheWeight() {
        for (String model : List.of("m-exact", "m-default")) {
            Map<String, List<Row>> rows = rowsByInference(model);
            double sum = 0;
            int n = 0;
            int majority = 0;
            for (var e : rows.entrySet()) {
                String topic = INFERENCE_TOPIC.get(e.getKey());
                double onTopic = e.getValue().stream().filter(r -> topic.equals(topicOf(r.getString(r.fieldIndex("contributor")))))
                        .mapToDouble(r -> r.getDouble(r.fieldIndex("weight"))).sum();
                sum += onTopic;
                n++;
                majority += onTopic > 0.5 ? 1 : 0;
            }
            System.out.printf("%s: mean on-topic weight %.3f over %d inferences, majority on topic for %d%n", model, sum / n, n, majority);
            assertTrue(sum / n > 0.7, model + ": mean on-topic weight " + sum / n);
            assertTrue(majority >= 0.8 * n, model + ": majority on topic for " + majority + " of " + n);
        }
    }

    /**
     * With the default damped Gauss-Newton preconditioner the contributor whose labels are flipped earns
     * the least. Plain TracIn (identity) does not do this here: a flipped example's residual is large and
     * shares the bias direction with every inference of the label it carries, so it is a strong
     * proponent for those inferences. The preconditioner divides out that shared direction; measured
     * numbers are printed and recorded in docs/attribution.md.
     */
    @Test
    void theContributorWithFlippedLabelsEarnsTheLeast() {
        for (String model : List.of("m-exact", "m-projected", "m-default")) {
            Map<String, Double> earned = new TreeMap<>();
            TOPIC_OF.keySet().forEach(c -> earned.put(c, 0.0));
            for (Row r : lakehouse.read(Tables.ATTRIBUTIONS).where(col("model_id").equalTo(model)).collectAsList()) {
                earned.merge(r.<String>getAs("contributor").toLowerCase(java.util.Locale.ROOT), r.<Double>getAs("weight"), Double::sum);
            }
            double least = earned.entrySet().stream().filter(e -> List.of(TOPICS).contains(TOPIC_OF.get(e.getKey())))
                    .mapToDouble(Map.Entry::getValue).min().orElseThrow();
            System.out.printf("%s: flipper earned %.3f, least honest %.3f%n", model, earned.get(FLIPPER), least);
            if (model.equals("m-default")) {
                assertTrue(earned.get(FLIPPER) < least, model + ": flipper " + earned.get(FLIPPER) + " vs least honest " + least);
            }
        }
    }

    @Test
    void usageListsTheBestContributionsAndSameTopicOnes() {
        List<Row> usage = lakehouse.read(Tables.INFLUENCE_USAGE).where(col("model_id").equalTo("m-default"))
                .orderBy("inference_id", "rank").collectAsList();
        assertFalse(usage.isEmpty());
        Map<String, List<Row>> byInference = new TreeMap<>();
        usage.forEach(r -> byInference.computeIfAbsent(r.getAs("inference_id"), k -> new ArrayList<>()).add(r));
        for (List<Row> ranks : byInference.values()) {
            assertTrue(ranks.size() <= 10);
            for (int i = 0; i < ranks.size(); i++) {
                assertEquals(i + 1, ranks.get(i).<Integer>getAs("rank"));
                assertTrue(ranks.get(i).<Double>getAs("score") > 0);
                if (i > 0) {
                    assertTrue(ranks.get(i - 1).<Double>getAs("score") >= ranks.get(i).<Double>getAs("score"));
                }
            }
        }
        for (String model : List.of("m-exact", "m-default")) {
            List<Row> first = lakehouse.read(Tables.INFLUENCE_USAGE).where(col("model_id").equalTo(model).and(col("rank").equalTo(1)))
                    .collectAsList();
            long onTopic = first.stream().filter(r -> INFERENCE_TOPIC.get(r.<String>getAs("inference_id"))
                    .equals(topicOf(r.getAs("contributor")))).count();
            System.out.printf("%s: most used contribution on topic for %d of %d inferences%n", model, onTopic, first.size());
            if (model.equals("m-default")) {
                // (TracIn's top contribution for the cooking inferences is the flipper's: see the test above.)
                assertTrue(onTopic >= 0.7 * first.size(), model + ": " + onTopic + " of " + first.size());
            }
        }
    }

    @Test
    void sameRowsWhateverTheLayoutAndNothingWrittenOnReRuns() throws IOException {
        long attributions = lakehouse.version(Tables.ATTRIBUTIONS);
        long usage = lakehouse.version(Tables.INFLUENCE_USAGE);
        new AttributeAction(lakehouse, EpochClock.DEFAULT, 1, m -> { }).methods(AttributeAction.Methods.gradient).execute();
        assertEquals(attributions, lakehouse.version(Tables.ATTRIBUTIONS), "a re-run writes nothing");
        assertEquals(usage, lakehouse.version(Tables.INFLUENCE_USAGE));

        // Another lakehouse: shuffled input files split three ways, tiny read partitions, more shuffle partitions.
        String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
        spark.conf().set("spark.sql.files.maxPartitionBytes", "2048");
        spark.conf().set("spark.sql.shuffle.partitions", "7");
        try {
            Lakehouse other = newLakehouse("topics-split");
            ingest(other, world, new Random(3));
            for (String model : List.of("m-exact", "m-projected", "m-default")) {
                ModelTraining.run(other, model, m -> { });
            }
            new AttributeAction(other, EpochClock.DEFAULT, 1, m -> { }).methods(AttributeAction.Methods.gradient).execute();
            for (var table : List.of(Tables.MODEL_CHECKPOINTS, Tables.ATTRIBUTIONS, Tables.INFLUENCE_USAGE)) {
                var a = lakehouse.read(table).where(col("model_id").notEqual("m-imported"))
                        .drop("trained_at", "contributions_version", "status_version");
                var b = other.read(table).drop("trained_at", "contributions_version", "status_version");
                assertEquals(0, a.exceptAll(b).count() + b.exceptAll(a).count(), table.name() + " differs with the layout");
            }
        } finally {
            spark.conf().set("spark.sql.files.maxPartitionBytes", before);
            spark.conf().set("spark.sql.shuffle.partitions", "2");
        }
    }

    @Test
    void importedGradientsAreValidatedAndScoredTheSameWay() {
        Random random = new Random(5);
        List<String> contributions = lakehouse.read(Tables.CONTRIBUTIONS).select("contribution_id").orderBy("contribution_id")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        Map<String, float[][]> vectors = new TreeMap<>(); // "kind/id" → per checkpoint
        List<Row> rows = new ArrayList<>();
        double[] lrs = {0.5, 0.25};
        List<String> ids = new ArrayList<>(contributions);
        for (int i = 0; i < 8; i++) {
            ids.add("m-imported:inf-" + i);
        }
        for (String id : ids) {
            String kind = id.startsWith("0x") ? "contribution" : "inference";
            float[][] v = new float[2][16];
            for (int c = 0; c < 2; c++) {
                List<Float> values = new ArrayList<>();
                for (int k = 0; k < 16; k++) {
                    // A shared positive direction, so most scores are positive and many contributors earn.
                    v[c][k] = (float) (random.nextGaussian() + (k == 0 ? 2 : 0));
                    values.add(v[c][k]);
                }
                rows.add(org.apache.spark.sql.RowFactory.create(kind, id, "m-imported", c, lrs[c], values.toArray(new Float[0])));
            }
            vectors.put(kind + "/" + id, v);
        }
        rows.add(org.apache.spark.sql.RowFactory.create("contribution", contributions.get(0), "no-such-model", 0, 0.5, new Float[] {1f}));
        rows.add(org.apache.spark.sql.RowFactory.create("weights", contributions.get(0), "m-imported", 0, 0.5, new Float[] {1f}));
        rows.add(org.apache.spark.sql.RowFactory.create("contribution", contributions.get(1), "m-imported", 3, 0.0, new Float[] {1f}));
        var schema = new org.apache.spark.sql.types.StructType().add("kind", "string").add("id", "string").add("model_id", "string")
                .add("checkpoint", "int").add("lr", "double")
                .add("vector", org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType));
        String folder = workDir.resolve("gradients").toString();
        spark.createDataFrame(rows.stream().map(r -> org.apache.spark.sql.RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3),
                r.get(4), java.util.Arrays.asList((Float[]) r.get(5)))).toList(), schema).repartition(2).write().parquet(folder);
        var report = InputKind.GRADIENTS.ingest(lakehouse, IngestOptions.DEFAULT).run(folder);
        assertEquals(rows.size(), report.read());
        assertEquals(rows.size() - 3, report.accepted());
        assertEquals(3, report.quarantined(), "unknown model, bad kind, lr 0");
        assertEquals(0, InputKind.GRADIENTS.ingest(lakehouse, IngestOptions.DEFAULT).run(folder).accepted(), "re-ingest adds nothing");

        new AttributeAction(lakehouse, EpochClock.DEFAULT, 1, m -> { }).model("m-imported").methods(AttributeAction.Methods.gradient).execute();
        Map<String, List<Row>> credited = rowsByInference("m-imported");
        Map<String, String> contributorOf = new HashMap<>();
        for (Row r : lakehouse.read(Tables.CONTRIBUTIONS).collectAsList()) {
            contributorOf.put(r.getAs("contribution_id"), r.getAs("contributor"));
        }
        assertEquals(8, credited.size());
        for (var e : credited.entrySet()) {
            float[][] vi = vectors.get("inference/" + e.getKey());
            Map<String, Double> direct = new TreeMap<>();
            for (String t : contributions) {
                if (t.equals(REJECTED_ID)) {
                    continue; // imported, but not approved: never credited
                }
                float[][] vt = vectors.get("contribution/" + t);
                double s = 0;
                for (int c = 0; c < 2; c++) {
                    double dot = 0;
                    for (int k = 0; k < 16; k++) {
                        dot += (double) vi[c][k] * vt[c][k];
                    }
                    s += lrs[c] * dot;
                }
                direct.merge(contributorOf.get(t), s, Double::sum);
            }
            long positive = direct.values().stream().filter(v -> v > 0).count();
            assertEquals(Math.min(10, positive), e.getValue().size(), "top 10 (the default) positive contributors");
            for (Row r : e.getValue()) {
                double expected = direct.get(r.<String>getAs("contributor"));
                assertEquals(0, Math.abs(r.<Double>getAs("score") - expected) / Math.abs(expected), 1e-9, r.toString());
            }
            double least = e.getValue().stream().mapToDouble(r -> r.<Double>getAs("score")).min().orElseThrow();
            assertEquals(Math.min(10, positive), direct.values().stream().filter(v -> v >= least - 1e-9 * Math.abs(least)).count(),
                    "the best ones are kept");
        }
    }

    @Test
    void linearDatamodelingScoreIsPositiveWithAnInterval() {
        var r = org.poa.jobs.eval.AttributionEval.run(lakehouse, "m-default", 8, 0.5, 12, null, 3, m -> { });
        System.out.printf("LDS m-default: %.3f (%.3f to %.3f) over %d inferences, %d contributors%n", r.lds(), r.low(), r.high(),
                r.inferences(), r.contributors());
        assertEquals(13, r.contributors(), "12 honest contributors and the flipper");
        assertTrue(r.inferences() >= 10, "inferences with a defined correlation: " + r.inferences());
        assertTrue(r.low() <= r.lds() && r.lds() <= r.high());
        assertTrue(r.lds() > 0.2, "the attribution predicts retraining outcomes: LDS " + r.lds());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static String REJECTED_ID;

    /** Stored addresses carry the EIP-55 checksum case; the test wrote lower case. */
    private static String topicOf(String contributor) {
        return TOPIC_OF.get(contributor.toLowerCase(java.util.Locale.ROOT));
    }

    private static Map<String, List<Row>> rowsByInference(String model) {
        Map<String, List<Row>> out = new TreeMap<>();
        for (Row r : lakehouse.read(Tables.ATTRIBUTIONS).where(col("model_id").equalTo(model).and(col("method").equalTo("gradient")))
                .collectAsList()) {
            out.computeIfAbsent(r.getAs("inference_id"), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** (inference, contributor) → score of a model's rows, keyed without the model's inference prefix. */
    private static Map<String, Double> scores(String model) {
        Map<String, Double> out = new HashMap<>();
        for (Row r : lakehouse.read(Tables.ATTRIBUTIONS).where(col("model_id").equalTo(model)).collectAsList()) {
            out.put(r.<String>getAs("inference_id").substring(r.<String>getAs("inference_id").indexOf(':') + 1)
                    + "/" + r.getAs("contributor"), r.getAs("score"));
        }
        return out;
    }

    private static double[] dense(HashedFeatures.Sparse x, int size) {
        double[] out = new double[size];
        for (int i = 0; i < x.indices().length; i++) {
            out[x.indices()[i]] = x.values()[i];
        }
        return out;
    }

    /** p − e_y by a plain softmax over the checkpoint's weights. */
    private static double[] residual(SoftmaxCheckpoint c, double[] x, String label) {
        int classes = c.labels().length;
        double[] z = new double[classes];
        for (int k = 0; k < classes; k++) {
            z[k] = c.intercepts()[k];
            for (int j = 0; j < x.length; j++) {
                z[k] += c.coefficients()[k * x.length + j] * x[j];
            }
        }
        double max = java.util.Arrays.stream(z).max().orElseThrow();
        double total = 0;
        for (int k = 0; k < classes; k++) {
            z[k] = Math.exp(z[k] - max);
            total += z[k];
        }
        for (int k = 0; k < classes; k++) {
            z[k] /= total;
        }
        z[java.util.Arrays.asList(c.labels()).indexOf(label)] -= 1;
        return z;
    }

    private static void ingest(Lakehouse target, Path folder, Random shuffle) throws IOException {
        for (InputKind kind : InputKind.world()) {
            Path file = folder.resolve(kind.code() + ".jsonl");
            String input = file.toString();
            if (shuffle != null) {
                List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
                Collections.shuffle(lines, shuffle);
                Path split = folder.resolve("split-" + kind.code());
                Files.createDirectories(split);
                for (int part = 0; part < 3; part++) {
                    Files.write(split.resolve("part-" + part + ".jsonl"),
                            lines.subList(part * lines.size() / 3, (part + 1) * lines.size() / 3), StandardCharsets.UTF_8);
                }
                input = split.toString();
            }
            kind.ingest(target, IngestOptions.DEFAULT).run(input);
        }
    }

    private static String text(Random random, String topic) {
        List<String> words = new ArrayList<>();
        int n = 8 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            words.add(random.nextInt(5) < 2 ? COMMON[random.nextInt(COMMON.length)]
                    : WORDS.get(topic)[random.nextInt(WORDS.get(topic).length)]);
        }
        return String.join(" ", words);
    }

    private static void writeWorld(Random random, Path folder) throws IOException {
        Files.createDirectories(folder);
        List<String> contributions = new ArrayList<>();
        List<String> votes = new ArrayList<>();
        List<String> writers = new ArrayList<>();
        for (String topic : TOPICS) {
            for (int c = 0; c < 4; c++) {
                String contributor = address(random);
                TOPIC_OF.put(contributor, topic);
                for (int k = 0; k < 5; k++) {
                    writers.add(contributor + "\t" + text(random, topic) + "\t" + topic);
                }
            }
        }
        TOPIC_OF.put(FLIPPER, "flipped");
        for (int k = 0; k < 5; k++) {
            writers.add(FLIPPER + "\t" + text(random, "sports") + "\tcooking");
        }
        // One rejected contribution: never trained on, never credited.
        String rejected = address(random);
        TOPIC_OF.put(rejected, "rejected");
        writers.add(rejected + "\t" + text(random, "music") + "\tmusic");
        for (String w : writers) {
            String[] f = w.split("\t");
            contributions.add(json(Map.of("datanet_id", "topics", "contributor", f[0], "content", f[1], "label", f[2],
                    "submitted_at", "2026-01-01T01:00:00Z")));
            String id = ContributionIds.ofContent("topics", f[1]);
            boolean reject = f[0].equals(rejected);
            if (reject) {
                REJECTED_ID = id;
            }
            votes.add(json(Map.of("contribution_id", id, "validator", "0x" + "1".repeat(40),
                    "verdict", reject ? "reject" : "approve", "voted_at", "2026-01-01T02:00:00Z")));
        }
        List<String> models = new ArrayList<>();
        Map<String, Object> common = Map.of("num_features", 512, "checkpoints", List.of(3, 10, 30), "top_contributors", 1000);
        models.add(model("m-exact", merge(common, Map.of("projection", 0))));
        models.add(model("m-projected", merge(common, Map.of("preconditioner", "identity"))));
        models.add(model("m-default", Map.of("num_features", 512, "checkpoints", "3,10,30")));
        Map<String, Object> imported = new LinkedHashMap<>(JSON_MODEL("m-imported", Map.of("preconditioner", "identity")));
        imported.put("kind", "lm");
        imported.put("attribution", Map.of("gradient", 1.0));
        models.add(json(imported));
        List<String> inferences = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inferences.add(json(Map.of("inference_id", "m-imported:inf-" + i, "model_id", "m-imported", "caller", "0x" + "c".repeat(40),
                    "use", "commercial", "fee_wei", "1000", "prompt", "p", "output", "an answer " + i,
                    "ts", "2026-01-01T12:00:00Z")));
        }
        for (String model : List.of("m-exact", "m-projected", "m-default")) {
            Random same = new Random(99); // the same prompts for every model
            for (int i = 0; i < 45; i++) {
                String topic = TOPICS[i % 3];
                String id = model + ":inf-" + i;
                String output = i == 44 ? "not-a-label" : topic;
                INFERENCE_TOPIC.put(id, topic);
                inferences.add(json(Map.of("inference_id", id, "model_id", model, "caller", "0x" + "c".repeat(40),
                        "use", "commercial", "fee_wei", "1000", "prompt", text(same, topic), "output", output,
                        "ts", "2026-01-01T12:00:00Z")));
            }
        }
        Files.write(folder.resolve("datanets.jsonl"), List.of(json(Map.of("datanet_id", "topics", "name", "topics",
                "owner", "0x" + "a".repeat(40), "license", Map.of("commercial", true, "derivatives", true),
                "quorum", 1, "approval_threshold", 0.5))), StandardCharsets.UTF_8);
        Files.write(folder.resolve("contributions.jsonl"), contributions, StandardCharsets.UTF_8);
        Files.write(folder.resolve("votes.jsonl"), votes, StandardCharsets.UTF_8);
        Files.write(folder.resolve("models.jsonl"), models, StandardCharsets.UTF_8);
        Files.write(folder.resolve("inferences.jsonl"), inferences, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> out = new LinkedHashMap<>(a);
        out.putAll(b);
        return out;
    }

    private static String model(String id, Map<String, Object> gradient) {
        return json(JSON_MODEL(id, gradient));
    }

    private static Map<String, Object> JSON_MODEL(String id, Map<String, Object> gradient) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("model_id", id);
        fields.put("developer", "0x" + "d".repeat(40));
        fields.put("kind", "classifier");
        fields.put("datanets", List.of("topics"));
        fields.put("license", Map.of("fee_per_call_wei", "1000", "allowed_uses", List.of("commercial"),
                "split_bps", Map.of("protocol", 1000, "developer", 3000, "validators", 1000, "data", 5000)));
        fields.put("params", Map.of("gradient", gradient));
        return fields;
    }

    private static String address(Random random) {
        return NgramAttributionTest.address(random);
    }

    private static String json(Map<String, ?> fields) {
        return NgramAttributionTest.json(fields);
    }
}

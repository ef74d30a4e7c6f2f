package org.poa.jobs.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.poa.attribution.ngram.BruteForceSpans;
import org.poa.attribution.ngram.Credits;
import org.poa.attribution.ngram.NgramParams;
import org.poa.attribution.ngram.Span;
import org.poa.core.text.TextNormalizer;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.epoch.EpochClock;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.core.ids.ContributionIds;
import org.poa.lakehouse.ingest.InputKind;

/**
 * The attribute job on generated worlds against the brute-force definition: approved contributions
 * only (as of each epoch's end), per-model parameters, Persian letter variants, shared spans,
 * duplicates and outputs without a match; then the same rows whatever the input layout, the
 * number of cores and partitions, and however often it is re-run.
 */
class NgramAttributionTest extends SparkTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] PERSIAN = {
        {"یک", "يک", "یك"}, {"کتاب", "كتاب", "کتـاب"}, {"می‌روم", "میروم"}, {"دل", "دِل"}, {"شب"}, {"گل"},
        {"باران"}, {"ساقی", "ساقي"},
    };
    private static final String[] LATIN = {"rose", "Rose", "night", "wine", "café", "moon", "sea", "42"};
    private static final String[] DATANETS = {"fa", "en", "other"};

    enum Fate { APPROVED, REJECTED, PENDING, APPROVED_IN_EPOCH_2 }

    /** A contribution as the test wrote it. */
    record Written(String datanet, String contributor, String content, Fate fate) {
        String id() {
            return ContributionIds.ofContent(datanet, content);
        }
    }

    /** An n-gram model as the test registered it. */
    record ModelSpec(String id, List<String> datanets, NgramParams params) {
    }

    /** A generated world: its input files and what the test knows about it. */
    record World(Path folder, List<Written> contributions, List<String> duplicateContributors,
                 List<ModelSpec> models, Map<String, String[]> inferences) {
    }

    @Test
    void spansAndCreditsEqualTheDefinitionAndDoNotDependOnLayoutCoresOrReruns() throws IOException {
        World world = world(new Random(11), workDir.resolve("world"));
        Lakehouse one = newLakehouse("one");
        ingest(one, world, null);
        for (long epoch = 1; epoch <= 2; epoch++) {
            NgramIndexBuild.update(one, 200);
            new AttributeAction(one, EpochClock.DEFAULT, epoch, message -> { }).methods(AttributeAction.Methods.ngram).execute();
        }
        int spans = assertMatchesDefinition(one, world);
        assertTrue(spans > 40, "the world must produce spans to compare, got " + spans);

        // The same inputs split into three files each, lines shuffled; more partitions.
        Lakehouse split = newLakehouse("split");
        ingest(split, world, new Random(5));
        spark.conf().set("spark.sql.shuffle.partitions", "5");
        for (long epoch = 1; epoch <= 2; epoch++) {
            NgramIndexBuild.update(split, 1_000_000);
            new AttributeAction(split, EpochClock.DEFAULT, epoch, message -> { }).methods(AttributeAction.Methods.ngram).execute();
        }
        spark.conf().set("spark.sql.shuffle.partitions", "2");
        List<String> expectedSpans = rows(one, "attribution_spans");
        List<String> expectedCredits = rows(one, "attributions");
        assertEquals(expectedSpans, rows(split, "attribution_spans"));
        assertEquals(expectedCredits, rows(split, "attributions"));

        // Re-run over the existing rows, one model at a time, three partitions: still the same rows. (Executors:
        // the integration tests compare local Spark with a two-executor cluster.)
        spark.conf().set("spark.sql.shuffle.partitions", "3");
        Lakehouse again = new Lakehouse(spark, one.root());
        long creditsVersion = version(again, Tables.ATTRIBUTIONS);
        long spansVersion = version(again, Tables.ATTRIBUTION_SPANS);
        // The re-run of all models holds each corpus in several index shards (7 in epoch 1, 2 in epoch 2: the
        // shard memory set to a share of m-mixed's corpus), so that spans and too-common spans have holders in
        // different shards; the one-model re-runs in one shard each (the default). The rows are the same bits:
        // nothing is written.
        int tooCommonSharded = 0;
        for (long epoch = 1; epoch <= 2; epoch++) {
            int shards = epoch == 1 ? 7 : 2;
            spark.conf().set(IndexShards.SHARD_MEMORY, shardMemoryFor(world, "m-mixed", epoch, shards) + "b");
            AttributeAction.Result sharded;
            try {
                sharded = new AttributeAction(again, EpochClock.DEFAULT, epoch, message -> { }).methods(AttributeAction.Methods.ngram)
                        .execute();
            } finally {
                spark.conf().unset(IndexShards.SHARD_MEMORY);
            }
            AttributionRun mixed = sharded.runs().stream().filter(r -> r.modelId().equals("m-mixed")).findFirst().orElseThrow();
            NgramAttribution.Details details = mixed.details(NgramAttribution.Details.class);
            assertTrue(details.shards() >= shards, "m-mixed in epoch " + epoch + ": " + details.shards() + " shards");
            for (AttributionRun run : sharded.runs()) {
                tooCommonSharded += (int) run.details(NgramAttribution.Details.class).tooCommon();
            }
            for (ModelSpec model : world.models()) {
                new AttributeAction(again, EpochClock.DEFAULT, epoch, message -> { }).model(model.id()).methods(AttributeAction.Methods.ngram).execute();
            }
        }
        assertTrue(tooCommonSharded > 0, "too-common spans held across shards");
        assertEquals(expectedSpans, rows(again, "attribution_spans"));
        assertEquals(expectedCredits, rows(again, "attributions"));
        // The same result is not written again: no new table version for a scheduler's retry to leave behind.
        assertEquals(creditsVersion, version(again, Tables.ATTRIBUTIONS));
        assertEquals(spansVersion, version(again, Tables.ATTRIBUTION_SPANS));
        assertMatchesDefinition(again, world);
        // Nothing new approved: the index build adds nothing.
        assertTrue(NgramIndexBuild.update(again, 200).empty());
    }

    /** The shard memory that cuts a model's corpus of an epoch into about {@code shards} shards. */
    private static long shardMemoryFor(World world, String modelId, long epoch, int shards) {
        ModelSpec model = world.models().stream().filter(m -> m.id().equals(modelId)).findFirst().orElseThrow();
        long bytes = 0;
        for (Written c : world.contributions()) {
            boolean approved = c.fate() == Fate.APPROVED || (epoch == 2 && c.fate() == Fate.APPROVED_IN_EPOCH_2);
            if (approved && model.datanets().contains(c.datanet())) {
                bytes += IndexShards.BYTES_PER_TOKEN * TextNormalizer.tokens(c.content()).size() + IndexShards.BYTES_PER_DOCUMENT;
            }
        }
        // A shard may pass its memory by one document, and these documents are large beside it.
        return Math.max(1, bytes / (2L * shards));
    }

    /** Compares every span and credit of both epochs with the brute-force finder; returns the span count. */
    private static int assertMatchesDefinition(Lakehouse lakehouse, World world) {
        Map<String, List<Span>> actualSpans = new TreeMap<>();
        for (Row r : lakehouse.read(Tables.ATTRIBUTION_SPANS).orderBy("epoch", "inference_id", "start").collectAsList()) {
            String key = r.getLong(r.fieldIndex("epoch")) + "/" + r.getString(r.fieldIndex("inference_id"));
            actualSpans.computeIfAbsent(key, k -> new ArrayList<>()).add(new Span(r.getInt(r.fieldIndex("start")),
                    r.getInt(r.fieldIndex("length")), r.getInt(r.fieldIndex("count")),
                    r.getList(r.fieldIndex("contribution_ids"))));
        }
        Map<String, String> actualCredits = new TreeMap<>();
        for (Row r : lakehouse.read(Tables.ATTRIBUTIONS).collectAsList()) {
            String key = r.getLong(r.fieldIndex("epoch")) + "/" + r.getString(r.fieldIndex("inference_id")) + "/"
                    + r.getString(r.fieldIndex("contribution_id"));
            actualCredits.put(key, r.getString(r.fieldIndex("method")) + " " + r.getString(r.fieldIndex("contributor")).toLowerCase(java.util.Locale.ROOT)
                    + " " + r.getString(r.fieldIndex("datanet_id")) + " " + r.getDouble(r.fieldIndex("score"))
                    + " " + r.getDouble(r.fieldIndex("weight")));
            assertFalse(world.duplicateContributors().contains(r.getString(r.fieldIndex("contributor")).toLowerCase(java.util.Locale.ROOT)),
                    "a duplicate earned credit");
        }
        Map<String, List<Span>> expectedSpans = new TreeMap<>();
        Map<String, String> expectedCredits = new TreeMap<>();
        Map<String, Written> byId = new LinkedHashMap<>();
        world.contributions().forEach(c -> byId.put(c.id(), c));
        for (long epoch = 1; epoch <= 2; epoch++) {
            for (ModelSpec model : world.models()) {
                Map<String, List<String>> corpus = new LinkedHashMap<>();
                for (Written c : world.contributions()) {
                    boolean approved = c.fate() == Fate.APPROVED || (epoch == 2 && c.fate() == Fate.APPROVED_IN_EPOCH_2);
                    if (approved && model.datanets().contains(c.datanet())) {
                        corpus.put(c.id(), TextNormalizer.tokens(c.content()));
                    }
                }
                for (Map.Entry<String, String[]> inference : world.inferences().entrySet()) {
                    String[] fields = inference.getValue();
                    if (!fields[0].equals(model.id()) || Long.parseLong(fields[1]) != epoch) {
                        continue;
                    }
                    List<Span> spans = BruteForceSpans.find(TextNormalizer.tokens(fields[2]), corpus,
                            model.params().minSpan(), model.params().maxCount());
                    List<Span> credited = spans.stream().filter(Span::credited).toList();
                    String key = epoch + "/" + inference.getKey();
                    if (!credited.isEmpty()) {
                        expectedSpans.put(key, credited);
                    }
                    for (Credits.Credit credit : Credits.of(spans)) {
                        Written holder = byId.get(credit.contributionId());
                        expectedCredits.put(key + "/" + credit.contributionId(), "ngram " + holder.contributor() + " "
                                + holder.datanet() + " " + credit.score() + " " + credit.weight());
                    }
                }
            }
        }
        assertEquals(expectedSpans, actualSpans);
        assertEquals(expectedCredits, actualCredits);
        return expectedSpans.values().stream().mapToInt(List::size).sum();
    }

    private static List<String> rows(Lakehouse lakehouse, String table) {
        List<String> out = new ArrayList<>();
        for (Row r : lakehouse.read(Tables.byName(table)).collectAsList()) {
            out.add(r.toString());
        }
        Collections.sort(out);
        return out;
    }

    private static void ingest(Lakehouse lakehouse, World world, Random shuffle) throws IOException {
        for (InputKind kind : List.of(InputKind.DATANETS, InputKind.CONTRIBUTIONS, InputKind.VOTES,
                InputKind.MODELS, InputKind.INFERENCES)) {
            Path file = world.folder().resolve(kind.code() + ".jsonl");
            String input = file.toString();
            if (shuffle != null) {
                List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
                Collections.shuffle(lines, shuffle);
                Path folder = world.folder().resolve("split-" + kind.code());
                Files.createDirectories(folder);
                for (int part = 0; part < 3; part++) {
                    Files.write(folder.resolve("part-" + part + ".jsonl"),
                            lines.subList(part * lines.size() / 3, (part + 1) * lines.size() / 3), StandardCharsets.UTF_8);
                }
                input = folder.toString();
            }
            kind.ingest(lakehouse, IngestOptions.DEFAULT).run(input);
        }
    }

    private static World world(Random random, Path folder) throws IOException {
        Files.createDirectories(folder);
        List<String> datanets = new ArrayList<>();
        for (String d : DATANETS) {
            datanets.add(json(Map.of("datanet_id", d, "name", d, "owner", address(random),
                    "license", Map.of("commercial", true, "derivatives", true), "quorum", 3, "approval_threshold", 0.66)));
        }
        List<Written> contributions = new ArrayList<>();
        List<String> contributionLines = new ArrayList<>();
        List<String> votes = new ArrayList<>();
        for (String datanet : DATANETS) {
            for (int c = 0; c < 18; c++) {
                String content = text(random, datanet, 8 + random.nextInt(30));
                if (TextNormalizer.tokens(content).isEmpty()
                        || contributions.stream().anyMatch(w -> w.datanet().equals(datanet)
                        && TextNormalizer.normalize(w.content()).equals(TextNormalizer.normalize(content)))) {
                    continue;
                }
                Fate fate = Fate.values()[random.nextInt(Fate.values().length)];
                Written written = new Written(datanet, address(random), content, fate);
                contributions.add(written);
                contributionLines.add(contribution(written, "2026-01-01T01:00:00Z"));
                int voters = fate == Fate.PENDING ? 1 : 3;
                String at = fate == Fate.APPROVED_IN_EPOCH_2 ? "2026-01-02T01:00:00Z" : "2026-01-01T02:00:00Z";
                for (int v = 0; v < voters; v++) {
                    votes.add(json(Map.of("contribution_id", written.id(), "validator", "0x" + String.format("%040x", v + 1),
                            "verdict", fate == Fate.REJECTED ? "reject" : "approve", "voted_at", at)));
                }
            }
        }
        // Later copies of approved Persian contributions, respelled: duplicates that must never earn.
        List<String> duplicateContributors = new ArrayList<>();
        for (Written original : contributions) {
            if (original.datanet().equals("fa") && original.fate() == Fate.APPROVED && duplicateContributors.size() < 3) {
                Written copy = new Written("fa", address(random), original.content().replace('ی', 'ي').replace('ک', 'ك'),
                        Fate.APPROVED);
                duplicateContributors.add(copy.contributor());
                contributionLines.add(contribution(copy, "2026-01-01T03:00:00Z"));
            }
        }
        List<ModelSpec> models = List.of(
                new ModelSpec("m-fa", List.of("fa"), new NgramParams(2 + random.nextInt(3), 1 + random.nextInt(3))),
                new ModelSpec("m-mixed", List.of("fa", "en"), new NgramParams(3, 2)),
                new ModelSpec("m-default", List.of("en", "other"), NgramParams.DEFAULTS));
        List<String> modelLines = new ArrayList<>();
        for (ModelSpec model : models) {
            Map<String, Object> fields = model(model.id(), model.datanets(), "lm");
            if (!model.params().equals(NgramParams.DEFAULTS)) {
                fields.put("params", Map.of("ngram", Map.of("min_span", model.params().minSpan(),
                        "max_count", model.params().maxCount())));
            }
            modelLines.add(json(fields));
        }
        modelLines.add(json(model("m-classifier", List.of("en"), "classifier")));
        Map<String, String[]> inferences = new LinkedHashMap<>();
        List<String> inferenceLines = new ArrayList<>();
        List<String> modelIds = new ArrayList<>(models.stream().map(ModelSpec::id).toList());
        modelIds.add("m-classifier");
        for (int i = 0; i < 90; i++) {
            String model = modelIds.get(i % modelIds.size());
            int epoch = 1 + random.nextInt(2);
            String output = i % 17 == 0 ? "nothing here matches: zzz qqq" : output(random, contributions);
            String id = String.format("inf-%03d", i);
            inferences.put(id, new String[] {model, Integer.toString(epoch), output});
            inferenceLines.add(json(Map.of("inference_id", id, "model_id", model, "caller", address(random),
                    "use", "commercial", "fee_wei", "1000", "prompt", "p", "output", output,
                    "ts", "2026-01-0" + epoch + "T12:00:00Z")));
        }
        write(folder, "datanets", datanets);
        write(folder, "contributions", contributionLines);
        write(folder, "votes", votes);
        write(folder, "models", modelLines);
        write(folder, "inferences", inferenceLines);
        return new World(folder, contributions, duplicateContributors, models, inferences);
    }

    private static Map<String, Object> model(String id, List<String> datanets, String kind) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("model_id", id);
        fields.put("developer", "0x" + "d".repeat(40));
        fields.put("kind", kind);
        fields.put("datanets", datanets);
        fields.put("license", Map.of("fee_per_call_wei", "1000", "allowed_uses", List.of("commercial"),
                "split_bps", Map.of("protocol", 1000, "developer", 3000, "validators", 1000, "data", 5000)));
        return fields;
    }

    private static String contribution(Written w, String at) {
        return json(Map.of("datanet_id", w.datanet(), "contributor", w.contributor(), "content", w.content(),
                "submitted_at", at));
    }

    private static String text(Random random, String datanet, int words) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (datanet.equals("fa")) {
                String[] variants = PERSIAN[random.nextInt(PERSIAN.length)];
                text.append(variants[random.nextInt(variants.length)]);
            } else {
                text.append(LATIN[random.nextInt(LATIN.length)]);
            }
            text.append(random.nextInt(6) == 0 ? "،\n" : " ");
        }
        return text.toString();
    }

    /** Passages copied from any contribution (approved or not, any datanet) and random words. */
    private static String output(Random random, List<Written> contributions) {
        StringBuilder out = new StringBuilder();
        for (int p = 0; p < 1 + random.nextInt(4); p++) {
            if (random.nextInt(3) > 0) {
                List<String> tokens = TextNormalizer.tokens(contributions.get(random.nextInt(contributions.size())).content());
                int from = random.nextInt(tokens.size());
                int to = Math.min(tokens.size(), from + 2 + random.nextInt(12));
                out.append(String.join(" ", tokens.subList(from, to))).append(". ");
            } else {
                out.append(text(random, DATANETS[random.nextInt(3)], random.nextInt(5)));
            }
        }
        return out.toString();
    }

    static String address(Random random) {
        StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < 40; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    static String json(Map<String, ?> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long version(Lakehouse lakehouse, org.poa.lakehouse.catalog.TableDef table) {
        return lakehouse.ensure(table).history(1).select("version").head().getLong(0);
    }

    private static void write(Path folder, String name, List<String> lines) throws IOException {
        Files.write(folder.resolve(name + ".jsonl"), lines, StandardCharsets.UTF_8);
    }
}

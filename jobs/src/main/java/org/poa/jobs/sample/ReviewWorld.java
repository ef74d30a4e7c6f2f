package org.poa.jobs.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.poa.core.ids.ContributionIds;

/**
 * A generated world with what the review queue must find planted in its contributions (the
 * world's other inputs are {@link SampleWorld}'s):
 * <ul>
 * <li><b>label flips</b>: {@code flipRate} of the labelled contributions get the other label; about
 * half of them all rows of one contributor (the label-flipper), the rest scattered;</li>
 * <li><b>near-copies</b>: {@code copyRate} × contributions new contributions, each by another
 * contributor than its source and submitted after it: a contiguous 30–90% of an existing
 * contribution's words with one word in every 10–14 replaced, filled up to the source's length
 * with words drawn at random from its datanet's texts. They have no votes, so they are pending.</li>
 * </ul>
 */
public final class ReviewWorld {

    /** What was planted: contribution ids (of the planted content), and the flipper's address. */
    public record Planted(TreeSet<String> flipped, String flipper, TreeSet<String> flippedByFlipper, Map<String, String> nearCopies,
                          Map<String, Double> copiedFraction) {
    }

    /** The shortest copied part planted: two spans of the n-gram rule's default min_span. */
    public static final int MIN_COPIED_WORDS = 2 * org.poa.attribution.ngram.NgramParams.DEFAULT_MIN_SPAN;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReviewWorld() {
    }

    /** Writes {@code spec}'s world to {@code folder}, then plants flips and near-copies in its contributions. */
    public static Planted write(SampleWorld.Spec spec, double flipRate, double copyRate, Path folder) throws IOException {
        new SampleWorld(spec).write(folder);
        Path file = SampleWorld.file(folder, "contributions");
        List<ObjectNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add((ObjectNode) JSON.readTree(line));
            }
        }
        SplittableRandom random = new SplittableRandom(spec.seed() * 31 + 7);

        // Flips: the contributor with the most labelled rows flips them all (up to half the budget),
        // then random other labelled rows until the budget is spent.
        // Only rows whose content is unique: a flipped later duplicate would be dropped at ingest.
        Map<String, Integer> idCounts = new LinkedHashMap<>();
        for (ObjectNode r : rows) {
            idCounts.merge(idOf(r), 1, Integer::sum);
        }
        List<ObjectNode> labelled = rows.stream().filter(r -> r.hasNonNull("label") && idCounts.get(idOf(r)) == 1).toList();
        int budget = (int) Math.round(labelled.size() * flipRate);
        Map<String, Integer> perContributor = new LinkedHashMap<>();
        for (ObjectNode r : labelled) {
            perContributor.merge(r.get("contributor").asText(), 1, Integer::sum);
        }
        String flipper = perContributor.entrySet().stream()
                .filter(e -> e.getValue() <= Math.max(1, budget / 2))
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(null);
        TreeSet<String> flipped = new TreeSet<>();
        TreeSet<String> byFlipper = new TreeSet<>();
        for (ObjectNode r : labelled) {
            if (r.get("contributor").asText().equals(flipper)) {
                byFlipper.add(flip(r));
            }
        }
        flipped.addAll(byFlipper);
        List<ObjectNode> others = new ArrayList<>(labelled.stream().filter(r -> !r.get("contributor").asText().equals(flipper)).toList());
        while (flipped.size() < budget && !others.isEmpty()) {
            flipped.add(flip(others.remove(random.nextInt(others.size()))));
        }

        // Near-copies.
        Map<String, List<String>> wordsByDatanet = new LinkedHashMap<>();
        for (ObjectNode r : rows) {
            wordsByDatanet.computeIfAbsent(r.get("datanet_id").asText(), d -> new ArrayList<>())
                    .addAll(List.of(r.get("content").asText().split("\\s+")));
        }
        List<String> contributors = rows.stream().map(r -> r.get("contributor").asText()).distinct().sorted().toList();
        int copies = (int) Math.round(rows.size() * copyRate);
        Map<String, String> nearCopies = new LinkedHashMap<>();
        Map<String, Double> fractions = new LinkedHashMap<>();
        List<ObjectNode> added = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            // A copied part shorter than two spans of the n-gram default cannot be told from chance by
            // any span rule: the source is drawn again until its part is at least that long.
            ObjectNode source;
            String[] words;
            double fraction;
            int length;
            // A source with unique content, like the flips: a later duplicate is dropped at ingest, and the
            // stored original may belong to the very contributor the copy is given to.
            do {
                source = rows.get(random.nextInt(rows.size()));
                words = source.get("content").asText().split("\\s+");
                fraction = 0.3 + 0.6 * random.nextDouble();
                length = (int) Math.round(words.length * fraction);
            } while (length < MIN_COPIED_WORDS || idCounts.get(idOf(source)) != 1);
            String datanet = source.get("datanet_id").asText();
            int start = random.nextInt(words.length - length + 1);
            List<String> pool = wordsByDatanet.get(datanet);
            List<String> out = new ArrayList<>();
            int fill = words.length - length;
            int before = random.nextInt(fill + 1);
            for (int k = 0; k < before; k++) {
                out.add(pool.get(random.nextInt(pool.size())));
            }
            int nextEdit = 10 + random.nextInt(5);
            for (int k = 0; k < length; k++) {
                if (k == nextEdit) {
                    out.add(pool.get(random.nextInt(pool.size())));
                    nextEdit += 10 + random.nextInt(5);
                } else {
                    out.add(words[start + k]);
                }
            }
            for (int k = before; k < fill; k++) {
                out.add(pool.get(random.nextInt(pool.size())));
            }
            String contributor;
            do {
                contributor = contributors.get(random.nextInt(contributors.size()));
            } while (contributor.equalsIgnoreCase(source.get("contributor").asText()));
            ObjectNode copy = source.deepCopy();
            String content = String.join(" ", out);
            copy.put("content", content);
            copy.put("contributor", contributor);
            copy.put("submitted_at", Instant.parse(source.get("submitted_at").asText()).plusSeconds(3600 + random.nextInt(86_400)).toString());
            copy.remove("source");
            String id = ContributionIds.ofContent(datanet, content);
            nearCopies.put(id, ContributionIds.ofContent(datanet, source.get("content").asText()));
            fractions.put(id, fraction);
            added.add(copy);
        }
        rows.addAll(added);
        StringBuilder text = new StringBuilder();
        for (ObjectNode r : rows) {
            text.append(JSON.writeValueAsString(r)).append('\n');
        }
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        Planted planted = new Planted(flipped, flipper, byFlipper, nearCopies, fractions);
        // The truth, beside the batch, for whoever wants to look at what the queue missed.
        JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("planted.json").toFile(), planted);
        return planted;
    }

    private static String idOf(ObjectNode row) {
        return ContributionIds.ofContent(row.get("datanet_id").asText(), row.get("content").asText());
    }

    /** Gives the row the other of the two labels; returns its contribution id. */
    private static String flip(ObjectNode row) {
        row.put("label", row.get("label").asText().equals("pos") ? "neg" : "pos");
        return idOf(row);
    }
}

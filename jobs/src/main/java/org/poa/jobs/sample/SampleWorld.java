package org.poa.jobs.sample;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.poa.core.epoch.EpochClock;
import org.poa.core.ids.ContributionIds;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * Writes the five input files of DESIGN.md for a generated world: datanets (Persian poetry, English
 * prose, labelled sentiment, non-commercial research notes), contributions with duplicates spelled
 * with other letter variants, validators with mixed verdicts, an lm and a classifier model, and
 * inference logs whose outputs reuse passages of approved and of rejected contributions, spread over
 * the epochs, with a small rate of malformed rows.
 *
 * <p>Every row is a pure function of (seed, kind, index): nothing is held in memory, so millions of
 * inferences stream straight to disk, and the same seed always writes the same bytes.
 */
public final class SampleWorld {

    /** The generation settings. */
    public record Spec(long seed, int contributions, long inferences, int epochs, EpochClock clock, double badRate) {
        public Spec {
            if (contributions < 1 || inferences < 0 || epochs < 1) {
                throw new IllegalArgumentException("need at least 1 contribution and 1 epoch, and inferences >= 0");
            }
            if (badRate < 0 || badRate > 0.5) {
                throw new IllegalArgumentException("bad rate must be within [0, 0.5]");
            }
        }
    }

    /** What was written. */
    public record Written(Path folder, long datanets, long contributions, long votes, long models, long inferences,
                          long malformed) {

        /** Lines written, all kinds. */
        public long lines() {
            return datanets + contributions + votes + models + inferences;
        }

        /** One line for people. */
        public String line() {
            return String.format("wrote %s: datanets %d, contributions %d, votes %d, models %d, inferences %d (%d malformed rows)",
                    folder, datanets, contributions, votes, models, inferences, malformed);
        }
    }

    record Datanet(String id, String name, boolean commercial, int quorum, String threshold, int share) {
    }

    static final List<Datanet> DATANETS = List.of(
            new Datanet("fa-poetry", "Persian poetry", true, 3, "0.66", 40),
            new Datanet("en-prose", "English prose", true, 3, "0.66", 35),
            new Datanet("sentiment", "Labelled sentiment reviews", true, 2, "0.5", 15),
            new Datanet("research-notes", "Research notes (non-commercial)", false, 3, "0.66", 10));

    static final String LM = "poet-lm";
    static final String NOTES_LM = "notes-lm";
    public static final String CLASSIFIER = "sentiment-clf";
    /** The classifier's one datanet. */
    public static final String CLASSIFIER_DATANET = "sentiment";
    static final int VALIDATORS = 7;
    private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

    private final Spec spec;
    private final int contributorCount;

    public SampleWorld(Spec spec) {
        this.spec = spec;
        this.contributorCount = Math.max(8, spec.contributions() / 20);
    }

    /**
     * Writes the world as a batch folder, as a scheduler delivers an epoch's inputs and
     * {@code poa ingest all} reads them: {@code <folder>/<kind>/<kind>.jsonl} for the five kinds.
     */
    public Written write(Path folder) throws IOException {
        Files.createDirectories(folder);
        long bad = 0;
        long datanets;
        try (Lines out = new Lines(file(folder, "datanets"), spec.seed() ^ 0x11, 0)) {
            for (Datanet d : DATANETS) {
                out.add(datanetJson(d));
            }
            datanets = out.count;
        }
        long votes = 0;
        try (Lines contributions = new Lines(file(folder, "contributions"), spec.seed() ^ 0x22, spec.badRate());
             Lines voteLines = new Lines(file(folder, "votes"), spec.seed() ^ 0x33, spec.badRate())) {
            for (int i = 0; i < spec.contributions(); i++) {
                Contribution c = contribution(i);
                contributions.add(contributionJson(c));
                if (c.duplicateOf() < 0) {
                    for (String vote : votesOf(i, c)) {
                        voteLines.add(vote);
                    }
                }
            }
            bad += contributions.malformed + voteLines.malformed;
            votes = voteLines.count;
        }
        long models;
        try (Lines out = new Lines(file(folder, "models"), spec.seed() ^ 0x44, 0)) {
            out.add(modelJson(LM, "lm", List.of("fa-poetry", "en-prose"), "2000000000000000",
                    List.of("commercial", "research", "personal"), "{\"ngram\":1.0}"));
            out.add(modelJson(NOTES_LM, "lm", List.of("research-notes", "en-prose"), "1000000000000000",
                    List.of("commercial", "research"), "{\"ngram\":1.0}"));
            out.add(modelJson(CLASSIFIER, "classifier", List.of("sentiment"), "500000000000000",
                    List.of("commercial", "research", "personal"), "{\"gradient\":1.0}"));
            models = out.count;
        }
        try (Lines out = new Lines(file(folder, "inferences"), spec.seed() ^ 0x55, spec.badRate())) {
            for (long j = 0; j < spec.inferences(); j++) {
                out.add(inferenceJson(j));
            }
            bad += out.malformed;
        }
        return new Written(folder, datanets, spec.contributions(), votes, models, spec.inferences(), bad);
    }

    // ---------------------------------------------------------------- addresses

    static String address(long seed, String role, long index) {
        byte[] hash = Hash.sha3((seed + "/" + role + "/" + index).getBytes(StandardCharsets.UTF_8));
        String hex = Numeric.toHexStringNoPrefix(hash).substring(24);
        return Keys.toChecksumAddress(hex);
    }

    String contributor(int index) {
        return address(spec.seed(), "contributor", index);
    }

    String validator(int index) {
        return address(spec.seed(), "validator", index);
    }

    // ---------------------------------------------------------------- contributions

    record Contribution(int index, Datanet datanet, String contributor, String content, Instant submittedAt,
                        String label, int duplicateOf) {
    }

    private SplittableRandom random(String kind, long index) {
        return new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + kind.hashCode() * 31L + index);
    }

    Datanet datanetOf(int index) {
        int roll = random("datanet", index).nextInt(100);
        for (Datanet d : DATANETS) {
            if (roll < d.share()) {
                return d;
            }
            roll -= d.share();
        }
        return DATANETS.get(0);
    }

    /** The original text of contribution i (before any variant spelling), and its label. */
    String[] textOf(int index) {
        SplittableRandom r = random("text", index);
        Datanet d = datanetOf(index);
        int length = 20 + r.nextInt(41);
        StringBuilder text = new StringBuilder();
        String label = null;
        switch (d.id()) {
            case "fa-poetry" -> {
                for (int k = 0; k < length; k++) {
                    text.append(k == 0 ? "" : (k % 7 == 6 ? "،\n" : " ")).append(Vocabulary.pick(Vocabulary.PERSIAN, r));
                }
            }
            case "sentiment" -> {
                boolean positive = r.nextBoolean();
                label = positive ? "pos" : "neg";
                length = 8 + r.nextInt(16);
                for (int k = 0; k < length; k++) {
                    List<String> words = r.nextInt(3) == 0 ? (positive ? Vocabulary.POSITIVE : Vocabulary.NEGATIVE)
                            : Vocabulary.NEUTRAL;
                    text.append(k == 0 ? "" : " ").append(Vocabulary.pick(words, r));
                }
            }
            default -> {
                for (int k = 0; k < length; k++) {
                    String w = Vocabulary.pick(Vocabulary.ENGLISH, r);
                    if (k == 0 || (k % 9 == 0)) {
                        w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
                    }
                    text.append(k == 0 ? "" : (k % 9 == 8 ? ". " : " ")).append(w);
                }
                text.append('.');
            }
        }
        return new String[] {text.toString(), label};
    }

    Contribution contribution(int index) {
        SplittableRandom r = random("contribution", index);
        int duplicateOf = duplicateOf(index, r);
        int source = index;
        while (duplicateOf(source, random("contribution", source)) >= 0) {
            source = duplicateOf(source, random("contribution", source));
        }
        Datanet d = datanetOf(source);
        String[] text = textOf(source);
        String content = d.id().equals("fa-poetry") ? Persian.vary(text[0], r) : text[0];
        if (duplicateOf >= 0 && !d.id().equals("fa-poetry")) {
            content = content.toUpperCase(java.util.Locale.ROOT); // same tokens once lowercased
        }
        return new Contribution(index, d, contributor(r.nextInt(contributorCount)), content, submittedAt(index, r),
                text[1], duplicateOf);
    }

    /** About 3% of contributions copy an earlier one (which may itself be a copy); -1 for originals. */
    private static int duplicateOf(int index, SplittableRandom r) {
        if (index > 10 && r.nextInt(100) < 3) {
            return r.nextInt(index);
        }
        return -1;
    }

    /** Spread over the first 80% of the generated epochs, in index order, so copies come after originals. */
    Instant submittedAt(int index, SplittableRandom r) {
        long span = spec.clock().length().toSeconds() * spec.epochs() * 8 / 10;
        long offset = span * index / Math.max(1, spec.contributions()) + r.nextInt(60);
        return spec.clock().genesis().plusSeconds(offset);
    }

    /** The status the world gives contribution i: 0 approved, 1 rejected, 2 pending. */
    int fateOf(int index) {
        int roll = random("fate", index).nextInt(100);
        return roll < 70 ? 0 : roll < 88 ? 1 : 2;
    }

    List<String> votesOf(int index, Contribution c) {
        SplittableRandom r = random("votes", index);
        int fate = fateOf(index);
        int quorum = c.datanet().quorum();
        int count = fate == 2 ? r.nextInt(quorum) : quorum + r.nextInt(2);
        String id = ContributionIds.ofContent(c.datanet().id(), c.content());
        List<String> out = new ArrayList<>();
        int first = r.nextInt(VALIDATORS);
        int approvals = fate == 0 ? count : fate == 1 ? count / 3 : r.nextInt(count + 1);
        for (int v = 0; v < count; v++) {
            String verdict = v < approvals ? "approve" : "reject";
            Instant at = c.submittedAt().plusSeconds(600L * (v + 1) + r.nextInt(600));
            out.add("{\"contribution_id\":\"" + id + "\",\"validator\":\"" + validator((first + v) % VALIDATORS)
                    + "\",\"verdict\":\"" + verdict + "\",\"voted_at\":\"" + at + "\"}");
        }
        // A validator who changes their mind: an early reject later turned into an approve.
        if (fate == 0 && r.nextInt(10) == 0) {
            Instant early = c.submittedAt().plusSeconds(300);
            out.add(0, "{\"contribution_id\":\"" + id + "\",\"validator\":\"" + validator(first)
                    + "\",\"verdict\":\"reject\",\"voted_at\":\"" + early + "\"}");
        }
        return out;
    }

    // ---------------------------------------------------------------- inferences

    String inferenceJson(long j) {
        SplittableRandom r = random("inference", j);
        int roll = r.nextInt(100);
        String model = roll < 60 ? LM : roll < 85 ? CLASSIFIER : NOTES_LM;
        long span = spec.clock().length().toSeconds() * spec.epochs();
        Instant ts = spec.clock().genesis().plusSeconds(span * j / Math.max(1, spec.inferences()) + r.nextInt(30));
        String caller = address(spec.seed(), "caller", r.nextInt(50));
        int useRoll = r.nextInt(100);
        String use = useRoll < 55 ? "commercial" : useRoll < 85 ? "research" : useRoll < 98 ? "personal" : "surveillance";
        String fee;
        String prompt;
        String output;
        String label = null;
        if (model.equals(CLASSIFIER)) {
            fee = "500000000000000";
            int k = contributionOf(r, "sentiment");
            String[] text = textOf(k);
            prompt = text[0];
            label = r.nextInt(10) < 9 && text[1] != null ? text[1] : (r.nextBoolean() ? "pos" : "neg");
            output = label;
        } else {
            fee = model.equals(LM) ? "2000000000000000" : "1000000000000000";
            List<String> datanets = model.equals(LM) ? List.of("fa-poetry", "en-prose") : List.of("research-notes", "en-prose");
            String datanet = datanets.get(r.nextInt(datanets.size()));
            prompt = "Write about " + Vocabulary.pick(Vocabulary.ENGLISH, r);
            output = lmOutput(r, datanet);
        }
        StringBuilder json = new StringBuilder(256 + output.length() * 2);
        json.append("{\"inference_id\":\"inf-").append(spec.seed()).append('-').append(j)
                .append("\",\"model_id\":\"").append(model)
                .append("\",\"caller\":\"").append(caller)
                .append("\",\"use\":\"").append(use)
                .append("\",\"fee_wei\":\"").append(fee)
                .append("\",\"prompt\":\"").append(JSON.quoteAsString(prompt))
                .append("\",\"output\":\"").append(JSON.quoteAsString(output))
                .append("\",\"ts\":\"").append(ts).append('"');
        if (label != null) {
            json.append(",\"label\":\"").append(label).append('"');
        }
        return json.append('}').toString();
    }

    /** ~100 tokens: passages of 8-20 tokens copied from contributions of the datanet, with filler between. */
    String lmOutput(SplittableRandom r, String datanet) {
        boolean persian = datanet.equals("fa-poetry");
        List<String> filler = persian ? Vocabulary.PERSIAN : Vocabulary.ENGLISH;
        StringBuilder out = new StringBuilder();
        int tokens = 0;
        while (tokens < 100) {
            if (r.nextInt(3) > 0) {
                int k = contributionOf(r, datanet);
                String text = persian ? Persian.vary(textOf(k)[0], r) : textOf(k)[0];
                String[] words = text.split("\\s+");
                int len = Math.min(words.length, 8 + r.nextInt(13));
                int start = r.nextInt(words.length - len + 1);
                for (int w = start; w < start + len; w++) {
                    out.append(out.length() == 0 ? "" : " ").append(words[w]);
                }
                tokens += len;
            } else {
                int len = 3 + r.nextInt(8);
                for (int w = 0; w < len; w++) {
                    out.append(out.length() == 0 ? "" : " ").append(Vocabulary.pick(filler, r));
                }
                tokens += len;
            }
        }
        return out.toString();
    }

    /** A random original contribution of the datanet (whatever its fate: rejected ones are reused too). */
    int contributionOf(SplittableRandom r, String datanet) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int k = r.nextInt(spec.contributions());
            if (datanetOf(k).id().equals(datanet) && duplicateOf(k, random("contribution", k)) < 0) {
                return k;
            }
        }
        return r.nextInt(spec.contributions());
    }

    // ---------------------------------------------------------------- JSON of the small files

    String datanetJson(Datanet d) {
        return "{\"datanet_id\":\"" + d.id() + "\",\"name\":\"" + d.name() + "\",\"owner\":\""
                + address(spec.seed(), "owner", d.id().hashCode()) + "\",\"license\":{\"commercial\":" + d.commercial()
                + ",\"derivatives\":true},\"quorum\":" + d.quorum() + ",\"approval_threshold\":" + d.threshold() + "}";
    }

    String contributionJson(Contribution c) {
        StringBuilder json = new StringBuilder(128 + c.content().length() * 2);
        json.append("{\"datanet_id\":\"").append(c.datanet().id())
                .append("\",\"contributor\":\"").append(c.contributor())
                .append("\",\"content\":\"").append(JSON.quoteAsString(c.content()))
                .append("\",\"submitted_at\":\"").append(c.submittedAt()).append('"');
        if (c.label() != null) {
            json.append(",\"label\":\"").append(c.label()).append('"');
        }
        return json.append(",\"source\":\"sample-world\"}").toString();
    }

    String modelJson(String id, String kind, List<String> datanets, String fee, List<String> uses, String attribution) {
        return "{\"model_id\":\"" + id + "\",\"developer\":\"" + address(spec.seed(), "developer", id.hashCode())
                + "\",\"kind\":\"" + kind + "\",\"base_model\":\"" + (kind.equals("lm") ? "tiny-gpt" : "none")
                + "\",\"datanets\":[\"" + String.join("\",\"", datanets) + "\"],\"license\":{\"fee_per_call_wei\":\""
                + fee + "\",\"allowed_uses\":[\"" + String.join("\",\"", uses)
                + "\"],\"split_bps\":{\"protocol\":500,\"developer\":2500,\"validators\":1000,\"data\":6000}},"
                + "\"attribution\":" + attribution + "}";
    }

    // ---------------------------------------------------------------- output with malformed rows

    /** A JSON Lines writer that replaces a small share of rows with malformed ones. */
    /** Where a kind's lines go in the batch folder. */
    public static Path file(Path folder, String kind) throws IOException {
        Path dir = folder.resolve(kind);
        Files.createDirectories(dir);
        return dir.resolve(kind + ".jsonl");
    }

    static final class Lines implements AutoCloseable {
        private final OutputStream out;
        private final SplittableRandom random;
        private final double badRate;
        long count;
        long malformed;

        Lines(Path file, long seed, double badRate) throws IOException {
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
            this.random = new SplittableRandom(seed);
            this.badRate = badRate;
        }

        void add(String json) throws IOException {
            byte[] bytes;
            if (badRate > 0 && random.nextDouble() < badRate) {
                bytes = Malformed.spoil(json, random);
                malformed++;
            } else {
                bytes = json.getBytes(StandardCharsets.UTF_8);
            }
            out.write(bytes);
            out.write('\n');
            count++;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}

package org.poa.attribution.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.poa.core.text.TextNormalizer;

class SpanIndexTest {

    /** Spellings that normalize to the same Persian tokens (Arabic yeh/kaf, ZWNJ, tatweel, harakat). */
    private static final String[][] PERSIAN = {
        {"یک", "يک", "یك"}, {"کتاب", "كتاب", "کتـاب"}, {"می‌روم", "میروم", "مي\u200cروم"},
        {"دل", "دِل"}, {"شب", "شب"}, {"گل", "گل"}, {"باران", "بارانْ"},
    };
    private static final String[] LATIN = {"the", "rose", "Rose", "night", "wine", "café", "cafe\u0301", "x1", "42"};

    /**
     * The index, as 1, 2 or 7 shards (the documents dealt to shards at random, some shards empty),
     * against the definition: every output's spans, counts and holders the same.
     */
    @Test
    void matchesTheDefinitionOnRandomCorporaForAnyShardCount() {
        int checkedSpans = 0;
        int spreadSpans = 0;
        int tooCommonSpread = 0;
        for (int seed = 0; seed < 400; seed++) {
            Random random = new Random(seed);
            int minSpan = 1 + random.nextInt(6);
            int maxCount = 1 + random.nextInt(4);
            Map<String, String> texts = new LinkedHashMap<>();
            int documents = 1 + random.nextInt(16);
            for (int d = 0; d < documents; d++) {
                texts.put(String.format("0x%04d", d), randomText(random, random.nextInt(40)));
            }
            List<String> contents = new ArrayList<>(texts.values());
            Map<String, List<String>> corpus = new LinkedHashMap<>();
            texts.forEach((id, text) -> corpus.put(id, TextNormalizer.tokens(text)));
            List<List<String>> outputs = new ArrayList<>();
            List<List<Span>> expectations = new ArrayList<>();
            for (int o = 0; o < 10; o++) {
                List<String> output = TextNormalizer.tokens(randomOutput(random, contents));
                outputs.add(output);
                expectations.add(BruteForceSpans.find(output, corpus, minSpan, maxCount));
            }
            for (int shardCount : new int[] {1, 2, 7}) {
                Map<String, Integer> shardOf = new LinkedHashMap<>();
                List<SpanIndex> shards = shards(corpus, shardCount, minSpan, random, shardOf);
                for (int o = 0; o < outputs.size(); o++) {
                    List<String> output = outputs.get(o);
                    List<Span> expected = expectations.get(o);
                    assertEquals(expected, SpanMerge.find(shards, OutputTokens.of(output), maxCount),
                            "seed " + seed + ", " + shardCount + " shards, min_span " + minSpan + ", max_count " + maxCount
                                    + ", output " + output);
                    checkedSpans += expected.size();
                    if (shardCount > 1) {
                        for (Span span : expected) {
                            long shardsHolding = holders(span, output, corpus).stream().map(shardOf::get).distinct().count();
                            if (shardsHolding > 1) {
                                spreadSpans++;
                                tooCommonSpread += span.credited() ? 0 : 1;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checkedSpans > 6000, "the random corpora must produce spans to compare, got " + checkedSpans);
        assertTrue(spreadSpans > 500, "spans held in several shards: " + spreadSpans);
        assertTrue(tooCommonSpread > 100, "too-common spans whose holders are spread over shards: " + tooCommonSpread);
    }

    /**
     * A corpus of 60k windows: its build deals them to 1,024 partitions of 16 buckets each (the
     * small corpora above have one bucket a partition), with windows repeated across documents so
     * buckets hold several documents' entries, whose order the holders' count relies on.
     */
    @Test
    void aCorpusOfManyPartitionsMatchesTheDefinition() {
        Random random = new Random(11);
        String[] words = words(40);
        Map<String, List<String>> corpus = new LinkedHashMap<>();
        List<String> contents = new ArrayList<>();
        for (int d = 0; d < 2000; d++) {
            List<String> tokens = new ArrayList<>();
            for (int t = 0, n = 20 + random.nextInt(20); t < n; t++) {
                tokens.add(words[(int) Math.min(words.length - 1, Math.pow(words.length + 1.0, random.nextDouble()) - 1)]);
            }
            corpus.put(String.format("0x%05d", d), tokens);
            contents.add(String.join(" ", tokens));
        }
        for (int k : new int[] {2, 4}) {
            List<SpanIndex> one = shards(corpus, 1, k, random, new LinkedHashMap<>());
            List<SpanIndex> three = shards(corpus, 3, k, random, new LinkedHashMap<>());
            int spans = 0;
            for (int o = 0; o < 150; o++) {
                List<String> output = TextNormalizer.tokens(randomOutput(random, contents));
                List<Span> expected = BruteForceSpans.find(output, corpus, k, 3);
                assertEquals(expected, one.get(0).find(output, 3), "k " + k + ", output " + output);
                assertEquals(expected, SpanMerge.find(three, OutputTokens.of(output), 3), "k " + k + ", 3 shards, output " + output);
                spans += expected.size();
            }
            assertTrue(spans > 100, "spans to compare at k " + k + ": " + spans);
        }
    }

    /**
     * A shard of more than 2^21 buckets is built with more partitions than 1,024 (a bucket's bits
     * below its partition's must fit the 2 bytes the build deals): it must answer as the same
     * corpus in three smaller shards does (those compared with the brute-force finder above).
     */
    @Test
    void aShardOfManyPartitionsAnswersAsItsPiecesDo() {
        Random random = new Random(5);
        String[] words = words(3000);
        int k = 5;
        SpanIndex.Builder whole = new SpanIndex.Builder(k, 0);
        List<SpanIndex.Builder> pieces = List.of(new SpanIndex.Builder(k, 0), new SpanIndex.Builder(k, 0), new SpanIndex.Builder(k, 0));
        List<List<String>> documents = new ArrayList<>();
        long windows = 0;
        for (int d = 0; windows <= 17_000_000; d++) {
            List<String> tokens = new ArrayList<>(100);
            for (int t = 0; t < 100; t++) {
                tokens.add(words[(int) Math.min(words.length - 1, Math.pow(words.length + 1.0, random.nextDouble()) - 1)]);
            }
            String id = String.format("0x%07d", d);
            whole.add(id, tokens);
            pieces.get(d % 3).add(id, tokens);
            if (d % 1000 == 0) {
                documents.add(tokens);
            }
            windows += 100 - k + 1;
        }
        SpanIndex one = whole.build();
        List<SpanIndex> three = pieces.stream().map(SpanIndex.Builder::build).toList();
        int spans = 0;
        for (int o = 0; o < 300; o++) {
            List<String> source = documents.get(random.nextInt(documents.size()));
            int from = random.nextInt(60);
            List<String> output = new ArrayList<>(source.subList(from, from + 10 + random.nextInt(30)));
            for (int t = 0; t < 20; t++) {
                output.add(random.nextInt(output.size() + 1), words[random.nextInt(words.length)]);
            }
            List<Span> expected = SpanMerge.find(three, OutputTokens.of(output), 3);
            assertEquals(expected, one.find(output, 3), "output " + output);
            spans += expected.size();
        }
        assertTrue(spans > 300, "spans to compare: " + spans);
    }

    /** Words "w0", "w1", …: a vocabulary of {@code count}. */
    private static String[] words(int count) {
        String[] words = new String[count];
        for (int w = 0; w < count; w++) {
            words[w] = "w" + w;
        }
        return words;
    }

    /** The corpus dealt to {@code count} shards at random; {@code shardOf} records each document's. */
    private static List<SpanIndex> shards(Map<String, List<String>> corpus, int count, int k, Random random,
                                          Map<String, Integer> shardOf) {
        List<SpanIndex.Builder> builders = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            builders.add(new SpanIndex.Builder(k, 0));
        }
        corpus.forEach((id, tokens) -> {
            int shard = random.nextInt(count);
            shardOf.put(id, shard);
            builders.get(shard).add(id, tokens);
        });
        return builders.stream().map(SpanIndex.Builder::build).toList();
    }

    /** The documents holding a span's tokens (also when the span is too common and lists none). */
    private static List<String> holders(Span span, List<String> output, Map<String, List<String>> corpus) {
        List<String> tokens = output.subList(span.start(), span.end());
        return corpus.entrySet().stream().filter(e -> java.util.Collections.indexOfSubList(e.getValue(), tokens) >= 0)
                .map(Map.Entry::getKey).toList();
    }

    @Test
    void shardsMergeIntoTheWholeCorpusAnswer() {
        // Shard 0 holds the longest match at start 0; shard 1 reaches further from start 1, so both
        // are kept; "c d e f" is in three documents over both shards.
        SpanIndex first = new SpanIndex.Builder(3, 0)
                .add("a", List.of("p", "q", "r", "s"))
                .add("c", List.of("x", "c", "d", "e", "f"))
                .build();
        SpanIndex second = new SpanIndex.Builder(3, 0)
                .add("b", List.of("q", "r", "s", "t", "u"))
                .add("d", List.of("c", "d", "e", "f", "y"))
                .add("e", List.of("c", "d", "e", "f"))
                .build();
        OutputTokens output = OutputTokens.of(List.of("p", "q", "r", "s", "t", "u", "c", "d", "e", "f"));
        assertEquals(List.of(new Span(0, 4, 1, List.of("a"))), first.find(output, 10).subList(0, 1));
        assertEquals(List.of(
                new Span(0, 4, 1, List.of("a")),
                new Span(1, 5, 1, List.of("b")),
                new Span(6, 4, 3, List.of("c", "d", "e"))), SpanMerge.find(List.of(first, second), output, 10));
        // Two holders in one shard and one in the other: too common for max_count 2 only in the merge.
        assertEquals(new Span(6, 4, 3, List.of()), SpanMerge.find(List.of(second, first), output, 2).get(2));
        assertEquals(List.of(new Span(6, 4, 2, List.of("d", "e"))), second.find(output, 2).subList(1, 2));
    }

    @Test
    void findsSpansLongerThanKAndSharedByContributions() {
        SpanIndex index = new SpanIndex.Builder(3, 0)
                .add("a", List.of("p", "q", "r", "s", "t", "u", "v", "w"))
                .add("b", List.of("z", "r", "s", "t", "u"))
                .add("c", List.of("r", "s", "t", "u", "y"))
                .build();
        List<Span> spans = index.find(List.of("o", "p", "q", "r", "s", "t", "u", "v", "w", "r", "s", "t", "u", "y"), 10);
        assertEquals(List.of(
                new Span(1, 8, 1, List.of("a")),
                new Span(9, 5, 1, List.of("c"))), spans);
        // r s t u alone is in all three: three contributions share 4/3 each when it is the span.
        assertEquals(List.of(new Span(0, 4, 3, List.of("a", "b", "c"))),
                index.find(List.of("r", "s", "t", "u", "x"), 10));
        assertEquals(List.of(new Span(0, 4, 3, List.of())), index.find(List.of("r", "s", "t", "u", "x"), 2));
        assertEquals(List.of(), index.find(List.of("no", "match", "here"), 10));
        assertEquals(List.of(), index.find(List.of(), 10));
    }

    @Test
    void aShardFileRoundTripsAndSkipsDocumentsOutsideTheAllowedSet() throws IOException {
        Random random = new Random(7);
        ShardFile.Builder shard = new ShardFile.Builder();
        Map<String, List<String>> corpus = new LinkedHashMap<>();
        for (int d = 0; d < 30; d++) {
            List<String> tokens = TextNormalizer.tokens(randomText(random, 30));
            corpus.put("c" + d, tokens);
            shard.add("c" + d, tokens);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        shard.writeTo(bytes);
        ShardFile.Contents contents = ShardFile.readAll(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(List.copyOf(corpus.keySet()), contents.ids());
        for (int d = 0; d < 30; d++) {
            assertEquals(corpus.get("c" + d), contents.tokens(d));
        }
        BitSet allowed = new BitSet();
        Map<String, List<String>> subset = new LinkedHashMap<>();
        for (int d = 0; d < 30; d += 3) {
            allowed.set(d);
            subset.put("c" + d, corpus.get("c" + d));
        }
        assertTrue(bytes.size() < 4 * 30 * 30, "varint tokens: " + bytes.size() + " bytes for 900 tokens");
        SpanIndex fromShard = new SpanIndex.Builder(2, 0)
                .addShard(new ByteArrayInputStream(bytes.toByteArray()), allowed).build();
        assertEquals(10, fromShard.documentCount());
        List<String> contentList = new ArrayList<>();
        corpus.values().forEach(t -> contentList.add(String.join(" ", t)));
        for (int o = 0; o < 50; o++) {
            List<String> output = TextNormalizer.tokens(randomOutput(random, contentList));
            assertEquals(BruteForceSpans.find(output, subset, 2, 3), fromShard.find(output, 3));
        }
    }

    @Test
    void aVersionOneShardFileIsStillRead() throws IOException {
        // Version 1: big-endian ints, the vocabulary in order of first use.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeInt(ShardFile.MAGIC);
        out.writeInt(1);
        out.writeInt(3);
        out.writeInt(2);
        out.writeLong(5);
        for (String word : List.of("rose", "night", "wine")) {
            out.writeInt(word.length());
            out.writeBytes(word);
        }
        out.writeInt(2);
        out.writeBytes("d1");
        out.writeInt(3);
        for (int token : new int[] {0, 1, 2}) {
            out.writeInt(token);
        }
        out.writeInt(2);
        out.writeBytes("d2");
        out.writeInt(2);
        out.writeInt(2);
        out.writeInt(0);
        ShardFile.Contents contents = ShardFile.readAll(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(List.of("d1", "d2"), contents.ids());
        assertEquals(List.of("rose", "night", "wine"), contents.tokens(0));
        assertEquals(List.of("wine", "rose"), contents.tokens(1));
        BitSet second = new BitSet();
        second.set(1);
        SpanIndex index = new SpanIndex.Builder(2, 0).addShard(new ByteArrayInputStream(bytes.toByteArray()), second).build();
        assertEquals(List.of(new Span(1, 2, 1, List.of("d2"))), index.find(List.of("night", "wine", "rose"), 10));
    }

    @Test
    void creditsSplitEachSpanEvenlyAndNormalizePerInference() {
        List<Credits.Credit> credits = Credits.of(List.of(
                new Span(0, 6, 2, List.of("a", "b")),
                new Span(6, 9, 1, List.of("b")),
                new Span(20, 7, 40, List.of())));
        assertEquals(List.of(new Credits.Credit("a", 3.0, 0.2), new Credits.Credit("b", 12.0, 0.8)), credits);
        assertEquals(List.of(), Credits.of(List.of()));
    }

    private static String randomText(Random random, int words) {
        StringBuilder text = new StringBuilder();
        boolean persian = random.nextBoolean();
        for (int w = 0; w < words; w++) {
            if (persian) {
                String[] variants = PERSIAN[random.nextInt(PERSIAN.length)];
                text.append(variants[random.nextInt(variants.length)]);
            } else {
                text.append(LATIN[random.nextInt(LATIN.length)]);
            }
            text.append(random.nextInt(8) == 0 ? ", " : " ");
        }
        return text.toString();
    }

    /** Pieces copied from the documents, mixed with random words: outputs with and without matches. */
    private static String randomOutput(Random random, List<String> documents) {
        StringBuilder out = new StringBuilder();
        int pieces = random.nextInt(5);
        for (int p = 0; p < pieces; p++) {
            if (random.nextBoolean() && !documents.isEmpty()) {
                List<String> tokens = TextNormalizer.tokens(documents.get(random.nextInt(documents.size())));
                if (!tokens.isEmpty()) {
                    int from = random.nextInt(tokens.size());
                    int to = Math.min(tokens.size(), from + 1 + random.nextInt(15));
                    out.append(String.join(" ", tokens.subList(from, to))).append(' ');
                }
            } else {
                out.append(randomText(random, random.nextInt(6)));
            }
        }
        return out.toString();
    }
}

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

    @Test
    void matchesTheDefinitionOnRandomCorpora() {
        int checkedSpans = 0;
        for (int seed = 0; seed < 400; seed++) {
            Random random = new Random(seed);
            int minSpan = 1 + random.nextInt(6);
            int maxCount = 1 + random.nextInt(4);
            Map<String, String> texts = new LinkedHashMap<>();
            int documents = 1 + random.nextInt(12);
            for (int d = 0; d < documents; d++) {
                texts.put(String.format("0x%04d", d), randomText(random, random.nextInt(40)));
            }
            List<String> contents = new ArrayList<>(texts.values());
            Map<String, List<String>> corpus = new LinkedHashMap<>();
            texts.forEach((id, text) -> corpus.put(id, TextNormalizer.tokens(text)));
            SpanIndex.Builder builder = new SpanIndex.Builder(minSpan, 0);
            corpus.forEach(builder::add);
            SpanIndex index = builder.build();
            for (int o = 0; o < 10; o++) {
                List<String> output = TextNormalizer.tokens(randomOutput(random, contents));
                List<Span> expected = BruteForceSpans.find(output, corpus, minSpan, maxCount);
                assertEquals(expected, index.find(output, maxCount),
                        "seed " + seed + ", min_span " + minSpan + ", max_count " + maxCount + ", output " + output);
                checkedSpans += expected.size();
            }
        }
        assertTrue(checkedSpans > 2000, "the random corpora must produce spans to compare, got " + checkedSpans);
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

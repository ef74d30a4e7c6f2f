package org.poa.jobs.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poa.core.text.TextNormalizer;
import org.poa.core.epoch.EpochClock;

class SampleWorldTest {

    @TempDir
    Path dir;

    static SampleWorld.Written generate(Path out, long seed) throws IOException {
        return new SampleWorld(new SampleWorld.Spec(seed, 500, 300, 3, EpochClock.DEFAULT, 0.01)).write(out);
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws IOException {
        generate(dir.resolve("a"), 5);
        generate(dir.resolve("b"), 5);
        generate(dir.resolve("c"), 6);
        for (String file : List.of("datanets.jsonl", "contributions.jsonl", "votes.jsonl", "models.jsonl", "inferences.jsonl")) {
            String kind = file.substring(0, file.indexOf('.'));
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(kind).resolve(file)),
                    Files.readAllBytes(dir.resolve("b").resolve(kind).resolve(file)), file);
        }
        assertFalse(Files.readString(dir.resolve("a/contributions/contributions.jsonl"), StandardCharsets.ISO_8859_1)
                .equals(Files.readString(dir.resolve("c/contributions/contributions.jsonl"), StandardCharsets.ISO_8859_1)));
    }

    @Test
    void writesTheWorldDesignMdDescribes() throws IOException {
        SampleWorld.Written written = generate(dir, 9);
        assertEquals(500, Files.readAllLines(dir.resolve("contributions/contributions.jsonl"), StandardCharsets.ISO_8859_1).size());
        assertEquals(300, Files.readAllLines(dir.resolve("inferences/inferences.jsonl"), StandardCharsets.ISO_8859_1).size());
        assertTrue(written.malformed() > 0, "some malformed rows");
        String contributions = Files.readString(dir.resolve("contributions/contributions.jsonl"), StandardCharsets.ISO_8859_1);
        String utf8 = new String(contributions.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        assertTrue(utf8.contains("\u064A") || utf8.contains("\u0643"), "Arabic letter variants");
        assertTrue(utf8.contains("\u200C"), "ZWNJ");
        assertTrue(utf8.contains("\"label\":\"pos\""), "labelled data");
        String inferences = new String(Files.readAllBytes(dir.resolve("inferences/inferences.jsonl")), StandardCharsets.UTF_8);
        assertTrue(inferences.contains("\"model_id\":\"poet-lm\"") && inferences.contains("\"model_id\":\"sentiment-clf\""));
        assertTrue(inferences.contains("2026-01-03T"), "inferences spread over the epochs");
    }

    @Test
    void duplicatesAreVariantSpellingsOfTheSameTokens() {
        SampleWorld world = new SampleWorld(new SampleWorld.Spec(1, 2000, 0, 2, EpochClock.DEFAULT, 0));
        int duplicates = 0;
        for (int i = 0; i < 2000; i++) {
            SampleWorld.Contribution c = world.contribution(i);
            if (c.duplicateOf() >= 0) {
                duplicates++;
                SampleWorld.Contribution original = world.contribution(c.duplicateOf());
                assertEquals(TextNormalizer.normalize(original.content()), TextNormalizer.normalize(c.content()));
                assertTrue(c.submittedAt().isAfter(original.submittedAt()) || c.submittedAt().equals(original.submittedAt()));
            }
        }
        assertTrue(duplicates > 20, "about 3% duplicates, got " + duplicates);
    }
}

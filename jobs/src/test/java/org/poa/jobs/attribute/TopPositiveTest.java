package org.poa.jobs.attribute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The screen's bounded heap against a full sort of the same scores (ties, zeros, negatives, offsets), in double and float. */
class TopPositiveTest {

    @Test
    void heapSelectionEqualsSortingEverything() {
        Random random = new Random(8);
        for (int trial = 0; trial < 2000; trial++) {
            int n = random.nextInt(60);
            int at = random.nextInt(5);
            int m = 1 + random.nextInt(25);
            double[] scores = new double[at + n];
            for (int i = 0; i < scores.length; i++) {
                // Few distinct values: many ties; some zero and negative scores that must never be picked.
                scores[i] = random.nextInt(9) - 3 + (random.nextInt(4) == 0 ? 0.5 : 0);
            }
            int[] expected = IntStream.range(0, n).filter(c -> scores[at + c] > 0).boxed()
                    .sorted((a, b) -> scores[at + a] != scores[at + b] ? Double.compare(scores[at + b], scores[at + a])
                            : Integer.compare(a, b))
                    .limit(m).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, InfluenceTask.topPositive(scores, at, n, m), "trial " + trial);
            // The kernel's single-precision screen, read in place: the same choice.
            float[] single = new float[scores.length];
            for (int i = 0; i < single.length; i++) {
                single[i] = (float) scores[i];
            }
            assertArrayEquals(expected, InfluenceTask.topPositive(i -> single[i], at, n, m), "trial " + trial + " (float)");
        }
    }
}

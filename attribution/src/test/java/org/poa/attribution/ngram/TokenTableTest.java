package org.poa.attribution.ngram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenTableTest {

    /**
     * Against a {@code HashMap}: words of 1 to 20 bytes (so around the 8 held in a slot), Persian
     * and accented ones, words sharing their first 8 bytes, words of equal hash ("Aa" and "BB"
     * collide), looked up word by word and in a batch, present or not, through several grows.
     */
    @Test
    void findsWhatAMapFinds() {
        Random random = new Random(7);
        String[] alphabet = {"a", "b", "Aa", "BB", "é", "ی", "ک", "1"};
        TokenTable table = new TokenTable();
        Map<String, Integer> expected = new HashMap<>();
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder word = new StringBuilder(i % 3 == 0 ? "abcdefgh" : "");
            int length = 1 + random.nextInt(i % 5 == 0 ? 12 : 5);
            for (int j = 0; j < length; j++) {
                word.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String w = word.toString();
            asked.add(w);
            if (random.nextInt(3) > 0) {
                int id = table.add(w);
                assertEquals(expected.computeIfAbsent(w, x -> expected.size()), id, w);
            }
        }
        asked.add("abcdefgh");
        asked.add("abcdefg");
        assertEquals(expected.size(), table.size());
        // One space-joined text of every asked word, as OutputTokens parses it.
        OutputTokens output = OutputTokens.of(asked);
        int[] batch = output.ids(table);
        int[] one = new int[asked.size()];
        int[] want = new int[asked.size()];
        for (int i = 0; i < asked.size(); i++) {
            byte[] utf8 = asked.get(i).getBytes(StandardCharsets.UTF_8);
            // Word by word: a batch of one has no neighbour whose slot read could hide a wrong compare.
            one[i] = table.ids(utf8, new int[] {0}, new int[] {utf8.length}, new int[] {TokenTable.hash(utf8, 0, utf8.length)}, 1)[0];
            want[i] = expected.getOrDefault(asked.get(i), -1);
        }
        assertArrayEquals(want, batch);
        assertArrayEquals(want, one);
    }
}

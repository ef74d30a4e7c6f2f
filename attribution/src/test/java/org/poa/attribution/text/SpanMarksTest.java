package org.poa.attribution.text;

import org.poa.core.text.TokenRanges;

import org.poa.core.text.TextNormalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpanMarksTest {

    @Test
    void tokenRangesPointAtTheOriginalCharacters() {
        String text = "The Rose, café\u0301-night! 42";
        List<int[]> ranges = TokenRanges.of(text);
        assertNotNull(ranges);
        List<String> tokens = TextNormalizer.tokens(text);
        assertEquals(tokens.size(), ranges.size());
        for (int i = 0; i < tokens.size(); i++) {
            String original = text.substring(ranges.get(i)[0], ranges.get(i)[1]);
            assertEquals(List.of(tokens.get(i)), TextNormalizer.tokens(original), original);
        }
    }

    @Test
    void persianTextKeepsItsSpellingInsideTheMarks() {
        // Arabic kaf and yeh, ZWNJ and tatweel: the marks go around the original spelling.
        String text = "يك كتاب می\u200cروم، دل شـب";
        String marked = SpanMarks.mark(text, List.of(new SpanMarks.Mark("1", 1, 3), new SpanMarks.Mark("2", 2, 5)));
        assertEquals("\u2068يك ⟦1 كتاب ⟦2 می\u200cروم 1⟧، دل شـب 2⟧\u2069", marked);
    }

    @Test
    void passagesAreFoundByTokensAndShownWithContext() {
        String source = "first line,\nthe Rose of night and wine\nlast";
        String passage = SpanMarks.passage(source, List.of("rose", "of", "night"), "3", 5);
        assertEquals("\u2068…\nthe ⟦3 Rose of night 3⟧ and …\u2069", passage);
        assertNull(SpanMarks.passage(source, List.of("absent"), "1", 5));
    }

    @Test
    void marksOutsideTheTextAreRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SpanMarks.mark("one two", List.of(new SpanMarks.Mark("1", 1, 5))));
        assertTrue(e.getMessage().contains("outside"));
    }
}

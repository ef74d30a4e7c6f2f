package org.poa.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {

    @Test
    void foldsArabicLetterVariantsToPersian() {
        // U+064A (Arabic yeh) and U+0649 (alef maksura) -> U+06CC; U+0643 (Arabic kaf) -> U+06A9.
        assertEquals("کتابی", TextNormalizer.normalize("\u0643تاب\u064A"));
        assertEquals("یک", TextNormalizer.normalize("\u0649\u0643"));
        assertEquals(TextNormalizer.normalize("یک کتاب"), TextNormalizer.normalize("يك كتاب"));
    }

    @Test
    void dropsTatweelCombiningMarksAndFormatCharacters() {
        assertEquals("کتاب", TextNormalizer.normalize("کـتـاب"));                 // tatweel U+0640
        assertEquals("میخواهم", TextNormalizer.normalize("می\u200cخواهم"));        // ZWNJ (Cf) joins
        assertEquals("کتاب", TextNormalizer.normalize("کِتاب"));                   // kasra (Mn)
        assertEquals("word", TextNormalizer.normalize("wo\u200Brd"));              // zero-width space (Cf)
        assertEquals("x", TextNormalizer.normalize("x\u0301"));                    // acute that composes with nothing (Mn)
    }

    @Test
    void appliesNfkcBeforeFolding() {
        assertEquals("abc 12", TextNormalizer.normalize("ＡＢＣ　１２"));           // full-width forms
        assertEquals("fi", TextNormalizer.normalize("\uFB01"));                    // fi ligature
        // NFKC turns the Arabic presentation form of kaf into U+0643, which then folds to U+06A9.
        assertEquals("\u06A9", TextNormalizer.normalize("\uFED9"));
        // NFKC composes e + U+0301 into the letter é before marks are dropped, so it survives.
        assertEquals("caf\u00e9", TextNormalizer.normalize("cafe\u0301"));
    }

    @Test
    void splitsOnEverythingButLettersAndDigits() {
        assertEquals(List.of("the", "fox", "s", "den", "2026", "۱۴۰۵"),
                TextNormalizer.tokens("The FOX's den -- 2026, ۱۴۰۵!"));
        assertEquals(List.of(), TextNormalizer.tokens(" ,.;!? "));
        assertEquals("", TextNormalizer.normalize(""));
        // Supplementary-plane letters are letters too: Deseret capital long I (U+10400) lowercases to U+10428.
        assertEquals(List.of("\uD801\uDC28x", "y"), TextNormalizer.tokens("\uD801\uDC00x-y"));
        // NFKC maps mathematical bold A (U+1D400) to A.
        assertEquals(List.of("ab"), TextNormalizer.tokens("\uD835\uDC00b"));
    }

    @Test
    void lowercasesInTheRootLocale() {
        assertEquals("title", TextNormalizer.normalize("TITLE"));
        // Root-locale lowercasing of İ gives i + U+0307; the dot is a mark, so it separates tokens.
        assertEquals(List.of("i", "stanbul"), TextNormalizer.tokens("İstanbul"));
    }

    @Test
    void theAsciiFastPathGivesTheSpecificationsTokens() {
        java.util.Random random = new java.util.Random(3);
        String alphabet = "aZ09 ,.-_'\"\t\n\u0000\u007fQq!~";
        for (int t = 0; t < 20_000; t++) {
            StringBuilder text = new StringBuilder();
            for (int c = random.nextInt(30); c > 0; c--) {
                text.append(random.nextInt(3) == 0 ? (char) random.nextInt(0x80) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = text.toString();
            org.junit.jupiter.api.Assertions.assertEquals(TextNormalizer.foldedTokens(s), TextNormalizer.asciiTokens(s), s);
        }
    }
}

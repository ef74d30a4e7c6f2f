package org.poa.core.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one text normalizer of the project (DESIGN.md, "N-gram span attribution"). Contribution ids,
 * duplicate detection and span matching all go through it, so a change here changes every id:
 * keep it exactly to the specification.
 *
 * <ol>
 *   <li>Unicode NFKC;</li>
 *   <li>Arabic letter variants to Persian: U+064A and U+0649 to U+06CC, U+0643 to U+06A9;</li>
 *   <li>drop tatweel U+0640, every combining mark (Mn) and every format character (Cf);</li>
 *   <li>lowercase in the root locale.</li>
 * </ol>
 * Tokens are the maximal runs of letters (L*) and digits (N*) of the result; everything else
 * separates tokens. The normalized form of a text is its tokens joined by single spaces.
 */
public final class TextNormalizer {

    private TextNormalizer() {
    }

    /** Steps 1 to 4: the text whose letter and digit runs are the tokens. */
    public static String fold(String text) {
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        for (int i = 0; i < nfkc.length(); ) {
            int cp = nfkc.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case 0x064A, 0x0649 -> cp = 0x06CC;
                case 0x0643 -> cp = 0x06A9;
                default -> { }
            }
            if (cp == 0x0640) {
                continue;
            }
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.FORMAT) {
                continue;
            }
            out.appendCodePoint(cp);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** The tokens of a text, in order. */
    public static List<String> tokens(String text) {
        return isAscii(text) ? asciiTokens(text) : foldedTokens(text);
    }

    /** The general path: every step of the specification. */
    static List<String> foldedTokens(String text) {
        String folded = fold(text);
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            boolean word = isTokenChar(cp);
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                tokens.add(folded.substring(start, i));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            tokens.add(folded.substring(start));
        }
        return tokens;
    }

    /**
     * ASCII text is already NFKC, has no Arabic letters, marks or format characters: normalizing it
     * is lowercasing A-Z, and its tokens are the runs of [A-Za-z0-9]. Same tokens, without the
     * copies the general path makes (checked against it in the tests).
     */
    static List<String> asciiTokens(String text) {
        List<String> tokens = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && !isAsciiWordChar(text.charAt(i))) {
                i++;
            }
            int start = i;
            boolean upper = false;
            while (i < n && isAsciiWordChar(text.charAt(i))) {
                char c = text.charAt(i);
                upper |= c >= 'A' && c <= 'Z';
                i++;
            }
            if (i > start) {
                String token = text.substring(start, i);
                tokens.add(upper ? token.toLowerCase(Locale.ROOT) : token);
            }
        }
        return tokens;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** The tokens joined by single spaces: what contribution ids and duplicates are computed on. */
    public static String normalize(String text) {
        return String.join(" ", tokens(text));
    }

    /** Letters (L*) and digits (N*) make tokens. */
    public static boolean isTokenChar(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }
}

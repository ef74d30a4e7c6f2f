package org.poa.core.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each token of a text lies in the original (un-normalized) text, for showing matches to
 * people. Normalization can merge or expand characters, so the text is cut at characters that
 * separate tokens on their own (spaces, punctuation) and each piece is tokenized alone; a token's
 * range is its piece. If the pieces' tokens differ from the whole text's (a piece boundary that
 * normalization would have crossed) there is no mapping and callers show the normalized tokens.
 */
public final class TokenRanges {

    private TokenRanges() {
    }

    /** {begin, end} char offsets per token of {@code text}, or null when they cannot be mapped. */
    public static List<int[]> of(String text) {
        List<String> expected = TextNormalizer.tokens(text);
        List<int[]> ranges = new ArrayList<>(expected.size());
        List<String> found = new ArrayList<>(expected.size());
        int pieceStart = 0;
        for (int i = 0; i <= text.length(); ) {
            int cp = i < text.length() ? text.codePointAt(i) : -1;
            int width = cp < 0 ? 1 : Character.charCount(cp);
            if (cp < 0 || separates(cp)) {
                if (i > pieceStart) {
                    for (String token : TextNormalizer.tokens(text.substring(pieceStart, i))) {
                        found.add(token);
                        ranges.add(new int[] {pieceStart, i});
                    }
                }
                pieceStart = i + width;
            }
            i += width;
        }
        return found.equals(expected) ? ranges : null;
    }

    /** A character that is not dropped by normalization and folds to no letter or digit. */
    private static boolean separates(int cp) {
        String folded = TextNormalizer.fold(new String(Character.toChars(cp)));
        if (folded.isEmpty()) {
            return false;
        }
        return folded.codePoints().noneMatch(TextNormalizer::isTokenChar);
    }
}

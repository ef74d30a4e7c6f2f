package org.poa.jobs.sample;

import java.util.SplittableRandom;

/** Spellings that normalize to the same tokens: Arabic letter variants, tatweel, ZWNJ or none. */
final class Persian {

    private Persian() {
    }

    /** A variant spelling of Persian text: normalization maps it back to the same tokens. */
    static String vary(String text, SplittableRandom random) {
        boolean arabicYeh = random.nextInt(3) == 0;
        boolean arabicKaf = random.nextInt(3) == 0;
        boolean tatweel = random.nextInt(5) == 0;
        boolean dropZwnj = random.nextInt(4) == 0;
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u06CC' && arabicYeh) {
                out.append(i + 1 < text.length() && Character.isLetter(text.charAt(i + 1)) ? '\u064A' : '\u0649');
            } else if (c == '\u06A9' && arabicKaf) {
                out.append('\u0643');
            } else if (c == '\u200C' && dropZwnj) {
                continue;
            } else {
                out.append(c);
                if (tatweel && c == '\u0628') {
                    out.append('\u0640');
                }
            }
        }
        return out.toString();
    }
}

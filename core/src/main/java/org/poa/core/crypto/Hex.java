package org.poa.core.crypto;

/** Lowercase 0x-hex of byte ranges, and back; the tree JSON holds millions of them. */
public final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    public static String of(byte[] bytes, int off, int len) {
        char[] out = new char[2 + 2 * len];
        out[0] = '0';
        out[1] = 'x';
        for (int i = 0; i < len; i++) {
            int b = bytes[off + i] & 0xff;
            out[2 + 2 * i] = DIGITS[b >>> 4];
            out[3 + 2 * i] = DIGITS[b & 0xf];
        }
        return new String(out);
    }

    public static String of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    /** Parses 0x + exactly {@code 2*len} hex digits into {@code out[off, off+len)}. */
    public static void parse(String text, byte[] out, int off, int len) {
        if (text == null || text.length() != 2 + 2 * len || text.charAt(0) != '0' || (text.charAt(1) != 'x' && text.charAt(1) != 'X')) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not 0x + " + (2 * len) + " hex digits");
        }
        for (int i = 0; i < len; i++) {
            int hi = digit(text.charAt(2 + 2 * i));
            int lo = digit(text.charAt(3 + 2 * i));
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("'" + abbreviate(text) + "' is not 0x + " + (2 * len) + " hex digits");
            }
            out[off + i] = (byte) (hi << 4 | lo);
        }
    }

    /** An ASCII hex digit's value, or -1 (Character.digit would also take other scripts' digits). */
    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    public static byte[] parse32(String text) {
        byte[] out = new byte[32];
        parse(text, out, 0, 32);
        return out;
    }

    /** The text cut to 60 characters for an error message. */
    public static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 70 ? text : text.substring(0, 67) + "...";
    }
}

package org.poa.core.merkle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the tree dump and proof lines straight as ASCII bytes: every string in them is a hex
 * hash, an address or a decimal amount, none needing escapes, and a general JSON writer spent
 * most of {@code merkle build}'s time making a String per hash. The output is byte for byte what
 * {@code JSON.stringify} gives for the same objects.
 */
final class JsonBytes {

    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] hex = new byte[2 + 64 + 2];

    JsonBytes(OutputStream out) {
        this.out = out;
    }

    JsonBytes raw(String ascii) throws IOException {
        out.write(ascii.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    JsonBytes raw(char c) throws IOException {
        out.write(c);
        return this;
    }

    /** A quoted 0x-hex string of {@code bytes[off, off+32)}. */
    JsonBytes quotedHash(byte[] bytes, int off) throws IOException {
        hex[0] = '"';
        hex[1] = '0';
        hex[2] = 'x';
        for (int i = 0; i < 32; i++) {
            int b = bytes[off + i] & 0xff;
            hex[3 + 2 * i] = DIGITS[b >>> 4];
            hex[4 + 2 * i] = DIGITS[b & 0xf];
        }
        out.write(hex, 0, 3 + 64);
        out.write('"');
        return this;
    }

    /** A quoted ASCII string with nothing to escape (addresses, decimal amounts). */
    JsonBytes quoted(String ascii) throws IOException {
        out.write('"');
        raw(ascii);
        out.write('"');
        return this;
    }
}

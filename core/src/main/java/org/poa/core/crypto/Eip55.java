package org.poa.core.crypto;

import java.nio.charset.StandardCharsets;

/** EIP-55 mixed-case spelling of an address, without the string churn of a general-purpose helper. */
public final class Eip55 {

    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Eip55() {
    }

    /** The EIP-55 spelling of the 20 bytes {@code address[off, off+20)}. */
    public static String of(byte[] address, int off) {
        byte[] lower = new byte[40];
        for (int i = 0; i < 20; i++) {
            int b = address[off + i] & 0xff;
            lower[2 * i] = DIGITS[b >>> 4];
            lower[2 * i + 1] = DIGITS[b & 0xf];
        }
        byte[] hash = new byte[32];
        Keccak.hash(lower, 0, 40, hash, 0);
        byte[] out = new byte[42];
        out[0] = '0';
        out[1] = 'x';
        for (int i = 0; i < 40; i++) {
            int nibble = (hash[i / 2] >>> (i % 2 == 0 ? 4 : 0)) & 0xf;
            byte c = lower[i];
            out[2 + i] = c >= 'a' && nibble >= 8 ? (byte) (c - 32) : c;
        }
        return new String(out, StandardCharsets.US_ASCII);
    }

    /** The EIP-55 spelling of an address given as 0x + 40 hex digits in any letter case. */
    public static String of(String address) {
        byte[] raw = new byte[20];
        Hex.parse(address, raw, 0, 20);
        return of(raw, 0);
    }
}

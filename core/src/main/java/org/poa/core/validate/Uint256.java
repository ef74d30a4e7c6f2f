package org.poa.core.validate;

import java.math.BigInteger;

/**
 * uint256 amounts written in decimal, as payout files, tree JSON and claims carry them. The text is
 * checked before it is converted: at most 78 digits (2^256 has 78), since {@code new BigInteger} of a
 * string of millions of digits takes time quadratic in its length.
 */
public final class Uint256 {

    /** Digits of 2^256 - 1, the largest uint256. */
    public static final int MAX_DIGITS = 78;

    /** uint256 values are below 2^256. */
    public static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(256);

    private Uint256() {
    }

    /** The value of {@code text}, or an IllegalArgumentException naming {@code what} in one line. */
    public static BigInteger parse(String what, String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_DIGITS
                || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String shown = text == null ? "null" : text.length() <= 60 ? text : text.substring(0, 57) + "... ("
                    + text.length() + " characters)";
            throw new IllegalArgumentException(what + " '" + shown + "' is not a uint256 in decimal (at most "
                    + MAX_DIGITS + " digits)");
        }
        BigInteger value = new BigInteger(text);
        if (value.compareTo(LIMIT) >= 0) {
            throw new IllegalArgumentException(what + " " + text + " is not below 2^256");
        }
        return value;
    }
}

package org.poa.core.merkle;

import org.poa.core.crypto.Hex;
import org.poa.core.crypto.Eip55;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The values of a payout tree, {@code (address, uint256)} pairs, in flat arrays (20 + 32 + 1 bytes
 * per value) so that ten million of them fit a small heap. Each address keeps its spelling
 * (lowercase, uppercase or EIP-55) so the tree's JSON dump repeats it exactly as given.
 */
public final class PayoutLeaves {

    static final byte LOWER = 0;
    static final byte UPPER = 1;
    static final byte CHECKSUM = 2;

    /** uint256 values are below 2^256. */
    public static final BigInteger UINT256_LIMIT = org.poa.core.validate.Uint256.LIMIT;

    private byte[] addresses;
    private byte[] amounts;
    private byte[] spellings;
    private int size;

    public PayoutLeaves(int expected) {
        int capacity = Math.max(16, expected);
        addresses = new byte[20 * capacity];
        amounts = new byte[32 * capacity];
        spellings = new byte[capacity];
    }

    public int size() {
        return size;
    }

    /**
     * Adds one value. The address is 0x + 40 hex digits, all lowercase, all uppercase, or mixed case
     * passing EIP-55; the amount is 0 ≤ x < 2^256.
     */
    public void add(String address, BigInteger amount) {
        if (amount.signum() < 0 || amount.compareTo(UINT256_LIMIT) >= 0) {
            throw new IllegalArgumentException("amount " + amount + " of " + address + " is not a uint256");
        }
        grow();
        int at = size;
        Hex.parse(address, addresses, 20 * at, 20);
        if (address.charAt(1) != 'x') {
            throw new IllegalArgumentException("'" + address + "' must start with 0x");
        }
        boolean lower = false;
        boolean upper = false;
        for (int c = 2; c < 42; c++) {
            char ch = address.charAt(c);
            lower |= ch >= 'a' && ch <= 'f';
            upper |= ch >= 'A' && ch <= 'F';
        }
        byte spelling;
        if (!upper) {
            spelling = LOWER;
        } else if (!lower) {
            spelling = UPPER;
        } else {
            spelling = CHECKSUM;
            if (!Eip55.of(addresses, 20 * at).equals(address)) {
                throw new IllegalArgumentException(address + " fails its EIP-55 checksum");
            }
        }
        spellings[at] = spelling;
        byte[] raw = amount.toByteArray();
        int start = raw.length > 32 ? raw.length - 32 : 0;
        int length = raw.length - start;
        Arrays.fill(amounts, 32 * at, 32 * at + 32 - length, (byte) 0);
        System.arraycopy(raw, start, amounts, 32 * at + 32 - length, length);
        size++;
    }

    /** The address as it was given. */
    public String address(int i) {
        return switch (spellings[i]) {
            case LOWER -> Hex.of(addresses, 20 * i, 20);
            case UPPER -> "0x" + Hex.of(addresses, 20 * i, 20).substring(2).toUpperCase(java.util.Locale.ROOT);
            default -> Eip55.of(addresses, 20 * i);
        };
    }

    public BigInteger amount(int i) {
        return new BigInteger(1, Arrays.copyOfRange(amounts, 32 * i, 32 * i + 32));
    }

    /** The sum of every amount. */
    public BigInteger total() {
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < size; i++) {
            sum = sum.add(amount(i));
        }
        return sum;
    }

    /** Writes abi.encode(address, uint256) of value i: 64 bytes. */
    void encode(int i, byte[] out, int off) {
        Arrays.fill(out, off, off + 12, (byte) 0);
        System.arraycopy(addresses, 20 * i, out, off + 12, 20);
        System.arraycopy(amounts, 32 * i, out, off + 32, 32);
    }

    /** True when values i and j have the same address, whatever its spelling. */
    boolean sameAddress(int i, int j) {
        return Arrays.equals(addresses, 20 * i, 20 * i + 20, addresses, 20 * j, 20 * j + 20);
    }

    private void grow() {
        if (size < spellings.length) {
            return;
        }
        int capacity = Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, (long) spellings.length * 3 / 2 + 1));
        addresses = Arrays.copyOf(addresses, Math.multiplyExact(20, capacity));
        amounts = Arrays.copyOf(amounts, Math.multiplyExact(32, capacity));
        spellings = Arrays.copyOf(spellings, capacity);
    }
}

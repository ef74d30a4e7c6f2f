package org.poa.core.crypto;

import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Keccak-256 (Ethereum's, not NIST SHA3-256) through BouncyCastle's digest, the one web3j's
 * {@code Hash.sha3} uses, with one reusable digest per thread so hashing millions of leaves
 * allocates nothing per hash.
 */
public final class Keccak {

    private static final ThreadLocal<KeccakDigest> DIGEST = ThreadLocal.withInitial(() -> new KeccakDigest(256));

    private Keccak() {
    }

    /** Hashes {@code in[off, off+len)} into {@code out[outOff, outOff+32)}. */
    public static void hash(byte[] in, int off, int len, byte[] out, int outOff) {
        KeccakDigest digest = DIGEST.get();
        try {
            digest.update(in, off, len);
            digest.doFinal(out, outOff);
        } catch (RuntimeException e) {
            // A failed call (bad bounds) would leave the thread's digest mid-hash for the next caller.
            digest.reset();
            throw e;
        }
    }

    public static byte[] hash(byte[] in) {
        byte[] out = new byte[32];
        hash(in, 0, in.length, out, 0);
        return out;
    }
}

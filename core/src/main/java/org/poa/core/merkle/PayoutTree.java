package org.poa.core.merkle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.poa.core.crypto.Hex;
import org.poa.core.crypto.Keccak;
import org.poa.core.validate.Uint256;

/**
 * A Merkle tree of {@code (address, uint256)} values built exactly as OpenZeppelin's
 * {@code StandardMerkleTree.of(values, ["address", "uint256"])}: leaf = keccak256(keccak256(
 * abi.encode(address, amount))), leaves sorted by hash and stored at the end of a heap-ordered
 * array in reverse order, node i = keccak256 of its two children sorted. Same tree array, root,
 * proofs and {@code standard-v1} JSON dump. Nodes live in one flat byte array (32 bytes each).
 */
public final class PayoutTree {

    public static final List<String> LEAF_ENCODING = List.of("address", "uint256");
    public static final String FORMAT = "standard-v1";

    private static final int CHUNK = 4096;

    private final PayoutLeaves values;
    private final byte[] nodes;
    private final int[] treeIndex;

    private PayoutTree(PayoutLeaves values, byte[] nodes, int[] treeIndex) {
        this.values = values;
        this.nodes = nodes;
        this.treeIndex = treeIndex;
    }

    /** Builds the tree; fails on no values or on one address given twice. */
    public static PayoutTree of(PayoutLeaves values) {
        int n = values.size();
        if (n == 0) {
            throw new IllegalArgumentException("a payout tree needs at least one account");
        }
        rejectRepeatedAddresses(values);
        byte[] hashes = leafHashes(values);
        int[] order = HashOrder.sort(hashes, 32, n);
        int length = 2 * n - 1;
        byte[] nodes = new byte[Math.multiplyExact(32, length)];
        int[] treeIndex = new int[n];
        for (int k = 0; k < n; k++) {
            int t = length - 1 - k;
            System.arraycopy(hashes, 32 * order[k], nodes, 32 * t, 32);
            treeIndex[order[k]] = t;
        }
        // Internal nodes are 0..n-2; a node's children are one level deeper, so each level can be
        // hashed in parallel once the level below it is done.
        int internal = n - 1;
        int depth = 31 - Integer.numberOfLeadingZeros(Math.max(1, internal));
        for (int d = depth; d >= 0; d--) {
            int lo = (1 << d) - 1;
            int hi = Math.min((1 << (d + 1)) - 1, internal);
            if (lo >= hi) {
                continue;
            }
            IntStream.range(0, (hi - lo + CHUNK - 1) / CHUNK).parallel().forEach(chunk -> {
                byte[] pair = new byte[64];
                for (int i = lo + chunk * CHUNK; i < Math.min(hi, lo + (chunk + 1) * CHUNK); i++) {
                    hashPair(nodes, 2 * i + 1, nodes, 2 * i + 2, pair, nodes, i);
                }
            });
        }
        return new PayoutTree(values, nodes, treeIndex);
    }

    private static byte[] leafHashes(PayoutLeaves values) {
        int n = values.size();
        byte[] hashes = new byte[Math.multiplyExact(32, n)];
        IntStream.range(0, (n + CHUNK - 1) / CHUNK).parallel().forEach(chunk -> {
            byte[] encoded = new byte[64];
            byte[] inner = new byte[32];
            for (int i = chunk * CHUNK; i < Math.min(n, (chunk + 1) * CHUNK); i++) {
                values.encode(i, encoded, 0);
                Keccak.hash(encoded, 0, 64, inner, 0);
                Keccak.hash(inner, 0, 32, hashes, 32 * i);
            }
        });
        return hashes;
    }

    public int size() {
        return values.size();
    }

    public PayoutLeaves values() {
        return values;
    }

    public byte[] root() {
        return Arrays.copyOfRange(nodes, 0, 32);
    }

    public String rootHex() {
        return Hex.of(nodes, 0, 32);
    }

    /** Position of value i's leaf in the tree array. */
    public int treeIndex(int i) {
        return treeIndex[i];
    }

    /** Number of hashes in value i's proof. */
    public int proofLength(int i) {
        int t = treeIndex[i];
        int length = 0;
        while (t > 0) {
            length++;
            t = (t - 1) / 2;
        }
        return length;
    }

    /** Writes value i's proof (sibling hashes from the leaf up) into {@code out}, 32 bytes each; returns the count. */
    public int proof(int i, byte[] out) {
        int t = treeIndex[i];
        int k = 0;
        while (t > 0) {
            int sibling = (t & 1) == 1 ? t + 1 : t - 1;
            System.arraycopy(nodes, 32 * sibling, out, 32 * k, 32);
            k++;
            t = (t - 1) / 2;
        }
        return k;
    }

    /** Value i's proof as 0x-hex strings, as {@code getProof} returns it. */
    public List<String> proofHex(int i) {
        byte[] buffer = new byte[32 * proofLength(i)];
        int count = proof(i, buffer);
        List<String> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            out.add(Hex.of(buffer, 32 * k, 32));
        }
        return out;
    }

    /** The index of the value with this address (any spelling), or -1. */
    public int indexOf(String address) {
        byte[] wanted = new byte[20];
        Hex.parse(address, wanted, 0, 20);
        byte[] encoded = new byte[64];
        for (int i = 0; i < values.size(); i++) {
            values.encode(i, encoded, 0);
            if (Arrays.equals(encoded, 12, 32, wanted, 0, 20)) {
                return i;
            }
        }
        return -1;
    }

    /** The leaf hash of one value, as the contract computes it. */
    public static byte[] leafHash(String address, BigInteger amount) {
        PayoutLeaves one = new PayoutLeaves(1);
        one.add(address, amount);
        byte[] encoded = new byte[64];
        one.encode(0, encoded, 0);
        return Keccak.hash(Keccak.hash(encoded));
    }

    /** True when the proof leads from (address, amount) to the root, as {@code StandardMerkleTree.verify}. */
    public static boolean verify(byte[] root, String address, BigInteger amount, List<byte[]> proof) {
        byte[] current = leafHash(address, amount);
        byte[] pair = new byte[64];
        for (byte[] sibling : proof) {
            byte[] next = new byte[32];
            hashPair(current, 0, sibling, 0, pair, next, 0);
            current = next;
        }
        return Arrays.equals(current, root);
    }

    /** Writes the {@code standard-v1} dump, loadable by {@code StandardMerkleTree.load}: the bytes {@code JSON.stringify(tree.dump())} gives. */
    public void writeDump(OutputStream out) throws IOException {
        JsonBytes json = new JsonBytes(out);
        json.raw("{\"format\":\"" + FORMAT + "\",\"leafEncoding\":[\"address\",\"uint256\"],\"tree\":[");
        int length = nodes.length / 32;
        for (int t = 0; t < length; t++) {
            if (t > 0) {
                json.raw(',');
            }
            json.quotedHash(nodes, 32 * t);
        }
        json.raw("],\"values\":[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                json.raw(',');
            }
            json.raw("{\"value\":[").quoted(values.address(i)).raw(',').quoted(values.amount(i).toString())
                    .raw("],\"treeIndex\":").raw(Integer.toString(treeIndex[i])).raw('}');
        }
        json.raw("]}");
        out.flush();
    }

    /** Writes value i's proof as a JSON array of quoted hashes. */
    void writeProofJson(int i, OutputStream out) throws IOException {
        JsonBytes json = new JsonBytes(out);
        json.raw('[');
        int t = treeIndex[i];
        boolean first = true;
        while (t > 0) {
            if (!first) {
                json.raw(',');
            }
            first = false;
            json.quotedHash(nodes, 32 * ((t & 1) == 1 ? t + 1 : t - 1));
            t = (t - 1) / 2;
        }
        json.raw(']');
    }

    /**
     * Reads a {@code standard-v1} dump of {@code ["address","uint256"]} values and checks it as
     * {@code StandardMerkleTree.load} does: every value's leaf is where it says, every node is the
     * hash of its children.
     */
    public static PayoutTree load(InputStream in) throws IOException {
        try (JsonParser json = new JsonFactory().createParser(in)) {
            expect(json.nextToken() == JsonToken.START_OBJECT, "a tree dump is a JSON object");
            String format = null;
            List<String> encoding = new ArrayList<>();
            byte[] nodes = new byte[32 * 16];
            int nodeCount = 0;
            PayoutLeaves values = new PayoutLeaves(16);
            int[] treeIndex = new int[16];
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken token = json.nextToken();
                switch (field) {
                    case "format" -> format = json.getValueAsString();
                    case "leafEncoding" -> {
                        expect(token == JsonToken.START_ARRAY, "leafEncoding must be an array");
                        while (json.nextToken() != JsonToken.END_ARRAY) {
                            encoding.add(json.getValueAsString());
                        }
                    }
                    case "tree" -> {
                        expect(token == JsonToken.START_ARRAY, "tree must be an array");
                        while (json.nextToken() != JsonToken.END_ARRAY) {
                            if (32 * (nodeCount + 1) > nodes.length) {
                                nodes = Arrays.copyOf(nodes, Math.multiplyExact(2, nodes.length));
                            }
                            Hex.parse(json.getValueAsString(), nodes, 32 * nodeCount, 32);
                            nodeCount++;
                        }
                    }
                    case "values" -> {
                        expect(token == JsonToken.START_ARRAY, "values must be an array");
                        while (json.nextToken() == JsonToken.START_OBJECT) {
                            String address = null;
                            BigInteger amount = null;
                            int index = -1;
                            while (json.nextToken() == JsonToken.FIELD_NAME) {
                                String name = json.currentName();
                                json.nextToken();
                                if (name.equals("value")) {
                                    json.nextToken();
                                    address = json.getValueAsString();
                                    json.nextToken();
                                    amount = Uint256.parse("amount", json.getValueAsString());
                                    expect(json.nextToken() == JsonToken.END_ARRAY, "a value is [address, amount]");
                                } else if (name.equals("treeIndex")) {
                                    index = json.getIntValue();
                                } else {
                                    json.skipChildren();
                                }
                            }
                            expect(address != null && amount != null && index >= 0, "each value needs value and treeIndex");
                            if (values.size() == treeIndex.length) {
                                treeIndex = Arrays.copyOf(treeIndex, 2 * treeIndex.length);
                            }
                            treeIndex[values.size()] = index;
                            values.add(address, amount);
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            expect(FORMAT.equals(format), "unknown tree format '" + format + "' (expected " + FORMAT + ")");
            expect(LEAF_ENCODING.equals(encoding), "leaf encoding " + encoding + " is not " + LEAF_ENCODING);
            int n = values.size();
            expect(n > 0 && nodeCount == 2 * n - 1, "a tree of " + n + " values has " + (2 * n - 1) + " nodes, not " + nodeCount);
            PayoutTree tree = new PayoutTree(values, Arrays.copyOf(nodes, 32 * nodeCount), Arrays.copyOf(treeIndex, n));
            tree.check();
            return tree;
        }
    }

    private void check() {
        int n = values.size();
        byte[] encoded = new byte[64];
        byte[] inner = new byte[32];
        byte[] leaf = new byte[32];
        for (int i = 0; i < n; i++) {
            int t = treeIndex[i];
            expect(t >= n - 1 && t < 2 * n - 1, "value " + i + " points at " + t + ", not a leaf");
            values.encode(i, encoded, 0);
            Keccak.hash(encoded, 0, 64, inner, 0);
            Keccak.hash(inner, 0, 32, leaf, 0);
            expect(Arrays.equals(leaf, 0, 32, nodes, 32 * t, 32 * t + 32), "value " + i + " does not match its leaf");
        }
        byte[] pair = new byte[64];
        byte[] node = new byte[32];
        for (int i = n - 2; i >= 0; i--) {
            hashPair(nodes, 2 * i + 1, nodes, 2 * i + 2, pair, node, 0);
            expect(Arrays.equals(node, 0, 32, nodes, 32 * i, 32 * i + 32), "node " + i + " is not the hash of its children");
        }
    }

    private static void rejectRepeatedAddresses(PayoutLeaves values) {
        int n = values.size();
        byte[] encoded = new byte[64];
        byte[] addresses = new byte[Math.multiplyExact(20, n)];
        for (int i = 0; i < n; i++) {
            values.encode(i, encoded, 0);
            System.arraycopy(encoded, 12, addresses, 20 * i, 20);
        }
        int[] order = HashOrder.sort(addresses, 20, n);
        for (int k = 1; k < n; k++) {
            if (values.sameAddress(order[k - 1], order[k])) {
                throw new IllegalArgumentException("account " + values.address(order[k]) + " appears more than once");
            }
        }
    }

    /** out[outIndex] = keccak256(sorted(a[ai], b[bi])), indices counted in 32-byte nodes. */
    private static void hashPair(byte[] a, int ai, byte[] b, int bi, byte[] pair, byte[] out, int outIndex) {
        if (Arrays.compareUnsigned(a, 32 * ai, 32 * ai + 32, b, 32 * bi, 32 * bi + 32) <= 0) {
            System.arraycopy(a, 32 * ai, pair, 0, 32);
            System.arraycopy(b, 32 * bi, pair, 32, 32);
        } else {
            System.arraycopy(b, 32 * bi, pair, 0, 32);
            System.arraycopy(a, 32 * ai, pair, 32, 32);
        }
        Keccak.hash(pair, 0, 64, out, 32 * outIndex);
    }

    private static void expect(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid tree dump: " + message);
        }
    }
}

package org.poa.core.merkle;

import org.poa.core.crypto.Eip55;

import org.poa.core.crypto.Hex;

import org.poa.core.crypto.Keccak;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/** The Merkle tree against known answers, web3j and a plain re-implementation of OpenZeppelin's algorithm. */
public class PayoutTreeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigInteger UINT256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    // ---------------------------------------------------------------- helpers

    /** A random 20-byte address spelled lowercase, UPPERCASE or EIP-55 (web3j's), by {@code spelling} 0/1/2. */
    public static String address(Random random, int spelling) {
        byte[] raw = new byte[20];
        random.nextBytes(raw);
        return spell(raw, spelling);
    }

    static String spell(byte[] raw, int spelling) {
        String lower = Numeric.toHexString(raw);
        return switch (spelling) {
            case 0 -> lower;
            case 1 -> "0x" + lower.substring(2).toUpperCase(Locale.ROOT);
            default -> Keys.toChecksumAddress(lower);
        };
    }

    public static BigInteger amount(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> BigInteger.valueOf(random.nextInt(1000));
            case 1 -> new BigInteger(64, random);
            case 2 -> new BigInteger(128, random);
            default -> new BigInteger(256, random);
        };
    }

    /** n random values with distinct addresses in mixed spellings. */
    static PayoutLeaves randomLeaves(Random random, int n) {
        PayoutLeaves leaves = new PayoutLeaves(random.nextInt(4));
        for (int i = 0; i < n; i++) {
            leaves.add(address(random, random.nextInt(3)), amount(random));
        }
        return leaves;
    }

    public static List<byte[]> parseProof(List<String> hex) {
        List<byte[]> out = new ArrayList<>();
        for (String h : hex) {
            out.add(Hex.parse32(h));
        }
        return out;
    }

    static JsonNode dump(PayoutTree tree) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tree.writeDump(out);
        return JSON.readTree(out.toByteArray());
    }

    static byte[] dumpBytes(PayoutTree tree) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tree.writeDump(out);
        return out.toByteArray();
    }

    static PayoutTree load(JsonNode dump) throws IOException {
        return PayoutTree.load(new ByteArrayInputStream(JSON.writeValueAsBytes(dump)));
    }

    // ---------------------------------------------------------------- known answers and primitives

    @Test
    void knownLeafAndSingleValueTree() {
        String account = "0x1111111111111111111111111111111111111111";
        BigInteger amount = new BigInteger("5000000000000000000");
        String expected = "0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283";
        assertEquals(expected, Hex.of(PayoutTree.leafHash(account, amount)));

        PayoutLeaves leaves = new PayoutLeaves(1);
        leaves.add(account, amount);
        PayoutTree tree = PayoutTree.of(leaves);
        assertEquals(expected, tree.rootHex());
        assertArrayEquals(Hex.parse32(expected), tree.root());
        assertEquals(1, tree.size());
        assertEquals(0, tree.treeIndex(0));
        assertEquals(0, tree.proofLength(0));
        assertEquals(List.of(), tree.proofHex(0));
        assertEquals(0, tree.proof(0, new byte[0]));
        assertTrue(PayoutTree.verify(tree.root(), account, amount, List.of()));
        assertFalse(PayoutTree.verify(tree.root(), account, amount.add(BigInteger.ONE), List.of()));
        assertEquals(0, tree.indexOf("0x1111111111111111111111111111111111111111"));
        assertEquals(-1, tree.indexOf("0x2222222222222222222222222222222222222222"));
    }

    @Test
    void keccakMatchesWeb3j() {
        Random random = new Random(1);
        for (int length = 0; length <= 200; length++) {
            for (int rep = 0; rep < 5; rep++) {
                byte[] in = new byte[length];
                random.nextBytes(in);
                byte[] expected = Hash.sha3(in);
                assertArrayEquals(expected, Keccak.hash(in), "length " + length);
                // The offset form, with data in the middle of a larger buffer.
                byte[] padded = new byte[length + 7];
                System.arraycopy(in, 0, padded, 3, length);
                byte[] out = new byte[40];
                Keccak.hash(padded, 3, length, out, 5);
                assertArrayEquals(expected, Arrays.copyOfRange(out, 5, 37), "offset form, length " + length);
            }
        }
        // Keccak-256 of the empty string, not NIST SHA3-256's a7ffc6f8...
        assertEquals("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Hex.of(Keccak.hash(new byte[0])));
    }

    @Test
    void keccakIsRightFromManyThreads() {
        Random random = new Random(2);
        byte[][] inputs = new byte[2000][];
        byte[][] expected = new byte[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = new byte[random.nextInt(150)];
            random.nextBytes(inputs[i]);
            expected[i] = Hash.sha3(inputs[i]);
        }
        java.util.stream.IntStream.range(0, inputs.length).parallel()
                .forEach(i -> assertArrayEquals(expected[i], Keccak.hash(inputs[i])));
    }

    @Test
    void checksumMatchesWeb3j() {
        Random random = new Random(3);
        byte[] buffer = new byte[25];
        for (int rep = 0; rep < 1000; rep++) {
            random.nextBytes(buffer);
            int off = rep % 6;
            String lower = Numeric.toHexString(Arrays.copyOfRange(buffer, off, off + 20));
            assertEquals(Keys.toChecksumAddress(lower), Eip55.of(buffer, off), lower);
        }
        // EIP-55's own examples.
        for (String example : List.of("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")) {
            byte[] raw = new byte[20];
            Hex.parse(example, raw, 0, 20);
            assertEquals(example, Eip55.of(raw, 0));
        }
    }

    @Test
    void hexRoundTripsAndRejectsMalformedText() {
        Random random = new Random(4);
        for (int len = 0; len < 40; len++) {
            byte[] raw = new byte[len];
            random.nextBytes(raw);
            String text = Hex.of(raw);
            assertEquals(Numeric.toHexString(raw), text);
            byte[] back = new byte[len];
            Hex.parse(text, back, 0, len);
            assertArrayEquals(raw, back);
            Hex.parse(text.toUpperCase(Locale.ROOT).replace("0X", "0x"), back, 0, len);
            assertArrayEquals(raw, back);
        }
        for (String bad : new String[] {null, "", "0x", "00" + "ab".repeat(32), "0x" + "ab".repeat(31), "0x" + "ab".repeat(33),
                "0x" + "ab".repeat(31) + "ag", "1x" + "ab".repeat(32), "0x" + "ab".repeat(31) + " a"}) {
            assertThrows(IllegalArgumentException.class, () -> Hex.parse32(bad), String.valueOf(bad));
        }
    }

    // ---------------------------------------------------------------- HashOrder

    static int[] plainSort(byte[] data, int width, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Arrays.sort on objects is stable: equal strings stay in index order.
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(data, width * a, width * a + width, data, width * b, width * b + width));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    static void assertSortsLikePlainSort(byte[] data, int width, int n, String what) {
        int[] expected = plainSort(data, width, n);
        int[] actual = HashOrder.sort(data, width, n);
        assertArrayEquals(expected, actual, what);
    }

    @Test
    void hashOrderOnRandomData() {
        Random random = new Random(5);
        for (int width : new int[] {4, 5, 20, 32}) {
            for (int n : new int[] {0, 1, 2, 3, 17, 1000, 50_000}) {
                byte[] data = new byte[width * n + random.nextInt(10)];
                random.nextBytes(data);
                assertSortsLikePlainSort(data, width, n, "random width " + width + " n " + n);
            }
        }
    }

    @Test
    void hashOrderWithSharedPrefixesAndTies() {
        Random random = new Random(6);
        // Prefixes at the edges of the signed/unsigned flip, so runs share 4 bytes and the rest decides.
        int[] prefixes = {0x00000000, 0xffffffff, 0x7fffffff, 0x80000000, 0x80000001, 0x12345678};
        byte[] alphabet = {0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff};
        for (int width : new int[] {4, 5, 20, 32}) {
            for (int n : new int[] {2, 10, 300, 3000}) {
                byte[] data = new byte[width * n];
                for (int i = 0; i < n; i++) {
                    int prefix = prefixes[random.nextInt(prefixes.length)];
                    data[width * i] = (byte) (prefix >>> 24);
                    data[width * i + 1] = (byte) (prefix >>> 16);
                    data[width * i + 2] = (byte) (prefix >>> 8);
                    data[width * i + 3] = (byte) prefix;
                    // Few distinct suffix bytes, mostly in the last positions: many near-equal and equal strings.
                    for (int b = 4; b < width; b++) {
                        data[width * i + b] = b < width - 2 ? 0 : alphabet[random.nextInt(alphabet.length)];
                    }
                }
                assertSortsLikePlainSort(data, width, n, "shared prefixes width " + width + " n " + n);
                // The data really had ties and shared prefixes.
                int[] order = HashOrder.sort(data, width, n);
                if (n >= 300) {
                    boolean tie = false;
                    for (int k = 1; k < n && !tie; k++) {
                        tie = Arrays.equals(data, width * order[k - 1], width * order[k - 1] + width, data, width * order[k],
                                width * order[k] + width);
                    }
                    assertTrue(tie, "test data without ties");
                }
            }
        }
        // All strings identical: ties in index order.
        byte[] same = new byte[32 * 500];
        for (int i = 0; i < 500; i++) {
            System.arraycopy(new byte[] {(byte) 0x9a, 1, 2, 3}, 0, same, 32 * i, 4);
        }
        int[] order = HashOrder.sort(same, 32, 500);
        for (int k = 0; k < 500; k++) {
            assertEquals(k, order[k]);
        }
        // Different lengths of shared prefix where only the last byte differs, given in reverse.
        byte[] reverse = new byte[20 * 256];
        for (int i = 0; i < 256; i++) {
            reverse[20 * i + 19] = (byte) (255 - i);
        }
        assertSortsLikePlainSort(reverse, 20, 256, "reverse");
        assertEquals(255, HashOrder.sort(reverse, 20, 256)[0]);
    }

    @Test
    void hashOrderCompareIsUnsignedThenByIndex() {
        byte[] data = new byte[8];
        data[0] = (byte) 0x80; // value 0 = 0x80000000 > value 1 = 0x7f000000
        data[4] = 0x7f;
        assertTrue(HashOrder.compare(data, 4, 0, 1) > 0);
        assertTrue(HashOrder.compare(data, 4, 1, 0) < 0);
        byte[] equal = new byte[8];
        assertTrue(HashOrder.compare(equal, 4, 0, 1) < 0);
        assertTrue(HashOrder.compare(equal, 4, 1, 0) > 0);
        assertEquals(0, HashOrder.compare(equal, 4, 1, 1));
    }

    // ---------------------------------------------------------------- proofs

    static void assertAllProofsVerify(PayoutTree tree, Random random) {
        int n = tree.size();
        byte[] root = tree.root();
        Set<Integer> indices = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String account = tree.values().address(i);
            BigInteger amount = tree.values().amount(i);
            int t = tree.treeIndex(i);
            assertTrue(t >= n - 1 && t < 2 * n - 1, "value " + i + " at " + t + " is not a leaf of " + n);
            assertTrue(indices.add(t), "two values at " + t);
            assertEquals(i, tree.indexOf(account));
            assertEquals(i, tree.indexOf(account.toLowerCase(Locale.ROOT)));

            List<String> hex = tree.proofHex(i);
            assertEquals(31 - Integer.numberOfLeadingZeros(t + 1), hex.size(), "proof length of tree index " + t);
            assertEquals(hex.size(), tree.proofLength(i));
            byte[] buffer = new byte[32 * hex.size() + 32];
            assertEquals(hex.size(), tree.proof(i, buffer));
            List<byte[]> proof = parseProof(hex);
            for (int k = 0; k < proof.size(); k++) {
                assertArrayEquals(proof.get(k), Arrays.copyOfRange(buffer, 32 * k, 32 * k + 32));
            }
            assertTrue(PayoutTree.verify(root, account, amount, proof), "proof of value " + i + " of " + n);
            // The leaf does not depend on spelling.
            assertTrue(PayoutTree.verify(root, account.toLowerCase(Locale.ROOT), amount, proof));
            assertTrue(PayoutTree.verify(root, "0x" + account.substring(2).toUpperCase(Locale.ROOT), amount, proof));

            BigInteger otherAmount = amount.equals(UINT256_MAX) ? amount.subtract(BigInteger.ONE) : amount.add(BigInteger.ONE);
            assertFalse(PayoutTree.verify(root, account, otherAmount, proof), "wrong amount");
            String otherAccount = n > 1 ? tree.values().address((i + 1) % n) : address(random, 0);
            assertFalse(PayoutTree.verify(root, otherAccount, amount, proof), "wrong account");
            byte[] otherRoot = root.clone();
            otherRoot[random.nextInt(32)] ^= 1;
            assertFalse(PayoutTree.verify(otherRoot, account, amount, proof), "wrong root");
            if (!proof.isEmpty()) {
                int k = random.nextInt(proof.size());
                List<byte[]> flipped = new ArrayList<>(proof);
                byte[] element = flipped.get(k).clone();
                element[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
                flipped.set(k, element);
                assertFalse(PayoutTree.verify(root, account, amount, flipped), "flipped byte in proof element " + k);
                assertFalse(PayoutTree.verify(root, account, amount, proof.subList(0, proof.size() - 1)), "shortened proof");
            } else {
                assertEquals(1, n);
                assertArrayEquals(root, PayoutTree.leafHash(account, amount));
                assertFalse(PayoutTree.verify(root, account, amount, List.of(root)), "needless proof element");
            }
        }
        assertEquals(-1, tree.indexOf(address(random, 0)));
    }

    @Test
    void everyProofVerifiesAndTamperedOnesDoNot() {
        Random random = new Random(7);
        for (int n = 1; n <= 70; n++) {
            assertAllProofsVerify(PayoutTree.of(randomLeaves(random, n)), random);
        }
        assertAllProofsVerify(PayoutTree.of(randomLeaves(random, 1000)), random);
    }

    @Test
    void largeTreeBuiltInParallelMatchesReference() throws IOException {
        // Over CHUNK (4096) leaves and internal nodes, so several chunks hash in parallel.
        Random random = new Random(8);
        PayoutLeaves leaves = randomLeaves(random, 20_000);
        PayoutTree tree = PayoutTree.of(leaves);
        assertMatchesReference(tree);
        assertArrayEquals(tree.root(), PayoutTree.of(leaves).root(), "deterministic");
    }

    // ---------------------------------------------------------------- independent re-implementation

    static byte[] referenceLeaf(String address, BigInteger amount) {
        String encoded = TypeEncoder.encode(new Address(address)) + TypeEncoder.encode(new Uint256(amount));
        byte[] bytes = Numeric.hexStringToByteArray(encoded);
        assertEquals(64, bytes.length);
        return Hash.sha3(Hash.sha3(bytes));
    }

    static byte[] referenceNode(byte[] a, byte[] b) {
        byte[] first = Arrays.compareUnsigned(a, b) <= 0 ? a : b;
        byte[] second = first == a ? b : a;
        byte[] pair = new byte[64];
        System.arraycopy(first, 0, pair, 0, 32);
        System.arraycopy(second, 0, pair, 32, 32);
        return Hash.sha3(pair);
    }

    /** OpenZeppelin's StandardMerkleTree.of, written out plainly: returns the tree array; fills treeIndex. */
    static List<byte[]> referenceTree(List<String> accounts, List<BigInteger> amounts, int[] treeIndex) {
        int n = accounts.size();
        List<byte[]> leaves = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(referenceLeaf(accounts.get(i), amounts.get(i)));
            order.add(i);
        }
        Comparator<byte[]> unsigned = Arrays::compareUnsigned;
        order.sort(Comparator.comparing(leaves::get, unsigned)); // stable, as JavaScript's sort
        byte[][] tree = new byte[2 * n - 1][];
        for (int k = 0; k < n; k++) {
            tree[tree.length - 1 - k] = leaves.get(order.get(k));
            treeIndex[order.get(k)] = tree.length - 1 - k;
        }
        for (int i = tree.length - 1 - n; i >= 0; i--) {
            tree[i] = referenceNode(tree[2 * i + 1], tree[2 * i + 2]);
        }
        return Arrays.asList(tree);
    }

    static void assertMatchesReference(PayoutTree tree) throws IOException {
        int n = tree.size();
        List<String> accounts = new ArrayList<>();
        List<BigInteger> amounts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            accounts.add(tree.values().address(i));
            amounts.add(tree.values().amount(i));
        }
        int[] treeIndex = new int[n];
        List<byte[]> expected = referenceTree(accounts, amounts, treeIndex);
        JsonNode nodes = dump(tree).get("tree");
        assertEquals(expected.size(), nodes.size(), "tree length for " + n);
        for (int t = 0; t < expected.size(); t++) {
            assertEquals(Numeric.toHexString(expected.get(t)), nodes.get(t).asText(), "node " + t + " of " + n);
        }
        assertArrayEquals(expected.get(0), tree.root());
        for (int i = 0; i < n; i++) {
            assertEquals(treeIndex[i], tree.treeIndex(i), "treeIndex of value " + i + " of " + n);
            assertArrayEquals(referenceLeaf(accounts.get(i), amounts.get(i)), PayoutTree.leafHash(accounts.get(i), amounts.get(i)));
            // Proof: siblings from the leaf up, read off the reference array.
            List<String> proof = new ArrayList<>();
            for (int t = treeIndex[i]; t > 0; t = (t - 1) / 2) {
                proof.add(Numeric.toHexString(expected.get(t % 2 == 1 ? t + 1 : t - 1)));
            }
            assertEquals(proof, tree.proofHex(i));
        }
    }

    @Test
    void matchesStraightforwardReimplementation() throws IOException {
        Random random = new Random(9);
        for (int n = 1; n <= 40; n++) {
            assertMatchesReference(PayoutTree.of(randomLeaves(random, n)));
        }
        for (int rep = 0; rep < 10; rep++) {
            assertMatchesReference(PayoutTree.of(randomLeaves(random, 41 + random.nextInt(2000))));
        }
        // Extreme values.
        PayoutLeaves edge = new PayoutLeaves(4);
        edge.add("0x0000000000000000000000000000000000000000", BigInteger.ZERO);
        edge.add("0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", UINT256_MAX);
        edge.add("0x0000000000000000000000000000000000000001", UINT256_MAX);
        assertMatchesReference(PayoutTree.of(edge));
    }

    // ---------------------------------------------------------------- dump and load

    @Test
    void dumpAndLoadRoundTrip() throws IOException {
        Random random = new Random(10);
        for (int n : new int[] {1, 2, 3, 50, 777}) {
            PayoutTree tree = PayoutTree.of(randomLeaves(random, n));
            byte[] bytes = dumpBytes(tree);
            JsonNode json = JSON.readTree(bytes);
            assertEquals("standard-v1", json.get("format").asText());
            assertEquals(JSON.readTree("[\"address\",\"uint256\"]"), json.get("leafEncoding"));
            assertEquals(2 * n - 1, json.get("tree").size());
            assertEquals(n, json.get("values").size());
            for (int i = 0; i < n; i++) {
                JsonNode value = json.get("values").get(i);
                assertEquals(tree.values().address(i), value.get("value").get(0).asText());
                assertTrue(value.get("value").get(1).isTextual(), "amounts are strings");
                assertEquals(tree.values().amount(i).toString(), value.get("value").get(1).asText());
                assertEquals(tree.treeIndex(i), value.get("treeIndex").intValue());
            }

            PayoutTree loaded = PayoutTree.load(new ByteArrayInputStream(bytes));
            assertEquals(tree.rootHex(), loaded.rootHex());
            assertEquals(n, loaded.size());
            for (int i = 0; i < n; i++) {
                assertEquals(tree.values().address(i), loaded.values().address(i), "spelling of value " + i);
                assertEquals(tree.values().amount(i), loaded.values().amount(i));
                assertEquals(tree.treeIndex(i), loaded.treeIndex(i));
                assertEquals(tree.proofHex(i), loaded.proofHex(i));
            }
            assertArrayEquals(bytes, dumpBytes(loaded), "a loaded tree dumps the same bytes");
        }
    }

    @Test
    void dumpKeepsEachSpelling() throws IOException {
        PayoutLeaves leaves = new PayoutLeaves(3);
        leaves.add("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", BigInteger.ONE);
        leaves.add("0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359", BigInteger.TWO);
        leaves.add("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", BigInteger.TEN);
        PayoutTree tree = PayoutTree.of(leaves);
        JsonNode values = dump(tree).get("values");
        assertEquals("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", values.get(0).get("value").get(0).asText());
        assertEquals("0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359", values.get(1).get("value").get(0).asText());
        assertEquals("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", values.get(2).get("value").get(0).asText());
        PayoutTree loaded = load(dump(tree));
        assertEquals("0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359", loaded.values().address(1));
        assertEquals("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", loaded.values().address(2));
    }

    @Test
    void loadRejectsTamperedDumps() throws IOException {
        Random random = new Random(11);
        PayoutTree tree = PayoutTree.of(randomLeaves(random, 21));
        JsonNode original = dump(tree);
        // The control: the unchanged dump, re-serialised by Jackson, loads.
        assertEquals(tree.rootHex(), load(original).rootHex());

        List<Consumer<ObjectNode>> changes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int t : new int[] {0, 1, 9, 19, 20, 40}) { // root, internal nodes, leaves
            names.add("tree node " + t);
            changes.add(d -> {
                ArrayNode nodes = (ArrayNode) d.get("tree");
                byte[] node = Hex.parse32(nodes.get(t).asText());
                node[31] ^= 1;
                nodes.set(t, Hex.of(node));
            });
        }
        names.add("amount");
        changes.add(d -> {
            ArrayNode value = (ArrayNode) d.get("values").get(5).get("value");
            value.set(1, new BigInteger(value.get(1).asText()).add(BigInteger.ONE).toString());
        });
        names.add("account");
        changes.add(d -> ((ArrayNode) d.get("values").get(3).get("value")).set(0, address(new Random(1), 0)));
        names.add("swapped treeIndex");
        changes.add(d -> {
            ObjectNode a = (ObjectNode) d.get("values").get(0);
            ObjectNode b = (ObjectNode) d.get("values").get(1);
            JsonNode ta = a.get("treeIndex");
            a.set("treeIndex", b.get("treeIndex"));
            b.set("treeIndex", ta);
        });
        names.add("treeIndex at an internal node");
        changes.add(d -> ((ObjectNode) d.get("values").get(2)).put("treeIndex", 3));
        names.add("treeIndex past the end");
        changes.add(d -> ((ObjectNode) d.get("values").get(2)).put("treeIndex", 41));
        names.add("format");
        changes.add(d -> d.put("format", "standard-v2"));
        names.add("no format");
        changes.add(d -> d.remove("format"));
        names.add("leafEncoding uint128");
        changes.add(d -> ((ArrayNode) d.get("leafEncoding")).set(1, "uint128"));
        names.add("leafEncoding reversed");
        changes.add(d -> d.set("leafEncoding", JSON.createArrayNode().add("uint256").add("address")));
        names.add("leafEncoding with an extra type");
        changes.add(d -> ((ArrayNode) d.get("leafEncoding")).add("bytes32"));
        names.add("no leafEncoding");
        changes.add(d -> d.remove("leafEncoding"));
        names.add("a value left out");
        changes.add(d -> ((ArrayNode) d.get("values")).remove(20));
        names.add("an extra tree node");
        changes.add(d -> ((ArrayNode) d.get("tree")).add(Hex.of(new byte[32])));
        names.add("a short tree node");
        changes.add(d -> ((ArrayNode) d.get("tree")).set(7, "0x1234"));

        for (int c = 0; c < changes.size(); c++) {
            ObjectNode changed = original.deepCopy();
            changes.get(c).accept(changed);
            assertNotEquals(original, changed, names.get(c));
            assertThrows(IllegalArgumentException.class, () -> load(changed), names.get(c));
        }
    }

    // ---------------------------------------------------------------- rejections

    @Test
    void rejectsRepeatedAddressesInAnySpelling() {
        byte[] raw = Numeric.hexStringToByteArray("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        String[][] pairs = {
                {spell(raw, 0), spell(raw, 0)},
                {spell(raw, 0), spell(raw, 2)},
                {spell(raw, 2), spell(raw, 1)},
                {spell(raw, 1), spell(raw, 0)},
        };
        for (String[] pair : pairs) {
            PayoutLeaves leaves = new PayoutLeaves(2);
            leaves.add(pair[0], BigInteger.ONE);
            leaves.add(pair[1], BigInteger.TWO);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PayoutTree.of(leaves), Arrays.toString(pair));
            assertTrue(e.getMessage().contains("more than once"), e.getMessage());
            assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), e.getMessage());
        }
        // A repeat far apart in a large list, and one among addresses sharing their first bytes.
        Random random = new Random(12);
        PayoutLeaves many = randomLeaves(random, 3000);
        many.add(many.address(17).toLowerCase(Locale.ROOT), BigInteger.ONE);
        for (int i = 0; i < 100; i++) {
            many.add("0x00000000" + String.format("%032x", i), BigInteger.ONE);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PayoutTree.of(many));
        assertTrue(e.getMessage().contains("more than once"), e.getMessage());

        PayoutLeaves sharedPrefix = new PayoutLeaves(200);
        for (int i = 0; i < 200; i++) {
            sharedPrefix.add("0x00000000" + String.format("%032x", i * 7919L), BigInteger.ONE);
        }
        PayoutTree.of(sharedPrefix); // all distinct
        sharedPrefix.add("0x00000000" + String.format("%032X", 150 * 7919L), BigInteger.TEN);
        e = assertThrows(IllegalArgumentException.class, () -> PayoutTree.of(sharedPrefix));
        assertTrue(e.getMessage().contains("more than once"), e.getMessage());
    }

    @Test
    void rejectsBadChecksum() {
        Random random = new Random(13);
        int tested = 0;
        while (tested < 50) {
            String good = address(random, 2);
            String hex = good.substring(2);
            long upper = hex.chars().filter(Character::isUpperCase).count();
            long lower = hex.chars().filter(Character::isLowerCase).count();
            if (upper < 2 || lower < 2) {
                continue;
            }
            // Flip one uppercase letter to lowercase: still mixed case, no longer EIP-55.
            int at = 0;
            while (!Character.isUpperCase(hex.charAt(at))) {
                at++;
            }
            String bad = "0x" + hex.substring(0, at) + Character.toLowerCase(hex.charAt(at)) + hex.substring(at + 1);
            PayoutLeaves leaves = new PayoutLeaves(1);
            leaves.add(good, BigInteger.ONE); // the control
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> leaves.add(bad, BigInteger.ONE), bad);
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
            assertEquals(1, leaves.size(), "a rejected value is not added");
            tested++;
        }
        assertThrows(IllegalArgumentException.class, () -> PayoutTree.leafHash("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", BigInteger.ONE));
    }

    @Test
    void rejectsMalformedAddresses() {
        PayoutLeaves leaves = new PayoutLeaves(1);
        for (String bad : new String[] {"5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae",
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed0", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg",
                "0X5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", " 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae", ""}) {
            assertThrows(IllegalArgumentException.class, () -> leaves.add(bad, BigInteger.ONE), bad);
        }
        assertEquals(0, leaves.size());
    }

    @Test
    void rejectsAmountsOutsideUint256() {
        PayoutLeaves leaves = new PayoutLeaves(1);
        String account = "0x1111111111111111111111111111111111111111";
        assertThrows(IllegalArgumentException.class, () -> leaves.add(account, BigInteger.valueOf(-1)));
        assertThrows(IllegalArgumentException.class, () -> leaves.add(account, BigInteger.ONE.shiftLeft(256)));
        assertThrows(IllegalArgumentException.class, () -> leaves.add(account, BigInteger.ONE.shiftLeft(300)));
        assertEquals(0, leaves.size());
        leaves.add(account, UINT256_MAX);
        leaves.add("0x2222222222222222222222222222222222222222", BigInteger.ZERO);
        leaves.add("0x3333333333333333333333333333333333333333", BigInteger.ONE.shiftLeft(255));
        assertEquals(UINT256_MAX, leaves.amount(0));
        assertEquals(BigInteger.ZERO, leaves.amount(1));
        assertEquals(BigInteger.ONE.shiftLeft(255), leaves.amount(2));
        byte[] encoded = new byte[64];
        leaves.encode(0, encoded, 0);
        assertEquals(TypeEncoder.encode(new Address(account)) + TypeEncoder.encode(new Uint256(UINT256_MAX)),
                Hex.of(encoded).substring(2));
    }

    @Test
    void rejectsEmptyTree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PayoutTree.of(new PayoutLeaves(0)));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }

    @Test
    void leavesGrowPastTheirFirstCapacity() {
        Random random = new Random(14);
        PayoutLeaves leaves = new PayoutLeaves(0);
        List<String> accounts = new ArrayList<>();
        List<BigInteger> amounts = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String account = address(random, random.nextInt(3));
            BigInteger amount = amount(random);
            leaves.add(account, amount);
            accounts.add(account);
            amounts.add(amount);
        }
        assertEquals(5000, leaves.size());
        for (int i = 0; i < 5000; i++) {
            assertEquals(accounts.get(i), leaves.address(i));
            assertEquals(amounts.get(i), leaves.amount(i));
        }
    }

    // ---------------------------------------------------------------- payout files

    @Test
    void readsCsvWithExtraColumnsAndBlankLines(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("payouts.csv");
        Files.writeString(csv, String.join("\n",
                "note, amount ,account,extra",
                "first,5000000000000000000,0x1111111111111111111111111111111111111111,x",
                "",
                "   ",
                "second, 0 , 0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359 ,y",
                "third,115792089237316195423570985008687907853269984665640564039457584007913129639935,"
                        + "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB,",
                "") + "\r\n");
        PayoutLeaves leaves = PayoutFile.read(csv);
        assertEquals(3, leaves.size());
        assertEquals("0x1111111111111111111111111111111111111111", leaves.address(0));
        assertEquals(new BigInteger("5000000000000000000"), leaves.amount(0));
        assertEquals("0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359", leaves.address(1));
        assertEquals(BigInteger.ZERO, leaves.amount(1));
        assertEquals("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", leaves.address(2));
        assertEquals(UINT256_MAX, leaves.amount(2));
        assertEquals("0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283",
                Hex.of(PayoutTree.leafHash(leaves.address(0), leaves.amount(0))));
    }

    @Test
    void readsJsonLinesWithNumericAndStringAmounts(@TempDir Path dir) throws IOException {
        Path jsonl = dir.resolve("payouts.jsonl");
        Files.writeString(jsonl, String.join("\n",
                "{\"account\":\"0x1111111111111111111111111111111111111111\",\"amount\":5000000000000000000}",
                "",
                "{\"amount\":\"42\",\"account\":\"0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359\",\"epoch\":7}",
                "{\"account\":\"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB\",\"amount\":"
                        + "115792089237316195423570985008687907853269984665640564039457584007913129639935}",
                "  {\"account\": \"0x2222222222222222222222222222222222222222\", \"amount\": 0}  ",
                ""));
        PayoutLeaves leaves = PayoutFile.read(jsonl);
        assertEquals(4, leaves.size());
        assertEquals("0x1111111111111111111111111111111111111111", leaves.address(0));
        assertEquals(new BigInteger("5000000000000000000"), leaves.amount(0));
        assertEquals("0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359", leaves.address(1));
        assertEquals(BigInteger.valueOf(42), leaves.amount(1));
        assertEquals("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", leaves.address(2));
        assertEquals(UINT256_MAX, leaves.amount(2));
        assertEquals("0x2222222222222222222222222222222222222222", leaves.address(3));
        assertEquals(BigInteger.ZERO, leaves.amount(3));
    }

    static void assertBadLine(Path dir, String name, String content, int line) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PayoutFile.read(file), content);
        assertTrue(e.getMessage().contains(name + ":" + line + ":"), "expected " + name + ":" + line + " in: " + e.getMessage());
    }

    @Test
    void badLinesAreNamedByFileAndLine(@TempDir Path dir) throws IOException {
        String header = "account,amount\n";
        String good = "0x1111111111111111111111111111111111111111,5\n";
        assertBadLine(dir, "amount.csv", header + good + "\n0x2222222222222222222222222222222222222222,12a\n", 4);
        assertBadLine(dir, "negative.csv", header + "0x2222222222222222222222222222222222222222,-1\n", 2);
        assertBadLine(dir, "empty-amount.csv", header + good + "0x2222222222222222222222222222222222222222,\n", 3);
        assertBadLine(dir, "too-big.csv", header + good + good.replace('1', '3')
                + "0x2222222222222222222222222222222222222222,115792089237316195423570985008687907853269984665640564039457584007913129639936\n", 4);
        assertBadLine(dir, "checksum.csv", header + "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD,1\n", 2);
        assertBadLine(dir, "address.csv", header + good + "0x12345,1\n", 3);
        assertBadLine(dir, "fields.csv", header + good + good + "0x2222222222222222222222222222222222222222\n", 4);
        assertBadLine(dir, "header.csv", "account,value\n" + good, 1);
        assertBadLine(dir, "json.jsonl", "{\"account\":\"0x1111111111111111111111111111111111111111\",\"amount\":1}\n\n{oops\n", 3);
        assertBadLine(dir, "missing.jsonl", "{\"account\":\"0x1111111111111111111111111111111111111111\"}\n", 1);
        assertBadLine(dir, "number-account.jsonl", "{\"account\":1,\"amount\":1}\n", 1);
        assertBadLine(dir, "negative.jsonl", "\n\n{\"account\":\"0x1111111111111111111111111111111111111111\",\"amount\":-3}\n", 3);
        assertBadLine(dir, "text.jsonl", "{\"account\":\"0x1111111111111111111111111111111111111111\",\"amount\":\"1e3\"}\n", 1);

        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "account,amount\n\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PayoutFile.read(empty));
        assertTrue(e.getMessage().contains("no payouts"), e.getMessage());
    }

    @Test
    void writesProofsInInputOrder(@TempDir Path dir) throws IOException {
        Random random = new Random(15);
        PayoutTree tree = PayoutTree.of(randomLeaves(random, 37));
        Path out = dir.resolve("proofs.jsonl");
        PayoutFile.writeProofs(tree, out);
        List<String> lines = Files.readAllLines(out);
        assertEquals(37, lines.size());
        for (int i = 0; i < 37; i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            assertEquals(3, line.size());
            String account = line.get("account").asText();
            assertEquals(tree.values().address(i), account);
            assertTrue(line.get("amount").isTextual());
            BigInteger amount = new BigInteger(line.get("amount").asText());
            assertEquals(tree.values().amount(i), amount);
            List<String> proof = new ArrayList<>();
            line.get("proof").forEach(p -> proof.add(p.asText()));
            assertEquals(tree.proofHex(i), proof);
            assertTrue(PayoutTree.verify(tree.root(), account, amount, parseProof(proof)));
        }
    }

    // ---------------------------------------------------------------- regressions of bugs found and fixed

    @Test
    void jsonLinesRejectsNonIntegerNumbers(@TempDir Path dir) throws IOException {
        // Once read as 1 and 123456789012345680000: a JSON number must be an integer.
        assertBadLine(dir, "fraction.jsonl", "{\"account\":\"0x1111111111111111111111111111111111111111\",\"amount\":1.5}\n", 1);
        assertBadLine(dir, "exponent.jsonl",
                "{\"account\":\"0x1111111111111111111111111111111111111111\",\"amount\":12345678901234567891e1}\n", 1);
    }

    @Test
    void addressesAreAsciiHexOnly() {
        // Character.digit once took 0x + 40 ARABIC-INDIC DIGIT ONE as 0x1111...1111, and fullwidth 'a' as 'a'.
        PayoutLeaves leaves = new PayoutLeaves(1);
        assertThrows(IllegalArgumentException.class, () -> leaves.add("0x" + "\u0661".repeat(40), BigInteger.ONE));
        assertThrows(IllegalArgumentException.class, () -> leaves.add("0x" + "\uff41".repeat(40), BigInteger.ONE));
        assertThrows(IllegalArgumentException.class, () -> Hex.parse32("0x" + "\u0661".repeat(64)));
    }

    @Test
    void keccakRecoversFromAFailedCall() {
        byte[] empty = Hash.sha3(new byte[0]);
        // The input range runs past the array after one full 136-byte block was absorbed:
        // the next hash on this thread was once silently wrong.
        assertThrows(IndexOutOfBoundsException.class, () -> Keccak.hash(new byte[200], 0, 400, new byte[32], 0));
        assertArrayEquals(empty, Keccak.hash(new byte[0]));
        // An output buffer too short: every later hash on this thread once threw
        // IllegalStateException("attempt to absorb while squeezing").
        assertThrows(IndexOutOfBoundsException.class, () -> Keccak.hash(new byte[5], 0, 5, new byte[10], 0));
        assertArrayEquals(empty, Keccak.hash(new byte[0]));
    }
}

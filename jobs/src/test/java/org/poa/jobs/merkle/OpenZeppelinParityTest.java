package org.poa.jobs.merkle;

import org.poa.core.merkle.PayoutFile;

import org.poa.core.merkle.PayoutTree;
import org.poa.core.merkle.PayoutTreeTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.poa.jobs.tools.NodePackages;

/**
 * The same payout file through OpenZeppelin's StandardMerkleTree ({@code node/oz-tree.js}) and through
 * ours: same root, same standard-v1 dump, same proofs; each loads the other's dump; verify agrees.
 */
class OpenZeppelinParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "oz-tree.js";

    private static NodePackages node;

    @BeforeAll
    static void installNode() throws IOException, InterruptedException {
        node = NodePackages.locate();
        node.install();
    }

    /** One payout row. */
    record Row(String account, String amount) {
    }

    static List<Row> random(long seed, int n, int spelling) {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String account = PayoutTreeTest.address(random, spelling < 0 ? random.nextInt(3) : spelling);
            rows.add(new Row(account, PayoutTreeTest.amount(random).toString()));
        }
        return rows;
    }

    static List<Row> withAmount(long seed, int n, BigInteger amount) {
        List<Row> rows = random(seed, n, -1);
        // Every value but the last has the amount under test; the last stays random.
        for (int i = 0; i < n - 1; i++) {
            rows.set(i, new Row(rows.get(i).account(), amount.toString()));
        }
        return rows;
    }

    static Stream<Arguments> cases() {
        BigInteger uint256Max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        return Stream.of(
                Arguments.of("1 leaf", random(101, 1, -1)),
                Arguments.of("1 leaf amount 0", List.of(new Row("0x1111111111111111111111111111111111111111", "0"))),
                Arguments.of("2 leaves", random(102, 2, -1)),
                Arguments.of("3 leaves", random(103, 3, -1)),
                Arguments.of("5 leaves", random(105, 5, -1)),
                Arguments.of("7 leaves", random(107, 7, -1)),
                Arguments.of("33 leaves", random(133, 33, -1)),
                Arguments.of("257 leaves", random(357, 257, -1)),
                Arguments.of("1000 leaves", random(1000, 1000, -1)),
                Arguments.of("amount 0", withAmount(200, 9, BigInteger.ZERO)),
                Arguments.of("amount 10^38-1", withAmount(201, 9, BigInteger.TEN.pow(38).subtract(BigInteger.ONE))),
                Arguments.of("amount 2^256-1", withAmount(202, 9, uint256Max)),
                Arguments.of("EIP-55 addresses", random(300, 24, 2)),
                Arguments.of("UPPERCASE addresses", random(301, 24, 1)),
                Arguments.of("lowercase addresses", random(302, 24, 0)));
    }

    String node(String... args) throws IOException, InterruptedException {
        return node.node(SCRIPT, List.of(args)).strip();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameTreeAsOpenZeppelin(String name, List<Row> rows, @TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.csv");
        StringBuilder csv = new StringBuilder("account,amount\n");
        for (Row row : rows) {
            csv.append(row.account()).append(',').append(row.amount()).append('\n');
        }
        Files.writeString(in, csv);
        Path ozJson = dir.resolve("oz.json");
        Path ozProofs = dir.resolve("oz-proofs.jsonl");
        String ozRoot = node("build", in.toString(), ozJson.toString(), ozProofs.toString());

        PayoutTree tree = PayoutTree.of(PayoutFile.read(in));
        assertEquals(rows.size(), tree.size());
        Path ourJson = dir.resolve("our.json");
        try (OutputStream out = Files.newOutputStream(ourJson)) {
            tree.writeDump(out);
        }
        Path ourProofs = dir.resolve("our-proofs.jsonl");
        PayoutFile.writeProofs(tree, ourProofs);

        // Same root.
        assertTrue(ozRoot.matches("0x[0-9a-f]{64}"), "node printed: " + ozRoot);
        assertEquals(ozRoot, tree.rootHex(), name + ": root");

        // Same dump, part by part (for a readable failure), then as a whole.
        JsonNode oz = JSON.readTree(ozJson.toFile());
        JsonNode ours = JSON.readTree(ourJson.toFile());
        assertEquals(oz.get("format"), ours.get("format"), "format");
        assertEquals(oz.get("leafEncoding"), ours.get("leafEncoding"), "leafEncoding");
        assertEquals(2 * rows.size() - 1, oz.get("tree").size());
        assertEquals(oz.get("tree").size(), ours.get("tree").size(), "tree length");
        for (int t = 0; t < oz.get("tree").size(); t++) {
            assertEquals(oz.get("tree").get(t), ours.get("tree").get(t), name + ": tree node " + t);
        }
        assertEquals(rows.size(), oz.get("values").size());
        assertEquals(oz.get("values").size(), ours.get("values").size(), "values length");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode value = oz.get("values").get(i);
            assertEquals(rows.get(i).account(), value.get("value").get(0).asText(), "OpenZeppelin keeps the spelling");
            assertEquals(value, ours.get("values").get(i), name + ": value " + i);
        }
        assertEquals(oz, ours, name + ": whole dump");

        // Same proofs file, line by line.
        List<String> ozLines = nonBlank(ozProofs);
        List<String> ourLines = nonBlank(ourProofs);
        assertEquals(rows.size(), ozLines.size());
        assertEquals(ozLines.size(), ourLines.size(), "proof lines");
        for (int i = 0; i < ozLines.size(); i++) {
            assertEquals(JSON.readTree(ozLines.get(i)), JSON.readTree(ourLines.get(i)), name + ": proof line " + (i + 1));
        }

        // OpenZeppelin loads (and validates) our dump; we load theirs.
        assertEquals(tree.rootHex(), node("load", ourJson.toString()), "StandardMerkleTree.load of our dump");
        PayoutTree loaded;
        try (InputStream input = Files.newInputStream(ozJson)) {
            loaded = PayoutTree.load(input);
        }
        assertEquals(ozRoot, loaded.rootHex());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i).account(), loaded.values().address(i));
            assertEquals(new BigInteger(rows.get(i).amount()), loaded.values().amount(i));
            assertEquals(tree.treeIndex(i), loaded.treeIndex(i));
        }

        // Verify agrees, for a valid proof and a tampered one.
        Random random = new Random(rows.size());
        int i = random.nextInt(rows.size());
        String account = rows.get(i).account();
        BigInteger amount = new BigInteger(rows.get(i).amount());
        List<String> proof = tree.proofHex(i);
        assertTrue(PayoutTree.verify(tree.root(), account, amount, PayoutTreeTest.parseProof(proof)));
        assertEquals("true", node("verify", tree.rootHex(), account, amount.toString(), String.join(",", proof)), "OZ verify");

        List<String> tampered = new ArrayList<>(proof);
        BigInteger tamperedAmount = amount;
        if (tampered.isEmpty()) {
            tamperedAmount = amount.add(BigInteger.ONE);
        } else {
            int k = random.nextInt(tampered.size());
            String element = tampered.get(k);
            int at = 2 + random.nextInt(64);
            char c = element.charAt(at);
            tampered.set(k, element.substring(0, at) + (c == '0' ? '1' : '0') + element.substring(at + 1));
        }
        assertFalse(PayoutTree.verify(tree.root(), account, tamperedAmount, PayoutTreeTest.parseProof(tampered)));
        assertEquals("false", node("verify", tree.rootHex(), account, tamperedAmount.toString(), String.join(",", tampered)),
                "OZ verify of a tampered proof");
        // OpenZeppelin and we agree the leaf does not depend on the spelling.
        assertTrue(PayoutTree.verify(tree.root(), account.toLowerCase(Locale.ROOT), amount, PayoutTreeTest.parseProof(proof)));
    }

    static List<String> nonBlank(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }
}

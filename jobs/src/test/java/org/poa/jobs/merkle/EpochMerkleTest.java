package org.poa.jobs.merkle;

import org.poa.core.crypto.Hex;

import org.poa.core.merkle.PayoutLeaves;

import org.poa.core.merkle.PayoutTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.poa.jobs.tools.NodePackages;
import org.poa.jobs.rewards.EpochLedger;
import org.poa.jobs.rewards.RewardsAction;
import org.poa.lakehouse.catalog.MerkleRootRow;
import org.poa.lakehouse.catalog.RewardEpochRow;
import org.poa.jobs.rewards.EpochRewards;
import org.poa.jobs.rewards.RewardsWorld;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;

/**
 * The merkle job over the balances of two computed epochs: root, tree dump and proofs against a tree
 * built here from the balances, OpenZeppelin's own loader (node), the recorded input versions,
 * idempotence, a re-computed epoch, and the same root whatever the cores, partitions and input order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EpochMerkleTest extends SparkTestBase {

    private static final RewardsWorld WORLD = RewardsWorld.generate(61, 80);
    private static final List<String> INPUTS = List.of("rewards", "balances", "inferences", "attributions", "models", "votes");

    /** Roots the first test found, for the second to compare against. */
    private static final Map<Long, String> ROOTS = new TreeMap<>();

    @Test
    @Order(1)
    void rootTreeAndProofsMatchTheBalancesAndReRunsWriteNothing() throws Exception {
        Lakehouse lakehouse = newLakehouse("merkle");
        WORLD.write(lakehouse, RewardsWorld.Layout.PLAIN);

        // No rewards yet: the merkle step says what to run first, and writes nothing.
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> EpochMerkle.run(lakehouse, 1, m -> { }));
        assertTrue(early.getMessage().contains("rewards --epoch 1 first"), early.getMessage());
        assertTrue(lakehouse.read(Tables.MERKLE_ROOTS).isEmpty());

        for (long epoch = 1; epoch <= 2; epoch++) {
            assertTrue(new RewardsAction(lakehouse, RewardsWorld.CLOCK, epoch, m -> { }).treasury(WORLD.treasury).execute().written());
        }
        Map<Long, Map<String, BigInteger>> expected = WORLD.expectedBalances(2, WORLD.treasury);
        for (long epoch = 1; epoch <= 2; epoch++) {
            EpochMerkle.Result result = EpochMerkle.run(lakehouse, epoch, m -> { });
            assertTrue(result.written(), "epoch " + epoch);
            Map<String, BigInteger> balances = RewardsWorld.balances(lakehouse, epoch);
            assertEquals(expected.get(epoch), balances, "the rewards step's balances");
            assertEpochTree(lakehouse, epoch, result, balances);
            ROOTS.put(epoch, result.root());
        }
        assertNotEquals(ROOTS.get(1L), ROOTS.get(2L));

        // OpenZeppelin's StandardMerkleTree.load accepts the dump and finds the same root; built by the
        // library from the balances in account order (lowercase hex), its dump is the same bytes.
        NodePackages node = NodePackages.locate();
        String tree = lakehouse.root() + "/epochs/1/tree.json";
        assertEquals(ROOTS.get(1L), node.node("oz-tree.js", List.of("load", tree)).strip());
        StringBuilder csv = new StringBuilder("account,amount\n");
        RewardsWorld.balances(lakehouse, 1).entrySet().stream()
                .sorted(java.util.Comparator.comparing(e -> e.getKey().toLowerCase(java.util.Locale.ROOT)))
                .forEach(e -> csv.append(e.getKey()).append(',').append(e.getValue()).append('\n'));
        Path payouts = write("oz/payouts-1.csv", csv.toString());
        Path ozDump = workDir.resolve("oz/tree-1.json");
        assertEquals(ROOTS.get(1L), node.node("oz-tree.js", List.of("build", payouts.toString(), ozDump.toString())).strip());
        assertEquals(Files.readString(ozDump), Files.readString(Path.of(tree)), "tree.json is byte for byte the library's dump");

        // Re-running writes nothing.
        long rootsVersion = lakehouse.version(Tables.MERKLE_ROOTS);
        long proofsVersion = lakehouse.version(Tables.MERKLE_PROOFS);
        for (long epoch = 1; epoch <= 2; epoch++) {
            EpochMerkle.Result again = EpochMerkle.run(lakehouse, epoch, m -> { });
            assertFalse(again.written(), "epoch " + epoch);
            assertEquals(ROOTS.get(epoch), again.root());
        }
        assertEquals(rootsVersion, lakehouse.version(Tables.MERKLE_ROOTS));
        assertEquals(proofsVersion, lakehouse.version(Tables.MERKLE_PROOFS));

        // An epoch without rewards: the message says to run rewards first.
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> EpochMerkle.run(lakehouse, 3, m -> { }));
        assertTrue(missing.getMessage().contains("epoch 3") && missing.getMessage().contains("poa rewards --epoch 3 first"),
                missing.getMessage());

        // Epoch 2 recomputed after a changed attribution: the merkle step follows the new balances.
        RewardsWorld.Attribution partner = WORLD.hotPartner.get(2L);
        RewardsWorld changed = WORLD.withWeight(partner, 5.0);
        List<Row> rows = changed.attributionRows().stream().filter(r -> r.getString(1).equals(partner.inference())).toList();
        TableWrites.upsert(lakehouse, Tables.ATTRIBUTIONS, spark.createDataFrame(rows, Tables.ATTRIBUTIONS.schema()));
        assertTrue(new RewardsAction(lakehouse, RewardsWorld.CLOCK, 2, m -> { }).treasury(WORLD.treasury).execute().written());
        Map<String, BigInteger> rebalanced = RewardsWorld.balances(lakehouse, 2);
        assertEquals(changed.expectedBalances(2, WORLD.treasury).get(2L), rebalanced);
        EpochMerkle.Result redone = EpochMerkle.run(lakehouse, 2, m -> { });
        assertTrue(redone.written());
        assertNotEquals(ROOTS.get(2L), redone.root());
        assertEpochTree(lakehouse, 2, redone, rebalanced);
        assertEquals(2, lakehouse.read(Tables.MERKLE_ROOTS).count());
    }

    /** Everything the merkle step wrote for one epoch, against a tree built here from the balances. */
    private static void assertEpochTree(Lakehouse lakehouse, long epoch, EpochMerkle.Result result,
                                        Map<String, BigInteger> balances) throws IOException {
        String label = "epoch " + epoch;
        PayoutTree expected = treeOf(balances, new Random(epoch));
        assertEquals(expected.rootHex(), result.root(), label);
        assertEquals(balances.size(), result.leaves(), label);
        BigInteger total = RewardsWorld.total(balances);
        assertEquals(total, result.totalCumulativeWei(), label);

        // merkle_roots: root, leaf count, total and the versions of every input.
        MerkleRootRow stored = EpochMerkle.storedRoot(lakehouse, epoch).orElseThrow();
        assertEquals(expected.rootHex(), stored.root(), label);
        assertEquals(balances.size(), stored.leafCount(), label);
        assertEquals(new BigDecimal(total), stored.totalCumulativeWei(), label);
        Map<String, Long> versions = stored.inputVersions();
        assertTrue(versions.keySet().containsAll(INPUTS), label + ": " + versions);
        RewardEpochRow ledger = new EpochLedger(lakehouse).require(epoch);
        Map<String, Long> recorded = ledger.pinnedVersions();
        assertEquals(new TreeMap<>(recorded), new TreeMap<>(versions), label);

        // tree.json: loads (every node checked) and has the root and exactly the balances.
        Path dump = Path.of(lakehouse.root(), "epochs", Long.toString(epoch), "tree.json");
        PayoutTree loaded;
        try (InputStream in = Files.newInputStream(dump)) {
            loaded = PayoutTree.load(in);
        }
        assertEquals(expected.rootHex(), loaded.rootHex(), label);
        Map<String, BigInteger> values = new TreeMap<>();
        for (int i = 0; i < loaded.size(); i++) {
            values.put(loaded.values().address(i), loaded.values().amount(i));
        }
        assertEquals(balances, values, label);

        // merkle_proofs: one per account, each verifying against the root, each as the tree here gives it.
        byte[] root = Hex.parse32(result.root());
        Map<String, BigInteger> proven = new TreeMap<>();
        int verified = 0;
        for (Row r : lakehouse.read(Tables.MERKLE_PROOFS).where("epoch = " + epoch).collectAsList()) {
            String account = r.getAs("account");
            BigInteger amount = r.<BigDecimal>getAs("cumulative_wei").toBigIntegerExact();
            assertEquals(null, proven.put(account, amount), label + ": two proofs for " + account);
            List<String> proof = r.getList(r.fieldIndex("proof"));
            List<byte[]> hashes = proof.stream().map(Hex::parse32).toList();
            assertTrue(PayoutTree.verify(root, account, amount, hashes), label + ": proof of " + account);
            assertFalse(PayoutTree.verify(root, account, amount.add(BigInteger.ONE), hashes), label + ": proof of " + account + " + 1 wei");
            assertEquals(expected.proofHex(expected.indexOf(account)), proof, label + ": proof of " + account);
            verified++;
        }
        assertEquals(balances, proven, label + ": one proof per balance");
        assertTrue(verified > 10, label + ": proofs to check: " + verified);
    }

    /** The tree of these balances, the values added in a random order (the root must not care). */
    private static PayoutTree treeOf(Map<String, BigInteger> balances, Random order) {
        List<Map.Entry<String, BigInteger>> entries = new ArrayList<>(balances.entrySet());
        Collections.shuffle(entries, order);
        PayoutLeaves leaves = new PayoutLeaves(entries.size());
        entries.forEach(e -> leaves.add(e.getKey(), e.getValue()));
        return PayoutTree.of(leaves);
    }

    @Test
    @Order(2)
    void theRootDoesNotDependOnPartitionsOrInputOrder() {
        // Seven shuffle partitions here (the integration tests compare local Spark with a two-executor
        // cluster).
        spark.conf().set("spark.sql.shuffle.partitions", "7");
        Lakehouse lakehouse = newLakehouse("merkle-single-core");
        WORLD.write(lakehouse, RewardsWorld.Layout.shuffled(17, 2, 3));
        Map<Long, Map<String, BigInteger>> expected = WORLD.expectedBalances(2, WORLD.treasury);
        for (long epoch = 1; epoch <= 2; epoch++) {
            assertTrue(new RewardsAction(lakehouse, RewardsWorld.CLOCK, epoch, m -> { }).treasury(WORLD.treasury).execute().written());
            EpochMerkle.Result result = EpochMerkle.run(lakehouse, epoch, m -> { });
            assertEquals(treeOf(expected.get(epoch), new Random(7 * epoch)).rootHex(), result.root(), "epoch " + epoch);
            if (ROOTS.containsKey(epoch)) {
                assertEquals(ROOTS.get(epoch), result.root(), "epoch " + epoch);
            }
        }
    }
}

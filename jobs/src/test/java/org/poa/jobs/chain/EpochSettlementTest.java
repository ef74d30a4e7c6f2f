package org.poa.jobs.chain;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.poa.jobs.audit.AuditAction;
import org.poa.jobs.merkle.MerkleAction;
import org.poa.jobs.rewards.RewardsAction;
import org.poa.lakehouse.catalog.MerkleRootRow;
import org.poa.lakehouse.catalog.SettlementRow;
import org.poa.jobs.merkle.EpochMerkle;
import org.poa.jobs.rewards.EpochRewards;
import org.poa.jobs.rewards.RewardsWorld;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * settle, claim and audit against a real anvil, on the lakehouse of a generated world with two
 * computed epochs. Ordered: each step builds on the chain state the one before left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EpochSettlementTest extends SparkTestBase {

    static final long CHAIN_ID = 31337;
    static final long DELAY = 600;
    static final RewardsWorld WORLD = RewardsWorld.generate(97, 60);

    static AnvilChain chain;
    static Lakehouse lakehouse;
    static Credentials admin;
    static Credentials settler;
    static Credentials auditor;
    static Credentials treasury;
    static DemoDeployment.Deployed deployed;
    static DistributorContract.Roles ROLES;
    static final DemoDeployment.Delays DELAYS = new DemoDeployment.Delays(DELAY, 0);
    /** Every progress line any step printed: the keys must never be among them. */
    static final List<String> printed = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void worldAndChain() {
        lakehouse = newLakehouse("settle");
        WORLD.write(lakehouse, RewardsWorld.Layout.PLAIN);
        for (long epoch = 1; epoch <= 2; epoch++) {
            new RewardsAction(lakehouse, RewardsWorld.CLOCK, epoch, m -> { }).treasury(WORLD.treasury).execute();
            new MerkleAction(lakehouse, epoch, m -> { }).execute();
        }
        chain = AnvilChain.start(CHAIN_ID);
        admin = Credentials.create(AnvilChain.DEV_KEYS.get(0));
        settler = Credentials.create(AnvilChain.DEV_KEYS.get(1));
        auditor = Credentials.create(AnvilChain.DEV_KEYS.get(2));
        treasury = Credentials.create(AnvilChain.DEV_KEYS.get(3));
        ROLES = new DistributorContract.Roles(admin.getAddress(), settler.getAddress(), auditor.getAddress(), auditor.getAddress());
        try (JsonRpc rpc = rpc(chain.url, CHAIN_ID, null, 5)) {
            deployed = DemoDeployment.deploy(rpc, admin, ROLES, treasury.getAddress(), DELAYS,
                    BigInteger.TEN.pow(40), printed::add);
        }
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
        for (String line : printed) {
            for (String key : AnvilChain.DEV_KEYS) {
                assertFalse(line.contains(key.substring(2)), "a private key was printed: " + line);
            }
        }
    }

    static JsonRpc rpc(String url, long chainId, String distributor, int attempts) {
        return new JsonRpc(new ChainSettings(url, chainId, distributor, 1, attempts, Duration.ofMillis(50), Duration.ofSeconds(60)),
                printed::add);
    }

    static JsonRpc rpc() {
        return rpc(chain.url, CHAIN_ID, deployed.distributor(), 5);
    }

    static EpochSettlement.Result settle(JsonRpc rpc, long epoch, Credentials topUp) {
        return EpochSettlement.run(lakehouse, rpc, epoch, settler, topUp, printed::add);
    }

    static long nonce(Credentials who) throws IOException {
        return chain.web3j.ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.LATEST).send()
                .getTransactionCount().longValueExact();
    }

    static long latestEpoch() {
        try (JsonRpc rpc = rpc()) {
            return new DistributorContract(rpc, deployed.distributor()).latestEpoch();
        }
    }

    @Test
    @Order(1)
    void refusesAWrongChainIdAMissingContractAndAnUnfundedRootBeforeSendingAnything() throws Exception {
        long before = nonce(settler);
        try (JsonRpc wrong = rpc(chain.url, 1, deployed.distributor(), 5)) {
            ChainException e = assertThrows(ChainException.class, () -> settle(wrong, 1, treasury));
            assertTrue(e.getMessage().contains("has chain id 31337, but 1 was configured"), e.getMessage());
        }
        try (JsonRpc nowhere = rpc(chain.url, CHAIN_ID, "0x000000000000000000000000000000000000dEaD", 5)) {
            ChainException e = assertThrows(ChainException.class, () -> settle(nowhere, 1, treasury));
            assertTrue(e.getMessage().startsWith("no EpochRewardsDistributor contract at 0x000000000000000000000000000000000000dEaD"),
                    e.getMessage());
        }
        try (JsonRpc rpc = rpc()) {
            ChainException order = assertThrows(ChainException.class, () -> settle(rpc, 2, treasury));
            assertEquals("the distributor's latest epoch is 0: settle epoch 1 first (roots go on chain in order)", order.getMessage());
            ChainException unfunded = assertThrows(ChainException.class, () -> settle(rpc, 1, null));
            assertTrue(unfunded.getMessage().contains("holds 0 but the new root makes") && unfunded.getMessage().contains("POA_TREASURY_PRIVATE_KEY"),
                    unfunded.getMessage());
            ChainException role = assertThrows(ChainException.class,
                    () -> EpochSettlement.run(lakehouse, rpc, 1, auditor, treasury, printed::add));
            assertTrue(role.getMessage().contains("does not have SETTLER_ROLE"), role.getMessage());
        }
        assertEquals(before, nonce(settler), "nothing was sent");
        assertEquals(0, latestEpoch());
        assertTrue(lakehouse.read(Tables.SETTLEMENTS).isEmpty());
    }

    @Test
    @Order(2)
    void settlingTwiceSendsOneTransactionAndRecordsIt() throws Exception {
        MerkleRootRow stored = EpochMerkle.storedRoot(lakehouse, 1).orElseThrow();
        BigInteger total = stored.totalCumulativeWei().toBigIntegerExact();
        long before = nonce(settler);
        EpochSettlement.Result first;
        try (JsonRpc rpc = rpc()) {
            first = settle(rpc, 1, treasury);
            TokenContract token = new TokenContract(rpc, deployed.token());
            assertEquals(total, token.balanceOf(deployed.distributor()), "topped up to exactly what is claimable");
            assertEquals(total, first.toppedUp());
        }
        assertTrue(first.sent());
        assertEquals(stored.root(), first.root());
        assertEquals(before + 1, nonce(settler));
        long settlementsVersion = lakehouse.version(Tables.SETTLEMENTS);
        var receipt = chain.web3j.ethGetTransactionReceipt(first.txHash()).send().getTransactionReceipt().orElseThrow();
        assertTrue(receipt.isStatusOK());
        assertEquals(first.blockNumber(), receipt.getBlockNumber().longValueExact());
        assertEquals(first.gasUsed(), receipt.getGasUsed().longValueExact());

        EpochSettlement.Result again;
        try (JsonRpc rpc = rpc()) {
            again = settle(rpc, 1, treasury);
            assertEquals(total, new TokenContract(rpc, deployed.token()).balanceOf(deployed.distributor()), "no second top-up");
        }
        assertFalse(again.sent());
        assertEquals(first.txHash(), again.txHash());
        assertEquals(first.blockNumber(), again.blockNumber());
        assertEquals(before + 1, nonce(settler), "the second run sent nothing");
        assertEquals(settlementsVersion, lakehouse.version(Tables.SETTLEMENTS), "and wrote nothing");
        List<Row> rows = lakehouse.read(Tables.SETTLEMENTS).collectAsList();
        assertEquals(1, rows.size());
        Row row = rows.get(0);
        assertEquals(1L, row.<Long>getAs("epoch"));
        assertEquals(first.root(), row.getAs("root"));
        assertEquals(CHAIN_ID, row.<Long>getAs("chain_id"));
        assertEquals(Keys.toChecksumAddress(deployed.distributor()), row.getAs("contract"));
        assertEquals(first.txHash(), row.getAs("tx_hash"));
        assertEquals(first.gasUsed(), row.<Long>getAs("gas_used"));
        assertEquals(SettlementRow.CONFIRMED, row.getAs("status"));
        assertEquals(1, latestEpoch());
    }

    @Test
    @Order(3)
    void aTamperedRootInTheLakehouseIsRefused() throws Exception {
        MerkleRootRow stored = EpochMerkle.storedRoot(lakehouse, 2).orElseThrow();
        String forged = "0x" + "ab".repeat(32);
        Row tampered = new MerkleRootRow(stored.epoch(), forged, stored.leafCount(), stored.totalCumulativeWei(), stored.inputVersions()).toRow();
        TableWrites.upsert(lakehouse, Tables.MERKLE_ROOTS, lakehouse.spark().createDataFrame(List.of(tampered), Tables.MERKLE_ROOTS.schema()));
        long before = nonce(settler);
        try (JsonRpc rpc = rpc()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> settle(rpc, 2, treasury));
            assertTrue(e.getMessage().contains("merkle_roots says root " + forged) && e.getMessage().endsWith("refusing to settle"),
                    e.getMessage());
        } finally {
            Row original = stored.toRow();
            TableWrites.upsert(lakehouse, Tables.MERKLE_ROOTS, lakehouse.spark().createDataFrame(List.of(original), Tables.MERKLE_ROOTS.schema()));
        }
        // A tree.json that disagrees with merkle_roots is refused too.
        Path tree = Path.of(lakehouse.root(), "epochs", "2", "tree.json");
        byte[] original = Files.readAllBytes(tree);
        // Edited by hand: Hadoop's checksum file would give the edit away, so it goes too.
        Files.deleteIfExists(tree.resolveSibling(".tree.json.crc"));
        Files.copy(Path.of(lakehouse.root(), "epochs", "1", "tree.json"), tree, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (JsonRpc rpc = rpc()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> settle(rpc, 2, treasury));
            assertTrue(e.getMessage().contains("tree.json has root") && e.getMessage().endsWith("refusing to settle"), e.getMessage());
        } finally {
            Files.write(tree, original);
        }
        assertEquals(before, nonce(settler));
        assertEquals(1, latestEpoch());
    }

    @Test
    @Order(4)
    void theRpcGoingDownMidSettleFailsClearlyAndARetryFinishesWithoutSendingTwice() throws Exception {
        MerkleRootRow stored = EpochMerkle.storedRoot(lakehouse, 2).orElseThrow();
        BigInteger total = stored.totalCumulativeWei().toBigIntegerExact();
        BigInteger treasuryBefore;
        long before = nonce(settler);
        long treasuryNonce = nonce(treasury);
        try (FlakyProxy proxy = new FlakyProxy(chain.url);
             JsonRpc flaky = rpc(proxy.url, CHAIN_ID, deployed.distributor(), 3);
             JsonRpc direct = rpc()) {
            treasuryBefore = new TokenContract(direct, deployed.token()).balanceOf(treasury.getAddress());
            // The endpoint disappears right after it forwards the first transaction (the top-up):
            // the job cannot see its receipt and fails in one line.
            ChainException down = assertThrows(ChainException.class, () -> settle(flaky, 2, treasury));
            assertTrue(down.getMessage().startsWith("the chain at " + proxy.url + " did not answer")
                    && down.getMessage().contains("after 3 attempts"), down.getMessage());
            assertTrue(proxy.stopped.get(), "the proxy went down after the first transaction");
            assertEquals(1, latestEpoch(), "the root was not sent");

            EpochSettlement.Result retry = settle(direct, 2, treasury);
            assertTrue(retry.sent());
            assertEquals(BigInteger.ZERO, retry.toppedUp(), "the first run's top-up went through; no second one");
            TokenContract token = new TokenContract(direct, deployed.token());
            assertEquals(total, token.balanceOf(deployed.distributor()));
            assertEquals(treasuryBefore.subtract(total.subtract(EpochMerkle.storedRoot(lakehouse, 1).orElseThrow()
                    .totalCumulativeWei().toBigIntegerExact())), token.balanceOf(treasury.getAddress()));
        }
        assertEquals(treasuryNonce + 1, nonce(treasury), "one top-up transaction in all");
        assertEquals(before + 1, nonce(settler), "one submitRoot in all");
        assertEquals(2, latestEpoch());
        assertEquals(2, lakehouse.read(Tables.SETTLEMENTS).count());
    }

    @Test
    @Order(5)
    void aDifferentRootAlreadyOnChainFailsLoudly() throws Exception {
        // A second distributor whose epoch 1 got some other root: settling our epoch 1 there is refused.
        DemoDeployment.Deployed other;
        try (JsonRpc rpc = rpc(chain.url, CHAIN_ID, null, 5)) {
            other = DemoDeployment.deploy(rpc, admin, ROLES, treasury.getAddress(), DELAYS,
                    BigInteger.ONE, printed::add);
            String bogus = "0x" + "cd".repeat(32);
            new TransactionSender(rpc, printed::add).send(settler, other.distributor(),
                    DistributorContract.submitRoot(1, bogus, BigInteger.ONE), "bogus submitRoot");
        }
        try (JsonRpc rpc = rpc(chain.url, CHAIN_ID, other.distributor(), 5)) {
            ChainException e = assertThrows(ChainException.class, () -> settle(rpc, 1, treasury));
            assertTrue(e.getMessage().startsWith("epoch 1 is on chain with root 0x" + "cd".repeat(32) + " but the lakehouse has "
                    + EpochMerkle.storedRoot(lakehouse, 1).orElseThrow().root() + ": refusing to settle"), e.getMessage());
            // A mined revert is explained in one line with the contract's error and its arguments.
            ChainException revert = assertThrows(ChainException.class, () -> new TransactionSender(rpc, printed::add).send(settler,
                    other.distributor(), DistributorContract.submitRoot(5, "0x" + "cd".repeat(32), BigInteger.ONE), "submitRoot(epoch 5)"));
            assertEquals("submitRoot(epoch 5) would revert: EpochOutOfOrder(expected=2, given=5)", revert.getMessage());
        }
    }

    @Test
    @Order(6)
    void claimsPayOnceWithTheStoredProofsAfterActivation() throws Exception {
        Row richest = lakehouse.read(Tables.MERKLE_PROOFS).where(col("epoch").equalTo(2))
                .orderBy(col("cumulative_wei").desc(), col("account")).head();
        String account = richest.getString(1).toLowerCase(java.util.Locale.ROOT);
        BigInteger amount = richest.getDecimal(2).toBigIntegerExact();
        Credentials stranger = Credentials.create("0x" + "11".repeat(32));
        try (JsonRpc rpc = rpc()) {
            ChainException early = assertThrows(ChainException.class,
                    () -> EpochClaim.run(lakehouse, rpc, 2, account, admin, Duration.ZERO, printed::add));
            assertTrue(early.getMessage().startsWith("epoch 2 is not active yet: it activates at"), early.getMessage());
            chain.advance(DELAY + 1);
            ChainException old = assertThrows(ChainException.class,
                    () -> EpochClaim.run(lakehouse, rpc, 1, account, admin, Duration.ZERO, printed::add));
            assertEquals("epoch 1 is no longer the active root (epoch 2 is): claim with --epoch 2", old.getMessage());
            IllegalArgumentException nobody = assertThrows(IllegalArgumentException.class,
                    () -> EpochClaim.run(lakehouse, rpc, 2, stranger.getAddress(), admin, Duration.ZERO, printed::add));
            assertTrue(nobody.getMessage().startsWith("account " + stranger.getAddress() + " has no balance in epoch 2"), nobody.getMessage());

            // Anyone may send it (here the auditor's key); the account is paid its whole cumulative amount.
            EpochClaim.Result paid = EpochClaim.run(lakehouse, rpc, 2, account, auditor, Duration.ZERO, printed::add);
            assertEquals(amount, paid.paid());
            TokenContract token = new TokenContract(rpc, deployed.token());
            assertEquals(amount, token.balanceOf(account));
            EpochClaim.Result twice = EpochClaim.run(lakehouse, rpc, 2, account, auditor, Duration.ZERO, printed::add);
            assertNull(twice.txHash(), "nothing due the second time");
            assertEquals(amount, token.balanceOf(account));
            assertEquals(amount, new DistributorContract(rpc, deployed.distributor()).claimed(account));
        }
    }

    @Test
    @Order(7)
    void theAuditRecomputesTheEpochAndComparesItWithTheStoredRowsTheTreeAndTheChain() throws Exception {
        try (JsonRpc rpc = rpc()) {
            List<AuditAction.Check> checks = new AuditAction(lakehouse, RewardsWorld.CLOCK, 2, printed::add).chain(rpc).execute().checks();
            assertEquals(List.of("merkle_roots", "reward_epochs", "rewards", "fees = rewards", "balances", "root", "tree.json", "chain"),
                    checks.stream().map(AuditAction.Check::name).toList());
            assertTrue(checks.stream().allMatch(AuditAction.Check::passed), checks.toString());

            // The stored tree altered: that check fails, the others still pass.
            Path tree = Path.of(lakehouse.root(), "epochs", "1", "tree.json");
            byte[] original = Files.readAllBytes(tree);
            Files.deleteIfExists(tree.resolveSibling(".tree.json.crc"));
            Files.writeString(tree, new String(original, StandardCharsets.UTF_8).replaceFirst("\"0x", "\"0X"));
            try {
                List<AuditAction.Check> altered = new AuditAction(lakehouse, RewardsWorld.CLOCK, 1, printed::add).chain(rpc).execute().checks();
                assertEquals(List.of("tree.json"), altered.stream().filter(c -> !c.passed()).map(AuditAction.Check::name).toList(),
                        altered.toString());
            } finally {
                Files.write(tree, original);
            }
        }
        // Against a distributor that holds another root for epoch 1, the chain check fails.
        try (JsonRpc rpc = rpc()) {
            String otherDistributor;
            try (JsonRpc plain = rpc(chain.url, CHAIN_ID, null, 5)) {
                DemoDeployment.Deployed other = DemoDeployment.deploy(plain, admin, ROLES,
                        treasury.getAddress(), DELAYS, BigInteger.ONE, printed::add);
                new TransactionSender(plain, printed::add).send(settler, other.distributor(),
                        DistributorContract.submitRoot(1, "0x" + "ef".repeat(32), BigInteger.ONE), "bogus submitRoot");
                otherDistributor = other.distributor();
            }
            try (JsonRpc elsewhere = rpc(chain.url, CHAIN_ID, otherDistributor, 5)) {
                List<AuditAction.Check> checks = new AuditAction(lakehouse, RewardsWorld.CLOCK, 1, printed::add).chain(elsewhere).execute().checks();
                assertEquals(List.of("chain"), checks.stream().filter(c -> !c.passed()).map(AuditAction.Check::name).toList(), checks.toString());
            }
        }
    }

    @Test
    @Order(8)
    void keysComeFromAKeystoreFileAndErrorsNeverShowThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Credentials key = Credentials.create(AnvilChain.DEV_KEYS.get(3));
        String file = WalletUtils.generateWalletFile("correct horse", key.getEcKeyPair(), dir.toFile(), false);
        Path password = dir.resolve("password.txt");
        Files.writeString(password, "correct horse\n");
        assertEquals(key.getAddress(), SigningKeys.load(java.util.Map.of(), "POA_NO_SUCH_VARIABLE", dir.resolve(file), password).getAddress());
        Files.writeString(password, "wrong");
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> SigningKeys.load(java.util.Map.of(), "POA_NO_SUCH_VARIABLE", dir.resolve(file), password));
        assertEquals("cannot decrypt the keystore " + dir.resolve(file) + ": wrong password or damaged file", wrong.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> SigningKeys.load(java.util.Map.of(), "POA_NO_SUCH_VARIABLE", null, null));
        assertEquals("no signing key: set POA_NO_SUCH_VARIABLE or pass --keystore FILE --password-file FILE", none.getMessage());
        String almost = AnvilChain.DEV_KEYS.get(0).substring(0, 60);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromHex("POA_PRIVATE_KEY", almost));
        assertEquals("POA_PRIVATE_KEY is not a private key (64 hex digits)", bad.getMessage());
    }

    @Test
    @Order(9)
    void transactionsWaitForTheirConfirmationsAndGiveUpInOneLineWhenNoneCome() throws Exception {
        String to = "0x2222222222222222222222222222222222222222";
        try (JsonRpc rpc = new JsonRpc(new ChainSettings(chain.url, CHAIN_ID, null, 3, 5, Duration.ofMillis(50), Duration.ofSeconds(60)),
                printed::add)) {
            // Anvil mines a block per transaction only: a second and third block come from this thread.
            AtomicBoolean done = new AtomicBoolean();
            Thread miner = new Thread(() -> {
                while (!done.get()) {
                    try {
                        Thread.sleep(300);
                        chain.mine();
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            miner.start();
            TransactionSender.Mined mined;
            try {
                mined = new TransactionSender(rpc, printed::add).send(treasury, deployed.token(),
                        TokenContract.transfer(to, BigInteger.ONE), "transfer");
            } finally {
                done.set(true);
                miner.join();
            }
            long head = chain.web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
            assertTrue(head >= mined.blockNumber() + 2, "returned at block " + head + " for a transaction in " + mined.blockNumber());
        }
        try (JsonRpc rpc = new JsonRpc(new ChainSettings(chain.url, CHAIN_ID, null, 3, 5, Duration.ofMillis(50), Duration.ofSeconds(2)),
                printed::add)) {
            ChainException e = assertThrows(ChainException.class, () -> new TransactionSender(rpc, printed::add).send(treasury,
                    deployed.token(), TokenContract.transfer(to, BigInteger.ONE), "transfer"));
            assertTrue(e.getMessage().matches("transfer \\(0x[0-9a-f]{64}\\) was not mined and confirmed within 2 s; it may still be: re-run to pick it up"),
                    e.getMessage());
        }
    }

    @Test
    @Order(10)
    void theDeployCommandPutsADistributorForAnExistingTokenWithTheGivenRoles() throws Exception {
        Path dir = Files.createTempDirectory("deploy-key");
        String file = WalletUtils.generateWalletFile("deployer", admin.getEcKeyPair(), dir.toFile(), false);
        Files.writeString(dir.resolve("password"), "deployer\n");
        List<String> chainArgs = List.of("--rpc-url", chain.url, "--chain-id", Long.toString(CHAIN_ID),
                "--keystore", dir.resolve(file).toString(), "--password-file", dir.resolve("password").toString());

        String[] out = new String[1];
        List<String> roles = List.of("--settler", settler.getAddress(), "--auditor", auditor.getAddress());
        // Outside --dev: three different accounts, and delays no shorter than their minimums.
        assertEquals(1, captured(out, concat(List.of("deploy", "--token", deployed.token()), chainArgs)));
        assertTrue(out[0].strip().endsWith("poa: --settler is required (or --dev for a development deployment)"), out[0]);
        assertEquals(1, captured(out, concat(List.of("deploy", "--token", deployed.token(), "--settler", admin.getAddress(),
                "--auditor", auditor.getAddress()), chainArgs)));
        assertTrue(out[0].contains("must be three different accounts"), out[0]);
        assertEquals(1, captured(out, concat(List.of("deploy", "--token", deployed.token(), "--settler", settler.getAddress(),
                "--auditor", settler.getAddress()), chainArgs)));
        assertTrue(out[0].contains("must be three different accounts"), out[0]);
        assertEquals(1, captured(out, concat(concat(List.of("deploy", "--token", deployed.token(), "--activation-delay", "0"), roles),
                chainArgs)));
        assertTrue(out[0].strip().endsWith("poa: --activation-delay 0 is under the minimum of 3600 s, which leaves the auditor no time"
                + " to revoke a wrong root (--dev allows it on development chains)"), out[0]);
        assertEquals(1, captured(out, concat(concat(List.of("deploy", "--token", deployed.token(), "--admin-transfer-delay", "60"), roles),
                chainArgs)));
        assertTrue(out[0].contains("--admin-transfer-delay 60 is under the minimum of 86400 s"), out[0]);
        assertEquals(1, captured(out, concat(concat(List.of("deploy", "--token", deployed.token(), "--guardian",
                "0x0000000000000000000000000000000000000000"), roles), chainArgs)));
        assertTrue(out[0].strip().endsWith("poa: --guardian is the zero address, which nobody can sign for"), out[0]);
        assertEquals(1, captured(out, concat(concat(List.of("deploy", "--token", deployed.token(), "--guardian", settler.getAddress()),
                roles), chainArgs)));
        assertTrue(out[0].contains("--guardian must not be the settler"), out[0]);

        int code = captured(out, concat(concat(List.of("deploy", "--token", deployed.token(), "--activation-delay", "3601",
                "--guardian", treasury.getAddress()), roles), chainArgs));
        assertEquals(0, code, out[0]);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out[0]);
        assertEquals(CHAIN_ID, json.path("chain_id").asLong());
        assertEquals(deployed.token(), json.path("token").asText());
        try (JsonRpc rpc = rpc()) {
            DistributorContract fresh = new DistributorContract(rpc, json.path("distributor").asText());
            assertEquals(Keys.toChecksumAddress(deployed.token()), Keys.toChecksumAddress(fresh.token()));
            assertEquals(3601, fresh.activationDelay());
            assertEquals(0, fresh.latestEpoch());
            assertFalse(fresh.paused());
            assertEquals(admin.getAddress(), fresh.defaultAdmin().toLowerCase(java.util.Locale.ROOT));
            assertTrue(fresh.hasRole(DistributorContract.SETTLER_ROLE, settler.getAddress()));
            assertTrue(fresh.hasRole(DistributorContract.AUDITOR_ROLE, auditor.getAddress()));
            assertTrue(fresh.hasRole(DistributorContract.GUARDIAN_ROLE, treasury.getAddress()));
            assertFalse(fresh.hasRole(DistributorContract.SETTLER_ROLE, admin.getAddress()));
            assertFalse(fresh.hasRole(DistributorContract.AUDITOR_ROLE, admin.getAddress()));
        }

        int noToken = captured(out, concat(concat(List.of("deploy", "--token", "0x000000000000000000000000000000000000dEaD"), roles),
                chainArgs));
        assertEquals(1, noToken);
        assertTrue(out[0].strip().endsWith("poa: no token contract at 0x000000000000000000000000000000000000dEaD on chain 31337 ("
                + chain.url + ")"), out[0]);
        int badSettler = captured(out, concat(List.of("deploy", "--demo-token", "--settler", "0x12"), chainArgs));
        assertEquals(1, badSettler);
        assertTrue(out[0].strip().endsWith("poa: --settler 0x12 is not an Ethereum address"), out[0]);
    }

    @Test
    @Order(11)
    void theWatcherRevokesATamperedPendingRootAndClaimsAgainstItNeverPay() throws Exception {
        String attacker = Credentials.create("0x" + "42".repeat(32)).getAddress();
        BigInteger loot = BigInteger.TEN.pow(18);
        org.poa.core.merkle.PayoutLeaves leaves = new org.poa.core.merkle.PayoutLeaves(1);
        leaves.add(attacker, loot);
        org.poa.core.merkle.PayoutTree tampered = org.poa.core.merkle.PayoutTree.of(leaves);
        String recomputed = EpochMerkle.storedRoot(lakehouse, 1).orElseThrow().root();
        String other;
        try (JsonRpc plain = rpc(chain.url, CHAIN_ID, null, 5)) {
            TransactionSender sender = new TransactionSender(plain, printed::add);
            other = DemoDeployment.deploy(plain, admin, ROLES, treasury.getAddress(), DELAYS, BigInteger.ONE, printed::add).distributor();
            sender.send(treasury, deployed.token(), TokenContract.transfer(other, loot), "funding");
            // The settler's key (or its lakehouse) is compromised: a root paying the attacker goes on chain.
            sender.send(settler, other, DistributorContract.submitRoot(1, tampered.rootHex(), loot), "tampered submitRoot");
        }
        org.poa.jobs.testkit.Poa asAuditor = org.poa.jobs.testkit.Poa.inProcess().env("POA_PRIVATE_KEY", AnvilChain.DEV_KEYS.get(2))
                .global("--lakehouse", lakehouse.root());
        List<String> on = List.of("--rpc-url", chain.url, "--chain-id", Long.toString(CHAIN_ID), "--distributor");

        org.poa.jobs.testkit.PoaRun watched = asAuditor.run(concat(List.of("watch", "--once"), concat(on, List.of(other)))
                .toArray(String[]::new));
        assertEquals(0, watched.code(), watched.describe());
        assertTrue(watched.out().contains("epoch 1: revoked: root " + tampered.rootHex() + " on chain, recomputed " + recomputed
                + ": revoked in 0x"), watched.out());
        try (JsonRpc rpc = rpc(chain.url, CHAIN_ID, other, 5)) {
            DistributorContract distributor = new DistributorContract(rpc, other);
            assertEquals(0, distributor.latestEpoch());
            assertEquals("0x" + "00".repeat(32), distributor.epochRoot(1));
            chain.advance(DELAY + 1);
            Credentials anyone = Credentials.create(AnvilChain.DEV_KEYS.get(5));
            ChainException refused = assertThrows(ChainException.class, () -> new TransactionSender(rpc, printed::add).send(anyone, other,
                    DistributorContract.claim(attacker, loot, tampered.proofHex(0)), "claim of the tampered root"));
            assertTrue(refused.getMessage().contains("NoActiveRoot()"), refused.getMessage());
            assertEquals(BigInteger.ZERO, new TokenContract(rpc, deployed.token()).balanceOf(attacker));
            assertEquals(loot, new TokenContract(rpc, deployed.token()).balanceOf(other), "the distributor still holds the funds");

            // This lakehouse settles on its first distributor only: settling here is refused before anything is sent.
            long before = nonce(settler);
            ChainException bound = assertThrows(ChainException.class, () -> settle(rpc, 1, treasury));
            assertTrue(bound.getMessage().startsWith("this lakehouse settles on the distributor " + Keys.toChecksumAddress(deployed.distributor())
                    + " on chain " + CHAIN_ID + " (settlements): refusing to settle on " + Keys.toChecksumAddress(other)), bound.getMessage());
            assertEquals(before, nonce(settler));
        }
        org.poa.jobs.testkit.PoaRun again = asAuditor.run(concat(List.of("watch", "--once"), concat(on, List.of(other))).toArray(String[]::new));
        assertEquals(0, again.code(), again.describe());
        assertTrue(again.out().contains("nothing pending: no root on chain"), again.out());

        // An honest pending root is confirmed and left alone; a key without AUDITOR_ROLE cannot revoke it.
        String third;
        try (JsonRpc plain = rpc(chain.url, CHAIN_ID, null, 5)) {
            third = DemoDeployment.deploy(plain, admin, ROLES, treasury.getAddress(), DELAYS, BigInteger.ONE, printed::add).distributor();
            new TransactionSender(plain, printed::add).send(settler, third, DistributorContract.submitRoot(1, recomputed, BigInteger.ONE),
                    "honest submitRoot");
        }
        org.poa.jobs.testkit.PoaRun honest = asAuditor.run(concat(List.of("watch", "--once"), concat(on, List.of(third))).toArray(String[]::new));
        assertEquals(0, honest.code(), honest.describe());
        assertTrue(honest.out().contains("epoch 1: confirmed: root " + recomputed + " is the recomputed one"), honest.out());
        org.poa.jobs.testkit.PoaRun stranger = org.poa.jobs.testkit.Poa.inProcess().env("POA_PRIVATE_KEY", AnvilChain.DEV_KEYS.get(5))
                .run(concat(List.of("revoke", "--epoch", "1"), concat(on, List.of(third))).toArray(String[]::new));
        assertEquals(1, stranger.code());
        assertTrue(stranger.errorLine().contains("does not have AUDITOR_ROLE on the distributor"), stranger.describe());
        String stale = "0x" + "ab".repeat(32);
        org.poa.jobs.testkit.PoaRun notThatRoot = asAuditor.run(concat(List.of("revoke", "--epoch", "1", "--root", stale),
                concat(on, List.of(third))).toArray(String[]::new));
        assertEquals(0, notThatRoot.code(), notThatRoot.describe());
        assertTrue(notThatRoot.out().contains("epoch 1 has root " + recomputed + ", not " + stale + ": nothing sent"), notThatRoot.out());
        try (JsonRpc rpc = rpc(chain.url, CHAIN_ID, third, 5)) {
            assertEquals(1, new DistributorContract(rpc, third).latestEpoch());
        }

        // revoke: an active root is refused; an epoch with no root sends nothing.
        org.poa.jobs.testkit.PoaRun late = asAuditor.run(concat(List.of("revoke", "--epoch", "2"), concat(on, List.of(deployed.distributor())))
                .toArray(String[]::new));
        assertEquals(1, late.code());
        assertTrue(late.errorLine().contains("activated at") && late.errorLine().contains("too late to revoke"), late.describe());
        org.poa.jobs.testkit.PoaRun none = asAuditor.run(concat(List.of("revoke", "--epoch", "3"), concat(on, List.of(deployed.distributor())))
                .toArray(String[]::new));
        assertEquals(0, none.code(), none.describe());
        assertTrue(none.out().contains("epoch 3 has no root on chain (never submitted, or already revoked): nothing sent"), none.out());

        // The auditor needs only the RPC URL: chain id and distributor come from settlements, and the output says which.
        org.poa.jobs.testkit.PoaRun audit = org.poa.jobs.testkit.Poa.inProcess().global("--lakehouse", lakehouse.root())
                .run("audit", "--epoch", "2", "--rpc-url", chain.url);
        assertEquals(0, audit.code(), audit.describe());
        assertTrue(audit.out().contains("chain " + CHAIN_ID + " at " + chain.url + ", distributor " + Keys.toChecksumAddress(deployed.distributor())),
                audit.out());
        assertTrue(audit.out().contains("PASS chain: "), audit.out());

        // Read-only SQL works on a lakehouse with tables (their views are registered before paths are switched off).
        org.poa.jobs.testkit.PoaRun sql = org.poa.jobs.testkit.Poa.inProcess().global("--lakehouse", lakehouse.root())
                .run("sql", "SELECT count(*) AS n FROM settlements", "--format", "csv");
        assertEquals("n\n2\n", sql.ok().out().replace("\r", ""));
    }

    @Test
    @Order(12)
    void aTopUpNeverExceedsTheEpochsIncrement() throws Exception {
        try (JsonRpc plain = rpc(chain.url, CHAIN_ID, null, 5)) {
            DemoDeployment.Deployed fresh = DemoDeployment.deploy(plain, admin, ROLES, treasury.getAddress(), DELAYS,
                    BigInteger.valueOf(1_000_000), printed::add);
            DistributorContract distributor = new DistributorContract(plain, fresh.distributor());
            TransactionSender sender = new TransactionSender(plain, printed::add);
            TokenContract token = new TokenContract(plain, fresh.token());
            long nonce = nonce(treasury);
            // A root making 1000 claimable on an empty distributor, but the epoch adds only 10: a person must look.
            ChainException refused = assertThrows(ChainException.class, () -> EpochSettlement.fund(plain, distributor, sender,
                    BigInteger.valueOf(1_000), BigInteger.TEN, treasury, printed::add));
            assertTrue(refused.getMessage().contains("needs 1000 more of token") && refused.getMessage().contains(
                    "but this epoch adds only 10: refusing a top-up larger than the epoch's increment"), refused.getMessage());
            assertEquals(nonce, nonce(treasury), "nothing sent");
            assertEquals(BigInteger.ZERO, token.balanceOf(fresh.distributor()));

            assertEquals(BigInteger.valueOf(1_000), EpochSettlement.fund(plain, distributor, sender, BigInteger.valueOf(1_000),
                    BigInteger.valueOf(1_000), treasury, printed::add));
            assertEquals(BigInteger.valueOf(1_000), token.balanceOf(fresh.distributor()));
            assertEquals(BigInteger.ZERO, EpochSettlement.fund(plain, distributor, sender, BigInteger.valueOf(1_000),
                    BigInteger.valueOf(1_000), treasury, printed::add), "funded: no second top-up");
            assertEquals(nonce + 1, nonce(treasury));
        }
    }

    /** Runs the command line in this JVM; {@code out[0]} gets stdout when it succeeds, else stderr. */
    private static int captured(String[] out, List<String> args) throws Exception {
        org.poa.jobs.testkit.PoaRun run = org.poa.jobs.testkit.Poa.inProcess().run(args.toArray(String[]::new));
        out[0] = run.code() == 0 ? run.out() : run.err();
        return run.code();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * A JSON-RPC forwarder that goes away (stops listening) right after it forwards the first
     * eth_sendRawTransaction: the node is gone while the job waits for the receipt.
     */
    static final class FlakyProxy implements AutoCloseable {
        final String url;
        final AtomicBoolean stopped = new AtomicBoolean();
        private final HttpServer server;
        private final HttpClient client = HttpClient.newHttpClient();
        private final AtomicInteger sends = new AtomicInteger();

        FlakyProxy(String target) throws IOException {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/", exchange -> {
                if (stopped.get()) {
                    exchange.close();
                    return;
                }
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                try {
                    HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(URI.create(target))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer.body());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.close();
                }
                if (new String(body, StandardCharsets.UTF_8).contains("eth_sendRawTransaction") && sends.incrementAndGet() == 1) {
                    stopped.set(true);
                    new Thread(() -> server.stop(0)).start();
                }
            });
            server.start();
            url = "http://127.0.0.1:" + port;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}

package org.poa.jobs;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poa.jobs.testkit.Poa;
import org.poa.jobs.testkit.PoaRun;

/**
 * After packaging: the application jar holds what spark-submit needs and nothing Spark already
 * ships, and bin/poa runs the product from it as a user would.
 */
class LauncherIT {

    static final Path JAR = Poa.ROOT.resolve("jobs/target/poa-jobs-0.1.0-SNAPSHOT-app.jar");

    @TempDir
    Path dir;

    /** bin/poa in the test's folder, under the plainest locale: output must not depend on it. */
    Poa launcher() {
        return Poa.launcher().dir(dir).env("LANG", "C");
    }

    @Test
    void applicationJarBundlesDeltaButNotSpark() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertNotNull(jar.getEntry("org/poa/jobs/cli/PoaMain.class"));
            assertNotNull(jar.getEntry("io/delta/tables/DeltaTable.class"), "Delta is bundled");
            assertNotNull(jar.getEntry("picocli/CommandLine.class"));
            assertNotNull(jar.getEntry("org/web3j/crypto/Hash.class"));
            assertNotNull(jar.getEntry("org/apache/hadoop/fs/s3a/S3AFileSystem.class"), "the S3A connector is bundled");
            assertNotNull(jar.getEntry("org/poa/shaded/org/bouncycastle/jcajce/provider/digest/Keccak.class"),
                    "BouncyCastle is relocated");
            assertNull(jar.getEntry("org/bouncycastle/jcajce/provider/digest/Keccak.class"));
            assertNull(jar.getEntry("org/apache/spark/SparkContext.class"), "Spark is not bundled");
            assertNull(jar.getEntry("scala/Option.class"), "Scala is not bundled");
            assertNull(jar.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class"), "Spark's Jackson is used");
            assertNull(jar.getEntry("io/netty/channel/Channel.class"), "Spark's Netty is used");
            assertNull(jar.getEntry("org/apache/hadoop/fs/FileSystem.class"), "Spark's Hadoop client is used");
            assertNotNull(jar.getEntry("org/poa/shaded/okhttp3/OkHttpClient.class"), "web3j's OkHttp is relocated");
            assertNull(jar.getEntry("okhttp3/OkHttpClient.class"));
            assertNull(jar.getEntry("kotlin/Unit.class"), "so is Kotlin's standard library");
            assertNotNull(jar.getEntry("contracts/EpochRewardsDistributor.bin"), "the demo deploys the compiled contract");
            assertNotNull(jar.getEntry("contracts/EpochRewardsDistributor.abi"));
            assertEquals("org.poa.jobs.cli.PoaMain", jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }

    /**
     * The README's first command, as a user runs it: {@code bin/poa demo} in an empty folder (the default
     * lakehouse is ./lakehouse, the chain's state and demo.json go there too), under LANG=C. What needs
     * no process of its own (queries, proofs, the idempotent second demo) then runs in this JVM.
     */
    @Test
    void binPoaRunsTheDemoAndAnswersQueries() throws Exception {
        PoaRun demo = launcher().run("demo", "--contributions", "150", "--inferences", "200").ok();
        assertTrue(demo.out().contains("ingest inferences: read 200 = accepted"), demo.out());
        assertTrue(Files.isDirectory(dir.resolve("lakehouse/contributions/_delta_log")), "the default lakehouse is ./lakehouse");
        assertTrue(Files.isRegularFile(dir.resolve("demo.json")), "demo.json goes to the working folder");
        assertTrue(Files.isRegularFile(dir.resolve("anvil-state.json")), "and so does the chain's state");
        assertTrue(demo.out().contains("contribution status now:"), demo.out());
        assertTrue(demo.out().contains("fa-poetry"), demo.out());
        assertTrue(demo.out().contains("top ngram contributions of epoch 2"), demo.out());
        assertTrue(demo.out().matches("(?s).*model sentiment-clf: trained on \\d+ examples.*"), "the demo trains its classifier");
        assertTrue(demo.out().contains("top gradient contributions of epoch 2"), demo.out());
        // The pages people open (their contents and the browser: ReportIT).
        assertTrue(demo.out().contains("epoch report: " + dir.resolve("epoch-2.html").toAbsolutePath().normalize()), demo.out());
        java.util.regex.Matcher statement = java.util.regex.Pattern.compile("contributor statement: (\\S+/account-0x[0-9a-fA-F]{40}\\.html)")
                .matcher(demo.out());
        assertTrue(statement.find() && Files.isRegularFile(Path.of(statement.group(1))), demo.out());
        assertTrue(Files.readString(dir.resolve("epoch-2.html")).contains("\"kind\":\"epoch\""), "the page embeds its data");
        java.util.regex.Matcher shown = java.util.regex.Pattern.compile("bin/poa explain --inference (\\S+):").matcher(demo.out());
        assertTrue(shown.find(), "the demo explains an inference: " + demo.out());

        // Under LANG=C too, Persian comes out as UTF-8 with its spans marked.
        PoaRun explain = launcher().run("explain", "--inference", shown.group(1)).ok();
        assertTrue(explain.out().contains("⟦1 ") && explain.out().contains(" 1⟧"), explain.out());
        assertTrue(explain.out().codePoints().anyMatch(c -> Character.UnicodeBlock.of(c) == Character.UnicodeBlock.ARABIC),
                "the poetry model's output is Persian: " + explain.out());
        // A failure is one line on stderr, whatever the JVM and the launcher print around it.
        PoaRun unknown = launcher().run("explain", "--inference", "no-such-inference");
        assertEquals(1, unknown.code());
        assertEquals("poa: no accepted inference 'no-such-inference'", unknown.errorLine());
        PoaRun missing = launcher().run("ingest", "votes", "--input", "no-such-file.jsonl");
        assertEquals(1, missing.code());
        assertTrue(missing.errorLine().contains("no-such-file.jsonl does not exist"), missing.err());

        Poa here = Poa.inProcess().global("--lakehouse", dir.resolve("lakehouse").toString());
        // Each epoch got rewards and a root; a claim comes out of tree.json and checks offline.
        java.util.regex.Matcher root = java.util.regex.Pattern.compile("merkle epoch 2: root (0x[0-9a-f]{64}) over").matcher(demo.out());
        assertTrue(root.find(), demo.out());
        PoaRun account = here.run("sql", "SELECT account FROM balances WHERE epoch = 2 ORDER BY cumulative_wei DESC, account LIMIT 1",
                "--format", "csv").ok();
        PoaRun proof = here.run("proof", "--epoch", "2", "--account", account.out().lines().skip(1).findFirst().orElseThrow().toLowerCase()).ok();
        var claim = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(proof.out());
        assertEquals(root.group(1), claim.get("root").asText());
        Files.writeString(dir.resolve("claim.json"), proof.out());
        PoaRun valid = here.run("verify-proof", "--file", dir.resolve("claim.json").toString()).ok();
        assertTrue(valid.out().startsWith("valid: "), valid.out());
        claim.put("amount", new java.math.BigInteger(claim.get("amount").asText()).add(java.math.BigInteger.ONE).toString());
        Files.writeString(dir.resolve("claim.json"), claim.toString());
        PoaRun invalid = here.run("verify-proof", "--file", dir.resolve("claim.json").toString());
        assertEquals(1, invalid.code(), invalid.describe());
        assertTrue(invalid.out().startsWith("INVALID: "), invalid.out());

        assertOnChainAndIdempotent(demo);

        PoaRun sql = here.run("sql", "SELECT count(*) AS n FROM datanets", "--format", "csv").ok();
        assertEquals("n\n4\n", sql.out());
    }

    /**
     * The demo settled and audited both epochs on its own anvil and claimed for two accounts; a
     * second run on the same folder finds everything on chain and sends no root again; the chain
     * comes back from its state file and the printed claim works from a plain web3j client.
     */
    void assertOnChainAndIdempotent(PoaRun demo) throws Exception {
        for (int epoch = 1; epoch <= 2; epoch++) {
            assertTrue(demo.out().contains("settle epoch " + epoch + ": root "), demo.out());
            assertTrue(demo.out().contains("audit epoch " + epoch + ": PASS chain: "), demo.out());
            assertFalse(demo.out().contains("audit epoch " + epoch + ": FAIL"), demo.out());
        }
        assertEquals(2, demo.out().lines().filter(l -> l.startsWith("claim epoch 2: paid ")).count(), demo.out());
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var summary = mapper.readTree(dir.resolve("demo.json").toFile());
        assertEquals(31337, summary.get("chain_id").asLong());
        assertEquals(2, summary.get("epochs").size());
        java.util.regex.Matcher root = java.util.regex.Pattern.compile("merkle epoch 2: root (0x[0-9a-f]{64}) over").matcher(demo.out());
        assertTrue(root.find());
        assertEquals(root.group(1), summary.get("epochs").get(1).get("root").asText());

        // Again, in this JVM, on the same folder: the chain comes back from its state file.
        PoaRun again = Poa.inProcess().run("demo", "--workdir", dir.toString(), "--lakehouse", dir.resolve("lakehouse").toString(),
                "--contributions", "150", "--inferences", "200").ok();
        assertEquals(2, again.out().lines().filter(l -> l.startsWith("settle epoch ") && l.contains(" already on chain in ")).count(),
                again.out());
        assertFalse(again.out().contains(" submitted in "), again.out());
        var rerun = mapper.readTree(dir.resolve("demo.json").toFile());
        assertEquals(summary.get("distributor"), rerun.get("distributor"));
        assertEquals(summary.get("epochs"), rerun.get("epochs"), "same roots, same transactions");

        // Any Ethereum client can claim with what the demo printed once the chain is back.
        var example = rerun.get("claim_example");
        try (org.poa.jobs.chain.LocalAnvil anvil = org.poa.jobs.chain.LocalAnvil.start(31337, dir.resolve("anvil-state.json"), 0)) {
            org.web3j.protocol.Web3j web3j = org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(anvil.url()));
            try {
                var sender = new org.web3j.tx.RawTransactionManager(web3j,
                        org.web3j.crypto.Credentials.create(org.poa.jobs.chain.LocalAnvil.DEV_KEYS.get(3)), 31337);
                var sent = sender.sendEIP1559Transaction(31337, java.math.BigInteger.valueOf(1_000_000_000L),
                        java.math.BigInteger.valueOf(100_000_000_000L), java.math.BigInteger.valueOf(500_000),
                        rerun.get("distributor").asText(), example.get("calldata").asText(), java.math.BigInteger.ZERO);
                assertNull(sent.getError(), () -> sent.getError().getMessage());
                var receipt = new org.web3j.tx.response.PollingTransactionReceiptProcessor(web3j, 100, 100)
                        .waitForTransactionReceipt(sent.getTransactionHash());
                assertTrue(receipt.isStatusOK(), receipt.toString());
                String balanceOf = org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("balanceOf",
                        List.of(new org.web3j.abi.datatypes.Address(example.get("account").asText())), List.of()));
                String balance = web3j.ethCall(org.web3j.protocol.core.methods.request.Transaction.createEthCallTransaction(null,
                        rerun.get("token").asText(), balanceOf), org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getValue();
                assertEquals(new java.math.BigInteger(example.get("amount").asText()), org.web3j.utils.Numeric.toBigInt(balance));
            } finally {
                web3j.shutdown();
            }
        }
    }
}

package org.poa.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.poa.core.merkle.PayoutTree;
import org.poa.jobs.chain.ChainSettings;
import org.poa.jobs.chain.DistributorContract;
import org.poa.jobs.chain.JsonRpc;
import org.poa.jobs.testkit.Poa;
import org.poa.jobs.testkit.ReferenceEpoch;
import org.poa.jobs.tools.NodePackages;
import org.poa.lakehouse.SharedSpark;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * {@code poa report} on the settled and audited epoch of {@link ReferenceEpoch}, each page opened from
 * disk in Debian's Chromium (headless, through playwright-core: {@code node/render-page.js}): no
 * console error, no request, every chart drawn, a tooltip on hover, a screenshot that is not blank;
 * and the numbers the page embeds equal the tables, recomputed here another way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportIT {

    static final List<String> EPOCH_CHARTS = List.of("money-flow", "top-contributors", "top-contributions", "datanet-shares", "lorenz",
            "coverage", "history-money", "history-counts", "ingestion");
    static final ObjectMapper JSON = new ObjectMapper();

    ReferenceEpoch reference;
    Poa poa;
    Lakehouse lakehouse;
    NodePackages node;

    @BeforeAll
    void reference() throws Exception {
        assertTrue(Files.isExecutable(Path.of(System.getenv().getOrDefault("POA_CHROMIUM", "/usr/bin/chromium"))),
                "Debian's chromium is needed (bin/test installs it: apt-get install chromium)");
        reference = ReferenceEpoch.get();
        poa = reference.here;
        lakehouse = new Lakehouse(SharedSpark.session(), reference.lakehouse());
        node = NodePackages.locate();
        node.install();
    }

    /** Opens the page in Chromium; what it saw, with every browser-side check every page must pass. */
    JsonNode render(Path page, Path shot) throws Exception {
        JsonNode seen = JSON.readTree(node.node("render-page.js", List.of(page.toString(), shot.toString())));
        assertEquals("[]", seen.get("consoleErrors").toString(), "console errors");
        assertEquals("[]", seen.get("pageErrors").toString(), "uncaught errors");
        assertEquals("[]", seen.get("requests").toString(), "the page asked for something other than itself");
        for (String chart : names(seen.get("charts"))) {
            assertTrue(seen.get("svgElements").get(chart).asInt() > 10, () -> chart + " drew nothing: " + seen.get("svgElements"));
        }
        BufferedImage image = ImageIO.read(shot.toFile());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(image.getWidth() >= 1000 && image.getHeight() >= 600, "screenshot " + image.getWidth() + "x" + image.getHeight());
        assertTrue(colours.size() > 50, "a blank screenshot: " + colours.size() + " colours");
        return seen;
    }

    static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theEpochReportShowsEveryChartAndTheTablesNumbers(@TempDir Path dir) throws Exception {
        String printed = poa.run("report", "--epoch", "1", "--out", dir.toString(), "--audit").ok().out();
        Path page = dir.resolve("epoch-1.html");
        assertTrue(printed.contains("report: " + page), printed);
        String html = Files.readString(page);
        assertFalse(html.matches("(?s).*(src|href)\\s*=\\s*[\"']?(https?:)?//.*"), "no external script, style or link");
        JsonNode seen = render(page, dir.resolve("epoch-1.png"));
        assertEquals(EPOCH_CHARTS, names(seen.get("charts")));
        assertNotNull(seen.get("tooltip").textValue(), "hovering the money-flow chart shows its numbers");
        JsonNode data = seen.get("data");
        assertEquals(1, data.get("epoch").asLong());
        assertFalse(data.get("empty").asBoolean());

        // Money flow: fees per model from inferences, rewards per model and role, exactly.
        Map<String, String> expected = new TreeMap<>();
        for (Row r : lakehouse.read(Tables.REWARDS).where(col("epoch").equalTo(1)).collectAsList()) {
            expected.merge(r.getAs("model_id") + "/" + r.getAs("role"), ((BigDecimal) r.getAs("amount_wei")).toPlainString(),
                    (a, b) -> new BigInteger(a).add(new BigInteger(b)).toString());
        }
        Map<String, String> shown = new TreeMap<>();
        BigInteger fees = BigInteger.ZERO;
        for (JsonNode m : data.get("moneyFlow")) {
            for (String role : EpochReport.ROLES) {
                if (!m.get(role + "_wei").asText().equals("0")) {
                    shown.put(m.get("model_id").asText() + "/" + role, m.get(role + "_wei").asText());
                }
            }
            fees = fees.add(new BigInteger(m.get("fees_wei").asText()));
        }
        assertEquals(expected, shown);
        Row ledger = lakehouse.read(Tables.REWARD_EPOCHS).where(col("epoch").equalTo(1)).head();
        assertEquals(((BigDecimal) ledger.getAs("fees_wei")).toBigIntegerExact(), fees);
        assertEquals(((BigDecimal) ledger.getAs("fees_wei")).toPlainString(), data.get("ledger").get("fees_wei").asText());

        // Top contributors: the largest data rewards, in order.
        List<Row> data0 = lakehouse.read(Tables.REWARDS).where(col("epoch").equalTo(1).and(col("role").equalTo("data")))
                .groupBy("account").agg(sum("amount_wei").as("wei")).collectAsList();
        List<BigInteger> amounts = new ArrayList<>();
        data0.forEach(r -> amounts.add(r.getDecimal(1).toBigIntegerExact()));
        amounts.sort(java.util.Comparator.reverseOrder());
        JsonNode top = data.get("topContributors");
        assertEquals(Math.min(EpochReport.TOP, amounts.size()), top.size());
        for (int i = 0; i < top.size(); i++) {
            assertEquals(amounts.get(i).toString(), top.get(i).get("data_wei").asText());
            assertTrue(top.get(i).get("methods").size() > 0, "the methods that credited " + top.get(i));
        }

        // Top contributions: the best of each method first, its credit the weights summed here.
        Map<String, Double> credit = new HashMap<>();
        for (Row r : lakehouse.read(Tables.ATTRIBUTIONS).where(col("epoch").equalTo(1)).select("contribution_id", "method", "weight")
                .collectAsList()) {
            credit.merge(r.getString(1) + "/" + r.getString(0), r.getDouble(2), Double::sum);
        }
        for (String method : List.of("ngram", "gradient")) {
            double best = credit.entrySet().stream().filter(e -> e.getKey().startsWith(method + "/"))
                    .mapToDouble(Map.Entry::getValue).max().orElseThrow();
            JsonNode first = null;
            for (JsonNode c : data.get("topContributions")) {
                if (first == null && c.get("method").asText().equals(method)) {
                    first = c;
                }
            }
            assertNotNull(first, method + " in " + data.get("topContributions"));
            assertEquals(best, first.get("credit").asDouble(), 1e-9, method);
        }

        // Concentration: Gini and top-10 share of the data rewards, computed here from all of them.
        List<Double> ascending = new ArrayList<>(amounts.stream().map(BigInteger::doubleValue).toList());
        java.util.Collections.sort(ascending);
        double total = ascending.stream().mapToDouble(Double::doubleValue).sum();
        double absoluteDifferences = 0;
        for (double a : ascending) {
            for (double b : ascending) {
                absoluteDifferences += Math.abs(a - b);
            }
        }
        double gini = absoluteDifferences / (2.0 * ascending.size() * total);
        JsonNode concentration = data.get("concentration");
        assertEquals(amounts.size(), concentration.get("accounts").asInt());
        assertEquals(gini, concentration.get("gini").asDouble(), 1e-9);
        double top10 = amounts.stream().limit(10).mapToDouble(BigInteger::doubleValue).sum() / total;
        assertEquals(top10, concentration.get("top10_share").asDouble(), 1e-12);
        JsonNode lorenz = concentration.get("lorenz");
        assertEquals(101, lorenz.size());
        assertEquals(1.0, lorenz.get(100).get(1).asDouble(), 1e-12);
        int half = (int) Math.ceil(ascending.size() / 2.0);
        assertEquals(ascending.subList(0, half).stream().mapToDouble(Double::doubleValue).sum() / total, lorenz.get(50).get(1).asDouble(), 1e-12);

        // Coverage: per model, inferences by the methods that credited them, from the rows themselves.
        Map<String, Set<String>> methods = new HashMap<>();
        for (Row r : lakehouse.read(Tables.ATTRIBUTIONS).where(col("epoch").equalTo(1)).select("inference_id", "method").collectAsList()) {
            methods.computeIfAbsent(r.getString(0), k -> new HashSet<>()).add(r.getString(1));
        }
        Map<String, long[]> coverage = new TreeMap<>();
        for (Row r : lakehouse.read(Tables.INFERENCES).where(col("epoch").equalTo(1)).select("inference_id", "model_id").collectAsList()) {
            Set<String> m = methods.getOrDefault(r.getString(0), Set.of());
            int kind = m.size() == 2 ? 0 : m.contains("ngram") ? 1 : m.contains("gradient") ? 2 : 3;
            coverage.computeIfAbsent(r.getString(1), k -> new long[4])[kind]++;
        }
        Map<String, String> coverageShown = new TreeMap<>();
        data.get("coverage").forEach(c -> coverageShown.put(c.get("model_id").asText(),
                c.get("both") + "," + c.get("ngram_only") + "," + c.get("gradient_only") + "," + c.get("none")));
        Map<String, String> coverageExpected = new TreeMap<>();
        coverage.forEach((m, c) -> coverageExpected.put(m, c[0] + "," + c[1] + "," + c[2] + "," + c[3]));
        assertEquals(coverageExpected, coverageShown);

        // History, ingestion, settlement.
        JsonNode epoch1 = null;
        for (JsonNode h : data.get("history")) {
            if (h.get("epoch").asLong() == 1) {
                epoch1 = h;
            }
        }
        assertNotNull(epoch1, data.get("history").toString());
        assertEquals(lakehouse.read(Tables.INFERENCES).where(col("epoch").equalTo(1)).count(), epoch1.get("accepted").asLong());
        assertEquals(lakehouse.read(Tables.REWARDS).where(col("epoch").equalTo(1)).select("account").distinct().count(),
                epoch1.get("accounts_paid").asLong());
        for (JsonNode kind : data.get("ingestion").get("kinds")) {
            String name = kind.get("kind").asText();
            long quarantined = lakehouse.read(Tables.QUARANTINE).where(col("table").equalTo(name)).count();
            assertEquals(quarantined, kind.get("duplicates").asLong() + kind.get("quarantined").asLong(), name);
        }
        assertEquals(lakehouse.read(Tables.CONTRIBUTIONS).count(), data.get("ingestion").get("kinds").get(1).get("accepted").asLong());
        JsonNode settlement = data.get("settlement");
        Row root = lakehouse.read(Tables.MERKLE_ROOTS).where(col("epoch").equalTo(1)).head();
        assertEquals(root.<String>getAs("root"), settlement.get("root").get("root").asText());
        Row tx = lakehouse.read(Tables.SETTLEMENTS).where(col("epoch").equalTo(1)).head();
        assertEquals(tx.<String>getAs("tx_hash"), settlement.get("transactions").get(0).get("tx_hash").asText());
        assertTrue(settlement.get("audit").size() >= 8, settlement.get("audit").toString());
        settlement.get("audit").forEach(c -> assertTrue(c.get("passed").asBoolean(), c.toString()));
        // The proofs behind the page's verify-proof command line lead to the root.
        JsonNode proof = settlement.get("proofs").get(0);
        List<byte[]> siblings = new ArrayList<>();
        proof.get("proof").forEach(p -> siblings.add(Numeric.hexStringToByteArray(p.asText())));
        assertTrue(PayoutTree.verify(Numeric.hexStringToByteArray(root.getAs("root")), proof.get("account").asText(),
                new BigInteger(proof.get("cumulative_wei").asText()), siblings), proof.toString());
        assertTrue(html.contains("verify-proof"), "the command line is there");
    }

    @Test
    void theStatementShowsEarningsTheClaimAndWhatPaid(@TempDir Path dir) throws Exception {
        String account = lakehouse.read(Tables.REWARDS).where(col("epoch").equalTo(1).and(col("role").equalTo("data")))
                .orderBy(col("amount_wei").desc(), col("account")).select("account").head().getString(0);
        // Any letter case is the same account.
        poa.run("report", "--account", account.toLowerCase(java.util.Locale.ROOT), "--out", dir.toString()).ok();
        Path page = dir.resolve("account-" + account + ".html");
        JsonNode seen = render(page, dir.resolve("account.png"));
        assertEquals(List.of("earnings", "balance"), names(seen.get("charts")));
        assertNotNull(seen.get("tooltip").textValue(), "hovering the earnings chart shows its numbers");
        JsonNode data = seen.get("data");
        assertEquals(account, data.get("account").asText());
        Map<String, String> expected = new TreeMap<>();
        for (Row r : lakehouse.read(Tables.REWARDS).where(col("account").equalTo(account)).collectAsList()) {
            expected.put(r.getAs("epoch") + "/" + r.getAs("role") + "/" + r.getAs("model_id"), ((BigDecimal) r.getAs("amount_wei")).toPlainString());
        }
        Map<String, String> shown = new TreeMap<>();
        data.get("earnings").forEach(e -> shown.put(e.get("epoch").asLong() + "/" + e.get("role").asText() + "/" + e.get("model_id").asText(),
                e.get("amount_wei").asText()));
        assertEquals(expected, shown);

        Row leaf = lakehouse.read(Tables.MERKLE_PROOFS).where(col("epoch").equalTo(1).and(col("account").equalTo(account))).head();
        JsonNode latest = data.get("latest");
        assertEquals(((BigDecimal) leaf.getAs("cumulative_wei")).toPlainString(), latest.get("cumulative_wei").asText());
        // The chain was read (the reference's environment names it), and the call data is a claim the
        // distributor accepts: simulated from an account that is not the payee.
        JsonNode chain = data.get("chain");
        assertTrue(chain.get("read").asBoolean(), chain.toString());
        Web3j web3 = Web3j.build(new HttpService(reference.anvil.url()));
        try (JsonRpc rpc = new JsonRpc(ChainSettings.of(reference.anvil.url(), ReferenceEpoch.CHAIN_ID, reference.distributor), s -> { })) {
            BigInteger claimed = new DistributorContract(rpc, reference.distributor).claimed(account);
            assertEquals(claimed.toString(), chain.get("claimed_wei").asText());
            var call = web3.ethCall(Transaction.createEthCallTransaction(ReferenceEpoch.TREASURY, reference.distributor,
                    latest.get("claim_calldata").asText()), DefaultBlockParameterName.LATEST).send();
            if (claimed.compareTo(new BigInteger(latest.get("cumulative_wei").asText())) < 0) {
                assertFalse(call.isReverted() || call.hasError(), () -> "the claim reverts: " + call.getRevertReason());
            }
        } finally {
            web3.shutdown();
        }
        JsonNode paid = data.get("topInferences");
        assertTrue(paid.size() > 0, data.toString());
        assertTrue(paid.get(0).get("explanation").asText().contains("inference " + paid.get(0).get("inference_id").asText()));
    }

    @Test
    void anEpochWithoutInferencesIsAClearPageAndAnUnknownAccountOneLine(@TempDir Path dir) throws Exception {
        poa.run("report", "--epoch", "99", "--out", dir.toString()).ok();
        JsonNode seen = render(dir.resolve("epoch-99.html"), dir.resolve("epoch-99.png"));
        assertTrue(seen.get("notice").asText().contains("Epoch 99 has no accepted inferences"), seen.toString());
        assertEquals(List.of("history-money", "history-counts", "ingestion"), names(seen.get("charts")));

        String unknown = poa.run("report", "--account", "0x00000000000000000000000000000000000000aa", "--out", dir.toString()).errorLine();
        assertTrue(unknown.contains("account 0x00000000000000000000000000000000000000AA has no rewards and no balance"), unknown);
        String bad = poa.run("report", "--account", "0x12", "--out", dir.toString()).errorLine();
        assertTrue(bad.contains("'0x12' is not an address"), bad);
        assertFalse(Files.exists(dir.resolve("account-0x00000000000000000000000000000000000000AA.html")));
    }
}

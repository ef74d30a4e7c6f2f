package org.poa.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.poa.jobs.pipeline.EpochStep;
import org.poa.jobs.testkit.Poa;
import org.poa.jobs.testkit.PoaRun;
import org.poa.jobs.testkit.ReferenceEpoch;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * {@code poa epoch} and the queries people run after it, on the epoch of {@link ReferenceEpoch}
 * (every step run alone, in this JVM): every step ran in its Spark job group, in the pipeline's order;
 * the whole pipeline run again, with Spark's code generation, prints a line per step and changes
 * nothing, on the lakehouse or on chain; sql in three formats, lineage and the audit's chain failure in one line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EpochCommandIT {

    ReferenceEpoch reference;
    Poa poa;

    @BeforeAll
    void reference() throws Exception {
        reference = ReferenceEpoch.get();
        poa = reference.here;
    }

    @Test
    void everyStepRanInItsJobGroupInOrder() {
        List<String> codes = Arrays.stream(EpochStep.values()).map(EpochStep::code).toList();
        List<String> groups = reference.jobGroups();
        assertTrue(codes.containsAll(groups), "jobs outside a step's group: " + groups);
        assertEquals(codes, new ArrayList<>(new LinkedHashSet<>(groups)), "each step ran Spark jobs in its group, in order");
        String ingest = reference.output(EpochStep.INGEST);
        assertTrue(ingest.contains("ingest inferences: read 200 = accepted"), ingest);
        assertTrue(ingest.matches("(?s).*step ingest of epoch 1 done in \\d+\\.\\d s: [\\d,]+ lines in, [\\d,]+ rows out\\R.*"), ingest);
        assertTrue(reference.output(EpochStep.SETTLE).matches("(?s).*epoch 1: root 0x[0-9a-f]{64} \\(cumulative \\d+ wei\\) submitted in .*"),
                reference.output(EpochStep.SETTLE));
        assertTrue(reference.output(EpochStep.AUDIT).contains("audit epoch 1: PASS chain: "), reference.output(EpochStep.AUDIT));
    }

    @Test
    void theWholePipelineAgainWritesNothingAndSendsNothing() throws Exception {
        var versions = ReferenceEpoch.versions(reference.lakehouse());
        byte[] tree = Files.readAllBytes(Path.of(reference.lakehouse(), "epochs/1/tree.json"));
        BigInteger nonce = nonce();
        // Again with the product's code generation and adaptive execution over 16 shuffle partitions:
        // every other run here interprets Spark's expressions and stages, without adaptive execution
        // (SharedSpark, Poa.SMALL_DATA), so this is where generated code and re-planned stages meet the
        // tables. A step whose plan computed other rows would write them, and a table would get a version.
        Poa compiled = poa.copy().global("--conf", "spark.sql.codegen.wholeStage=true", "--conf", "spark.sql.codegen.factoryMode=FALLBACK",
                "--conf", "spark.sql.adaptive.enabled=true", "--conf", "spark.sql.shuffle.partitions=16");
        java.util.concurrent.atomic.AtomicInteger compiledPlans = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger adaptivePlans = new java.util.concurrent.atomic.AtomicInteger();
        org.apache.spark.scheduler.SparkListener plans = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onOtherEvent(org.apache.spark.scheduler.SparkListenerEvent event) {
                if (event instanceof org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart start) {
                    if (holds(start.sparkPlanInfo(), "WholeStageCodegen")) {
                        compiledPlans.incrementAndGet();
                    }
                    if (holds(start.sparkPlanInfo(), "AdaptiveSparkPlan")) {
                        adaptivePlans.incrementAndGet();
                    }
                }
            }
        };
        PoaRun again = ReferenceEpoch.listening(plans, () -> compiled.run(reference.args(EpochStep.INGEST, EpochStep.AUDIT)).ok());
        assertTrue(compiledPlans.get() > 0, "the re-run's plans had no whole-stage generated code");
        assertTrue(adaptivePlans.get() > 0, "none of the re-run's plans was adaptive");
        List<String> codes = Arrays.stream(EpochStep.values()).map(EpochStep::code).toList();
        assertEquals(codes, again.out().lines().filter(l -> l.matches("step \\w+ of epoch 1 done in \\d+\\.\\d s: .* in, .* out"))
                .map(l -> l.split(" ")[1]).toList(), again.out());
        assertTrue(again.out().contains("already on chain"), again.out());
        assertEquals(versions, ReferenceEpoch.versions(reference.lakehouse()), "no table got a new version");
        assertArrayEquals(tree, Files.readAllBytes(Path.of(reference.lakehouse(), "epochs/1/tree.json")));
        assertEquals(nonce, nonce(), "no transaction sent");

        PoaRun tail = poa.run(reference.args(EpochStep.MERKLE, EpochStep.AUDIT)).ok();
        assertEquals(List.of("merkle", "settle", "audit"), tail.out().lines().filter(l -> l.startsWith("step "))
                .map(l -> l.split(" ")[1]).toList(), tail.out());
    }

    /** Whether a physical plan holds a node named {@code prefix}... (WholeStageCodegen: generated code; AdaptiveSparkPlan). */
    static boolean holds(org.apache.spark.sql.execution.SparkPlanInfo node, String prefix) {
        return node.nodeName().startsWith(prefix)
                || scala.jdk.javaapi.CollectionConverters.asJava(node.children()).stream().anyMatch(child -> holds(child, prefix));
    }

    BigInteger nonce() throws IOException {
        Web3j web3j = Web3j.build(new HttpService(reference.anvil.url()));
        try {
            return web3j.ethGetTransactionCount(Credentials.create(ReferenceEpoch.SETTLER_KEY).getAddress(),
                    DefaultBlockParameterName.LATEST).send().getTransactionCount();
        } finally {
            web3j.shutdown();
        }
    }

    @Test
    void sqlAnswersOverEveryTableInThreeFormats() throws Exception {
        String everyTable = Tables.all().stream()
                .map(t -> "SELECT '" + t.name() + "' AS name, count(*) AS n FROM " + t.name())
                .collect(Collectors.joining(" UNION ALL "));
        PoaRun json = poa.run("sql", everyTable, "--format", "json").ok();
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = json.out().lines().toList();
        assertEquals(Tables.all().size(), lines.size());
        for (String line : lines) {
            JsonNode row = mapper.readTree(line);
            assertTrue(row.has("name") && row.has("n"), line);
            if (List.of("datanets", "contributions", "votes", "models", "inferences", "quarantine", "rewards", "merkle_proofs",
                    "settlements", "model_checkpoints").contains(row.get("name").asText())) {
                assertTrue(row.get("n").asLong() > 0, line);
            }
        }

        PoaRun csv = poa.run("sql", everyTable, "--format", "csv").ok();
        List<String> csvLines = csv.out().lines().toList();
        assertEquals("name,n", csvLines.get(0));
        assertEquals(Tables.all().size() + 1, csvLines.size());

        PoaRun table = poa.run("sql", everyTable, "--format", "table").ok();
        for (TableDef t : Tables.all()) {
            assertTrue(table.out().contains(t.name()), table.out());
        }
        assertTrue(table.out().contains("(" + Tables.all().size() + " rows)"), table.out());

        // Values with commas, quotes and line breaks survive CSV; wei stays an exact integer.
        PoaRun quoted = poa.run("sql",
                "SELECT 'a,b' AS x, 'say \"hi\"' AS y, CAST('99999999999999999999999999999999999999' AS DECIMAL(38,0)) AS wei",
                "--format", "csv").ok();
        assertEquals("x,y,wei", quoted.out().lines().toList().get(0));
        assertEquals("\"a,b\",\"say \"\"hi\"\"\",99999999999999999999999999999999999999", quoted.out().lines().toList().get(1));
    }

    @Test
    void lineageIsIntactAndAnUnreachableChainFailsTheAuditInOneCheck() throws Exception {
        PoaRun verify = poa.run("lineage", "verify", "--model", "poet-lm").ok();
        assertTrue(verify.out().contains("intact, 1 events"), verify.out());

        PoaRun noNode = Poa.inProcess().run("--lakehouse", reference.lakehouse(), "audit", "--epoch", "1", "--rpc-url",
                "http://127.0.0.1:9", "--chain-id", "31337", "--distributor", "0x000000000000000000000000000000000000dEaD",
                "--rpc-attempts", "2");
        assertEquals(1, noNode.code());
        assertTrue(noNode.out().contains("FAIL chain: the chain at http://127.0.0.1:9 did not answer eth_chainId after 2 attempts"),
                noNode.out());
        assertTrue(noNode.out().contains("PASS root: "), "the lakehouse's checks still pass: " + noNode.out());
    }
}

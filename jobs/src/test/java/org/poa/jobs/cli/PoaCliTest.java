package org.poa.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.poa.jobs.pipeline.EpochStep;
import org.poa.jobs.testkit.Poa;
import org.poa.jobs.testkit.PoaRun;
import org.poa.lakehouse.SparkTestBase;

/**
 * The poa command line in this JVM, where it needs no world: one-line errors and usage errors, what
 * {@code poa epoch} checks before any step runs, --help of every command, and where the lakehouse
 * comes from. (The pipeline itself, queries and re-runs: EpochCommandIT, on the integration tests'
 * reference epoch.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoaCliTest {

    Path work;
    String lakehouse;
    Poa poa;

    @BeforeAll
    void folders() throws IOException {
        work = Files.createTempDirectory("poa-cli");
        lakehouse = work.resolve("lakehouse").toString();
        poa = Poa.inProcess().global("--lakehouse", lakehouse);
    }

    @AfterAll
    void cleanUp() {
        SparkTestBase.deleteTree(work);
    }

    @Test
    @Order(5)
    void errorsAreOneLineWithANonZeroExitCode() throws Exception {
        PoaRun unknownKind = poa.run("ingest", "nothing", "--input", "x.jsonl");
        assertEquals(1, unknownKind.code());
        assertEquals("poa: unknown input kind 'nothing': expected datanets, contributions, votes, models, inferences or gradients",
                unknownKind.errorLine());
        assertTrue(Files.notExists(Path.of(lakehouse)), "a failed command created no table");

        PoaRun missingInput = poa.run("ingest", "votes", "--input", work.resolve("absent.jsonl").toString());
        assertEquals(1, missingInput.code());
        assertTrue(missingInput.errorLine().matches("poa: input .*absent.jsonl does not exist"), missingInput.err());
        PoaRun missingOk = poa.run("ingest", "votes", "--missing-ok", "--input", work.resolve("absent").toString()).ok();
        assertTrue(missingOk.out().matches("(?s)votes: nothing to ingest at .*absent\\R"), missingOk.out());
        PoaRun noBatch = poa.run("ingest", "all", "--missing-ok", "--input", work.resolve("absent").toString());
        assertEquals(1, noBatch.code(), "--missing-ok never excuses a missing batch folder");
        assertTrue(noBatch.errorLine().matches("poa: input .*absent does not exist"), noBatch.err());
        Files.createDirectories(work.resolve("empty-batch"));
        PoaRun emptyBatch = poa.run("ingest", "all", "--input", work.resolve("empty-batch").toString());
        assertEquals(1, emptyBatch.code());
        assertTrue(emptyBatch.errorLine().matches("poa: input .*empty-batch holds none of datanets/, .*"), emptyBatch.err());
        PoaRun emptyBatchOk = poa.run("ingest", "all", "--missing-ok", "--input", work.resolve("empty-batch").toString()).ok();
        assertEquals(6, emptyBatchOk.out().lines().filter(l -> l.contains(": nothing to ingest at ")).count(), emptyBatchOk.out());

        PoaRun badSql = poa.run("sql", "SELEC nonsense");
        assertEquals(1, badSql.code());
        badSql.errorLine();
        // Read-only unless --write: parsed, so no spelling or comment gets a write past it.
        for (String write : List.of("DELETE FROM models", "delete /* a comment */ from models where true", "UPDATE models SET kind = 'x'",
                "INSERT INTO models SELECT * FROM models", "DROP TABLE models", "VACUUM models", "TRUNCATE TABLE models",
                "CREATE TABLE t AS SELECT 1 AS x", "CACHE TABLE models", "SET spark.sql.runSQLOnFiles=true",
                "MERGE INTO models m USING models n ON m.model_id = n.model_id WHEN MATCHED THEN DELETE",
                "WITH x AS (SELECT 1) INSERT INTO models SELECT * FROM models")) {
            PoaRun refused = poa.run("sql", write);
            assertEquals(1, refused.code(), write);
            assertTrue(refused.errorLine().startsWith("poa: poa sql is read-only: this statement is a "), write + ": " + refused.err());
        }
        PoaRun immediate = poa.run("sql", "EXECUTE IMMEDIATE 'DELETE FROM models'");
        assertEquals("poa: poa sql is read-only: EXECUTE IMMEDIATE runs a statement given as text; refused", immediate.errorLine());
        for (String escape : List.of("SELECT reflect('java.lang.System', 'getProperty', 'user.home')",
                "SELECT * FROM models WHERE java_method('java.lang.System', 'exit', 3) IS NULL",
                "SELECT try_reflect('java.lang.System', 'getProperty', 'user.home')",
                "SELECT IDENTIFIER('reflect')('java.lang.System', 'getProperty', 'user.home')",
                "SELECT 1 WHERE EXISTS (SELECT java_method('java.lang.System', 'exit', 3))")) {
            PoaRun refused = poa.run("sql", escape);
            assertEquals("poa: poa sql is read-only: reflect/java_method calls Java code; refused", refused.errorLine(), escape);
        }
        PoaRun onFiles = poa.run("sql", "SELECT * FROM text.`" + work + "`");
        assertEquals(1, onFiles.code(), "SQL on file paths is off: " + onFiles.out());
        assertTrue(onFiles.errorLine().contains("cannot be found"), onFiles.err());
        assertTrue(poa.run("sql", "DESCRIBE models").ok().out().contains("model_id"));
        assertTrue(poa.run("sql", "SHOW TABLES").ok().out().contains("models"));
        assertTrue(poa.run("sql", "EXPLAIN SELECT count(*) FROM models").ok().out().contains("Plan"));
        assertTrue(poa.run("sql", "SET poa.sql.write.test=3", "--write").ok().out().contains("3"));

        // What a step of the pipeline needs is checked before any step runs.
        PoaRun noInput = Poa.inProcess().global("--lakehouse", lakehouse).run("epoch", "--epoch", "3");
        assertEquals(1, noInput.code());
        assertEquals("poa: the ingest step needs the epoch's batch folder: pass --input BATCH (or start --from train)", noInput.errorLine());
        PoaRun noTreasury = Poa.inProcess().global("--lakehouse", lakehouse).run("epoch", "--epoch", "3", "--from", "rewards");
        assertEquals(1, noTreasury.code());
        assertEquals("poa: the rewards step needs the protocol treasury: pass --treasury ADDRESS or set POA_TREASURY", noTreasury.errorLine());
        PoaRun noChainForSettle = Poa.inProcess().global("--lakehouse", lakehouse).run("epoch", "--epoch", "3", "--from", "settle");
        assertEquals(1, noChainForSettle.code());
        assertTrue(noChainForSettle.errorLine().startsWith("poa: the settle step needs a chain and the settler's key: "),
                noChainForSettle.err());
        PoaRun backwards = poa.run("epoch", "--epoch", "3", "--from", "merkle", "--to", "rewards");
        assertEquals(1, backwards.code());
        assertTrue(backwards.errorLine().startsWith("poa: --from merkle comes after --to rewards"), backwards.err());
        PoaRun unknownStep = poa.run("epoch", "--epoch", "3", "--from", "payout");
        assertEquals(1, unknownStep.code());
        assertEquals("poa: unknown step 'payout': expected one of " + Arrays.stream(EpochStep.values()).map(EpochStep::code).toList(),
                unknownStep.errorLine());

        PoaRun noChain = Poa.inProcess().global("--lakehouse", lakehouse).run("settle", "--epoch", "1");
        assertEquals(1, noChain.code());
        assertEquals("poa: no chain: pass --rpc-url or set POA_RPC_URL", noChain.errorLine());
        PoaRun noKey = Poa.inProcess().global("--lakehouse", lakehouse).run("claim", "--epoch", "1", "--account",
                "0x1111111111111111111111111111111111111111", "--rpc-url", "http://127.0.0.1:9", "--chain-id", "31337",
                "--distributor", "0x000000000000000000000000000000000000dEaD");
        assertEquals(1, noKey.code());
        assertEquals("poa: no signing key: set POA_PRIVATE_KEY or pass --keystore FILE --password-file FILE", noKey.errorLine());
        PoaRun noRoot = poa.run("audit", "--epoch", "1", "--offline");
        assertEquals(1, noRoot.code());
        assertTrue(noRoot.out().contains("FAIL merkle_roots: no root recorded for epoch 1"), noRoot.out());

        PoaRun noOption = poa.run("ingest", "votes");
        assertEquals(2, noOption.code());
        assertTrue(noOption.err().strip().endsWith("Missing required option: '--input=PATH' (see --help)"), noOption.err());
    }

    @Test
    @Order(6)
    void everyCommandHasHelpAndEpochListsItsSteps() throws Exception {
        for (List<String> command : List.<List<String>>of(List.of(), List.of("epoch"), List.of("ingest"), List.of("sql"),
                List.of("tables"), List.of("status"), List.of("lineage"), List.of("lineage", "verify"), List.of("lineage", "show"),
                List.of("generate"), List.of("demo"), List.of("settle"), List.of("claim"), List.of("audit"), List.of("merkle", "build"),
                List.of("verify-proof"))) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            PoaRun help = Poa.inProcess().run(args.toArray(String[]::new)).ok();
            assertTrue(help.out().startsWith("Usage: poa"), help.out());
        }
        PoaRun list = Poa.inProcess().run("epoch", "--list").ok();
        assertEquals(Arrays.stream(EpochStep.values()).map(EpochStep::code).toList(), list.out().lines().toList());
    }

    @Test
    @Order(7)
    void theLakehouseComesFromTheOptionThenTheEnvironmentThenTheDefault() {
        PoaEnvironment none = new PoaEnvironment(Map.of(), null, null, null);
        PoaEnvironment set = new PoaEnvironment(Map.of("POA_LAKEHOUSE", "/from/env"), null, null, null);
        PoaCommand bare = new PoaCommand(none);
        assertEquals("/default", bare.lakehouseRoot("/default"));
        PoaCommand fromEnv = new PoaCommand(set);
        assertEquals("/from/env", fromEnv.lakehouseRoot("/default"));
        fromEnv.lakehouse = "/from/option";
        assertEquals("/from/option", fromEnv.lakehouseRoot("/default"));
    }
}

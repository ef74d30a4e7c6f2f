package org.poa.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;

/** The poa command line as a user runs it: demo, sql in three formats, one-line errors, --help. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoaCliTest {

    static Path work;
    static String lakehouse;

    record Result(int code, String out, String err) {
    }

    static Result poa(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int code = PoaMain.run(args);
            return new Result(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static Result poaOnLakehouse(String... args) {
        String[] full = new String[args.length + 4];
        full[0] = "--master";
        full[1] = "local[2]";
        full[2] = "--lakehouse";
        full[3] = lakehouse;
        System.arraycopy(args, 0, full, 4, args.length);
        return poa(full);
    }

    @BeforeAll
    static void folders() throws IOException {
        work = Files.createTempDirectory("poa-cli");
        lakehouse = work.resolve("lakehouse").toString();
    }

    @AfterAll
    static void cleanUp() {
        SparkTestBaseAccess.delete(work);
    }

    @Test
    @Order(1)
    void demoIngestsAGeneratedWorld() {
        Result demo = poaOnLakehouse("demo", "--workdir", work.resolve("demo").toString(), "--input", work.resolve("input").toString(),
                "--contributions", "300", "--inferences", "400");
        assertEquals(0, demo.code(), demo.err());
        for (String table : List.of("datanets", "contributions", "votes", "models", "inferences")) {
            assertTrue(demo.out().contains("ingest " + table + ": read "), demo.out());
        }
        assertTrue(demo.out().contains("contribution status now:"), demo.out());
        assertTrue(demo.out().contains("fa-poetry"), demo.out());
        assertTrue(Files.isRegularFile(work.resolve("demo/demo.json")), "demo.json goes to --workdir");
        assertTrue(Files.isRegularFile(work.resolve("demo/anvil-state.json")), "and so does the chain's state");
        assertTrue(!Files.exists(work.resolve("demo/lakehouse")), "--lakehouse wins over the workdir's default");
    }

    @Test
    @Order(2)
    void sqlAnswersOverEveryTableInThreeFormats() throws IOException {
        String everyTable = Tables.all().stream()
                .map(t -> "SELECT '" + t.name() + "' AS name, count(*) AS n FROM " + t.name())
                .collect(Collectors.joining(" UNION ALL "));
        Result json = poaOnLakehouse("sql", everyTable, "--format", "json");
        assertEquals(0, json.code(), json.err());
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = json.out().lines().toList();
        assertEquals(Tables.all().size(), lines.size());
        for (String line : lines) {
            JsonNode row = mapper.readTree(line);
            assertTrue(row.has("name") && row.has("n"), line);
            if (List.of("datanets", "contributions", "votes", "models", "inferences", "quarantine")
                    .contains(row.get("name").asText())) {
                assertTrue(row.get("n").asLong() > 0, line);
            }
        }

        Result csv = poaOnLakehouse("sql", everyTable, "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        List<String> csvLines = csv.out().lines().toList();
        assertEquals("name,n", csvLines.get(0));
        assertEquals(Tables.all().size() + 1, csvLines.size());

        Result table = poaOnLakehouse("sql", everyTable, "--format", "table");
        assertEquals(0, table.code(), table.err());
        for (TableDef t : Tables.all()) {
            assertTrue(table.out().contains(t.name()), table.out());
        }
        assertTrue(table.out().contains("(" + Tables.all().size() + " rows)"), table.out());

        // Values with commas, quotes and line breaks survive CSV; wei stays an exact integer.
        Result quoted = poaOnLakehouse("sql",
                "SELECT 'a,b' AS x, 'say \"hi\"' AS y, CAST('99999999999999999999999999999999999999' AS DECIMAL(38,0)) AS wei",
                "--format", "csv");
        assertEquals("x,y,wei", quoted.out().lines().toList().get(0));
        assertEquals("\"a,b\",\"say \"\"hi\"\"\",99999999999999999999999999999999999999", quoted.out().lines().toList().get(1));
    }

    @Test
    @Order(3)
    void lineageOfTheDemoModelsIsIntact() {
        Result verify = poaOnLakehouse("lineage", "verify", "--model", "poet-lm");
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.out().contains("intact, 1 events"), verify.out());
    }

    @Test
    @Order(4)
    void errorsAreOneLineWithANonZeroExitCode() throws IOException {
        Result unknownKind = poaOnLakehouse("ingest", "nothing", "--input", "x.jsonl");
        assertEquals(1, unknownKind.code());
        assertEquals("poa: unknown input kind 'nothing': expected datanets, contributions, votes, models, inferences, gradients or all",
                lastLine(unknownKind.err()));

        Result missingInput = poaOnLakehouse("ingest", "votes", "--input", work.resolve("absent.jsonl").toString());
        assertEquals(1, missingInput.code());
        assertTrue(lastLine(missingInput.err()).matches("poa: input .*absent.jsonl does not exist"), missingInput.err());
        assertTrue(!missingInput.err().contains("\tat "), "no stack trace");
        Result missingOk = poaOnLakehouse("ingest", "votes", "--missing-ok", "--input", work.resolve("absent").toString());
        assertEquals(0, missingOk.code(), missingOk.err());
        assertTrue(missingOk.out().matches("(?s)votes: nothing to ingest at .*absent\\R"), missingOk.out());
        Result noBatch = poaOnLakehouse("ingest", "all", "--missing-ok", "--input", work.resolve("absent").toString());
        assertEquals(1, noBatch.code(), "--missing-ok never excuses a missing batch folder");
        assertTrue(lastLine(noBatch.err()).matches("poa: input .*absent does not exist"), noBatch.err());
        Files.createDirectories(work.resolve("empty-batch"));
        Result emptyBatch = poaOnLakehouse("ingest", "all", "--input", work.resolve("empty-batch").toString());
        assertEquals(1, emptyBatch.code());
        assertTrue(lastLine(emptyBatch.err()).matches("poa: input .*empty-batch holds none of datanets/, .*"), emptyBatch.err());
        Result emptyBatchOk = poaOnLakehouse("ingest", "all", "--missing-ok", "--input", work.resolve("empty-batch").toString());
        assertEquals(0, emptyBatchOk.code(), emptyBatchOk.err());
        assertEquals(6, emptyBatchOk.out().lines().filter(l -> l.contains(": nothing to ingest at ")).count(), emptyBatchOk.out());

        Result badSql = poaOnLakehouse("sql", "SELEC nonsense");
        assertEquals(1, badSql.code());
        assertTrue(lastLine(badSql.err()).startsWith("poa: "), badSql.err());
        assertTrue(!badSql.err().contains("\tat "), "no stack trace");

        Result noChain = poaOnLakehouse("settle", "--epoch", "1");
        assertEquals(1, noChain.code());
        assertEquals("poa: no chain: pass --rpc-url or set POA_RPC_URL", lastLine(noChain.err()));
        Result noKey = poaOnLakehouse("claim", "--epoch", "1", "--account", "0x1111111111111111111111111111111111111111",
                "--rpc-url", "http://127.0.0.1:9", "--chain-id", "31337", "--distributor", "0x000000000000000000000000000000000000dEaD");
        assertEquals(1, noKey.code());
        assertEquals("poa: no signing key: set POA_PRIVATE_KEY or pass --keystore FILE --password-file FILE", lastLine(noKey.err()));
        Result noNode = poaOnLakehouse("audit", "--epoch", "1", "--rpc-url", "http://127.0.0.1:9", "--chain-id", "31337",
                "--distributor", "0x000000000000000000000000000000000000dEaD", "--rpc-attempts", "2");
        assertEquals(1, noNode.code());
        assertTrue(noNode.out().contains("FAIL chain: the chain at http://127.0.0.1:9 did not answer eth_chainId after 2 attempts"),
                noNode.out());

        Result noOption = poa("ingest", "votes");
        assertEquals(2, noOption.code());
        assertTrue(lastLine(noOption.err()).contains("Missing required option: '--input=PATH'"), noOption.err());
    }

    @Test
    @Order(5)
    void everyCommandHasHelp() {
        for (List<String> command : List.<List<String>>of(List.of(), List.of("ingest"), List.of("sql"), List.of("tables"),
                List.of("status"), List.of("lineage"), List.of("lineage", "verify"), List.of("lineage", "show"),
                List.of("generate"), List.of("demo"), List.of("settle"), List.of("claim"), List.of("audit"))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.add("--help");
            Result help = poa(args.toArray(String[]::new));
            assertEquals(0, help.code(), String.join(" ", command));
            assertTrue(help.out().startsWith("Usage: poa"), help.out());
        }
    }

    static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** Reuses the lakehouse test fixtures' folder removal. */
    static final class SparkTestBaseAccess extends SparkTestBase {
        static void delete(Path root) {
            deleteTree(root);
        }
    }
}

package org.poa.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.poa.jobs.pipeline.EpochStep;
import org.poa.jobs.testkit.Poa;
import org.poa.jobs.testkit.S3ProxyServer;
import org.poa.jobs.testkit.ReferenceEpoch;
import org.poa.jobs.testkit.StandaloneCluster;

/**
 * One epoch (ingest to merkle) three ways on the same inputs: step by step on local Spark (each
 * step its own command: {@link ReferenceEpoch}), as one {@code poa epoch} spark-submitted to a real
 * Spark standalone cluster (a master and two one-core workers from pyspark's bundled distribution,
 * other partitioning), and as one {@code poa epoch} on an S3 lakehouse (S3Proxy on loopback). All three
 * give exactly the same rows and the same tree.json, byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutIT {

    /** What must be identical: each table's columns, every row as JSON (doubles as their shortest exact decimal). */
    static final Map<String, String> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("attributions", "*");
        COLUMNS.put("attribution_spans", "*");
        COLUMNS.put("rewards", "*");
        COLUMNS.put("balances", "*");
        COLUMNS.put("merkle_roots", "epoch, root, leaf_count, total_cumulative_wei");
        COLUMNS.put("merkle_proofs", "account, cumulative_wei, proof");
    }

    /** One query for all of them: rows tagged with their table, sorted. */
    static final String ALL_ROWS = COLUMNS.entrySet().stream()
            .map(e -> "SELECT '" + e.getKey() + "' AS t, to_json(struct(" + e.getValue() + ")) AS r FROM " + e.getKey())
            .collect(Collectors.joining(" UNION ALL ")) + " ORDER BY t, r";

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    ReferenceEpoch reference;
    Map<String, String> local;
    byte[] localTree;

    /** The pipeline's steps from ingest to merkle, each as its own command in this JVM (and settle and audit after). */
    @BeforeAll
    void stepByStepOnLocalSpark() throws Exception {
        reference = ReferenceEpoch.get();
        local = tables(Poa.inProcess(), reference.lakehouse());
        localTree = Files.readAllBytes(Path.of(reference.lakehouse(), "epochs/1/tree.json"));
    }

    String[] epoch(EpochStep from, EpochStep to) {
        return reference.args(from, to);
    }

    @Test
    void aStandaloneClusterGivesTheLocalRowsAndRoot() throws Exception {
        Path sparkHome = Path.of(exec(List.of(Poa.ROOT.resolve("bin/spark-home").toString())).strip());
        try (StandaloneCluster cluster = StandaloneCluster.start(sparkHome, 2, dir.resolve("cluster"))) {
            String lakehouse = dir.resolve("on-cluster").toString();
            Poa submit = Poa.launcher().dir(dir.resolve("submit")).env("SPARK_HOME", sparkHome.toString()).env("SPARK_LOCAL_IP", "127.0.0.1")
                    // Other partitioning than the local run (2 shuffle partitions there): 5 over two executors.
                    .global("--master", cluster.url, "--lakehouse", lakehouse,
                            "--conf", "spark.sql.shuffle.partitions=5", "--conf", "spark.databricks.delta.snapshotPartitions=2",
                            "--conf", "spark.executor.extraJavaOptions=" + Poa.QUICK_JVM);
            var run = submit.run(epoch(EpochStep.INGEST, EpochStep.MERKLE)).ok();
            assertEquals(EpochStep.range(EpochStep.INGEST, EpochStep.MERKLE).size(),
                    run.out().lines().filter(l -> l.matches("step \\w+ of epoch 1 done in .*")).count(), run.describe());
            assertTrue(cluster.completedApplications() >= 1, "the pipeline ran as an application of the cluster");
            assertEquals(local, tables(Poa.inProcess(), lakehouse));
            assertArrayEquals(localTree, Files.readAllBytes(Path.of(lakehouse, "epochs/1/tree.json")));
        }
    }

    @Test
    void anS3LakehouseGivesTheLocalRowsAndRoot() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"), "poa-scale-out")) {
            String lakehouse = "s3a://" + s3.bucket + "/lake";
            List<String> global = new ArrayList<>(List.of("--lakehouse", lakehouse));
            global.addAll(List.of(s3.inProcessOptions()));
            Poa onS3 = Poa.inProcess().env("POA_S3_ENDPOINT", s3.url).global(global.toArray(String[]::new));
            onS3.run(epoch(EpochStep.INGEST, EpochStep.MERKLE)).ok();
            assertEquals(local, tables(onS3.copy(), null));
            // The server's own copy of the tree (its filesystem store), and the proof tool reading it over S3.
            assertArrayEquals(localTree, Files.readAllBytes(s3.blobs.resolve(s3.bucket + "/lake/epochs/1/tree.json")));
            var proof = onS3.run("proof", "--epoch", "1", "--account", first(local, "balances", "account")).ok();
            assertTrue(proof.out().contains(first(local, "merkle_roots", "root")), proof.out());
        }
    }

    /** Every compared table of a lakehouse: its rows as JSON lines in order. */
    static Map<String, String> tables(Poa poa, String lakehouse) throws Exception {
        Map<String, StringBuilder> rows = new LinkedHashMap<>();
        COLUMNS.keySet().forEach(table -> rows.put(table, new StringBuilder()));
        Poa reader = lakehouse == null ? poa : poa.global("--lakehouse", lakehouse);
        String out = reader.run("sql", ALL_ROWS, "--format", "json").ok().out();
        for (String line : out.lines().toList()) {
            var row = JSON.readTree(line);
            rows.get(row.path("t").asText()).append(row.path("r").asText()).append('\n');
        }
        Map<String, String> tables = new LinkedHashMap<>();
        rows.forEach((table, text) -> {
            assertTrue(text.length() > 0, table + " is empty");
            tables.put(table, text.toString());
        });
        return tables;
    }

    /** A field of a table's first row. */
    static String first(Map<String, String> tables, String table, String field) throws IOException {
        return JSON.readTree(tables.get(table).lines().findFirst().orElseThrow()).path(field).asText();
    }

    static String exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.MINUTES) && p.exitValue() == 0, String.join(" ", command) + " failed");
        return out;
    }
}

package org.poa.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same jar on a real Spark standalone cluster (a master and two workers from pyspark's bundled
 * distribution) and on an S3 lakehouse (S3Proxy on loopback): one whole epoch (ingest, attribute,
 * rewards, merkle) gives exactly the rows and root of a local-mode run on the same inputs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutIT {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String TREASURY = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    static final List<String> KINDS = List.of("datanets", "contributions", "votes", "models", "inferences");
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

    /** One query for all of them (each bin/poa is a JVM and a Spark session): rows tagged with their table, sorted. */
    static final String ALL_ROWS = COLUMNS.entrySet().stream()
            .map(e -> "SELECT '" + e.getKey() + "' AS t, to_json(struct(" + e.getValue() + ")) AS r FROM " + e.getKey())
            .collect(java.util.stream.Collectors.joining(" UNION ALL ")) + " ORDER BY t, r";

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    static Path dir;
    Path input;
    Map<String, String> local;
    byte[] localTree;

    record Run(int code, String out, String err) {
    }

    Run poa(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("bin/poa").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("POA_") || name.startsWith("AWS_"));
        builder.environment().put("POA_DRIVER_MEMORY", "1g");
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "bin/poa " + String.join(" ", args) + " timed out");
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        assertEquals(0, run.code(), "bin/poa " + String.join(" ", args) + ":\n" + run.out() + run.err());
        return run;
    }

    /** ingest (the batch of all five) → attribute → rewards → merkle of epoch 1, with these global options. */
    void epoch(Map<String, String> env, List<String> global) throws Exception {
        poa(env, with(global, "ingest", "all", "--input", input.toString()));
        poa(env, with(global, "attribute", "--epoch", "1"));
        poa(env, with(global, "rewards", "--epoch", "1", "--treasury", TREASURY));
        poa(env, with(global, "merkle", "--epoch", "1"));
    }

    /** Every compared table of a lakehouse: its rows as JSON lines in order, read in local mode. */
    Map<String, String> tables(Map<String, String> env, String lakehouse) throws Exception {
        Map<String, StringBuilder> rows = new LinkedHashMap<>();
        COLUMNS.keySet().forEach(table -> rows.put(table, new StringBuilder()));
        String out = poa(env, "--master", "local[2]", "--lakehouse", lakehouse, "sql", ALL_ROWS, "--format", "json").out();
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

    @BeforeAll
    void localRun() throws Exception {
        input = dir.resolve("input");
        Path generated = dir.resolve("generated");
        poa(Map.of(), "generate", "--out", generated.toString(), "--contributions", "150", "--inferences", "200", "--epochs", "1",
                "--seed", "11");
        for (String kind : KINDS) {  // a batch folder, as the scheduler delivers it
            Files.createDirectories(input.resolve(kind));
            Files.move(generated.resolve(kind + ".jsonl"), input.resolve(kind).resolve(kind + ".jsonl"));
        }
        String lakehouse = dir.resolve("local").toString();
        epoch(Map.of(), List.of("--master", "local[2]", "--lakehouse", lakehouse));
        local = tables(Map.of(), lakehouse);
        localTree = Files.readAllBytes(dir.resolve("local/epochs/1/tree.json"));
    }

    @Test
    void aStandaloneClusterGivesTheLocalRowsAndRoot() throws Exception {
        Path sparkHome = Path.of(exec(List.of(ROOT.resolve("bin/spark-home").toString())).strip());
        try (StandaloneCluster cluster = StandaloneCluster.start(sparkHome, 2, dir.resolve("cluster"))) {
            String lakehouse = dir.resolve("on-cluster").toString();
            Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", "127.0.0.1");
            // Other partitioning than the local run (16 shuffle partitions, 2 local cores): 5 over two executors.
            epoch(env, List.of("--master", cluster.url, "--lakehouse", lakehouse,
                    "--conf", "spark.sql.shuffle.partitions=5", "--conf", "spark.databricks.delta.snapshotPartitions=2"));
            assertTrue(cluster.completedApplications() >= 4, "the steps ran as applications of the cluster");
            assertEquals(local, tables(Map.of(), lakehouse));
            assertArrayEquals(localTree, Files.readAllBytes(Path.of(lakehouse, "epochs/1/tree.json")));
        }
    }

    @Test
    void anS3LakehouseGivesTheLocalRowsAndRoot() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"), "poa")) {
            Map<String, String> env = Map.of("POA_S3_ENDPOINT", s3.url, "AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY,
                    "AWS_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL);
            String lakehouse = "s3a://poa/lake";
            epoch(env, List.of("--master", "local[2]", "--lakehouse", lakehouse));
            assertEquals(local, tables(env, lakehouse));
            // The server's own copy of the tree (its filesystem store), and the proof tool reading it over S3.
            assertArrayEquals(localTree, Files.readAllBytes(s3.blobs.resolve("poa/lake/epochs/1/tree.json")));
            Run proof = poa(env, "--lakehouse", lakehouse, "proof", "--epoch", "1", "--account", first(local, "balances", "account"));
            assertTrue(proof.out().contains(first(local, "merkle_roots", "root")), proof.out());
        }
    }

    static String[] with(List<String> global, String... args) {
        List<String> all = new ArrayList<>(global);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    static String exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.MINUTES) && p.exitValue() == 0, String.join(" ", command) + " failed");
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A Spark master and workers on loopback (spark-class of the distribution), stopped on close. */
    static final class StandaloneCluster implements AutoCloseable {
        final String url;
        private final int webPort;
        private final List<Process> processes = new ArrayList<>();
        private final HttpClient http = HttpClient.newHttpClient();

        private StandaloneCluster(String url, int webPort) {
            this.url = url;
            this.webPort = webPort;
        }

        static StandaloneCluster start(Path sparkHome, int workers, Path folder) throws Exception {
            Files.createDirectories(folder);
            int port = freePort();
            int web = freePort();
            StandaloneCluster cluster = new StandaloneCluster("spark://127.0.0.1:" + port, web);
            try {
                cluster.launch(sparkHome, folder.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                        "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(web));
                for (int i = 1; i <= workers; i++) {
                    cluster.launch(sparkHome, folder.resolve("worker" + i + ".log"), "org.apache.spark.deploy.worker.Worker",
                            "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(freePort()),
                            "--work-dir", folder.resolve("work" + i).toString(), cluster.url);
                }
                Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
                while (cluster.status().path("aliveworkers").asInt() < workers) {
                    assertTrue(Instant.now().isBefore(deadline), "the cluster did not come up: see " + folder);
                    Thread.sleep(500);
                }
                return cluster;
            } catch (Exception | AssertionError e) {
                cluster.close();
                throw e;
            }
        }

        private void launch(Path sparkHome, Path log, String main, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(sparkHome.resolve("bin/spark-class").toString(), main));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("SPARK_HOME", sparkHome.toString());
            builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            processes.add(builder.start());
        }

        com.fasterxml.jackson.databind.JsonNode status() throws InterruptedException {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/json/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            } catch (IOException notYet) {
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
        }

        int completedApplications() throws InterruptedException {
            return status().path("completedapps").size();
        }

        @Override
        public void close() {
            // Workers first (they would otherwise try to reconnect), then the master.
            for (int i = processes.size() - 1; i >= 0; i--) {
                Process p = processes.get(i);
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                try {
                    if (!p.waitFor(20, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
        }
    }

    /** S3Proxy (Maven Central, copied to target/s3proxy by the build) with its filesystem store, on loopback. */
    static final class S3ProxyServer implements AutoCloseable {
        static final String IDENTITY = "poa-test";
        static final String CREDENTIAL = "poa-test-secret";
        final String url;
        final Path blobs;
        private final Process process;

        private S3ProxyServer(String url, Path blobs, Process process) {
            this.url = url;
            this.blobs = blobs;
            this.process = process;
        }

        static S3ProxyServer start(Path folder, String bucket) throws Exception {
            Path blobs = folder.resolve("blobs");
            // A bucket of the filesystem store is a folder.
            Files.createDirectories(blobs.resolve(bucket));
            int port = freePort();
            String url = "http://127.0.0.1:" + port;
            Path conf = folder.resolve("s3proxy.conf");
            Files.writeString(conf, String.join("\n",
                    "s3proxy.endpoint=" + url,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + IDENTITY,
                    "s3proxy.credential=" + CREDENTIAL,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + blobs) + "\n");
            Path jar = ROOT.resolve("jobs/target/s3proxy/s3proxy.jar");
            assertTrue(Files.isRegularFile(jar), jar + " is missing (the build copies it before the integration tests)");
            Process process = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx512m", "-jar", jar.toString(),
                    "--properties", conf.toString()).redirectErrorStream(true).redirectOutput(folder.resolve("s3proxy.log").toFile()).start();
            S3ProxyServer server = new S3ProxyServer(url, blobs, process);
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            HttpClient http = HttpClient.newHttpClient();
            while (true) {
                try {
                    http.send(HttpRequest.newBuilder(URI.create(url + "/")).build(), HttpResponse.BodyHandlers.discarding());
                    return server;
                } catch (IOException notYet) {
                    if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                        server.close();
                        throw new IllegalStateException("S3Proxy did not start: see " + folder.resolve("s3proxy.log"));
                    }
                    Thread.sleep(200);
                }
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}

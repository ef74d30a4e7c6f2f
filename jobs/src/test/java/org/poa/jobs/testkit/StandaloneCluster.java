package org.poa.jobs.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A Spark standalone master and workers on loopback (spark-class of a distribution), stopped on close. */
public final class StandaloneCluster implements AutoCloseable {

    /** The master's URL, e.g. spark://127.0.0.1:7077. */
    public final String url;
    private final int webPort;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private StandaloneCluster(String url, int webPort) {
        this.url = url;
        this.webPort = webPort;
    }

    /** A master and {@code workers} workers of one core and 1 GiB each; waits until all are registered. */
    public static StandaloneCluster start(Path sparkHome, int workers, Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        int port = Ports.free();
        int web = Ports.free();
        StandaloneCluster cluster = new StandaloneCluster("spark://127.0.0.1:" + port, web);
        try {
            cluster.launch(sparkHome, folder.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(web));
            for (int i = 1; i <= workers; i++) {
                cluster.launch(sparkHome, folder.resolve("worker" + i + ".log"), "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(Ports.free()),
                        "--work-dir", folder.resolve("work" + i).toString(), cluster.url);
            }
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (cluster.status().path("aliveworkers").asInt() < workers) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the cluster did not come up: see " + folder);
                }
                Thread.sleep(500);
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
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

    /** The master's JSON status, or a missing node while it does not answer. */
    public JsonNode status() throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/json/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body());
        } catch (IOException notYet) {
            return MissingNode.getInstance();
        }
    }

    public int completedApplications() throws InterruptedException {
        return status().path("completedapps").size();
    }

    @Override
    public void close() {
        // Workers first (they would otherwise try to reconnect), then the master.
        for (int i = processes.size() - 1; i >= 0; i--) {
            ChildProcesses.stop(processes.get(i), Duration.ofSeconds(20));
        }
    }
}

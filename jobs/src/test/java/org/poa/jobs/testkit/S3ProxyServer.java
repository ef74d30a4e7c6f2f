package org.poa.jobs.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * S3Proxy (Maven Central, copied to jobs/target/s3proxy by the build) with its filesystem store, on a
 * free loopback port, stopped on close. Each server gets a bucket of its own name.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String IDENTITY = "poa-test";
    public static final String CREDENTIAL = "poa-test-secret";

    /** The endpoint, e.g. http://127.0.0.1:41234. */
    public final String url;
    /** The store's folder: a bucket is a folder in it, an object a file. */
    public final Path blobs;
    public final String bucket;
    private final Process process;

    private S3ProxyServer(String url, Path blobs, String bucket, Process process) {
        this.url = url;
        this.blobs = blobs;
        this.bucket = bucket;
        this.process = process;
    }

    public static S3ProxyServer start(Path folder, String bucket) throws IOException, InterruptedException {
        Path blobs = folder.resolve("blobs");
        Files.createDirectories(blobs.resolve(bucket));
        int port = Ports.free();
        String url = "http://127.0.0.1:" + port;
        Path conf = folder.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n",
                "s3proxy.endpoint=" + url,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + blobs) + "\n");
        Path jar = Poa.ROOT.resolve("jobs/target/s3proxy/s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing (the build copies it before the integration tests)");
        }
        Process process = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx512m", "-jar", jar.toString(),
                "--properties", conf.toString()).redirectErrorStream(true).redirectOutput(folder.resolve("s3proxy.log").toFile()).start();
        S3ProxyServer server = new S3ProxyServer(url, blobs, bucket, process);
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

    /** The environment of a bin/poa process using this server (POA_S3_ENDPOINT and the AWS credential chain). */
    public Map<String, String> processEnvironment() {
        return Map.of("POA_S3_ENDPOINT", url, "AWS_ACCESS_KEY_ID", IDENTITY, "AWS_SECRET_ACCESS_KEY", CREDENTIAL);
    }

    /**
     * The settings of a command run in this JVM: the same endpoint, and the credentials as S3A settings
     * (the AWS credential chain reads the process's environment, which a test cannot set).
     */
    public String[] inProcessOptions() {
        return new String[] {"--conf", "spark.hadoop.fs.s3a.access.key=" + IDENTITY, "--conf", "spark.hadoop.fs.s3a.secret.key=" + CREDENTIAL};
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }
}

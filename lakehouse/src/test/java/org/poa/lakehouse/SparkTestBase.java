package org.poa.lakehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.spark.SparkSessions;

/** One local SparkSession for a whole test class, and a fresh lakehouse folder per class. */
public abstract class SparkTestBase {

    protected static SparkSession spark;
    protected static Path workDir;

    @BeforeAll
    static void startSpark() throws IOException {
        spark = SparkSessions.create("poa-test", "local[2]", Map.of(
                "spark.sql.shuffle.partitions", "2",
                "spark.default.parallelism", "2",
                "spark.databricks.delta.snapshotPartitions", "1",
                "spark.driver.memory", "1g"));
        workDir = Files.createTempDirectory("poa-test");
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
            spark = null;
        }
        deleteTree(workDir);
    }

    /** A new, empty lakehouse under the class's work folder. */
    protected static Lakehouse newLakehouse(String name) {
        return new Lakehouse(spark, workDir.resolve(name).toString());
    }

    /** Writes a text file under the work folder and returns its path. */
    protected static Path write(String relative, String text) {
        try {
            Path file = workDir.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

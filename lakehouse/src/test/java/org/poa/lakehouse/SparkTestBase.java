package org.poa.lakehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.poa.lakehouse.catalog.Lakehouse;

/** The JVM's shared SparkSession ({@link SharedSpark}) for a test class, and a fresh lakehouse folder per class. */
public abstract class SparkTestBase {

    protected static SparkSession spark;
    protected static Path workDir;

    @BeforeAll
    static void startSpark() throws IOException {
        spark = SharedSpark.session();
        workDir = Files.createTempDirectory("poa-test");
    }

    @AfterAll
    static void releaseSpark() {
        SharedSpark.reset();
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

    public static void deleteTree(Path root) {
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

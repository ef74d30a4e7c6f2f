package org.poa.lakehouse;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.poa.lakehouse.spark.SparkSessions;

/**
 * The one SparkSession of a test JVM: local[2] (or {@code -Dpoa.test.master}),
 * two shuffle partitions, UI off, started on first use and stopped when the JVM exits. Tests change settings at
 * run time (and put them back) instead of starting another session.
 *
 * <p>Expressions are evaluated by Spark's interpreter, not compiled: on the few rows of a test,
 * generating and compiling code per query costs more than it saves (a third of a typical test's
 * wall time, measured). Spark checks both paths against each other; so does EpochCommandIT, which
 * re-runs the whole pipeline with the product's code generation and must write nothing (the
 * processes the tests start interpret too: Poa.SMALL_DATA in the jobs module). Delta's checksum
 * files and adaptive execution are off here too (see {@link #settings()}).
 */
public final class SharedSpark {

    /** The settings every test starts from. */
    public static final Map<String, String> SETTINGS = settings();

    private static SparkSession session;

    private SharedSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSessions.create("poa-test", System.getProperty("poa.test.master", "local[2]"), SETTINGS);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                synchronized (SharedSpark.class) {
                    session.stop();
                }
            }, "stop-shared-spark"));
        }
        return session;
    }

    /** Puts the run-time settings a test may have changed back, and drops what it cached. */
    public static synchronized void reset() {
        if (session == null) {
            return;
        }
        session.catalog().clearCache();
        session.conf().set("spark.sql.shuffle.partitions", SETTINGS.get("spark.sql.shuffle.partitions"));
        session.conf().set("spark.databricks.delta.snapshotPartitions", SETTINGS.get("spark.databricks.delta.snapshotPartitions"));
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spark.sql.shuffle.partitions", System.getProperty("poa.test.partitions", "2"));
        settings.put("spark.default.parallelism", System.getProperty("poa.test.partitions", "2"));
        settings.put("spark.databricks.delta.snapshotPartitions", "1");
        settings.put("spark.driver.memory", "1g");
        settings.put("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        // Whole stages interpreted too, not one generated class per query (IngestDeterminismTest alone:
        // 93.3 s with them compiled, 84.2 s without, 7% less CPU).
        settings.put("spark.sql.codegen.wholeStage", "false");
        // No .crc file per commit: on tables of a few files it only costs time. (Delta's file statistics
        // stay on: `poa tables` counts rows from them without reading a data file.)
        settings.put("spark.databricks.delta.writeChecksumFile.enabled", "false");
        // No adaptive re-planning between stages: on a test's few rows it only adds planning, and the
        // partition counts a test sets are the ones that run.
        settings.put("spark.sql.adaptive.enabled", "false");
        // -Dpoa.test.spark=key=value,key=value: settings to try on a test run (measuring, bisecting).
        for (String pair : System.getProperty("poa.test.spark", "").split(",")) {
            if (pair.contains("=")) {
                settings.put(pair.substring(0, pair.indexOf('=')).strip(), pair.substring(pair.indexOf('=') + 1).strip());
            }
        }
        return settings;
    }
}

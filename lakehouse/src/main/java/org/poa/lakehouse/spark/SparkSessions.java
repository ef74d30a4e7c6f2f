package org.poa.lakehouse.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.poa.lakehouse.fs.NioLocalFileSystem;
import org.poa.lakehouse.fs.NioLocalFs;

/**
 * Builds the project's SparkSession: Delta enabled, UTC, java.time values. Without a master the
 * session takes whatever spark-submit configured, so the same main runs locally and on a cluster.
 */
public final class SparkSessions {

    private SparkSessions() {
    }

    public static final String REDACTION_REGEX = "spark.redaction.regex";
    /** Spark's own default for {@link #REDACTION_REGEX}. */
    static final String SPARK_REDACTION = "(?i)secret|password|token|access[.]?key";
    /** What Spark's default misses: POA_PRIVATE_KEY, POA_TREASURY_PRIVATE_KEY, keystore passwords and paths. */
    static final String KEY_REDACTION = "(?i)private[._-]?key|keystore";

    /** {@code regex} widened to also redact signing keys (case-insensitively). */
    public static String redaction(String regex) {
        return regex.contains(KEY_REDACTION) ? regex : regex + "|" + KEY_REDACTION;
    }

    /**
     * @param master {@code local[*]}, {@code spark://host:port}, ... or null to leave it to spark-submit
     * @param extra  further Spark settings (e.g. {@code spark.hadoop.fs.s3a.*}); they win over defaults
     */
    public static SparkSession create(String appName, String master, Map<String, String> extra) {
        // What spark-submit (or spark-defaults) set arrives as spark.* system properties: it wins
        // over the defaults below, and --conf/extra wins over both.
        SparkConf submitted = new SparkConf();
        String effectiveMaster = master != null ? master : submitted.get("spark.master", "");
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("spark.sql.session.timeZone", "UTC");
        defaults.put("spark.sql.datetime.java8API.enabled", "true");
        // Money and ids must not depend on how Spark guesses the case of column names.
        defaults.put("spark.sql.caseSensitive", "true");
        defaults.put("spark.databricks.delta.schema.autoMerge.enabled", "false");
        if (effectiveMaster.startsWith("local")) {
            defaults.put("spark.ui.enabled", "false");
            defaults.put("spark.ui.showConsoleProgress", "false");
            // Enough shuffle partitions for large inputs; adaptive execution merges them down to its
            // advisory size for small ones instead of to the core count.
            defaults.put("spark.sql.shuffle.partitions", "16");
            defaults.put("spark.sql.adaptive.coalescePartitions.parallelismFirst", "false");
            // Delta's default of 50 partitions for log replay costs seconds per table read locally.
            defaults.put("spark.databricks.delta.snapshotPartitions", "2");
            defaults.put("spark.driver.host", "127.0.0.1");
            defaults.put("spark.driver.bindAddress", "127.0.0.1");
            // Local folders without a chmod or readlink child process per file (see NioLocalFileSystem).
            // Local masters only: there the driver is every executor, so the class is on the one classpath.
            defaults.put("spark.hadoop." + NioLocalFileSystem.FILE_SYSTEM_KEY, NioLocalFileSystem.class.getName());
            defaults.put("spark.hadoop." + NioLocalFs.ABSTRACT_FILE_SYSTEM_KEY, NioLocalFs.class.getName());
        }
        SparkSession.Builder builder = SparkSession.builder().appName(appName)
                // Delta is the storage of every table: always on.
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        if (master != null) {
            builder = builder.master(master);
        }
        for (Map.Entry<String, String> entry : defaults.entrySet()) {
            if (!submitted.contains(entry.getKey())) {
                builder = builder.config(entry.getKey(), entry.getValue());
            }
        }
        for (Map.Entry<String, String> entry : extra.entrySet()) {
            builder = builder.config(entry.getKey(), entry.getValue());
        }
        // Whatever else redacts (a --conf of its own included), signing keys do: a key that reaches the
        // conf or the environment (a cluster manager's driver env) must not show in the UI's
        // Environment tab or the event log.
        String given = extra.containsKey(REDACTION_REGEX) ? extra.get(REDACTION_REGEX) : submitted.get(REDACTION_REGEX, SPARK_REDACTION);
        builder = builder.config(REDACTION_REGEX, redaction(given));
        return builder.getOrCreate();
    }

    /**
     * A new session on a running session's Spark context, for a caller that borrows it (tests, an
     * embedding application): own SQL settings and views, nothing to stop. {@code extra} settings
     * are set on it at run time; {@code spark.hadoop.*} ones as the Hadoop keys they name, which is
     * how a running session passes them to its file systems.
     */
    public static SparkSession borrow(SparkSession running, Map<String, String> extra) {
        SparkSession session = running.newSession();
        for (Map.Entry<String, String> entry : extra.entrySet()) {
            String key = entry.getKey().startsWith("spark.hadoop.") ? entry.getKey().substring("spark.hadoop.".length()) : entry.getKey();
            try {
                session.conf().set(key, entry.getValue());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--conf " + entry.getKey() + " cannot change in a running Spark session: "
                        + e.getMessage(), e);
            }
        }
        return session;
    }
}

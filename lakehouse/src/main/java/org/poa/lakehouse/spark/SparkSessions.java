package org.poa.lakehouse.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the project's SparkSession: Delta enabled, UTC, java.time values. Without a master the
 * session takes whatever spark-submit configured, so the same main runs locally and on a cluster.
 */
public final class SparkSessions {

    private SparkSessions() {
    }

    /**
     * @param master {@code local[*]}, {@code spark://host:port}, ... or null to leave it to spark-submit
     * @param extra  further Spark settings (e.g. {@code spark.hadoop.fs.s3a.*}); they win over defaults
     */
    public static SparkSession create(String appName, String master, Map<String, String> extra) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName)
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.datetime.java8API.enabled", "true")
                // Money and ids must not depend on how Spark guesses types of input files.
                .config("spark.sql.caseSensitive", "true")
                .config("spark.databricks.delta.schema.autoMerge.enabled", "false");
        boolean local = master != null && master.startsWith("local");
        if (master != null) {
            builder = builder.master(master);
        }
        if (local) {
            builder = builder
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    // Enough shuffle partitions for large inputs; adaptive execution merges them down
                    // to its advisory size for small ones instead of to the core count.
                    .config("spark.sql.shuffle.partitions", "16")
                    .config("spark.sql.adaptive.coalescePartitions.parallelismFirst", "false")
                    // Delta's default of 50 partitions for log replay costs seconds per table read locally.
                    .config("spark.databricks.delta.snapshotPartitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        for (Map.Entry<String, String> entry : extra.entrySet()) {
            builder = builder.config(entry.getKey(), entry.getValue());
        }
        return builder.getOrCreate();
    }
}

package org.poa.jobs.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.config.EpochClock;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.spark.SparkSessions;

/**
 * What every command shares: the global options, and the Spark session and lakehouse made from
 * them on first use (commands that need no Spark never start it).
 */
public final class PoaContext implements AutoCloseable {

    private final String master;
    private final String root;
    private final Map<String, String> conf;
    private final EpochClock clock;
    private SparkSession spark;
    private Lakehouse lakehouse;

    public PoaContext(String master, String root, Map<String, String> conf, EpochClock clock) {
        this.master = master;
        this.root = root;
        // POA_S3_ENDPOINT's settings first, so that an explicit --conf wins over them.
        this.conf = new LinkedHashMap<>(S3Endpoint.settings(System.getenv("POA_S3_ENDPOINT"), System.getenv()));
        this.conf.putAll(conf);
        this.clock = clock;
    }

    public String root() {
        return root;
    }

    public EpochClock clock() {
        return clock;
    }

    public Lakehouse lakehouse() {
        if (lakehouse == null) {
            Progress.step("starting Spark (" + (master == null ? "spark-submit's master" : master) + ")");
            spark = SparkSessions.create("poa", master, conf);
            lakehouse = new Lakehouse(spark, root);
        }
        return lakehouse;
    }

    /**
     * Hadoop settings for file access without Spark (tree dumps): the {@code spark.hadoop.*} entries
     * of {@code --conf}, as Spark would apply them.
     */
    public org.apache.hadoop.conf.Configuration hadoopConf() {
        if (spark != null) {
            return spark.sparkContext().hadoopConfiguration();
        }
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        conf.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
                hadoop.set(k.substring("spark.hadoop.".length()), v);
            }
        });
        return hadoop;
    }

    public IngestOptions ingestOptions(int maxContentBytes) {
        return new IngestOptions(clock, maxContentBytes, Set.of("commercial"));
    }

    @Override
    public void close() {
        if (spark != null) {
            spark.stop();
            spark = null;
            lakehouse = null;
        }
    }

    /** Parses {@code --epoch-length} values such as 1d, 6h, 30m, PT1H. */
    public static Duration parseLength(String text) {
        String t = text.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t);
        }
        if (t.length() < 2) {
            throw new IllegalArgumentException("epoch length '" + text + "' is not like 1d, 6h, 30m or PT1H");
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("epoch length '" + text + "' is not like 1d, 6h, 30m or PT1H");
        }
        return switch (t.charAt(t.length() - 1)) {
            case 'd' -> Duration.ofDays(n);
            case 'h' -> Duration.ofHours(n);
            case 'm' -> Duration.ofMinutes(n);
            case 's' -> Duration.ofSeconds(n);
            default -> throw new IllegalArgumentException("epoch length '" + text + "' is not like 1d, 6h, 30m or PT1H");
        };
    }

    public static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 UTC time like 2026-01-01T00:00:00Z");
        }
    }
}

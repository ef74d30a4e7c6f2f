package org.poa.jobs.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.poa.core.cli.Progress;
import org.poa.core.epoch.EpochClock;
import org.poa.jobs.pipeline.EpochActions;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.spark.SparkSessions;

/**
 * What every command shares: the global options, the environment, and the Spark session and
 * lakehouse made from them on first use (commands that need no Spark never start it). With a
 * borrowed session, the command works in a new session of it (its own settings and views) and
 * leaves it running.
 */
public final class PoaContext implements AutoCloseable {

    private final String master;
    private final String root;
    private final Map<String, String> conf;
    private final EpochClock clock;
    private final PoaEnvironment environment;
    private final Progress progress;
    private SparkSession spark;
    private boolean ownSession;
    private Lakehouse lakehouse;

    PoaContext(String master, String root, Map<String, String> conf, EpochClock clock, PoaEnvironment environment) {
        this.master = master;
        this.root = root;
        // POA_S3_ENDPOINT's settings first, so that an explicit --conf wins over them.
        this.conf = new LinkedHashMap<>(S3Endpoint.settings(environment.get("POA_S3_ENDPOINT"), environment.variables()));
        this.conf.putAll(conf);
        this.clock = clock;
        this.environment = environment;
        this.progress = new Progress(environment.err(),
                Progress.Mode.of(environment.get("POA_PROGRESS"), System.console() != null));
    }

    public String root() {
        return root;
    }

    public EpochClock clock() {
        return clock;
    }

    public PoaEnvironment environment() {
        return environment;
    }

    public PrintWriter out() {
        return environment.out();
    }

    /** Progress lines on the error stream. */
    public Progress progress() {
        return progress;
    }

    /** Adds Spark settings for the session this context starts (static ones included); only before it starts. */
    public void configure(Map<String, String> settings) {
        if (lakehouse != null) {
            throw new IllegalStateException("Spark has started: settings can no longer be added");
        }
        conf.putAll(settings);
    }

    public Lakehouse lakehouse() {
        if (lakehouse == null) {
            if (environment.spark() != null) {
                spark = SparkSessions.borrow(environment.spark(), conf);
            } else {
                progress.step("starting Spark (" + (master == null ? "spark-submit's master" : master) + ")");
                spark = SparkSessions.create("poa", master, conf);
                ownSession = true;
            }
            lakehouse = new Lakehouse(spark, root);
        }
        return lakehouse;
    }

    /** The epoch's actions on this lakehouse. */
    public EpochActions actions() {
        return EpochActions.of(lakehouse(), clock, progress);
    }

    /**
     * Hadoop settings for file access without Spark (tree dumps): the {@code spark.hadoop.*} entries
     * of {@code --conf}, as Spark would apply them; the session's when Spark runs already.
     */
    public org.apache.hadoop.conf.Configuration hadoopConf() {
        if (lakehouse != null) {
            return lakehouse.hadoopConf();
        }
        if (environment.spark() != null) {
            return lakehouse().hadoopConf();
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
        return IngestOptions.of(clock, maxContentBytes);
    }

    @Override
    public void close() {
        if (spark != null && ownSession) {
            spark.stop();
        }
        spark = null;
        lakehouse = null;
    }
}

package org.poa.jobs.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.apache.spark.sql.connect.service.SparkConnectService$;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import scala.Option;

/**
 * Spark 4.2's own Spark Connect server over the lakehouse, in the driver of a poa process: every
 * table registered by its name in the session catalog, which every client session shares (so
 * {@code SELECT ... FROM rewards VERSION AS OF 3} works from any client), and, unless writes are
 * allowed, the {@link ReadOnlyCheck} on every client plan.
 */
public final class LakehouseServer implements AutoCloseable {

    private final String host;
    private final int port;
    private final List<String> tables;
    private final boolean readOnly;

    private LakehouseServer(String host, int port, List<String> tables, boolean readOnly) {
        this.host = host;
        this.port = port;
        this.tables = tables;
        this.readOnly = readOnly;
    }

    /**
     * The Spark settings the session needs before it starts: the server's address, and the read-only
     * check among the session extensions (a static setting: it cannot be added to a running session).
     */
    public static Map<String, String> settings(String lakehouseRoot, String host, int port, boolean readOnly) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("spark.connect.grpc.binding.address", host);
        settings.put("spark.connect.grpc.binding.port", Integer.toString(port));
        settings.put(ReadOnlyCheck.LAKEHOUSE_KEY, lakehouseRoot);
        settings.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension"
                + (readOnly ? "," + ReadOnlyExtension.class.getName() : ""));
        if (readOnly) {
            settings.put("spark.connect.grpc.interceptor.classes", ReadOnlyInterceptor.class.getName());
        }
        return settings;
    }

    /** Registers the tables (those written so far) and starts the server on the session's Spark context. */
    public static LakehouseServer start(Lakehouse lakehouse, String host) {
        SparkSession spark = lakehouse.spark();
        boolean readOnly = spark.sparkContext().getConf().get("spark.sql.extensions", "").contains(ReadOnlyExtension.class.getName());
        ReadOnlyCheck.trust(spark);
        List<String> names = new ArrayList<>();
        for (TableDef table : Tables.all()) {
            if (lakehouse.exists(table)) {
                // An external table over the existing Delta folder: a catalog entry, no write to the table.
                spark.sql("CREATE TABLE IF NOT EXISTS `" + table.name() + "` USING delta LOCATION '"
                        + lakehouse.path(table).replace("\\", "\\\\").replace("'", "\\'") + "'");
                names.add(table.name());
            }
        }
        SparkConnectService.start(spark.sparkContext());
        return new LakehouseServer(host, SparkConnectService$.MODULE$.localPort(), List.copyOf(names), readOnly);
    }

    /** The address clients connect to. */
    public String url() {
        return "sc://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public List<String> tables() {
        return tables;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Stops accepting clients and ends their sessions (waiting up to 10 s for running requests). */
    @Override
    public void close() {
        SparkConnectService.stop(Option.<Object>apply(10L), Option.apply(TimeUnit.SECONDS));
    }
}

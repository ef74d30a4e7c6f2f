package org.poa.lakehouse.catalog;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.poa.lakehouse.spark.Columns;

/**
 * The lakehouse: a root folder (local path or {@code s3a://bucket/prefix}) holding one Delta table
 * per {@link TableDef} at {@code <root>/<table name>}. Tables are created on first use and migrated
 * when this build's schema version is newer than the table's.
 */
public final class Lakehouse {

    /** Table property holding the schema version of {@link TableDef#schemaVersion()}. */
    public static final String SCHEMA_VERSION_PROPERTY = "poa.schema.version";

    private final SparkSession spark;
    private final String root;
    private final Map<String, Boolean> ensured = new ConcurrentHashMap<>();

    public Lakehouse(SparkSession spark, String root) {
        this.spark = spark;
        this.root = normalizeRoot(root);
    }

    public SparkSession spark() {
        return spark;
    }

    /** The root as a URI-like string without a trailing slash. */
    public String root() {
        return root;
    }

    /**
     * Hadoop settings for files of the lakehouse that are not tables (tree dumps, index shards): the
     * Spark context's, plus what this session set at run time, as Spark's own file sources see them.
     */
    public org.apache.hadoop.conf.Configuration hadoopConf() {
        return spark.sessionState().newHadoopConf();
    }

    /** Where a table's Delta log lives. */
    public String path(TableDef table) {
        return root + "/" + table.name();
    }

    /** Whether the table has been created (its log holds a commit). */
    public boolean exists(TableDef table) {
        return ensured.containsKey(table.name()) || hasCommit(path(table));
    }

    /** Creates the table if missing, migrates it if older; cheap after the first call. */
    public DeltaTable ensure(TableDef table) {
        ensured.computeIfAbsent(table.name(), name -> {
            String path = path(table);
            // Delta's isDeltaTable only looks for the _delta_log folder, which a killed creation leaves.
            if (!hasCommit(path)) {
                createOnce(table, path);
            } else {
                readable(table, () -> {
                    migrate(table, path);
                    return null;
                });
            }
            return Boolean.TRUE;
        });
        return DeltaTable.forPath(spark, path(table));
    }

    /** Ensures every table of the catalog, a few at a time (each is mostly waiting on small Delta jobs). */
    public void ensureAll() {
        forEachTable(this::ensure);
    }

    /**
     * The table's current snapshot as a DataFrame; a table never written reads as empty (reading
     * creates nothing, so a reader needs no write access and leaves no trace).
     */
    public Dataset<Row> read(TableDef table) {
        if (!exists(table)) {
            return spark.createDataFrame(List.of(), table.schema());
        }
        ensure(table);
        return readable(table, () -> spark.read().format("delta").load(path(table)));
    }

    /** The table at an earlier Delta version (time travel). */
    public Dataset<Row> readAtVersion(TableDef table, long version) {
        ensure(table);
        return readable(table, () -> spark.read().format("delta").option("versionAsOf", version).load(path(table)));
    }

    /** Runs a read of the table's log, naming the table when storage fails under it. */
    private <T> T readable(TableDef table, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (Exception e) {
            // Scala code throws checked exceptions (a JsonParseException of a corrupt commit) undeclared.
            if (TableUnreadableException.fromStorage(e)) {
                throw new TableUnreadableException(table, path(table), e);
            }
            throw Lakehouse.<RuntimeException>rethrow(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E rethrow(Exception e) throws E {
        throw (E) e;
    }

    /**
     * The table's current Delta version (creating the table when missing: steps record the versions
     * they read, and an empty table has one). Read from the log itself, without a Spark job.
     */
    public long version(TableDef table) {
        ensure(table);
        return readable(table, () -> org.apache.spark.sql.delta.DeltaLog.forTable(spark, path(table))
                .update(false, scala.Option.empty(), scala.Option.empty()).version());
    }

    /** Registers every table as a temporary view of its own name (an empty one for a table never written). */
    public void registerViews() {
        for (TableDef table : Tables.all()) {
            read(table).createOrReplaceTempView(table.name());
        }
    }

    private void create(TableDef table, String path) {
        DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark)
                .location(path)
                .addColumns(table.schema())
                .comment(table.description())
                .property(SCHEMA_VERSION_PROPERTY, Integer.toString(table.schemaVersion()));
        if (!table.partitionBy().isEmpty()) {
            builder = builder.partitionedBy(table.partitionBy().toArray(String[]::new));
        }
        if (table == Tables.MODEL_LINEAGE) {
            // The lineage is a hash chain: Delta itself refuses updates and deletes to it.
            builder = builder.property("delta.appendOnly", "true");
        }
        builder.execute();
    }

    /**
     * Creates a missing table. Two things can be in the way: another run creating it at the same
     * moment (then its table is used), or the debris of a run killed while creating it: a folder whose
     * {@code _delta_log} holds no commit, which Delta neither opens nor creates over. With no commit
     * nothing in it was ever part of a table, so it is removed and the table created.
     */
    private void createOnce(TableDef table, String path) {
        RuntimeException failure = null;
        try {
            create(table, path);
        } catch (Exception e) {
            // Delta's AnalysisExceptions are checked exceptions thrown from Scala: catch them all.
            failure = e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
        if (hasCommit(path) || createdByAnotherRun(path)) {
            return;
        }
        if (!removeUncommitted(path)) {
            throw failure != null ? failure
                    : new IllegalStateException("table " + table.name() + " at " + path + " could not be created");
        }
        create(table, path);
    }

    /** Removes a table folder that has no Delta commit (nothing of it was ever written); false if it has one. */
    private boolean removeUncommitted(String path) {
        if (hasCommit(path)) {
            return false;
        }
        try {
            org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(path);
            org.apache.hadoop.fs.FileSystem fs = folder.getFileSystem(spark.sessionState().newHadoopConf());
            boolean removed = !fs.exists(folder) || fs.delete(folder, true);
            // Delta caches the log it opened for the path (the empty one): forget it.
            org.apache.spark.sql.delta.DeltaLog.invalidateCache(spark, folder);
            return removed;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not clean up " + path + ": " + e.getMessage(), e);
        }
    }

    /** Whether the table's log holds a commit (or a checkpoint): the table exists. */
    private boolean hasCommit(String path) {
        try {
            org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path, "_delta_log");
            org.apache.hadoop.fs.FileSystem fs = log.getFileSystem(spark.sessionState().newHadoopConf());
            if (!fs.exists(log)) {
                return false;
            }
            for (org.apache.hadoop.fs.FileStatus file : fs.listStatus(log)) {
                if (file.getPath().getName().matches("[0-9]{20}\\.(json|checkpoint.*\\.parquet)")) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not read the Delta log at " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a failed create lost a race: another run (a concurrent run of the same step) created the
     * table at the same moment, so Delta found the location non-empty or the protocol changed. Its
     * first commit may still be landing: wait for it briefly.
     */
    private boolean createdByAnotherRun(String path) {
        for (int attempt = 0; attempt < 20; attempt++) {
            if (hasCommit(path)) {
                return true;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void migrate(TableDef table, String path) {
        // The snapshot's metadata straight from the log Delta has open (what SHOW TBLPROPERTIES reads,
        // without parsing and planning a query per table per run; DESCRIBE DETAIL would list its files).
        scala.Option<String> property = org.apache.spark.sql.delta.DeltaLog.forTable(spark, path)
                .update(false, scala.Option.empty(), scala.Option.empty()).metadata().configuration().get(SCHEMA_VERSION_PROPERTY);
        String value = property.isDefined() ? property.get() : "";
        int current = value.matches("[0-9]+") ? Integer.parseInt(value) : 0;
        if (current == table.schemaVersion()) {
            return;
        }
        if (current > table.schemaVersion()) {
            throw new IllegalStateException("table " + table.name() + " has schema version " + current
                    + ", newer than this build's " + table.schemaVersion() + ": upgrade poa");
        }
        StructType existing = spark.read().format("delta").load(path).schema();
        List<String> added = new ArrayList<>();
        for (StructField field : table.schema().fields()) {
            if (!List.of(existing.fieldNames()).contains(field.name())) {
                added.add(Columns.quoted(field.name()) + " " + field.dataType().sql());
            }
        }
        String target = "delta.`" + path + "`";
        if (!added.isEmpty()) {
            spark.sql("ALTER TABLE " + target + " ADD COLUMNS (" + String.join(", ", added) + ")");
        }
        spark.sql("ALTER TABLE " + target + " SET TBLPROPERTIES ('" + SCHEMA_VERSION_PROPERTY + "' = '"
                + table.schemaVersion() + "')");
    }

    /** Row count and version of every table, in catalog order; a table never written has version -1. */
    public Map<String, long[]> describeAll() {
        Map<String, long[]> found = new ConcurrentHashMap<>();
        forEachTable(table -> found.put(table.name(), exists(table) ? new long[] {read(table).count(), version(table)} : new long[] {0, -1}));
        Map<String, long[]> out = new LinkedHashMap<>();
        for (TableDef table : Tables.all()) {
            out.put(table.name(), found.get(table.name()));
        }
        return out;
    }

    private static void forEachTable(java.util.function.Consumer<TableDef> action) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (TableDef table : Tables.all()) {
                running.add(pool.submit(() -> action.accept(table)));
            }
            for (java.util.concurrent.Future<?> future : running) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening tables", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static String normalizeRoot(String root) {
        String trimmed = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        if (trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return trimmed;
        }
        if (trimmed.startsWith("file:")) {
            return trimmed;
        }
        return new File(trimmed).getAbsoluteFile().toPath().normalize().toString();
    }
}

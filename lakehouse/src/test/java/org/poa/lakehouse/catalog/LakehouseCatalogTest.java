package org.poa.lakehouse.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.SparkTestBase;

/** Tables are created on first use with their partitioning, and older schema versions are migrated. */
class LakehouseCatalogTest extends SparkTestBase {

    @Test
    void createsEveryTableWithItsSchemaAndPartitioning() {
        Lakehouse lakehouse = newLakehouse("catalog");
        lakehouse.ensureAll();
        for (TableDef table : Tables.all()) {
            StructType actual = lakehouse.read(table).schema();
            assertEquals(List.of(table.schema().fieldNames()), List.of(actual.fieldNames()), table.name());
            List<String> partitions = io.delta.tables.DeltaTable.forPath(spark, lakehouse.path(table)).detail()
                    .select("partitionColumns").head().getList(0);
            assertEquals(table.partitionBy(), partitions, table.name());
            assertEquals(0L, lakehouse.version(table));
        }
        Map<String, long[]> described = lakehouse.describeAll();
        assertEquals(Tables.all().size(), described.size());
    }

    @Test
    void twoRunsCreatingTheSameTableAtOnceBothGoOn() throws Exception {
        // Two concurrent runs of a step (separate Lakehouse objects, as two processes) each create a
        // missing table: the one that loses the race finds the winner's table instead of failing.
        for (int round = 0; round < 4; round++) {
            String root = workDir.resolve("race-" + round).toString();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Long>> runs = new java.util.ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    runs.add(pool.submit(() -> {
                        start.await();
                        Lakehouse lakehouse = new Lakehouse(spark, root);
                        lakehouse.ensure(Tables.REWARDS);
                        return lakehouse.read(Tables.REWARDS).count();
                    }));
                }
                start.countDown();
                for (var run : runs) {
                    assertEquals(0L, run.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0L, new Lakehouse(spark, root).version(Tables.REWARDS), "one creation commit");
        }
    }

    @Test
    void aCreationKilledBeforeItsFirstCommitIsCleanedUpAndDoneAgain() throws Exception {
        // What a run SIGKILLed while creating a table can leave: the log folder with a half-written
        // temporary commit, and a data file no commit refers to.
        java.nio.file.Path folder = workDir.resolve("killed-create").resolve(Tables.REWARDS.name());
        java.nio.file.Files.createDirectories(folder.resolve("_delta_log"));
        java.nio.file.Files.writeString(folder.resolve("_delta_log/.00000000000000000000.json.5f1c.tmp"), "{\"commitInfo\":");
        java.nio.file.Files.writeString(folder.resolve("part-00000-orphan.snappy.parquet"), "not a table's file");
        Lakehouse lakehouse = new Lakehouse(spark, workDir.resolve("killed-create").toString());
        assertEquals(0L, lakehouse.read(Tables.REWARDS).count());
        assertEquals(0L, lakehouse.version(Tables.REWARDS));
        assertTrue(java.nio.file.Files.notExists(folder.resolve("part-00000-orphan.snappy.parquet")));

        // A table with a commit is never touched, whatever else its folder holds.
        Lakehouse again = new Lakehouse(spark, workDir.resolve("killed-create").toString());
        java.nio.file.Files.writeString(folder.resolve("part-00001-orphan.snappy.parquet"), "x");
        again.ensure(Tables.REWARDS);
        assertTrue(java.nio.file.Files.exists(folder.resolve("part-00001-orphan.snappy.parquet")));
    }

    @Test
    void migratesAnOlderSchemaVersionByAddingColumns() {
        TableDef v1 = new TableDef("evolving", new StructType().add("id", DataTypes.StringType, false),
                List.of(), List.of("id"), 1, "test table");
        TableDef v2 = new TableDef("evolving", new StructType().add("id", DataTypes.StringType, false)
                .add("note", DataTypes.StringType, true), List.of(), List.of("id"), 2, "test table");
        Lakehouse old = newLakehouse("migrate");
        old.ensure(v1);
        spark.sql("INSERT INTO delta.`" + old.path(v1) + "` VALUES ('a')");

        Lakehouse upgraded = newLakehouse("migrate");
        upgraded.ensure(v2);
        assertEquals(List.of("id", "note"), List.of(upgraded.read(v2).schema().fieldNames()));
        assertEquals(1L, upgraded.read(v2).where("id = 'a' AND note IS NULL").count());
        String version = spark.sql("SHOW TBLPROPERTIES delta.`" + upgraded.path(v2) + "` ('poa.schema.version')")
                .head().getString(1);
        assertEquals("2", version);

        IllegalStateException newer = assertThrows(IllegalStateException.class, () -> newLakehouse("migrate").ensure(v1));
        assertTrue(newer.getMessage().contains("newer than this build"), newer.getMessage());
    }
}

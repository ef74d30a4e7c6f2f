package org.poa.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poa.lakehouse.SharedSpark;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;

/** The epoch bench's references do the I/O they claim: every input line copied, every credit of the epoch grouped. */
class EpochReferencesTest {

    @TempDir
    Path dir;

    @Test
    void copiesEveryLineMalformedOnesIncludedAndRefusesAnExistingTarget() throws Exception {
        SparkSession spark = SharedSpark.session();
        Path input = dir.resolve("inferences.jsonl");
        Files.writeString(input, "{\"inference_id\":\"a\",\"fee_wei\":\"1\"}\n{not json\n{\"inference_id\":\"b\"}\n");
        List<String> progress = new ArrayList<>();
        EpochReferences references = new EpochReferences(progress::add);
        references.warmUp(spark, dir.resolve("warm-up"));
        assertEquals(List.of(), references.all(), "the warm-up is not a reference");
        assertEquals(List.of(), progress);
        EpochReferences.Reference copy = references.copy(spark, "copy inferences", input, dir.resolve("copy"));
        assertEquals(3, copy.rows());
        assertEquals(3, spark.read().format("delta").load(dir.resolve("copy").toString()).count());
        assertTrue(copy.seconds() > 0);
        assertEquals(List.of(copy), references.all());
        assertEquals("copy inferences", references.json().get(0).get("reference"));
        assertTrue(progress.get(1).startsWith("reference copy inferences: "), progress.toString());
        assertThrows(Exception.class, () -> references.copy(spark, "again", input, dir.resolve("copy")),
                "a reference never overwrites: each run measures a fresh write");
    }

    @Test
    void groupsTheCreditsOfTheEpochOnly() {
        Lakehouse lakehouse = new Lakehouse(SharedSpark.session(), dir.resolve("lh").toString());
        List<Row> rows = new ArrayList<>();
        for (long epoch = 1; epoch <= 2; epoch++) {
            for (int i = 0; i < 5; i++) {
                rows.add(RowFactory.create(epoch, "inf-" + epoch + "-" + i, "m", "ngram", "c" + (i % 2), "0xA" + (i % 2), "d", 1.0, 0.5));
            }
        }
        TableWrites.insertNew(lakehouse, Tables.ATTRIBUTIONS,
                lakehouse.spark().createDataFrame(rows, Tables.ATTRIBUTIONS.schema()));
        EpochReferences.Reference groupBy = new EpochReferences(line -> { })
                .creditsGroupBy(lakehouse, 2, dir.resolve("group-by"));
        assertEquals(5, groupBy.rows(), "the five credits of epoch 2");
        assertEquals(2, lakehouse.spark().read().format("delta").load(dir.resolve("group-by").toString()).count(),
                "one row per contributor and model");
    }
}

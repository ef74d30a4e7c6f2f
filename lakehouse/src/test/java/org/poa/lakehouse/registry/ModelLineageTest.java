package org.poa.lakehouse.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.IngestReport;
import org.poa.lakehouse.ingest.InputKind;

/** Registration, re-licensing and tamper detection of the hash-chained model lineage. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelLineageTest extends SparkTestBase {

    static final String DEV = "0x1111111111111111111111111111111111111111";
    static Lakehouse lakehouse;

    static String model(String fee, String base) {
        return "{\"model_id\":\"m\",\"developer\":\"" + DEV + "\",\"kind\":\"lm\",\"base_model\":\"" + base
                + "\",\"datanets\":[\"d\"],\"license\":{\"fee_per_call_wei\":\"" + fee + "\",\"allowed_uses\":[\"research\"],"
                + "\"split_bps\":{\"protocol\":0,\"developer\":5000,\"validators\":0,\"data\":5000}}}";
    }

    @BeforeAll
    static void registerAndRelicense() {
        lakehouse = newLakehouse("lineage");
        Path datanets = write("lineage/datanets.jsonl", "{\"datanet_id\":\"d\",\"name\":\"D\",\"owner\":\"" + DEV
                + "\",\"license\":{\"commercial\":true,\"derivatives\":true}}\n");
        InputKind.DATANETS.ingest(lakehouse, IngestOptions.DEFAULT).run(datanets.toString());
        ingest("lineage/m1.jsonl", model("100", "base-a"));
        ingest("lineage/m2.jsonl", model("200", "base-a"));   // new license -> relicensed
        ingest("lineage/m3.jsonl", model("200", "base-b"));   // same license, other base -> updated
        IngestReport again = ingest("lineage/m3-again.jsonl", model("200", "base-b"));
        assertEquals(1, again.duplicates(), "an unchanged registration is a duplicate and adds no event");
    }

    static IngestReport ingest(String file, String line) {
        return InputKind.MODELS.ingest(lakehouse, IngestOptions.DEFAULT).run(write(file, line + "\n").toString());
    }

    @Test
    @Order(1)
    void recordsEachChangeAsAChainedEvent() {
        List<Row> events = lakehouse.read(Tables.MODEL_LINEAGE).where("model_id = 'm'").orderBy("seq").collectAsList();
        assertEquals(List.of("registered", "relicensed", "updated"), events.stream().map(r -> r.<String>getAs("event")).toList());
        assertEquals(LineageHash.GENESIS, events.get(0).getAs("prev_hash"));
        assertEquals(events.get(0).<String>getAs("hash"), events.get(1).getAs("prev_hash"));
        assertEquals(events.get(1).<String>getAs("hash"), events.get(2).getAs("prev_hash"));
        ModelLineage.Verdict verdict = ModelLineage.verify(lakehouse, "m");
        assertTrue(verdict.ok(), verdict.problem());
        assertEquals(3, verdict.events());
    }

    @Test
    @Order(2)
    void aRunThatDiedBeforeItsLineageEventIsRepairedByRunningItAgain() {
        // The models row was written, then the process died before the lineage append.
        spark.sql("UPDATE delta.`" + lakehouse.path(Tables.MODELS) + "` SET license.fee_per_call_wei = 300");
        assertFalse(ModelLineage.verify(lakehouse, "m").ok());
        IngestReport rerun = ingest("lineage/m4.jsonl", model("300", "base-b"));
        assertEquals(0, rerun.accepted());
        ModelLineage.Verdict verdict = ModelLineage.verify(lakehouse, "m");
        assertTrue(verdict.ok(), verdict.problem());
        assertEquals(4, verdict.events());
        assertEquals("relicensed", lakehouse.read(Tables.MODEL_LINEAGE).where("model_id = 'm' AND seq = 4").head().getAs("event"));
        long version = lakehouse.version(Tables.MODEL_LINEAGE);
        ingest("lineage/m4-again.jsonl", model("300", "base-b"));
        assertEquals(version, lakehouse.version(Tables.MODEL_LINEAGE), "nothing to repair: nothing written");
    }

    @Test
    @Order(3)
    void detectsAModelsRowChangedBehindTheLineage() {
        String path = lakehouse.path(Tables.MODELS);
        spark.sql("UPDATE delta.`" + path + "` SET base_model = 'base-x' WHERE model_id = 'm'");
        assertEquals("the models row differs from what the latest registration event (4) records",
                ModelLineage.verify(lakehouse, "m").problem());
        // Re-ingesting an unrelated registration does not write the edited row into the lineage.
        ingest("lineage/other.jsonl", model("1", "base-z").replace("\"m\"", "\"other\""));
        assertFalse(ModelLineage.verify(lakehouse, "m").ok());
        spark.sql("UPDATE delta.`" + path + "` SET base_model = 'base-b' WHERE model_id = 'm'");
        assertTrue(ModelLineage.verify(lakehouse, "m").ok());
    }

    @Test
    @Order(4)
    void detectsTamperingWithAnEventOrTheModelsRow() {
        String path = lakehouse.path(Tables.MODEL_LINEAGE);
        // Someone with write access to storage lifts the append-only guard and edits history.
        spark.sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES ('delta.appendOnly' = 'false')");
        spark.sql("UPDATE delta.`" + path + "` SET details = replace(details, ':100,', ':1,') WHERE model_id = 'm' AND seq = 1");
        ModelLineage.Verdict verdict = ModelLineage.verify(lakehouse, "m");
        assertFalse(verdict.ok());
        assertEquals("event 1 (registered): hash does not match its contents", verdict.problem());

        // Re-sealing the edited event does not help: the next link no longer matches.
        Row first = lakehouse.read(Tables.MODEL_LINEAGE).where("model_id = 'm' AND seq = 1").head();
        String resealed = LineageHash.of("m", 1, "registered", first.getAs("recorded_at"), first.getAs("details"),
                LineageHash.GENESIS);
        spark.sql("UPDATE delta.`" + path + "` SET hash = '" + resealed + "' WHERE model_id = 'm' AND seq = 1");
        assertEquals("event 2 (relicensed): prev_hash does not match the hash of event 1",
                ModelLineage.verify(lakehouse, "m").problem());
        spark.sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES ('delta.appendOnly' = 'true')");
    }

    @Test
    @Order(5)
    void aSyncRacedByAnotherAddsTheEventOnce() {
        // "other" (registered in test 3) is relicensed behind the lineage; two syncs of it overlap:
        // the second decides and writes while the first has decided but not written.
        String path = lakehouse.path(Tables.MODELS);
        spark.sql("UPDATE delta.`" + path + "` SET license.fee_per_call_wei = 7 WHERE model_id = 'other'");
        var registrations = lakehouse.read(Tables.MODELS).where("model_id = 'other'");
        ModelLineage.sync(lakehouse, registrations, () -> ModelLineage.sync(lakehouse, registrations));
        List<String> events = lakehouse.read(Tables.MODEL_LINEAGE).where("model_id = 'other'").orderBy("seq")
                .collectAsList().stream().map(r -> r.<String>getAs("event")).toList();
        assertEquals(List.of("registered", "relicensed"), events, "one relicensing, recorded once");
        ModelLineage.Verdict verdict = ModelLineage.verify(lakehouse, "other");
        assertTrue(verdict.ok(), verdict.problem());
    }
}

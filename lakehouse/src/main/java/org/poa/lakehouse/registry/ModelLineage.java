package org.poa.lakehouse.registry;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.when;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.spark.Columns;
import org.poa.lakehouse.spark.JsonText;

/**
 * The append-only, hash-chained history of each model. Every event carries the hash of the model's
 * previous event, so changing, removing or reordering any event breaks every later link, and the
 * head must describe the current {@code models} row.
 */
public final class ModelLineage {

    /** Events that record a registration (the models row); others, like trained, record work on the model. */
    public static final List<String> REGISTRATION_EVENTS = List.of("registered", "relicensed", "updated");

    private ModelLineage() {
    }

    /** The canonical JSON of a models row, as stored in event details. */
    public static Column details() {
        return JsonText.of(struct(Columns.of(Tables.MODELS.content())));
    }

    /**
     * Appends an event for every model of {@code registrations} (rows with the models columns) whose
     * {@code models} row now equals that registration but differs from what its lineage head records:
     * {@code registered} when it has no lineage, {@code relicensed} when its license changed,
     * {@code updated} otherwise. Comparing with the head (not with what an ingest run meant to do)
     * makes it idempotent and lets a re-run repair a run that died between the two writes; a models
     * row changed by anything but a registration is never written into the lineage.
     */
    public static void sync(Lakehouse lakehouse, Dataset<Row> registrations) {
        sync(lakehouse, registrations, () -> { });
    }

    /** {@link #sync}, running {@code decided} between deciding the events and writing them (a test's racing writer). */
    static void sync(Lakehouse lakehouse, Dataset<Row> registrations, Runnable decided) {
        // One snapshot for both what the events are and where they go in the chain. Read twice, a
        // concurrent ingest that committed in between made the events "registered" (from the empty
        // snapshot) but numbered them after its own: each model registered twice (CrashSafetyIT's two
        // concurrent re-runs). Pinned, the later run's rows have the keys the earlier one wrote, and
        // its insert-only MERGE adds nothing.
        Dataset<Row> snapshot = lakehouse.readAtVersion(Tables.MODEL_LINEAGE, lakehouse.version(Tables.MODEL_LINEAGE));
        Dataset<Row> lineage = snapshot.where(col("event").isin(REGISTRATION_EVENTS.toArray()));
        Dataset<Row> heads = lineage.groupBy("model_id").agg(max("seq").as("seq"))
                .join(lineage.select("model_id", "seq", "details"), Columns.using("model_id", "seq"))
                .select(col("model_id"), col("details").as("__head"));
        org.apache.spark.sql.types.StructType described = new org.apache.spark.sql.types.StructType();
        for (String column : Tables.MODELS.content()) {
            described = described.add(Tables.MODELS.schema().apply(column));
        }
        Dataset<Row> registered = registrations.select(col("model_id"), details().as("details")).distinct();
        Dataset<Row> events = lakehouse.read(Tables.MODELS)
                .select(col("model_id"), details().as("details"), JsonText.of(col("license")).as("__license"))
                .join(registered, Columns.using("model_id", "details"))
                .join(heads, Columns.using("model_id"), "left")
                .where(col("__head").isNull().or(col("__head").notEqual(col("details"))))
                .select(col("model_id"),
                        when(col("__head").isNull(), lit("registered"))
                                .when(JsonText.of(from_json(col("__head"), described).getField("license"))
                                        .equalTo(col("__license")), lit("updated"))
                                .otherwise(lit("relicensed")).as("event"),
                        col("details"))
                .localCheckpoint();
        decided.run();
        if (!events.isEmpty()) {
            append(lakehouse, events, snapshot);
        }
    }

    /**
     * Appends one event per row of {@code events} (columns model_id, event, details), chained after
     * the model's latest event.
     */
    public static void append(Lakehouse lakehouse, Dataset<Row> events) {
        append(lakehouse, events, lakehouse.read(Tables.MODEL_LINEAGE));
    }

    /** {@link #append} after the heads of {@code lineage}, the snapshot the events were decided on. */
    private static void append(Lakehouse lakehouse, Dataset<Row> events, Dataset<Row> lineage) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Dataset<Row> heads = lineage.groupBy("model_id").agg(max("seq").as("seq"))
                .join(lineage.select("model_id", "seq", "hash"), Columns.using("model_id", "seq"));
        Dataset<Row> pending = events.join(heads, Columns.using("model_id"), "left")
                .select(col("model_id"), coalesce(col("seq"), lit(0L)).plus(1).as("seq"), col("event"),
                        lit(now).as("recorded_at"), col("details"),
                        coalesce(col("hash"), lit(LineageHash.GENESIS)).as("prev_hash"));
        MapFunction<Row, Row> seal = row -> {
            String model = row.getString(0);
            long seq = row.getLong(1);
            String event = row.getString(2);
            Instant at = row.getAs(3);
            String details = row.getString(4);
            String prev = row.getString(5);
            return RowFactory.create(model, seq, event, at, details, prev,
                    LineageHash.of(model, seq, event, at, details, prev));
        };
        Dataset<Row> sealed = pending.map(seal, Encoders.row(Tables.MODEL_LINEAGE.schema()));
        TableWrites.insertNew(lakehouse, Tables.MODEL_LINEAGE, sealed);
    }

    /** The result of checking one model's chain: ok, or the first broken link. */
    public record Verdict(String modelId, long events, boolean ok, String problem) {
    }

    public static Verdict verify(Lakehouse lakehouse, String modelId) {
        // One model's events: a registry-sized list, not data-sized.
        List<Row> events = lakehouse.read(Tables.MODEL_LINEAGE).where(col("model_id").equalTo(modelId))
                .orderBy("seq").collectAsList();
        if (events.isEmpty()) {
            throw new IllegalArgumentException("model " + modelId + " has no lineage");
        }
        String prev = LineageHash.GENESIS;
        long expectedSeq = 1;
        for (Row e : events) {
            long seq = e.getLong(e.fieldIndex("seq"));
            String event = e.getString(e.fieldIndex("event"));
            String label = "event " + seq + " (" + event + ")";
            if (seq != expectedSeq) {
                return new Verdict(modelId, events.size(), false, "event " + expectedSeq + " is missing (next is " + seq + ")");
            }
            if (!prev.equals(e.getString(e.fieldIndex("prev_hash")))) {
                return new Verdict(modelId, events.size(), false, label + ": prev_hash does not match the hash of event " + (seq - 1));
            }
            Instant at = e.getAs("recorded_at");
            String recomputed = LineageHash.of(modelId, seq, event, at, e.getString(e.fieldIndex("details")), prev);
            if (!recomputed.equals(e.getString(e.fieldIndex("hash")))) {
                return new Verdict(modelId, events.size(), false, label + ": hash does not match its contents");
            }
            prev = recomputed;
            expectedSeq++;
        }
        List<Row> current = lakehouse.read(Tables.MODELS).where(col("model_id").equalTo(modelId))
                .select(details()).collectAsList();
        // The models row is what the latest registration event records (later trained events do not describe it).
        Row registration = events.stream().filter(e -> REGISTRATION_EVENTS.contains(e.getString(e.fieldIndex("event"))))
                .reduce((a, b) -> b).orElseThrow();
        String head = registration.getString(registration.fieldIndex("details"));
        if (current.size() != 1 || !current.get(0).getString(0).equals(head)) {
            return new Verdict(modelId, events.size(), false,
                    "the models row differs from what the latest registration event ("
                            + registration.getLong(registration.fieldIndex("seq")) + ") records");
        }
        return new Verdict(modelId, events.size(), true, null);
    }
}

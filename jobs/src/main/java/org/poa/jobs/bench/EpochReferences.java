package org.poa.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.poa.jobs.action.JobGroup;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/**
 * The references {@code bench epoch} measures its steps against, in the same run on the same data,
 * each doing a step's I/O with none of its logic:
 * <ul>
 *   <li>a plain copy of an input file into a new Delta table with Spark's own JSON reader (schema
 *   inferred, malformed lines kept as {@code _corrupt_record}, no validation, no dedup);</li>
 *   <li>a plain {@code GROUP BY} of the epoch's credits ({@code attributions}) per contributor and
 *   model, written to a new Delta table: the I/O of rewards and of the audit's recomputation.</li>
 * </ul>
 * Each runs in a job group named {@code reference-…} so the Spark UI and event log tell it apart.
 */
public final class EpochReferences {

    /** One reference: what it did, how long it took, the rows it read. */
    public record Reference(String name, String what, double seconds, long rows) {
    }

    private final List<Reference> references = new ArrayList<>();
    private final Consumer<String> progress;

    public EpochReferences(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * One untimed Delta write and read, so that the first reference does not carry the JVM's first
     * use of Spark SQL and Delta (class loading, JIT: about 20 s here) that no step pays again.
     */
    public void warmUp(SparkSession spark, Path out) {
        JobGroup.run(spark, "reference-warm-up", "bench epoch: first Delta write, untimed", () -> {
            spark.range(1).write().format("delta").mode("error").save(out.toString());
            return spark.read().format("delta").load(out.toString()).count();
        });
    }

    /** Copies one JSON-lines file into a new Delta table at {@code out}. */
    public Reference copy(SparkSession spark, String name, Path jsonl, Path out) {
        return time(spark, name, "Spark's JSON reader → Delta, " + jsonl.getFileName(), () -> {
            Dataset<Row> rows = spark.read().json(jsonl.toString());
            rows.write().format("delta").mode("error").save(out.toString());
            return spark.read().format("delta").load(out.toString()).count();
        });
    }

    /** Groups the epoch's credits per contributor and model and writes the sums to a new Delta table at {@code out}. */
    public Reference creditsGroupBy(Lakehouse lakehouse, long epoch, Path out) {
        SparkSession spark = lakehouse.spark();
        return time(spark, "credits group-by", "GROUP BY contributor, model of attributions → Delta", () -> {
            Dataset<Row> credits = lakehouse.read(Tables.ATTRIBUTIONS).where(col("epoch").equalTo(epoch));
            credits.groupBy("contributor", "model_id")
                    .agg(sum("weight").as("weight"), count(lit(1)).as("credits"))
                    .write().format("delta").mode("error").save(out.toString());
            return spark.read().format("delta").load(out.toString()).agg(sum("credits")).head().getLong(0);
        });
    }

    private Reference time(SparkSession spark, String name, String what, java.util.function.LongSupplier work) {
        progress.accept("reference " + name + ": " + what);
        long started = System.nanoTime();
        long rows = JobGroup.run(spark, "reference-" + name.replace(' ', '-'), "bench epoch reference: " + what, work::getAsLong);
        Reference reference = new Reference(name, what, (System.nanoTime() - started) / 1e9, rows);
        references.add(reference);
        progress.accept(String.format("reference %s: %.1f s, %,d rows", name, reference.seconds(), rows));
        return reference;
    }

    public List<Reference> all() {
        return List.copyOf(references);
    }

    /** The references for the JSON report. */
    public List<Map<String, Object>> json() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Reference r : references) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("reference", r.name());
            row.put("what", r.what());
            row.put("seconds", r.seconds());
            row.put("rows", r.rows());
            out.add(row);
        }
        return out;
    }
}

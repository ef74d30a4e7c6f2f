package org.poa.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/**
 * The baseline the span index is measured against: what one writes in plain Spark SQL. Every
 * k-gram of every output and of every contribution is exploded into rows (hashed with xxhash64 to
 * keep the shuffle small), the two are joined, and the matching contributions are counted per
 * output position. It finds only which positions start a k-gram match, not L(i), maximality or
 * credits, so it does less than the real job.
 */
public final class KgramJoinBaseline {

    private KgramJoinBaseline() {
    }

    /** Runs the join over one epoch's outputs; returns the matched positions. */
    public static long run(Lakehouse lakehouse, long epoch, int k) {
        String grams = "transform(sequence(0, size(t) - " + k + "), i -> xxhash64(slice(t, i + 1, " + k + ")))";
        Dataset<Row> corpus = lakehouse.read(Tables.CONTRIBUTIONS)
                .select(col("contribution_id"), expr("split(content, ' ')").as("t"))
                .where(expr("size(t) >= " + k))
                .select(col("contribution_id"), expr("explode(" + grams + ")").as("g"));
        Dataset<Row> outputs = lakehouse.read(Tables.INFERENCES).where(col("epoch").equalTo(epoch))
                .select(col("inference_id"),
                        expr("filter(split(lower(output), '[^\\\\p{L}\\\\p{N}]+'), w -> w != '')").as("t"))
                .where(expr("size(t) >= " + k))
                .select(col("inference_id"), expr("posexplode(" + grams + ")").as(new String[] {"pos", "g"}));
        return outputs.join(corpus, "g")
                .groupBy("inference_id", "pos").agg(countDistinct("contribution_id").as("holders"))
                .count();
    }
}

package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.posexplode;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The gradient step's scoring path (an {@link InfluenceIndex} broadcast to {@link InfluenceTask}s)
 * on vectors that someone else made, for {@code poa bench gradient}: the same code the attribute
 * step runs, without the tables around it.
 */
public final class GradientScoringStage {

    /** Training side: rows (contribution_id, contributor, datanet_id, vector), vectors packed by {@link #pack}. */
    public static final StructType CONTRIBUTION_VECTORS = new StructType()
            .add("contribution_id", DataTypes.StringType, false).add("contributor", DataTypes.StringType, false)
            .add("datanet_id", DataTypes.StringType, false).add("vector", DataTypes.BinaryType, false);
    /** Inference side: rows (inference_id, vector). */
    public static final StructType INFERENCE_VECTORS = new StructType()
            .add("inference_id", DataTypes.StringType, false).add("vector", DataTypes.BinaryType, false);

    /** What one run did. */
    public record Result(int contributors, int contributions, double indexSeconds, double scoreAndWriteSeconds,
                         long rowsWritten) {
    }

    private GradientScoringStage() {
    }

    /** A vector as the gradient step packs it (little-endian doubles). */
    public static byte[] pack(double[] v) {
        return VectorBytes.pack(v);
    }

    /**
     * Builds the index of {@code contributions} (single precision screen when {@code singlePrecision},
     * as in projected mode), scores every row of {@code inferences} with {@link InfluenceTask} and writes
     * one Parquet row per credit (inference_id, rank, contribution_id, contributor, datanet_id, score,
     * weight) to {@code output}, replacing what is there.
     */
    public static Result run(SparkSession spark, Dataset<Row> contributions, Dataset<Row> inferences, int dimension,
                             boolean singlePrecision, int topContributors, int topContributions, String output) {
        long start = System.nanoTime();
        InfluenceIndex index = InfluenceIndex.of(contributions, dimension, singlePrecision);
        double indexSeconds = (System.nanoTime() - start) / 1e9;
        var broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(index);
        start = System.nanoTime();
        try {
            inferences.mapPartitions(new InfluenceTask(broadcast, topContributors, topContributions),
                            Encoders.row(InfluenceTask.RESULT))
                    .select(col("inference_id"), posexplode(col("credits")).as(new String[] {"rank", "credit"}))
                    .select(col("inference_id"), col("rank").plus(1).as("rank"), col("credit.contribution_id"),
                            col("credit.contributor"), col("credit.datanet_id"), col("credit.score"), col("credit.weight"))
                    .write().mode("overwrite").parquet(output);
        } finally {
            broadcast.destroy();
        }
        double scoreSeconds = (System.nanoTime() - start) / 1e9;
        long rows = spark.read().parquet(output).count();
        return new Result(index.contributorCount(), index.contributionCount(), indexSeconds, scoreSeconds, rows);
    }
}

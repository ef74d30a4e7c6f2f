package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.poa.attribution.gradient.GradientParams;
import org.poa.attribution.gradient.GradientSketch;
import org.poa.attribution.gradient.Preconditioner;
import org.poa.attribution.gradient.SoftmaxCheckpoint;
import org.poa.jobs.train.ModelCheckpoints;
import org.poa.jobs.train.TrainingSet;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.ModelCheckpointRow;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.spark.Columns;
import org.poa.lakehouse.status.ContributionStatus;

/**
 * Gradient influence: for every accepted inference of an epoch whose model lists {@code gradient},
 * influence = Σ_checkpoints lr · ⟨φ_inference, H⁻¹ φ_train⟩ summed per contributor
 * (docs/attribution.md). Vectors come from the model's checkpoints (trained here) or from imported
 * gradients; both go through the same preconditioning, index and scoring. Writes the epoch's
 * {@code influence_usage}, then its gradient rows of {@code attributions}.
 */
public final class GradientAttribution implements AttributionMethod {

    public static final String METHOD = "gradient";

    /** What the report says of one model's run beyond the runner's counts. */
    public record Details(String source, String mode, int dimension, int contributors, int contributions) implements ReportColumns {
        @Override
        public List<String> names() {
            return List.of("source", "mode", "dimension", "contributors");
        }

        @Override
        public List<Object> values() {
            return List.of(source, mode, dimension, contributors);
        }
    }

    private static final StructType VECTORS = new StructType()
            .add("contribution_id", DataTypes.StringType, false).add("contributor", DataTypes.StringType, false)
            .add("datanet_id", DataTypes.StringType, false).add("vector", DataTypes.BinaryType, false);
    private static final StructType INFERENCE_VECTORS = new StructType()
            .add("inference_id", DataTypes.StringType, false).add("vector", DataTypes.BinaryType, false);

    private final Consumer<String> progress;

    public GradientAttribution(Consumer<String> progress) {
        this.progress = progress;
    }

    /** Training and inference vectors of one model, with each checkpoint's dimension and lr. */
    record Vectors(String source, String mode, Dataset<Row> training, Dataset<Row> inferences, int segment, double[] lrs) {
    }

    @Override
    public String name() {
        return METHOD;
    }

    @Override
    public StructType scoredSchema() {
        return InfluenceTask.RESULT;
    }

    @Override
    public Optional<ModelScoring> score(AttributionScope scope, AttributedModel model) {
        Lakehouse lakehouse = scope.lakehouse();
        String id = model.modelId();
        GradientParams params = GradientParams.of(model.params());
        Dataset<Row> inferences = lakehouse.read(Tables.INFERENCES)
                .where(col("epoch").equalTo(scope.epoch()).and(col("model_id").equalTo(id)));
        Vectors vectors = vectors(lakehouse, id, model.datanets(), params, inferences);
        if (vectors == null) {
            progress.accept("model " + id + ": no checkpoints and no imported gradients (run poa train): no gradient credits");
            return Optional.empty();
        }
        Dataset<Row> credited = vectors.training()
                .join(ContributionStatus.approvedAsOf(lakehouse, scope.end()).select("contribution_id"), Columns.using("contribution_id"));
        InfluenceIndex index = InfluenceIndex.of(precondition(vectors, params, credited), vectors.segment() * vectors.lrs().length,
                !params.exact() || vectors.source().equals("imported"));
        progress.accept("model " + id + ": " + vectors.source() + " gradients, " + vectors.mode() + ", " + vectors.lrs().length
                + " checkpoints × " + vectors.segment() + " = " + index.dimension + " numbers per vector; "
                + index.contributorCount() + " contributors, " + index.contributionCount() + " contributions");
        var broadcast = JavaSparkContext.fromSparkContext(lakehouse.spark().sparkContext()).broadcast(index);
        Dataset<Row> rows = vectors.inferences()
                .mapPartitions(new InfluenceTask(broadcast, params.topContributors(), params.topContributions()),
                        Encoders.row(InfluenceTask.RESULT));
        Details details = new Details(vectors.source(), vectors.mode(), index.dimension, index.contributorCount(),
                index.contributionCount());
        return Optional.of(new ModelScoring() {
            @Override
            public Dataset<Row> rows() {
                return rows;
            }

            @Override
            public ReportColumns details(List<Object> totals) {
                return details;
            }
        });
    }

    @Override
    public List<Output> outputs(AttributionScope scope, Dataset<Row> scored) {
        Dataset<Row> usage = scored.select(col("inference_id"), col("model_id"), explode(col("usage")).as("u"))
                .select(lit(scope.epoch()).as("epoch"), col("inference_id"), col("model_id"), col("u.rank").as("rank"),
                        col("u.contribution_id").as("contribution_id"), col("u.contributor").as("contributor"),
                        col("u.datanet_id").as("datanet_id"), col("u.score").as("score"));
        return List.of(new Output(Tables.INFLUENCE_USAGE, usage));
    }

    @Override
    public Dataset<Row> attributions(AttributionScope scope, Dataset<Row> scored) {
        return scored.select(col("inference_id"), col("model_id"), explode(col("credits")).as("c"))
                .select(col("inference_id"), col("model_id"), col("c.contribution_id").as("contribution_id"),
                        col("c.contributor").as("contributor"), col("c.datanet_id").as("datanet_id"),
                        col("c.score").as("score"), col("c.weight").as("weight"));
    }

    /** Imported vectors when the model has any, else the checkpoints' vectors, else null. */
    static Vectors vectors(Lakehouse lakehouse, String modelId, List<String> datanets, GradientParams params,
                           Dataset<Row> inferences) {
        Dataset<Row> imported = lakehouse.read(Tables.GRADIENTS).where(col("model_id").equalTo(modelId));
        List<Row> checkpoints = imported.where(col("kind").equalTo("contribution")).groupBy("checkpoint")
                .agg(min("lr"), max("lr"), min(size(col("vector"))), max(size(col("vector"))))
                .orderBy("checkpoint").collectAsList();
        if (!checkpoints.isEmpty()) {
            return importedVectors(lakehouse, imported, checkpoints, datanets, inferences, params);
        }
        List<ModelCheckpointRow> rows = ModelCheckpoints.rows(lakehouse, modelId);
        if (rows.isEmpty()) {
            return null;
        }
        List<SoftmaxCheckpoint> trained = rows.stream().map(ModelCheckpointRow::checkpoint).toList();
        // Every checkpoint of a model comes from one training run: the first row's versions are all of theirs.
        long[] versions = {rows.get(0).contributionsVersion(), rows.get(0).statusVersion()};
        SoftmaxCheckpoint first = trained.get(0);
        GradientSketch sketch = new GradientSketch(first.classes(), first.numFeatures(), params.projection(), params.seed());
        Dataset<Row> training = TrainingSet.of(lakehouse, datanets, versions[0], versions[1])
                .select("contribution_id", "content", "label", "contributor", "datanet_id")
                .flatMap(new TrainedGradients(trained, sketch, 2), Encoders.row(VECTORS));
        Dataset<Row> inferenceVectors = inferences.select("inference_id", "prompt", "output")
                .flatMap(new TrainedGradients(trained, sketch, 0), Encoders.row(INFERENCE_VECTORS));
        double[] lrs = trained.stream().mapToDouble(SoftmaxCheckpoint::lr).toArray();
        String mode = params.exact() ? "exact (TracIn)"
                : "projected k=" + params.projection() + (params.gaussNewton() ? ", damped Gauss-Newton" : ", identity (TracIn)");
        return new Vectors("trained", mode, training, inferenceVectors, sketch.dimension(), lrs);
    }

    private static Vectors importedVectors(Lakehouse lakehouse, Dataset<Row> imported, List<Row> checkpoints,
                                           List<String> datanets, Dataset<Row> inferences, GradientParams params) {
        int segment = checkpoints.get(0).getInt(3);
        double[] lrs = new double[checkpoints.size()];
        for (int i = 0; i < checkpoints.size(); i++) {
            Row c = checkpoints.get(i);
            if (c.getInt(3) != segment || c.getInt(4) != segment || c.getDouble(1) != c.getDouble(2)) {
                throw new IllegalArgumentException("imported gradients of checkpoint " + c.getInt(0)
                        + " disagree on vector length or lr across rows (expected one length and one lr per checkpoint)");
            }
            lrs[i] = c.getDouble(1);
        }
        int count = checkpoints.size();
        var concat = udf((UDF2<scala.collection.Seq<Row>, Integer, byte[]>) (parts, n) -> {
            if (parts.size() != n) {
                return null;
            }
            List<Row> list = scala.jdk.javaapi.CollectionConverters.asJava(parts);
            int d = list.get(0).getSeq(1).size();
            double[] v = new double[n * d];
            for (int p = 0; p < n; p++) {
                scala.collection.Seq<Object> values = list.get(p).getSeq(1);
                if (values.size() != d) {
                    return null;
                }
                for (int i = 0; i < d; i++) {
                    v[p * d + i] = ((Number) values.apply(i)).doubleValue();
                }
            }
            return VectorBytes.pack(v);
        }, DataTypes.BinaryType);
        Dataset<Row> holders = lakehouse.read(Tables.CONTRIBUTIONS).where(col("datanet_id").isin(datanets.toArray()))
                .select("contribution_id", "contributor", "datanet_id");
        Dataset<Row> training = imported.where(col("kind").equalTo("contribution"))
                .groupBy(col("id").as("contribution_id"))
                .agg(concat.apply(sort_array(collect_list(struct(col("checkpoint"), col("vector")))), lit(count)).as("vector"))
                .where(col("vector").isNotNull())
                .join(holders, Columns.using("contribution_id"))
                .select("contribution_id", "contributor", "datanet_id", "vector");
        Dataset<Row> inferenceVectors = imported.where(col("kind").equalTo("inference"))
                .join(inferences.select(col("inference_id").as("id")), Columns.using("id"))
                .groupBy(col("id").as("inference_id"))
                .agg(concat.apply(sort_array(collect_list(struct(col("checkpoint"), col("vector")))), lit(count)).as("vector"))
                .where(col("vector").isNotNull());
        String mode = "imported k=" + segment + (params.gaussNewton() ? ", damped Gauss-Newton" : ", identity (TracIn)");
        return new Vectors("imported", mode, training, inferenceVectors, segment, lrs);
    }

    /**
     * H_c⁻¹ per checkpoint segment c (none when the model's mode is the identity): the damped
     * Gauss-Newton matrix of all the model's training vectors, summed in contribution_id order on one
     * partition so it never depends on partitioning.
     */
    static List<Preconditioner> inverses(Vectors vectors, GradientParams params) {
        int k = vectors.segment();
        double[] lrs = vectors.lrs();
        List<Preconditioner> inverses = new ArrayList<>();
        if (params.gaussNewton()) {
            MapPartitionsFunction<Row, Row> accumulate = rows -> {
                double[] sums = new double[lrs.length * k * k];
                long n = 0;
                double[] v = new double[lrs.length * k];
                while (rows.hasNext()) {
                    VectorBytes.unpack((byte[]) rows.next().get(3), v, 0);
                    for (int c = 0; c < lrs.length; c++) {
                        double[] part = new double[k * k];
                        Preconditioner.accumulate(part, v, c * k, k);
                        for (int i = 0; i < part.length; i++) {
                            sums[c * k * k + i] += part[i];
                        }
                    }
                    n++;
                }
                return List.of((Row) RowFactory.create(VectorBytes.pack(sums), n)).iterator();
            };
            Row total = vectors.training().orderBy("contribution_id").coalesce(1)
                    .mapPartitions(accumulate, Encoders.row(new StructType().add("sums", DataTypes.BinaryType)
                            .add("n", DataTypes.LongType))).head();
            double[] sums = VectorBytes.unpack((byte[]) total.get(0));
            for (int c = 0; c < lrs.length; c++) {
                inverses.add(Preconditioner.of(java.util.Arrays.copyOfRange(sums, c * k * k, (c + 1) * k * k),
                        total.getLong(1), k, params.damping()));
            }
        }
        return inverses;
    }

    /**
     * Ψ_t = lr_c · H_c⁻¹ φ_t per checkpoint segment c. H_c is the identity, or the damped Gauss-Newton
     * matrix of all the model's training vectors (not only the credited ones: it belongs to the
     * model), summed in contribution_id order on one partition so it never depends on partitioning.
     */
    static Dataset<Row> precondition(Vectors vectors, GradientParams params, Dataset<Row> credited) {
        int k = vectors.segment();
        double[] lrs = vectors.lrs();
        List<Preconditioner> inverses = inverses(vectors, params);
        MapFunction<Row, Row> scale = row -> {
            double[] v = VectorBytes.unpack((byte[]) row.get(3));
            for (int c = 0; c < lrs.length; c++) {
                if (!inverses.isEmpty()) {
                    inverses.get(c).apply(v, c * k);
                }
                for (int i = 0; i < k; i++) {
                    v[c * k + i] *= lrs[c];
                }
            }
            return RowFactory.create(row.getString(0), row.getString(1), row.getString(2), VectorBytes.pack(v));
        };
        return credited.select("contribution_id", "contributor", "datanet_id", "vector").map(scale, Encoders.row(VECTORS));
    }
}

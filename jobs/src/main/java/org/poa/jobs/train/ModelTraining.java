package org.poa.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.udf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.poa.attribution.gradient.GradientParams;
import org.poa.attribution.gradient.HashedFeatures;
import org.poa.attribution.gradient.SoftmaxCheckpoint;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.ModelCheckpointRow;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.registry.ModelLineage;

/**
 * {@code poa train}: fits a classifier model on its training set (approved, labelled contributions
 * of its datanets) with MLlib's multinomial logistic regression (L-BFGS, L2), keeping one checkpoint
 * per entry of {@code gradient.checkpoints}. L-BFGS has no learning rate and MLlib exposes no
 * iterates, so checkpoint i is the deterministic fit stopped after {@code checkpoints[i]} iterations
 * (tolerance 0) and TracIn weighs every checkpoint equally (lr = 1 / number of checkpoints).
 * The data go to one partition in contribution_id order: L-BFGS sums gradients in partition order,
 * and the weights must not depend on how the input happened to be split.
 */
public final class ModelTraining {

    public static final String TRAINED = "trained";

    /** What training a model did. */
    public record Result(String modelId, long examples, List<String> labels, List<SoftmaxCheckpoint> checkpoints,
                         String weightsHash, String trainingDigest, boolean changed, double trainingAccuracy) {

        /** One line for people. */
        public String line() {
            return String.format("model %s: %s on %d examples, labels %s, %d checkpoints (iterations %s), weights %s%s", modelId,
                    changed ? "trained" : "unchanged", examples, labels, checkpoints.size(),
                    checkpoints.stream().map(c -> String.valueOf(c.iterations())).toList(), weightsHash,
                    changed ? String.format(", training accuracy %.3f", trainingAccuracy) : "");
        }
    }

    private ModelTraining() {
    }

    /** The classifier models that list gradient and have their own datanets (registry-sized). */
    public static List<String> classifiers(Lakehouse lakehouse) {
        return lakehouse.read(Tables.MODELS).where(col("kind").equalTo("classifier"))
                .select("model_id").orderBy("model_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }

    public static Result run(Lakehouse lakehouse, String modelId, Consumer<String> progress) {
        List<Row> found = lakehouse.read(Tables.MODELS).where(col("model_id").equalTo(modelId))
                .select("kind", "datanets", "params").collectAsList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("model '" + modelId + "' is not registered");
        }
        Row model = found.get(0);
        if (!"classifier".equals(model.getString(0))) {
            throw new IllegalArgumentException("model '" + modelId + "' is an " + model.getString(0)
                    + " model: only classifier models are trained here");
        }
        Map<String, String> paramMap = model.isNullAt(2) ? null : model.getJavaMap(2);
        GradientParams params = GradientParams.of(paramMap);
        List<String> datanets = model.getList(1);
        long contributionsVersion = lakehouse.version(Tables.CONTRIBUTIONS);
        long statusVersion = lakehouse.version(Tables.CONTRIBUTION_STATUS);
        Dataset<Row> examples = TrainingSet.of(lakehouse, datanets, contributionsVersion, statusVersion);

        // The training data's identity: its (contribution, label) pairs and the settings, hashed.
        String settings = params.numFeatures() + "|" + Arrays.toString(params.checkpoints()) + "|" + params.regParam();
        Row summary = examples.agg(count(lit(1)),
                sha2(concat_ws("\n", lit(settings), concat_ws("\n",
                        sort_array(collect_list(concat_ws("\t", col("contribution_id"), col("label")))))), 256)).head();
        long size = summary.getLong(0);
        String digest = "0x" + summary.getString(1);
        List<String> labels = examples.select("label").distinct().orderBy("label")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        if (size == 0) {
            throw new IllegalArgumentException("model '" + modelId + "' has no approved, labelled contributions to train on");
        }
        if (labels.size() < 2) {
            throw new IllegalArgumentException("model '" + modelId + "' needs at least two labels to train, its data has "
                    + labels);
        }
        progress.accept("model " + modelId + ": " + size + " approved, labelled contributions, labels " + labels);

        List<ModelCheckpointRow> stored = ModelCheckpoints.rows(lakehouse, modelId);
        if (!stored.isEmpty() && stored.stream().allMatch(r -> r.trainingDigest().equals(digest)
                && r.weightsHash().equals(stored.get(0).weightsHash()))) {
            List<SoftmaxCheckpoint> checkpoints = stored.stream().map(ModelCheckpointRow::checkpoint).toList();
            String weightsHash = stored.get(0).weightsHash();
            recordLineage(lakehouse, modelId, digest, weightsHash, size, contributionsVersion, statusVersion, checkpoints, progress);
            return new Result(modelId, size, labels, checkpoints, weightsHash, digest, false, Double.NaN);
        }

        List<SoftmaxCheckpoint> checkpoints = new ArrayList<>();
        double accuracy = Double.NaN;
        Dataset<Row> data = trainingData(examples, labels, params.numFeatures());
        try {
            int[] iterations = params.checkpoints();
            for (int i = 0; i < iterations.length; i++) {
                progress.accept("model " + modelId + ": checkpoint " + (i + 1) + " of " + iterations.length
                        + " (" + iterations[i] + " L-BFGS iterations)");
                LogisticRegressionModel fit = fit(data, params, iterations[i]);
                checkpoints.add(checkpoint(i, fit.summary().totalIterations(), 1.0 / iterations.length, labels,
                        params.numFeatures(), fit));
                if (i == iterations.length - 1) {
                    accuracy = fit.summary().accuracy();
                }
            }
        } finally {
            data.unpersist();
        }
        String weightsHash = weightsHash(checkpoints);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Row> rows = new ArrayList<>();
        for (SoftmaxCheckpoint c : checkpoints) {
            rows.add(new ModelCheckpointRow(modelId, c, size, digest, contributionsVersion, statusVersion, weightsHash, now).toRow());
        }
        TableWrites.replaceWhere(lakehouse, Tables.MODEL_CHECKPOINTS,
                lakehouse.spark().createDataFrame(rows, Tables.MODEL_CHECKPOINTS.schema()),
                "model_id = " + TableWrites.literal(modelId));
        recordLineage(lakehouse, modelId, digest, weightsHash, size, contributionsVersion, statusVersion, checkpoints, progress);
        return new Result(modelId, size, labels, checkpoints, weightsHash, digest, true, accuracy);
    }

    /**
     * (features, label index) of the examples, on one partition in contribution_id order, persisted:
     * L-BFGS sums gradients in partition order, so this order makes the fit independent of layout.
     */
    public static Dataset<Row> trainingData(Dataset<Row> examples, List<String> labels, int numFeatures) {
        HashedFeatures features = new HashedFeatures(numFeatures);
        var featurize = udf((UDF1<String, org.apache.spark.ml.linalg.Vector>) features::vector, SQLDataTypes.VectorType());
        List<String> labelOrder = new ArrayList<>(labels);
        var labelIndex = udf((UDF1<String, Double>) l -> (double) labelOrder.indexOf(l), DataTypes.DoubleType);
        // The label column says how many classes there are: a subset missing the last label keeps K classes.
        var classes = org.apache.spark.ml.attribute.NominalAttribute.defaultAttr().withName("label")
                .withNumValues(labels.size()).toMetadata();
        return examples.orderBy("contribution_id").coalesce(1)
                .select(featurize.apply(col("content")).as("features"), labelIndex.apply(col("label")).as("label", classes))
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** One deterministic fit: multinomial, L2, exactly {@code iterations} L-BFGS steps unless it converges. */
    public static LogisticRegressionModel fit(Dataset<Row> data, GradientParams params, int iterations) {
        return new LogisticRegression().setFamily("multinomial").setMaxIter(iterations).setTol(0.0)
                .setRegParam(params.regParam()).setElasticNetParam(0.0).setStandardization(false).setFitIntercept(true)
                .fit(data);
    }

    /** A fit as a checkpoint with its TracIn weight. */
    public static SoftmaxCheckpoint checkpoint(int index, int iterations, double lr, List<String> labels, int numFeatures,
                                                LogisticRegressionModel fit) {
        Matrix w = fit.coefficientMatrix();
        double[] coefficients = new double[labels.size() * numFeatures];
        for (int c = 0; c < labels.size(); c++) {
            for (int j = 0; j < numFeatures; j++) {
                coefficients[c * numFeatures + j] = w.apply(c, j);
            }
        }
        return new SoftmaxCheckpoint(index, iterations, lr, labels.toArray(new String[0]), numFeatures, coefficients,
                fit.interceptVector().toArray());
    }

    /** SHA-256 over every checkpoint's labels, iterations, lr and weights (IEEE 754 big endian). */
    static String weightsHash(List<SoftmaxCheckpoint> checkpoints) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (SoftmaxCheckpoint c : checkpoints) {
                sha.update(String.join("\n", c.labels()).getBytes(StandardCharsets.UTF_8));
                ByteBuffer head = ByteBuffer.allocate(16).putInt(c.iterations()).putInt(c.numFeatures()).putDouble(c.lr());
                sha.update(head.array());
                ByteBuffer weights = ByteBuffer.allocate(8 * (c.coefficients().length + c.intercepts().length));
                for (double v : c.coefficients()) {
                    weights.putDouble(v);
                }
                for (double v : c.intercepts()) {
                    weights.putDouble(v);
                }
                sha.update(weights.array());
            }
            return "0x" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Appends a trained event unless the model's latest trained event already records these weights
     * from this data: a re-run, or a run that died between the checkpoint write and this append,
     * then leaves exactly one event.
     */
    private static void recordLineage(Lakehouse lakehouse, String modelId, String digest, String weightsHash, long size,
                                      long contributionsVersion, long statusVersion, List<SoftmaxCheckpoint> checkpoints,
                                      Consumer<String> progress) {
        StringBuilder json = new StringBuilder("{\"contributions_version\":").append(contributionsVersion)
                .append(",\"status_version\":").append(statusVersion)
                .append(",\"training_examples\":").append(size)
                .append(",\"training_digest\":\"").append(digest)
                .append("\",\"weights_hash\":\"").append(weightsHash).append("\",\"checkpoints\":[");
        for (int i = 0; i < checkpoints.size(); i++) {
            SoftmaxCheckpoint c = checkpoints.get(i);
            json.append(i == 0 ? "" : ",").append("{\"iterations\":").append(c.iterations()).append(",\"lr\":").append(c.lr()).append('}');
        }
        json.append("]}");
        List<Row> latest = lakehouse.read(Tables.MODEL_LINEAGE)
                .where(col("model_id").equalTo(modelId).and(col("event").equalTo(TRAINED)))
                .orderBy(col("seq").desc()).limit(1).select("details").collectAsList();
        if (!latest.isEmpty() && latest.get(0).getString(0).contains("\"weights_hash\":\"" + weightsHash + "\"")
                && latest.get(0).getString(0).contains("\"training_digest\":\"" + digest + "\"")) {
            progress.accept("model " + modelId + ": training data unchanged since the last trained event: nothing written");
            return;
        }
        ModelLineage.append(lakehouse, lakehouse.spark().createDataFrame(
                List.of(RowFactory.create(modelId, TRAINED, json.toString())),
                new org.apache.spark.sql.types.StructType().add("model_id", DataTypes.StringType)
                        .add("event", DataTypes.StringType).add("details", DataTypes.StringType)));
        progress.accept("model " + modelId + ": trained event appended to model_lineage");
    }
}

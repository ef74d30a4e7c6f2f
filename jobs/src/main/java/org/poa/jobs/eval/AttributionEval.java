package org.poa.jobs.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.poa.attribution.gradient.GradientParams;
import org.poa.attribution.gradient.HashedFeatures;
import org.poa.attribution.gradient.SoftmaxCheckpoint;
import org.poa.jobs.attribute.InfluenceMatrix;
import org.poa.jobs.train.ModelCheckpoints;
import org.poa.jobs.train.ModelTraining;
import org.poa.jobs.train.TrainingSet;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.ModelCheckpointRow;
import org.poa.lakehouse.catalog.Tables;

/**
 * Linear datamodeling score (LDS, Park et al. 2023, as TRAK reports it) of a classifier's gradient
 * attribution: retrain on random subsets holding a fraction of the contributors, and per sampled
 * inference take the Spearman correlation, across subsets, between the attribution's prediction
 * (minus the sum of the chosen contributors' scores: more positive influence, lower loss) and the
 * retrained model's actual loss at the logged label. The LDS is the mean over inferences, with a
 * normal 95% interval over inferences.
 */
public final class AttributionEval {

    /** The evaluation's outcome. */
    public record Result(String modelId, String mode, int subsets, double fraction, int inferences, int contributors,
                         double lds, double low, double high, double seconds) {
    }

    private AttributionEval() {
    }

    public static Result run(Lakehouse lakehouse, String modelId, int subsets, double fraction, int sampleSize,
                             Integer projection, long seed, Consumer<String> progress) {
        long started = System.nanoTime();
        if (subsets < 3) {
            throw new IllegalArgumentException("--subsets must be at least 3, got " + subsets);
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("--fraction must be between 0 and 1, got " + fraction);
        }
        List<Row> found = lakehouse.read(Tables.MODELS).where(col("model_id").equalTo(modelId))
                .select("kind", "datanets", "params").collectAsList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("model '" + modelId + "' is not registered");
        }
        GradientParams params = GradientParams.of(found.get(0).isNullAt(2) ? null : found.get(0).<String, String>getJavaMap(2));
        if (projection != null) {
            params = params.withProjection(projection);
        }
        List<SoftmaxCheckpoint> checkpoints = ModelCheckpoints.read(lakehouse, modelId);
        if (checkpoints.isEmpty()) {
            throw new IllegalArgumentException("model '" + modelId + "' has no checkpoints: run poa train --model " + modelId);
        }
        List<String> labels = List.of(checkpoints.get(0).labels());
        String mode = params.exact() ? "exact (TracIn)" : "projected k=" + params.projection()
                + (params.gaussNewton() ? ", damped Gauss-Newton" : ", identity (TracIn)");

        // A seeded sample of the model's inferences whose logged output is one of its labels.
        Dataset<Row> sample = lakehouse.read(Tables.INFERENCES)
                .where(col("model_id").equalTo(modelId).and(col("output").isin(labels.toArray())))
                .orderBy(xxhash64(col("inference_id"), lit(seed)), col("inference_id")).limit(sampleSize)
                .select("inference_id", "prompt", "output").localCheckpoint();
        progress.accept("scoring " + sample.count() + " inferences against every contributor (" + mode + ")");
        InfluenceMatrix.Scores scores = InfluenceMatrix.of(lakehouse, modelId, params, sample);
        Map<String, Row> byId = new HashMap<>();
        sample.collectAsList().forEach(r -> byId.put(r.getString(0), r));
        HashedFeatures features = new HashedFeatures(checkpoints.get(0).numFeatures());
        List<HashedFeatures.Sparse> x = new ArrayList<>();
        int[] y = new int[scores.inferenceIds().size()];
        for (int i = 0; i < y.length; i++) {
            Row r = byId.get(scores.inferenceIds().get(i));
            x.add(features.of(r.getString(1)));
            y[i] = labels.indexOf(r.getString(2));
        }

        ModelCheckpointRow trained = ModelCheckpoints.rows(lakehouse, modelId).get(0);
        long[] versions = {trained.contributionsVersion(), trained.statusVersion()};
        Row model = found.get(0);
        Dataset<Row> examples = TrainingSet.of(lakehouse, model.getList(1), versions[0], versions[1])
                .persist(StorageLevel.MEMORY_AND_DISK());
        int contributors = scores.contributors().size();
        int chosenCount = Math.max(1, (int) Math.round(fraction * contributors));
        double[][] predicted = new double[y.length][subsets];
        double[][] actual = new double[y.length][subsets];
        SplittableRandom random = new SplittableRandom(seed);
        int[] iterations = params.checkpoints();
        try {
            for (int m = 0; m < subsets; m++) {
                int[] order = shuffled(contributors, random);
                int[] chosen = Arrays.copyOf(order, chosenCount);
                List<String> who = new ArrayList<>();
                for (int c : chosen) {
                    who.add(scores.contributors().get(c));
                }
                progress.accept("subset " + (m + 1) + " of " + subsets + ": retraining on " + chosenCount + " of "
                        + contributors + " contributors");
                Dataset<Row> data = ModelTraining.trainingData(examples.where(col("contributor").isin(who.toArray())),
                        labels, params.numFeatures());
                SoftmaxCheckpoint retrained;
                try {
                    retrained = ModelTraining.checkpoint(0, 0, 1.0, labels, params.numFeatures(),
                            ModelTraining.fit(data, params, iterations[iterations.length - 1]));
                } finally {
                    data.unpersist();
                }
                for (int i = 0; i < y.length; i++) {
                    double sum = 0;
                    for (int c : chosen) {
                        sum += scores.scores()[i][c];
                    }
                    predicted[i][m] = -sum;
                    actual[i][m] = retrained.loss(x.get(i), y[i]);
                }
            }
        } finally {
            examples.unpersist();
        }
        List<Double> per = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            double rho = Spearman.of(predicted[i], actual[i]);
            if (!Double.isNaN(rho)) {
                per.add(rho);
            }
        }
        double mean = per.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double sd = Math.sqrt(per.stream().mapToDouble(r -> (r - mean) * (r - mean)).sum() / Math.max(1, per.size() - 1));
        double half = 1.96 * sd / Math.sqrt(Math.max(1, per.size()));
        return new Result(modelId, mode, subsets, fraction, per.size(), contributors, mean, mean - half, mean + half,
                (System.nanoTime() - started) / 1e9);
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
}

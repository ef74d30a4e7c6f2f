package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.attribution.gradient.GradientParams;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/**
 * Every (inference, contributor) influence score of a small sample of inferences, through the same
 * vectors, preconditioner and contributor sums as {@code poa attribute}: what the evaluation needs
 * (the job itself keeps only the best contributors per inference).
 */
public final class InfluenceMatrix {

    /** scores[i][c]: inference i's score for contributor c. */
    public record Scores(List<String> contributors, List<String> inferenceIds, double[][] scores) {
    }

    private InfluenceMatrix() {
    }

    /** {@code sample}: inference_id, prompt, output of a bounded sample (it is collected). */
    public static Scores of(Lakehouse lakehouse, String modelId, GradientParams params, Dataset<Row> sample) {
        Row model = lakehouse.read(Tables.MODELS).where(col("model_id").equalTo(modelId)).select("datanets").head();
        GradientAttribution.Vectors vectors = GradientAttribution.vectors(lakehouse, modelId, model.getList(0), params, sample);
        if (vectors == null) {
            throw new IllegalArgumentException("model '" + modelId + "' has no checkpoints: run poa train --model " + modelId);
        }
        int d = vectors.segment() * vectors.lrs().length;
        InfluenceIndex index = InfluenceIndex.of(GradientAttribution.precondition(vectors, params, vectors.training()), d, false);
        List<String> ids = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (Row r : vectors.inferences().orderBy("inference_id").collectAsList()) {
            double[] phi = VectorBytes.unpack((byte[]) r.get(1));
            double[] s = new double[index.contributorCount()];
            for (int c = 0; c < s.length; c++) {
                double sum = 0;
                for (int k = 0; k < d; k++) {
                    sum += phi[k] * index.contributorVectors[c * d + k];
                }
                s[c] = sum;
            }
            ids.add(r.getString(0));
            rows.add(s);
        }
        return new Scores(List.of(index.contributors), ids, rows.toArray(new double[0][]));
    }
}

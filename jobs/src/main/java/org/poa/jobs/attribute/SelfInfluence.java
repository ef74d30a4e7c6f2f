package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.poa.attribution.gradient.GradientParams;
import org.poa.attribution.gradient.Preconditioner;
import org.poa.lakehouse.catalog.Lakehouse;

/**
 * Self-influence of labelled contributions on a classifier trained here: each contribution's
 * influence on its own loss, Σ_checkpoints lr · ⟨φ, H⁻¹ φ⟩, with the vectors, checkpoints and
 * preconditioner of gradient attribution (so a score here is what attribution would give the
 * contribution against itself as the inference). A mislabelled example keeps a large loss gradient
 * at every checkpoint, so it ranks high: the signal the review queue gives validators.
 */
public final class SelfInfluence {

    public static final StructType SCORES = new StructType()
            .add("contribution_id", DataTypes.StringType, false).add("score", DataTypes.DoubleType, false);

    /** What was scored and how. */
    public record Scores(Dataset<Row> rows, int checkpoints, String mode) {
    }

    private SelfInfluence() {
    }

    /**
     * Scores {@code candidates} (contribution_id, content, label) at their own labels; empty when the
     * model has no checkpoints trained here (imported gradients carry no vector for a contribution the
     * model was not trained on). A label the model does not know yields no row.
     */
    public static Optional<Scores> of(Lakehouse lakehouse, String modelId, List<String> datanets, GradientParams params,
                                      Dataset<Row> candidates) {
        Dataset<Row> asInputs = candidates.select(col("contribution_id").as("inference_id"), col("content").as("prompt"),
                col("label").as("output"));
        GradientAttribution.Vectors vectors = GradientAttribution.vectors(lakehouse, modelId, datanets, params, asInputs);
        if (vectors == null || !vectors.source().equals("trained")) {
            return Optional.empty();
        }
        List<Preconditioner> inverses = GradientAttribution.inverses(vectors, params);
        int k = vectors.segment();
        double[] lrs = vectors.lrs();
        MapFunction<Row, Row> score = row -> {
            double[] phi = VectorBytes.unpack((byte[]) row.get(1));
            double[] h = phi.clone();
            double s = 0;
            for (int c = 0; c < lrs.length; c++) {
                if (!inverses.isEmpty()) {
                    inverses.get(c).apply(h, c * k);
                }
                double dot = 0;
                for (int i = c * k; i < (c + 1) * k; i++) {
                    dot += phi[i] * h[i];
                }
                s += lrs[c] * dot;
            }
            return RowFactory.create(row.getString(0), s);
        };
        return Optional.of(new Scores(vectors.inferences().map(score, Encoders.row(SCORES)), lrs.length, vectors.mode()));
    }
}

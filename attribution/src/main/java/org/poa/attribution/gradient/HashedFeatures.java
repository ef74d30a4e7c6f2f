package org.poa.attribution.gradient;

import java.io.Serializable;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vectors;
import org.poa.core.text.TextNormalizer;

/**
 * The classifier's input features: unigrams and bigrams of the normalized tokens (DESIGN.md's
 * normalization), hashed into D buckets with MLlib's {@link HashingTF} (MurmurHash3), counted, and
 * scaled to unit L2 norm so that every example's gradient has a comparable size.
 */
public final class HashedFeatures implements Serializable {

    /** A sparse feature vector: ascending indices with their values. */
    public record Sparse(int[] indices, double[] values) implements Serializable {

        public double dot(Sparse other) {
            double sum = 0;
            int i = 0;
            int j = 0;
            while (i < indices.length && j < other.indices.length) {
                if (indices[i] == other.indices[j]) {
                    sum += values[i++] * other.values[j++];
                } else if (indices[i] < other.indices[j]) {
                    i++;
                } else {
                    j++;
                }
            }
            return sum;
        }
    }

    private final int numFeatures;
    private final HashingTF hashing;

    public HashedFeatures(int numFeatures) {
        this.numFeatures = numFeatures;
        this.hashing = new HashingTF().setNumFeatures(numFeatures);
    }

    public int size() {
        return numFeatures;
    }

    public Sparse of(String text) {
        List<String> tokens = TextNormalizer.tokens(text == null ? "" : text);
        TreeMap<Integer, Double> counts = new TreeMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            counts.merge(hashing.indexOf(tokens.get(i)), 1.0, Double::sum);
            if (i + 1 < tokens.size()) {
                counts.merge(hashing.indexOf(tokens.get(i) + " " + tokens.get(i + 1)), 1.0, Double::sum);
            }
        }
        int[] indices = new int[counts.size()];
        double[] values = new double[counts.size()];
        double norm = 0;
        int k = 0;
        for (var e : counts.entrySet()) {
            indices[k] = e.getKey();
            values[k] = e.getValue();
            norm += values[k] * values[k];
            k++;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < values.length && norm > 0; i++) {
            values[i] /= norm;
        }
        return new Sparse(indices, values);
    }

    /** The same features as an MLlib vector, for training. */
    public SparseVector vector(String text) {
        Sparse s = of(text);
        return (SparseVector) Vectors.sparse(numFeatures, s.indices(), s.values());
    }
}

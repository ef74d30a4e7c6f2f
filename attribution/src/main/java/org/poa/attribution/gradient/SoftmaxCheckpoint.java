package org.poa.attribution.gradient;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One checkpoint of a multinomial logistic regression: K classes over D features, coefficients row
 * major (K×D) and K intercepts, and the weight (learning rate) TracIn gives it.
 */
public record SoftmaxCheckpoint(int index, int iterations, double lr, String[] labels, int numFeatures,
                                double[] coefficients, double[] intercepts) implements Serializable {

    public int classes() {
        return labels.length;
    }

    public int labelIndex(String label) {
        int i = Arrays.asList(labels).indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("label '" + label + "' is not one of the model's labels " + Arrays.toString(labels));
        }
        return i;
    }

    /** Class probabilities p = softmax(W x + b), computed stably. */
    public double[] probabilities(HashedFeatures.Sparse x) {
        int k = classes();
        double[] z = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double s = intercepts[c];
            int row = c * numFeatures;
            int[] idx = x.indices();
            double[] val = x.values();
            for (int j = 0; j < idx.length; j++) {
                s += coefficients[row + idx[j]] * val[j];
            }
            z[c] = s;
            max = Math.max(max, s);
        }
        double total = 0;
        for (int c = 0; c < k; c++) {
            z[c] = Math.exp(z[c] - max);
            total += z[c];
        }
        for (int c = 0; c < k; c++) {
            z[c] /= total;
        }
        return z;
    }

    /**
     * ρ = p − e_y: the per-example gradient of the cross-entropy loss with respect to the logits.
     * The gradient with respect to (W, b) is the rank-1 ρ ⊗ [x; 1].
     */
    public double[] residual(HashedFeatures.Sparse x, int label) {
        double[] rho = probabilities(x);
        rho[label] -= 1.0;
        return rho;
    }

    /** Cross-entropy loss −log p_y (the eval's quantity). */
    public double loss(HashedFeatures.Sparse x, int label) {
        return -Math.log(Math.max(probabilities(x)[label], 1e-300));
    }
}

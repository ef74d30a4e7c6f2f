package org.poa.attribution.gradient;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;

/**
 * A classifier model's training and gradient-influence settings, from its {@code params} map
 * ({@code gradient.*} keys; defaults documented in docs/attribution.md).
 *
 * @param numFeatures hashed unigram+bigram feature space D
 * @param checkpoints L-BFGS iteration counts at which a checkpoint is kept (ascending)
 * @param regParam L2 regularization of the logistic regression
 * @param projection k of the seeded random projection; 0 = exact (the full K·(D+1) gradient)
 * @param preconditioner identity (TracIn) or gauss-newton (damped inverse, projected mode only)
 * @param damping the damping λ as a fraction of the Gauss-Newton matrix's mean eigenvalue
 * @param seed seed of the projection
 * @param topContributors contributors credited per inference (largest positive influence)
 * @param topContributions contributions listed per inference in influence_usage
 */
public record GradientParams(int numFeatures, int[] checkpoints, double regParam, int projection,
                             String preconditioner, double damping, long seed, int topContributors,
                             int topContributions) implements Serializable {

    public static final String IDENTITY = "identity";
    public static final String GAUSS_NEWTON = "gauss-newton";

    public static final GradientParams DEFAULTS = new GradientParams(1 << 12, new int[] {5, 15, 60}, 1e-3, 128,
            GAUSS_NEWTON, 0.1, 20260101L, 10, 10);

    public GradientParams {
        if (numFeatures < 16 || numFeatures > (1 << 20)) {
            throw new IllegalArgumentException("gradient.num_features must be between 16 and 1048576, got " + numFeatures);
        }
        if (checkpoints.length == 0 || checkpoints[0] < 1) {
            throw new IllegalArgumentException("gradient.checkpoints must list positive iteration counts");
        }
        for (int i = 1; i < checkpoints.length; i++) {
            if (checkpoints[i] <= checkpoints[i - 1]) {
                throw new IllegalArgumentException("gradient.checkpoints must be strictly increasing, got "
                        + Arrays.toString(checkpoints));
            }
        }
        if (!(regParam >= 0) || Double.isInfinite(regParam)) {
            throw new IllegalArgumentException("gradient.reg_param must be a non-negative number, got " + regParam);
        }
        if (projection < 0 || projection > 4096) {
            throw new IllegalArgumentException("gradient.projection must be between 0 (exact) and 4096, got " + projection);
        }
        if (!IDENTITY.equals(preconditioner) && !GAUSS_NEWTON.equals(preconditioner)) {
            throw new IllegalArgumentException("gradient.preconditioner must be identity or gauss-newton, got '" + preconditioner + "'");
        }
        if (!(damping > 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("gradient.damping must be a positive number, got " + damping);
        }
        if (topContributors < 1 || topContributions < 1) {
            throw new IllegalArgumentException("gradient.top_contributors and gradient.top_contributions must be positive");
        }
    }

    /** Exact mode has no projection; its preconditioner is always the identity (TracIn). */
    public boolean exact() {
        return projection == 0;
    }

    public boolean gaussNewton() {
        return !exact() && GAUSS_NEWTON.equals(preconditioner);
    }

    /** The settings in a model's params map, defaults for the missing ones. */
    public static GradientParams of(Map<String, String> params) {
        if (params == null) {
            return DEFAULTS;
        }
        GradientParams d = DEFAULTS;
        return new GradientParams(
                (int) number(params, "gradient.num_features", d.numFeatures),
                iterations(params.getOrDefault("gradient.checkpoints", null), d.checkpoints),
                number(params, "gradient.reg_param", d.regParam),
                (int) number(params, "gradient.projection", d.projection),
                params.getOrDefault("gradient.preconditioner", d.preconditioner),
                number(params, "gradient.damping", d.damping),
                seed(params.get("gradient.seed"), d.seed),
                (int) number(params, "gradient.top_contributors", d.topContributors),
                (int) number(params, "gradient.top_contributions", d.topContributions));
    }

    /** The same settings with another projection (the eval and tests compare modes). */
    public GradientParams withProjection(int k) {
        return new GradientParams(numFeatures, checkpoints, regParam, k, preconditioner, damping, seed,
                topContributors, topContributions);
    }

    private static double number(Map<String, String> params, String key, double fallback) {
        String value = params.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + value + "'");
        }
    }

    private static long seed(String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gradient.seed must be an integer, got '" + value + "'");
        }
    }

    private static int[] iterations(String value, int[] fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Arrays.stream(value.replace("[", "").replace("]", "").split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gradient.checkpoints must be a list of integers, got '" + value + "'");
        }
    }
}

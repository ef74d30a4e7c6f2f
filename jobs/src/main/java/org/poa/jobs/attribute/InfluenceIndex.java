package org.poa.jobs.attribute;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The training side of one model's gradient scores, shipped to every task: per contributor the sum
 * of its contributions' preconditioned, lr-weighted vectors Ψ_c = Σ_t Σ_ckpt lr·H⁻¹φ_t (linearity:
 * one inner product per inference and contributor), and the contributions' own vectors for the
 * per-contribution usage. Contributors in address order, a contributor's contributions in id order,
 * and the sums taken in that order, so the numbers never depend on partitioning.
 * Its size is the model's credited training set times the vector dimension (documented bound).
 */
final class InfluenceIndex implements Serializable {

    final int dimension;
    final boolean singlePrecision;
    final String[] contributors;
    final double[] contributorVectors;
    final float[] contributorVectorsSingle;
    /** Contributor c's contributions are [start[c], start[c + 1]). */
    final int[] start;
    final String[] contributionIds;
    final String[] contributionDatanets;
    final float[] contributionVectors;

    private InfluenceIndex(int dimension, boolean singlePrecision, String[] contributors, double[] contributorVectors,
                           int[] start, String[] contributionIds, String[] contributionDatanets, float[] contributionVectors) {
        this.dimension = dimension;
        this.singlePrecision = singlePrecision;
        this.contributors = contributors;
        this.contributorVectors = contributorVectors;
        this.contributorVectorsSingle = new float[contributorVectors.length];
        for (int i = 0; i < contributorVectors.length; i++) {
            contributorVectorsSingle[i] = (float) contributorVectors[i];
        }
        this.start = start;
        this.contributionIds = contributionIds;
        this.contributionDatanets = contributionDatanets;
        this.contributionVectors = contributionVectors;
    }

    int contributorCount() {
        return contributors.length;
    }

    int contributionCount() {
        return contributionIds.length;
    }

    /**
     * Builds the index from rows (contribution_id, contributor, datanet_id, vector) whose vectors are
     * already preconditioned and weighted, streaming them in (contributor, contribution_id) order.
     */
    static InfluenceIndex of(Dataset<Row> vectors, int dimension, boolean singlePrecision) {
        Iterator<Row> rows = vectors.orderBy("contributor", "contribution_id").toLocalIterator();
        List<String> contributors = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> datanets = new ArrayList<>();
        double[] sums = new double[0];
        float[] each = new float[0];
        double[] v = new double[dimension];
        int c = -1;
        while (rows.hasNext()) {
            Row r = rows.next();
            String contributor = r.getString(1);
            if (c < 0 || !contributor.equals(contributors.get(c))) {
                contributors.add(contributor);
                starts.add(ids.size());
                c++;
                if ((c + 1) * dimension > sums.length) {
                    sums = java.util.Arrays.copyOf(sums, Math.max(dimension, sums.length * 2));
                }
            }
            VectorBytes.unpack((byte[]) r.get(3), v, 0);
            int t = ids.size();
            ids.add(r.getString(0));
            datanets.add(r.getString(2));
            if ((t + 1) * dimension > each.length) {
                each = java.util.Arrays.copyOf(each, Math.max(dimension, each.length * 2));
            }
            for (int i = 0; i < dimension; i++) {
                sums[c * dimension + i] += v[i];
                each[t * dimension + i] = (float) v[i];
            }
        }
        starts.add(ids.size());
        return new InfluenceIndex(dimension, singlePrecision, contributors.toArray(new String[0]),
                java.util.Arrays.copyOf(sums, contributors.size() * dimension),
                starts.stream().mapToInt(Integer::intValue).toArray(), ids.toArray(new String[0]),
                datanets.toArray(new String[0]), java.util.Arrays.copyOf(each, ids.size() * dimension));
    }
}

package org.poa.jobs.attribute;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.poa.attribution.gradient.ScoreColumns;
import org.poa.attribution.gradient.ScoreKernel;
import org.poa.lakehouse.ingest.parse.SparkValues;

/**
 * Scores a partition of inferences (inference_id, packed vector Φ_i) against one model's
 * {@link InfluenceIndex}: blocks of inferences times all contributor vectors in one GEMM, then per
 * inference the positive contributors (screened by the kernel, re-scored exactly in double
 * precision so ties and rounding never depend on the block an inference landed in), the best
 * {@code topContributors} credited with weights normalized to 1, and the inference's most influential
 * contributions among theirs as usage.
 */
final class InfluenceTask implements MapPartitionsFunction<Row, Row> {

    static final StructType CREDIT = new StructType()
            .add("contribution_id", StringType, false).add("contributor", StringType, false)
            .add("datanet_id", StringType, false).add("score", DoubleType, false).add("weight", DoubleType, false);
    static final StructType USAGE = new StructType()
            .add("rank", IntegerType, false).add("contribution_id", StringType, false).add("contributor", StringType, false)
            .add("datanet_id", StringType, false).add("score", DoubleType, false);
    static final StructType RESULT = new StructType()
            .add("inference_id", StringType, false)
            .add("credits", createArrayType(CREDIT, false), false)
            .add("usage", createArrayType(USAGE, false), false);

    static final int BLOCK = 256;

    private final Broadcast<InfluenceIndex> broadcast;
    private final int topContributors;
    private final int topContributions;

    InfluenceTask(Broadcast<InfluenceIndex> broadcast, int topContributors, int topContributions) {
        this.broadcast = broadcast;
        this.topContributors = topContributors;
        this.topContributions = topContributions;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        InfluenceIndex index = broadcast.value();
        // Laid out once per task for this executor's kernel (single precision only).
        ScoreColumns columns = index.singlePrecision
                ? ScoreKernel.columns(index.contributorVectorsSingle, index.contributorCount(), index.dimension)
                : null;
        return new Iterator<>() {
            private final List<Row> ready = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < ready.size()) {
                    return true;
                }
                ready.clear();
                next = 0;
                List<String> ids = new ArrayList<>(BLOCK);
                List<byte[]> vectors = new ArrayList<>(BLOCK);
                while (input.hasNext() && ids.size() < BLOCK) {
                    Row r = input.next();
                    ids.add(r.getString(0));
                    vectors.add((byte[]) r.get(1));
                }
                if (!ids.isEmpty()) {
                    score(index, columns, ids, vectors, ready);
                }
                return next < ready.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.get(next++);
            }
        };
    }

    private void score(InfluenceIndex index, ScoreColumns columns, List<String> ids, List<byte[]> vectors, List<Row> out) {
        int d = index.dimension;
        int rows = ids.size();
        int cols = index.contributorCount();
        double[] phi = new double[rows * d];
        for (int i = 0; i < rows; i++) {
            VectorBytes.unpack(vectors.get(i), phi, i * d);
        }
        // The kernel's scores are read in place (float or double): copying rows × contributors
        // floats into doubles cost as much as the selection that reads them.
        Screen screen;
        if (cols == 0) {
            screen = i -> 0;
        } else if (index.singlePrecision) {
            float[] block = new float[rows * d];
            for (int i = 0; i < block.length; i++) {
                block[i] = (float) phi[i];
            }
            float[] s = new float[rows * cols];
            ScoreKernel.scores(block, rows, columns, s);
            screen = i -> s[i];
        } else {
            double[] s = new double[rows * cols];
            ScoreKernel.scores(phi, rows, index.contributorVectors, cols, d, s);
            screen = i -> s[i];
        }
        for (int i = 0; i < rows; i++) {
            out.add(inference(index, ids.get(i), phi, i * d, screen, i * cols));
        }
    }

    private Row inference(InfluenceIndex index, String id, double[] phi, int at, Screen screen, int screenAt) {
        int d = index.dimension;
        int cols = index.contributorCount();
        // Screen: the 2·top contributors the kernel scores highest (positive only).
        int[] positive = topPositive(screen, screenAt, cols, 2 * topContributors);
        int screened = positive.length;
        // Exact re-score in double, then keep the best topContributors with a positive score.
        double[] exact = new double[screened];
        Integer[] order = new Integer[screened];
        for (int j = 0; j < screened; j++) {
            int c = positive[j];
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += phi[at + k] * index.contributorVectors[c * d + k];
            }
            exact[j] = s;
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(exact[b], exact[a]) != 0 ? Double.compare(exact[b], exact[a])
                : index.contributors[positive[a]].compareTo(index.contributors[positive[b]]));
        List<Integer> kept = new ArrayList<>();
        double total = 0;
        for (int j = 0; j < screened && kept.size() < topContributors; j++) {
            if (exact[order[j]] > 0) {
                kept.add(order[j]);
                total += exact[order[j]];
            }
        }
        List<Row> credits = new ArrayList<>();
        List<double[]> usage = new ArrayList<>(); // {contribution index, score}
        for (int j : kept) {
            int c = positive[j];
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int t = index.start[c]; t < index.start[c + 1]; t++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += phi[at + k] * index.contributionVectors[t * d + k];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = t;
                }
                if (s > 0) {
                    usage.add(new double[] {t, s});
                }
            }
            credits.add(RowFactory.create(index.contributionIds[best], index.contributors[c], index.contributionDatanets[best],
                    exact[j], exact[j] / total));
        }
        usage.sort((a, b) -> Double.compare(b[1], a[1]) != 0 ? Double.compare(b[1], a[1])
                : index.contributionIds[(int) a[0]].compareTo(index.contributionIds[(int) b[0]]));
        List<Row> used = new ArrayList<>();
        for (int r = 0; r < Math.min(topContributions, usage.size()); r++) {
            int t = (int) usage.get(r)[0];
            int c = contributorOf(index, t);
            used.add(RowFactory.create(r + 1, index.contributionIds[t], index.contributors[c], index.contributionDatanets[t],
                    usage.get(r)[1]));
        }
        return RowFactory.create(id, SparkValues.seq(credits), SparkValues.seq(used));
    }

    /** A block's scores read by position, whatever their precision (float → double is exact). */
    interface Screen {
        double at(int i);
    }

    /**
     * The indexes of the (at most) {@code m} largest positive scores among scores[at, at + n), best
     * first, ties to the smaller index: a bounded min-heap on primitives, O(n log m) with no boxing
     * (the screen runs once per inference over every contributor).
     */
    static int[] topPositive(double[] scores, int at, int n, int m) {
        return topPositive((Screen) i -> scores[i], at, n, m);
    }

    static int[] topPositive(Screen scores, int at, int n, int m) {
        int[] heap = new int[Math.max(1, Math.min(m, n))];
        int size = 0;
        // What a score must beat to enter: 0 while the heap fills, then its worst score. Indexes
        // come in increasing order, so a tie with the worst never ranks before it (it is further
        // right); the scan is then one comparison per contributor.
        double floor = 0;
        for (int c = 0; c < n; c++) {
            double score = scores.at(at + c);
            if (!(score > floor)) {
                continue;
            }
            if (size < heap.length) {
                heap[size] = c;
                siftUp(scores, at, heap, size++);
                if (size == heap.length) {
                    floor = scores.at(at + heap[0]);
                }
            } else {
                heap[0] = c;
                siftDown(scores, at, heap, size);
                floor = scores.at(at + heap[0]);
            }
        }
        int[] out = new int[size];
        // Popping the worst first fills the answer from the back: best first.
        for (int i = size - 1; i >= 0; i--) {
            out[i] = heap[0];
            heap[0] = heap[--size];
            siftDown(scores, at, heap, size);
        }
        return out;
    }

    /** a ranks before b: a higher score, or an equal score and a smaller index. */
    private static boolean better(Screen scores, int at, int a, int b) {
        double sa = scores.at(at + a);
        double sb = scores.at(at + b);
        return sa > sb || (sa == sb && a < b);
    }

    /** The heap's root is its worst element. */
    private static void siftUp(Screen scores, int at, int[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!better(scores, at, heap[parent], heap[i])) {
                break;
            }
            int t = heap[parent];
            heap[parent] = heap[i];
            heap[i] = t;
            i = parent;
        }
    }

    private static void siftDown(Screen scores, int at, int[] heap, int size) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            int worst = i;
            if (left < size && better(scores, at, heap[worst], heap[left])) {
                worst = left;
            }
            if (left + 1 < size && better(scores, at, heap[worst], heap[left + 1])) {
                worst = left + 1;
            }
            if (worst == i) {
                return;
            }
            int t = heap[worst];
            heap[worst] = heap[i];
            heap[i] = t;
            i = worst;
        }
    }

    private static int contributorOf(InfluenceIndex index, int t) {
        int c = Arrays.binarySearch(index.start, t);
        if (c < 0) {
            return -c - 2;
        }
        while (c + 1 < index.start.length && index.start[c + 1] == t) {
            c++;
        }
        return c;
    }
}

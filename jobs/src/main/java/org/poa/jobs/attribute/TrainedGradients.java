package org.poa.jobs.attribute;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.poa.attribution.gradient.GradientSketch;
import org.poa.attribution.gradient.HashedFeatures;
import org.poa.attribution.gradient.SoftmaxCheckpoint;

/**
 * Per-example gradient vectors of a model trained here: for a row (id, text, label, extra…) the
 * concatenation over checkpoints of the sketch of ρ ⊗ [x; 1] at the given label, packed. A row
 * whose label is not one of the model's (an inference that logged something else) yields nothing.
 * Output: id, the extra columns, vector.
 */
final class TrainedGradients implements FlatMapFunction<Row, Row> {

    private final List<SoftmaxCheckpoint> checkpoints;
    private final GradientSketch sketch;
    private final HashedFeatures features;
    private final int extra;

    TrainedGradients(List<SoftmaxCheckpoint> checkpoints, GradientSketch sketch, int extraColumns) {
        this.checkpoints = new ArrayList<>(checkpoints);
        this.sketch = sketch;
        this.features = new HashedFeatures(checkpoints.get(0).numFeatures());
        this.extra = extraColumns;
    }

    int dimension() {
        return checkpoints.size() * sketch.dimension();
    }

    @Override
    public Iterator<Row> call(Row row) {
        String label = row.getString(2);
        List<String> labels = List.of(checkpoints.get(0).labels());
        if (label == null || !labels.contains(label)) {
            return java.util.Collections.emptyIterator();
        }
        int y = labels.indexOf(label);
        HashedFeatures.Sparse x = features.of(row.getString(1));
        int d = sketch.dimension();
        double[] vector = new double[dimension()];
        for (int c = 0; c < checkpoints.size(); c++) {
            sketch.write(checkpoints.get(c).residual(x, y), x, vector, c * d);
        }
        Object[] out = new Object[2 + extra];
        out[0] = row.getString(0);
        for (int i = 0; i < extra; i++) {
            out[1 + i] = row.get(3 + i);
        }
        out[1 + extra] = VectorBytes.pack(vector);
        return List.of((Row) RowFactory.create(out)).iterator();
    }
}

package org.poa.lakehouse.catalog;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.poa.attribution.gradient.SoftmaxCheckpoint;

/**
 * One row of {@link Tables#MODEL_CHECKPOINTS}: a checkpoint of a classifier trained here (softmax
 * weights, row major K x D), its TracIn weight, and the training data it came from.
 */
public record ModelCheckpointRow(String modelId, SoftmaxCheckpoint checkpoint, long trainingExamples, String trainingDigest,
                                 long contributionsVersion, long statusVersion, String weightsHash, Instant trainedAt) {

    public static final TableDef TABLE = Tables.MODEL_CHECKPOINTS;

    public static ModelCheckpointRow fromRow(Row r) {
        List<String> labels = r.getList(4);
        List<Double> w = r.getList(6);
        List<Double> b = r.getList(7);
        SoftmaxCheckpoint checkpoint = new SoftmaxCheckpoint(r.getInt(1), r.getInt(2), r.getDouble(3), labels.toArray(new String[0]),
                r.getInt(5), w.stream().mapToDouble(Double::doubleValue).toArray(), b.stream().mapToDouble(Double::doubleValue).toArray());
        Object at = r.get(13);
        Instant trainedAt = at instanceof Timestamp t ? t.toInstant() : (Instant) at;
        return new ModelCheckpointRow(r.getString(0), checkpoint, r.getLong(8), r.getString(9), r.getLong(10), r.getLong(11),
                r.getString(12), trainedAt);
    }

    public Row toRow() {
        SoftmaxCheckpoint c = checkpoint;
        return RowFactory.create(modelId, c.index(), c.iterations(), c.lr(), c.labels(), c.numFeatures(), c.coefficients(),
                c.intercepts(), trainingExamples, trainingDigest, contributionsVersion, statusVersion, weightsHash,
                Timestamp.from(trainedAt));
    }
}

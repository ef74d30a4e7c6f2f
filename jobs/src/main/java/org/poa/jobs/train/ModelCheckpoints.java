package org.poa.jobs.train;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.poa.attribution.gradient.SoftmaxCheckpoint;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/** Reads a trained model's checkpoints (model-sized: K × D numbers each). */
public final class ModelCheckpoints {

    private ModelCheckpoints() {
    }

    public static List<SoftmaxCheckpoint> read(Lakehouse lakehouse, String modelId) {
        List<SoftmaxCheckpoint> out = new ArrayList<>();
        for (Row r : lakehouse.read(Tables.MODEL_CHECKPOINTS).where(col("model_id").equalTo(modelId))
                .orderBy("checkpoint").collectAsList()) {
            List<Double> w = r.getList(r.fieldIndex("coefficients"));
            List<Double> b = r.getList(r.fieldIndex("intercepts"));
            List<String> labels = r.getList(r.fieldIndex("labels"));
            out.add(new SoftmaxCheckpoint(r.getInt(r.fieldIndex("checkpoint")), r.getInt(r.fieldIndex("iterations")),
                    r.getDouble(r.fieldIndex("lr")), labels.toArray(new String[0]), r.getInt(r.fieldIndex("num_features")),
                    w.stream().mapToDouble(Double::doubleValue).toArray(), b.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return out;
    }

    /** The (contributions, contribution_status) versions the checkpoints were trained on. */
    public static long[] trainingVersions(Lakehouse lakehouse, String modelId) {
        Row r = lakehouse.read(Tables.MODEL_CHECKPOINTS).where(col("model_id").equalTo(modelId))
                .select("contributions_version", "status_version").head();
        return new long[] {r.getLong(0), r.getLong(1)};
    }
}

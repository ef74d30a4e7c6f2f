package org.poa.jobs.train;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.poa.attribution.gradient.SoftmaxCheckpoint;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.ModelCheckpointRow;

/** A trained model's checkpoints (model-sized: K × D numbers each), in checkpoint order. */
public final class ModelCheckpoints {

    private ModelCheckpoints() {
    }

    public static List<ModelCheckpointRow> rows(Lakehouse lakehouse, String modelId) {
        return lakehouse.read(ModelCheckpointRow.TABLE).where(col("model_id").equalTo(modelId)).orderBy("checkpoint")
                .collectAsList().stream().map(ModelCheckpointRow::fromRow).toList();
    }

    public static List<SoftmaxCheckpoint> read(Lakehouse lakehouse, String modelId) {
        return rows(lakehouse, modelId).stream().map(ModelCheckpointRow::checkpoint).toList();
    }
}

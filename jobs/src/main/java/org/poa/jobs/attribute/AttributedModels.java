package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/** The models an attribution method runs for. */
final class AttributedModels {

    private AttributedModels() {
    }

    /**
     * id, datanets, params of every model listing {@code method}, or of {@code modelId} only (an error
     * when it is not registered or does not list the method). A registry-sized list, read once.
     */
    static List<Row> of(Lakehouse lakehouse, String modelId, String method) {
        Dataset<Row> models = lakehouse.read(Tables.MODELS);
        if (modelId != null) {
            models = models.where(col("model_id").equalTo(modelId));
        }
        List<Row> found = models.select(col("model_id"), col("datanets"), col("params"),
                        expr("map_contains_key(attribution, '" + method + "')").as("uses"))
                .orderBy("model_id").collectAsList();
        if (modelId != null && found.isEmpty()) {
            throw new IllegalArgumentException("model '" + modelId + "' is not registered");
        }
        if (modelId != null && !found.get(0).getBoolean(3)) {
            throw new IllegalArgumentException("model '" + modelId + "' does not list " + method + " in its attribution methods");
        }
        return found.stream().filter(r -> r.getBoolean(3)).toList();
    }
}

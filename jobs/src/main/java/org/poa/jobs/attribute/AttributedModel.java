package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/** A registered model an attribution method runs for: its id, datanets and flattened params (null when none). */
public record AttributedModel(String modelId, List<String> datanets, Map<String, String> params) {

    /**
     * Every model listing {@code method}, or {@code modelId} only (an error when it is not registered
     * or does not list the method). A registry-sized list, read once.
     */
    static List<AttributedModel> of(Lakehouse lakehouse, String modelId, String method) {
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
        return found.stream().filter(r -> r.getBoolean(3))
                .map(r -> new AttributedModel(r.getString(0), r.getList(1), r.isNullAt(2) ? null : r.getJavaMap(2)))
                .toList();
    }

    /** Whether a registered model lists the method; an unknown model counts as listing it (its method's run then names it). */
    static boolean lists(Lakehouse lakehouse, String modelId, String method) {
        List<Row> found = lakehouse.read(Tables.MODELS).where(col("model_id").equalTo(modelId))
                .select(expr("map_contains_key(attribution, '" + method + "')")).collectAsList();
        return found.isEmpty() || found.get(0).getBoolean(0);
    }
}

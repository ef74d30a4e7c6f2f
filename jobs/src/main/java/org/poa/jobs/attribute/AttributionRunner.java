package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;

/**
 * Runs one attribution method over an epoch: per model, its scored rows persisted on disk and
 * counted (which runs that model's tasks before the next model's index or vectors are loaded), then
 * the epoch's rows of the method's tables replaced, each in one commit, {@code attributions} last.
 * A table whose rows are already exactly these is not written (no new version).
 */
public final class AttributionRunner {

    private AttributionRunner() {
    }

    public static List<AttributionRun> run(AttributionScope scope, AttributionMethod method, Consumer<String> progress) {
        List<AttributionRun> runs = new ArrayList<>();
        List<Dataset<Row>> results = new ArrayList<>();
        try {
            for (AttributedModel model : AttributedModel.of(scope.lakehouse(), scope.modelId(), method.name())) {
                var scoring = method.score(scope, model);
                if (scoring.isEmpty()) {
                    continue;
                }
                Dataset<Row> result = scoring.get().rows().withColumn("model_id", lit(model.modelId()))
                        .persist(StorageLevel.DISK_ONLY());
                results.add(result);
                long started = System.nanoTime();
                List<Column> totals = new ArrayList<>(List.of(count(lit(1)), expr("count_if(size(credits) > 0)"),
                        expr("coalesce(sum(size(credits)), 0)")));
                totals.addAll(scoring.get().totals());
                Row row;
                try {
                    row = result.agg(totals.get(0), totals.subList(1, totals.size()).toArray(Column[]::new)).head();
                } finally {
                    scoring.get().release();
                }
                List<Object> own = new ArrayList<>();
                for (int i = 3; i < row.length(); i++) {
                    own.add(row.get(i));
                }
                AttributionRun run = new AttributionRun(method.name(), model.modelId(), row.getLong(0), row.getLong(1), row.getLong(2),
                        (System.nanoTime() - started) / 1e9, scoring.get().details(own));
                runs.add(run);
                progress.accept("model " + model.modelId() + ": " + run.inferences() + " inferences scored by " + method.name()
                        + ", " + run.credited() + " credited");
            }
            write(scope, method, results, progress);
        } finally {
            results.forEach(Dataset::unpersist);
        }
        return runs;
    }

    private static void write(AttributionScope scope, AttributionMethod method, List<Dataset<Row>> results, Consumer<String> progress) {
        Dataset<Row> all = results.stream().reduce(Dataset::unionByName).orElseGet(() -> scope.lakehouse().spark()
                .createDataFrame(List.of(), method.scoredSchema().add("model_id", DataTypes.StringType, false)));
        for (AttributionMethod.Output output : method.outputs(scope, all)) {
            replace(scope, output.table().name() + " (" + method.name() + ")", output, scope.predicate(), progress);
        }
        Dataset<Row> attributions = method.attributions(scope, all)
                .withColumn("epoch", lit(scope.epoch())).withColumn("method", lit(method.name()));
        replace(scope, "attributions (" + method.name() + ")", new AttributionMethod.Output(Tables.ATTRIBUTIONS, attributions),
                scope.predicate() + " AND method = " + TableWrites.literal(method.name()), progress);
    }

    private static void replace(AttributionScope scope, String what, AttributionMethod.Output output, String predicate,
                                Consumer<String> progress) {
        progress.accept("writing " + what);
        if (!TableWrites.replaceWhereIfChanged(scope.lakehouse(), output.table(), output.rows(), predicate)) {
            progress.accept(what + " of epoch " + scope.epoch() + " unchanged: nothing written");
        }
    }

    /** A column of the scored rows summed, 0 when there are none. */
    static Column sum(String expression) {
        return expr("coalesce(sum(" + expression + "), 0)");
    }
}

package org.poa.jobs.attribute;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.poa.lakehouse.catalog.TableDef;

/**
 * One way of attributing inferences to contributions (n-gram spans, gradient influence), as
 * {@link AttributionRunner} runs it: the runner picks the models, persists each model's scored rows,
 * counts them, and replaces the epoch's rows of every table the method writes; the method scores
 * and shapes its rows.
 */
public interface AttributionMethod {

    /** Its name in {@code models.attribution} and {@code attributions.method}. */
    String name();

    /**
     * The epoch's inferences of one model scored: one row per inference in {@link #scoredSchema()},
     * or empty when the model has nothing to score with (the method says why through progress).
     */
    Optional<ModelScoring> score(AttributionScope scope, AttributedModel model);

    /** The scored rows' columns: {@code inference_id}, {@code credits} (an array with at least contribution_id, score, weight), and the method's own. */
    StructType scoredSchema();

    /**
     * The method's own tables (written before {@code attributions}, each replaced for the scope), from
     * all scored models' rows with their {@code model_id}.
     */
    List<Output> outputs(AttributionScope scope, Dataset<Row> scored);

    /** The scope's {@code attributions} rows of this method, from all scored models' rows with their {@code model_id}. */
    Dataset<Row> attributions(AttributionScope scope, Dataset<Row> scored);

    /** The rows of one more table the method replaces for the scope. */
    record Output(TableDef table, Dataset<Row> rows) {
    }

    /** One model's scoring: its rows (lazy), and what the report says about them. */
    interface ModelScoring {

        Dataset<Row> rows();

        /** Aggregates over the scored rows that {@link #details} needs, computed in the runner's one pass. */
        default List<Column> totals() {
            return List.of();
        }

        /** The report's method-specific part, from the values of {@link #totals()} in order. */
        ReportColumns details(List<Object> totals);

        /** Called once the rows are computed and kept: drops what only their computation needed. */
        default void release() {
        }
    }

    /** Named values of a run, printed as columns of the attribute step's report. */
    interface ReportColumns {
        List<String> names();

        List<Object> values();
    }
}

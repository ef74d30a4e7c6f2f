package org.poa.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.Row;
import org.poa.jobs.review.ReviewAction;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/** The review queue's size per datanet and signal, one row per datanet (docs/review.md). */
public final class ReviewCounts {

    private ReviewCounts() {
    }

    public static void print(PrintWriter out, Lakehouse lakehouse) {
        if (!lakehouse.exists(Tables.REVIEW_QUEUE)) {
            out.println("review queue: none yet (poa review builds it)");
            return;
        }
        // One row per datanet: a registry-sized result.
        List<Row> rows = lakehouse.read(Tables.REVIEW_QUEUE).groupBy("datanet_id").agg(
                        count(lit(1)).as("flagged"),
                        sum(when(col("signal").equalTo(ReviewAction.SELF_INFLUENCE), 1).otherwise(0)).as("self_influence"),
                        sum(when(col("signal").equalTo(ReviewAction.COPIED_SPANS), 1).otherwise(0)).as("copied_spans"))
                .orderBy("datanet_id").collectAsList();
        out.println("review queue (poa review; contributions flagged, a contribution once per signal):");
        out.printf("%-24s %13s %14s %12s%n", "datanet", "flagged", "self_influence", "copied_spans");
        for (Row r : rows) {
            out.printf("%-24s %13d %14d %12d%n", r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3));
        }
        if (rows.isEmpty()) {
            out.println("(nothing flagged)");
        }
    }
}

package org.poa.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.status.StatusRule;

/** Contributions per datanet by status (approved / rejected / pending), one row per datanet. */
public final class StatusCounts {

    private StatusCounts() {
    }

    /** Prints the counts of {@code status} (rows of the status timeline at one moment) under {@code label}. */
    public static void print(PrintWriter out, Dataset<Row> status, String label) {
        // One row per datanet: a registry-sized result.
        List<Row> rows = status.groupBy("datanet_id").agg(
                        count(lit(1)).as("contributions"),
                        sum(when(col("status").equalTo(StatusRule.APPROVED), 1).otherwise(0)).as("approved"),
                        sum(when(col("status").equalTo(StatusRule.REJECTED), 1).otherwise(0)).as("rejected"),
                        sum(when(col("status").equalTo(StatusRule.PENDING), 1).otherwise(0)).as("pending"))
                .orderBy("datanet_id").collectAsList();
        out.println("contribution status " + label + ":");
        out.printf("%-24s %13s %9s %9s %9s%n", "datanet", "contributions", "approved", "rejected", "pending");
        for (Row r : rows) {
            out.printf("%-24s %13d %9d %9d %9d%n", r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
        }
    }
}

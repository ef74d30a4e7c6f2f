package org.poa.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/** An epoch's most credited contributions by one method: weight summed over inferences (K rows). */
public final class TopCredits {

    private TopCredits() {
    }

    public static void print(PrintWriter out, Lakehouse lakehouse, long epoch, String model, int k, String method) {
        if (k <= 0) {
            return;
        }
        Dataset<Row> rows = lakehouse.read(Tables.ATTRIBUTIONS)
                .where(col("epoch").equalTo(epoch).and(col("method").equalTo(method)));
        if (model != null) {
            rows = rows.where(col("model_id").equalTo(model));
        }
        List<Row> best = rows.groupBy("contribution_id", "contributor", "datanet_id")
                .agg(sum("weight").as("credit"), count(lit(1)).as("inferences"))
                .orderBy(desc("credit"), col("contribution_id")).limit(k).collectAsList();
        out.println("top " + method + " contributions of epoch " + epoch + " (credit = weight summed over inferences):");
        out.printf("  %-14s %-14s %-16s %10s %10s%n", "contribution", "contributor", "datanet", "credit", "inferences");
        for (Row r : best) {
            out.printf("  %-14s %-14s %-16s %10.3f %10d%n", shortId(r.getString(0)), shortId(r.getString(1)),
                    r.getString(2), r.getDouble(3), r.getLong(4));
        }
    }

    static String shortId(String hex) {
        return hex.length() <= 14 ? hex : hex.substring(0, 8) + "…" + hex.substring(hex.length() - 4);
    }
}

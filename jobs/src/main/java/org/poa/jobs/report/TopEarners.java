package org.poa.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.sum;

import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/** The accounts earning most in an epoch, by role (K rows). */
public final class TopEarners {

    private TopEarners() {
    }

    public static void print(PrintWriter out, Lakehouse lakehouse, long epoch, int k) {
        if (k <= 0) {
            return;
        }
        List<Row> best = lakehouse.read(Tables.REWARDS).where(col("epoch").equalTo(epoch))
                .groupBy("account", "role").agg(sum("amount_wei").as("wei"))
                .orderBy(desc("wei"), col("account"), col("role")).limit(k).collectAsList();
        out.println("top earners of epoch " + epoch + ":");
        for (Row r : best) {
            out.printf("  %-42s %-12s %28s wei%n", r.getString(0), r.getString(1), r.getDecimal(2).toPlainString());
        }
    }
}

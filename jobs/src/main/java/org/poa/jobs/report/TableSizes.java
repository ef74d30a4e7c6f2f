package org.poa.jobs.report;

import java.io.PrintWriter;
import java.util.Map;
import org.poa.lakehouse.catalog.Lakehouse;

/** Every table with its row count and Delta version. */
public final class TableSizes {

    private TableSizes() {
    }

    public static void print(PrintWriter out, Lakehouse lakehouse) {
        Map<String, long[]> tables = lakehouse.describeAll();
        out.printf("%-20s %12s %8s%n", "table", "rows", "version");
        tables.forEach((name, stats) -> out.printf("%-20s %12d %8d%n", name, stats[0], stats[1]));
        out.println("lakehouse: " + lakehouse.root());
    }
}

package org.poa.jobs.cli;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.jobs.query.ReadOnlySql;
import org.poa.lakehouse.catalog.Lakehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs Spark SQL over the lakehouse; every table is a view of its own name.",
            "Read-only unless --write: statements that write, drop or alter are refused, and so are reflection calls",
            "and SQL on file paths. A tool for trusted operators: it runs with the process's storage credentials.",
            "Example: poa sql \"SELECT reason, count(*) FROM quarantine GROUP BY reason\" --format csv"})
final class SqlCommand implements Callable<Integer> {

    enum Format { table, csv, json }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUERY", description = "One SQL query.")
    String query;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "table (aligned, at most --limit rows), csv (with a header) or json (one object per line). Default: ${DEFAULT-VALUE}.")
    Format format = Format.table;

    @Option(names = "--write",
            description = "Allow statements that change the lakehouse (DELETE, UPDATE, MERGE, VACUUM, DROP, ...): for operators.")
    boolean write;

    @Option(names = "--limit", paramLabel = "N",
            description = "Rows shown by --format table (default: ${DEFAULT-VALUE}); csv and json stream every row.")
    int limit = 100;

    @Override
    public Integer call() throws org.apache.spark.sql.catalyst.parser.ParseException {
        PoaContext context = PoaCommand.root(spec).context();
        Lakehouse lakehouse = context.lakehouse();
        if (!write) {
            ReadOnlySql.require(lakehouse.spark(), query);
        }
        // The views first: the lakehouse opens its tables by path, which the restriction switches off.
        lakehouse.registerViews();
        if (!write) {
            ReadOnlySql.restrict(lakehouse.spark());
        }
        Dataset<Row> result = lakehouse.spark().sql(query);
        if (!write) {
            ReadOnlySql.requireNoJava(result.queryExecution().analyzed());
        }
        PrintWriter out = context.out();
        switch (format) {
            case json -> result.toJSON().toLocalIterator().forEachRemaining(out::println);
            case csv -> {
                out.println(TableText.csvLine(List.of(result.columns())));
                Iterator<Row> rows = result.toLocalIterator();
                while (rows.hasNext()) {
                    out.println(TableText.csvLine(TableText.cells(rows.next())));
                }
            }
            case table -> {
                // Bounded by --limit: an aligned table needs its rows before it can print.
                List<Row> rows = result.limit(limit + 1).collectAsList();
                out.print(TableText.aligned(List.of(result.columns()), rows.subList(0, Math.min(limit, rows.size()))));
                if (rows.size() > limit) {
                    out.println("(showing the first " + limit + " rows; use --limit or --format csv|json for all)");
                }
            }
        }
        out.flush();
        return 0;
    }
}

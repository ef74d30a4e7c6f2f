package org.poa.jobs.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.poa.lakehouse.catalog.Lakehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "Lists every lakehouse table with its row count and Delta version (creating missing tables).")
final class TablesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        print(PoaCommand.root(spec).context().lakehouse());
        return 0;
    }

    static void print(Lakehouse lakehouse) {
        Map<String, long[]> tables = lakehouse.describeAll();
        System.out.printf("%-20s %12s %8s%n", "table", "rows", "version");
        tables.forEach((name, stats) -> System.out.printf("%-20s %12d %8d%n", name, stats[0], stats[1]));
        System.out.println("lakehouse: " + lakehouse.root());
    }
}

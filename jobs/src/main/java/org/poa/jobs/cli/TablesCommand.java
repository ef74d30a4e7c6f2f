package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.jobs.report.TableSizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "Lists every lakehouse table with its row count and Delta version (-1: not written yet).")
final class TablesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PoaContext context = PoaCommand.root(spec).context();
        TableSizes.print(context.out(), context.lakehouse());
        return 0;
    }
}

package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.functions;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.registry.ModelLineage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = "A model's hash-chained history (registered, relicensed, updated, trained, ...).",
        subcommands = {LineageCommand.Verify.class, LineageCommand.Show.class})
final class LineageCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: verify or show");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Recomputes the model's hash chain and checks its head against the models row.",
                "Exit code 0 when intact, 3 with the first broken link otherwise."})
    static final class Verify extends OfModel {

        @Override
        public Integer call() {
            ModelLineage.Verdict verdict = ModelLineage.verify(lakehouse(), model);
            if (verdict.ok()) {
                out().println("lineage of " + model + ": intact, " + verdict.events() + " events");
                return 0;
            }
            out().println("lineage of " + model + ": BROKEN at " + verdict.problem());
            return 3;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints the model's events in order.")
    static final class Show extends OfModel {

        @Override
        public Integer call() {
            lakehouse().read(Tables.MODEL_LINEAGE).where(functions.col("model_id").equalTo(model)).orderBy("seq")
                    .select("seq", "event", "recorded_at", "hash", "details")
                    .toLocalIterator()
                    .forEachRemaining(r -> out().println(r.get(0) + "  " + r.get(1) + "  " + r.get(2) + "  "
                            + r.get(3) + "  " + r.get(4)));
            return 0;
        }
    }

    /** What both subcommands take: the model, and the lakehouse of the global options. */
    abstract static class OfModel implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "MODEL_ID")
        String model;

        Lakehouse lakehouse() {
            return PoaCommand.root(spec).context().lakehouse();
        }

        java.io.PrintWriter out() {
            return PoaCommand.root(spec).out();
        }
    }
}

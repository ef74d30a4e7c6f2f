package org.poa.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.IngestReport;
import org.poa.lakehouse.ingest.InputKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the product on a generated world: generate -> ingest (all five inputs) -> status,",
            "then prints each table's size. Uses --lakehouse (default ./lakehouse) and local Spark."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "DIR", description = "Where the generated inputs go. Default: ${DEFAULT-VALUE}.")
    Path input = Path.of("demo-input");

    @Mixin
    WorldOptions world = new WorldOptions();

    @Override
    public Integer call() throws Exception {
        PoaContext context = PoaCommand.root(spec).context();
        GenerateCommand.generate(context, input, world);
        for (InputKind kind : InputKind.values()) {
            IngestReport report = IngestCommand.ingest(context, kind,
                    input.resolve(kind.code() + ".jsonl").toString(), IngestOptions.DEFAULT_MAX_CONTENT_BYTES);
            System.out.println(report.summary());
        }
        StatusCommand.print(context, null);
        System.out.println();
        TablesCommand.print(context.lakehouse());
        System.out.println("look inside: bin/poa sql \"SELECT reason, count(*) AS n FROM quarantine GROUP BY reason\"");
        return 0;
    }
}

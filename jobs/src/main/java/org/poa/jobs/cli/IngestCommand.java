package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.IngestReport;
import org.poa.lakehouse.ingest.InputKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Validates input files into their table; rejected rows go to the quarantine with a reason.",
            "Prints read = accepted + duplicates + quarantined. Re-ingesting a file changes nothing."})
final class IngestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "datanets, contributions, votes, models or inferences")
    String kind;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "A .jsonl/.csv/.parquet file, or a folder of them.")
    String input;

    @Option(names = "--max-content-bytes", paramLabel = "N",
            description = "Largest accepted contribution content in UTF-8 bytes (default: ${DEFAULT-VALUE}).")
    int maxContentBytes = IngestOptions.DEFAULT_MAX_CONTENT_BYTES;

    @Override
    public Integer call() {
        InputKind inputKind = InputKind.of(kind);
        PoaContext context = PoaCommand.root(spec).context();
        IngestReport report = ingest(context, inputKind, input, maxContentBytes);
        System.out.println(report.summary());
        return 0;
    }

    static IngestReport ingest(PoaContext context, InputKind kind, String input, int maxContentBytes) {
        Progress.step("ingesting " + kind.code() + " from " + input);
        return kind.ingest(context.lakehouse(), context.ingestOptions(maxContentBytes)).run(input);
    }
}

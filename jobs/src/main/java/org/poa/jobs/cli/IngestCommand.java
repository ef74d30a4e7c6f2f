package org.poa.jobs.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.poa.jobs.ingest.IngestAction;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.InputKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Validates input files into their table; rejected rows go to the quarantine with a reason.",
            "Prints read = accepted + duplicates + quarantined. Re-ingesting a file changes nothing.",
            "KIND all reads a batch folder: its sub-folders datanets/, contributions/, votes/, models/,",
            "inferences/ and gradients/, in that order (each that is there), in one Spark session.",
            "gradients: projected gradient vectors of models trained elsewhere (DESIGN.md's Parquet format)."})
final class IngestCommand implements Callable<Integer> {

    static final String ALL = "all";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "datanets, contributions, votes, models, inferences, gradients or all")
    String kind;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "A .jsonl/.csv/.parquet file, or a folder of them (for all: the batch folder).")
    String input;

    @Option(names = "--max-content-bytes", paramLabel = "N",
            description = "Largest accepted contribution content in UTF-8 bytes (default: ${DEFAULT-VALUE}).")
    int maxContentBytes = IngestOptions.DEFAULT_MAX_CONTENT_BYTES;

    @Option(names = "--missing-ok",
            description = "A missing input, or a folder without data files, is nothing to ingest (exit 0) instead of an error;"
                    + " for schedulers whose batches do not always carry every kind. With all, the batch folder itself must exist.")
    boolean missingOk;

    @Override
    public Integer call() {
        InputKind single = ALL.equals(kind) ? null : InputKind.of(kind);
        PoaContext context = PoaCommand.root(spec).context();
        IngestAction action = context.actions().ingest(context.ingestOptions(maxContentBytes)).missingOk(missingOk);
        print(context.out(), (single == null ? action.batch(input) : action.kind(single, input)).execute());
        return 0;
    }

    /** Each kind's counts, and the kinds that were not there. */
    static void print(PrintWriter out, IngestAction.Result result) {
        result.reports().forEach(r -> out.println(r.summary()));
        result.absent().forEach(a -> out.println(a.kind().code() + ": nothing to ingest at " + a.location()));
    }
}

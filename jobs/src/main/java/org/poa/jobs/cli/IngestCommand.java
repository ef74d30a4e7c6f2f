package org.poa.jobs.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.IngestReport;
import org.poa.lakehouse.ingest.InputFiles;
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
        if (!ALL.equals(kind) && Arrays.stream(InputKind.values()).noneMatch(k -> k.code().equals(kind))) {
            throw new IllegalArgumentException("unknown input kind '" + kind
                    + "': expected datanets, contributions, votes, models, inferences, gradients or all");
        }
        PoaContext context = PoaCommand.root(spec).context();
        if (!ALL.equals(kind)) {
            ingestIfPresent(context, InputKind.of(kind), input);
            return 0;
        }
        // --missing-ok covers kinds a batch does not carry, never a batch that is not there: a scheduled
        // run must not settle an epoch whose inputs it never read.
        if (!InputFiles.exists(context.lakehouse().spark(), input)) {
            throw new IllegalArgumentException("input " + input + " does not exist");
        }
        boolean any = false;
        String batch = input.endsWith("/") ? input.substring(0, input.length() - 1) : input;
        for (InputKind each : InputKind.values()) {
            any |= ingestIfPresent(context, each, batch + "/" + each.code());
        }
        if (!any && !missingOk) {
            throw new IllegalArgumentException("input " + input + " holds none of datanets/, contributions/, votes/, models/,"
                    + " inferences/, gradients/ with data files");
        }
        return 0;
    }

    /** Ingests the kind's input; with --missing-ok or all, a missing one prints so and returns false. */
    private boolean ingestIfPresent(PoaContext context, InputKind each, String location) {
        boolean lenient = missingOk || ALL.equals(kind);
        if (lenient && !InputFiles.present(context.lakehouse().spark(), location)) {
            System.out.println(each.code() + ": nothing to ingest at " + location);
            return false;
        }
        System.out.println(ingest(context, each, location, maxContentBytes).summary());
        return true;
    }

    static IngestReport ingest(PoaContext context, InputKind kind, String input, int maxContentBytes) {
        Progress.step("ingesting " + kind.code() + " from " + input);
        return kind.ingest(context.lakehouse(), context.ingestOptions(maxContentBytes)).run(input);
    }
}

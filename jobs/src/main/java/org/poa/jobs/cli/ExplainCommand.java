package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.jobs.report.Explanation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Shows why an inference paid whom: its output with each matched span marked ⟦n … n⟧",
            "and, per span, the contributions holding it (id, contributor, datanet) with the passage in",
            "their text. Reads attribution_spans and attributions: run attribute for its epoch first."})
final class ExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--inference", required = true, paramLabel = "ID", description = "The inference id.")
    String inferenceId;

    @Option(names = "--epoch", paramLabel = "N", description = "Its epoch, when known (reads one partition).")
    Long epoch;

    @Option(names = "--context", paramLabel = "CHARS", description = "Characters of source shown around a passage. Default: ${DEFAULT-VALUE}.")
    int context = 60;

    @Override
    public Integer call() {
        PoaContext poa = PoaCommand.root(spec).context();
        poa.out().print(Explanation.of(poa.lakehouse(), inferenceId, epoch, context));
        return 0;
    }
}

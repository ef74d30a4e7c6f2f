package org.poa.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.poa.jobs.sample.SampleWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes a sample world's five input files (datanets, contributions, votes, models, inferences)",
            "as JSON Lines. Deterministic per seed; streams, so millions of inferences need no memory."})
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the files.")
    Path out;

    @Option(names = "--seed", paramLabel = "S", description = "Default: ${DEFAULT-VALUE}.")
    long seed = 42;

    @Option(names = "--contributions", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int contributions = 2000;

    @Option(names = "--inferences", paramLabel = "M", description = "Default: ${DEFAULT-VALUE}.")
    long inferences = 5000;

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs the data spans. Default: ${DEFAULT-VALUE}.")
    int epochs = 2;

    @Option(names = "--bad-rate", paramLabel = "R", description = "Share of malformed rows. Default: ${DEFAULT-VALUE}.")
    double badRate = 0.005;

    @Override
    public Integer call() throws Exception {
        SampleWorld.Written written = generate(PoaCommand.root(spec).context(), out, seed, contributions, inferences,
                epochs, badRate);
        System.out.printf("wrote %s: datanets %d, contributions %d, votes %d, models %d, inferences %d (%d malformed rows)%n",
                written.folder(), written.datanets(), written.contributions(), written.votes(), written.models(),
                written.inferences(), written.malformed());
        return 0;
    }

    static SampleWorld.Written generate(PoaContext context, Path out, long seed, int contributions, long inferences,
                                        int epochs, double badRate) throws java.io.IOException {
        Progress.step("generating " + contributions + " contributions and " + inferences + " inferences into " + out);
        return new SampleWorld(new SampleWorld.Spec(seed, contributions, inferences, epochs, context.clock(), badRate))
                .write(out);
    }
}

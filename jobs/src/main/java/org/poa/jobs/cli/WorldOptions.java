package org.poa.jobs.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.poa.core.cli.Progress;
import org.poa.core.epoch.EpochClock;
import org.poa.jobs.sample.SampleWorld;
import picocli.CommandLine.Option;

/** The size and seed of a generated sample world (shared by generate and demo). */
final class WorldOptions {

    @Option(names = "--seed", paramLabel = "S", description = "Default: ${DEFAULT-VALUE}.")
    long seed = 7;

    @Option(names = "--contributions", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int contributions = 2000;

    @Option(names = "--inferences", paramLabel = "M", description = "Default: ${DEFAULT-VALUE}.")
    long inferences = 5000;

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs the data spans. Default: ${DEFAULT-VALUE}.")
    int epochs = 2;

    @Option(names = "--bad-rate", paramLabel = "R", description = "Share of malformed rows. Default: ${DEFAULT-VALUE}.")
    double badRate = 0.005;

    /** Writes the world as a batch folder. */
    SampleWorld.Written generate(EpochClock clock, Path out, Progress progress) throws IOException {
        progress.step("generating " + contributions + " contributions and " + inferences + " inferences into " + out);
        return new SampleWorld(new SampleWorld.Spec(seed, contributions, inferences, epochs, clock, badRate)).write(out);
    }
}

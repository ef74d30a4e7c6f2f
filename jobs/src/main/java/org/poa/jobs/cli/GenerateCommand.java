package org.poa.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.poa.jobs.sample.SampleWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    WorldOptions world = new WorldOptions();

    @Override
    public Integer call() throws Exception {
        SampleWorld.Written written = generate(PoaCommand.root(spec).context(), out, world);
        System.out.printf("wrote %s: datanets %d, contributions %d, votes %d, models %d, inferences %d (%d malformed rows)%n",
                written.folder(), written.datanets(), written.contributions(), written.votes(), written.models(),
                written.inferences(), written.malformed());
        return 0;
    }

    static SampleWorld.Written generate(PoaContext context, Path out, WorldOptions world) throws java.io.IOException {
        Progress.step("generating " + world.contributions + " contributions and " + world.inferences
                + " inferences into " + out);
        return new SampleWorld(new SampleWorld.Spec(world.seed, world.contributions, world.inferences, world.epochs,
                context.clock(), world.badRate)).write(out);
    }
}

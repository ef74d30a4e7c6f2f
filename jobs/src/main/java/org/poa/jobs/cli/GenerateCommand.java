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
        description = {"Writes a sample world's five inputs (datanets, contributions, votes, models, inferences) as JSON",
            "Lines in a batch folder, DIR/<kind>/<kind>.jsonl, ready for poa ingest all --input DIR or poa epoch.",
            "Deterministic per seed; streams, so millions of inferences need no memory."})
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The batch folder to write.")
    Path out;

    @Mixin
    WorldOptions world = new WorldOptions();

    @Override
    public Integer call() throws Exception {
        PoaCommand root = PoaCommand.root(spec);
        SampleWorld.Written written = world.generate(root.clock(), out, new org.poa.core.cli.Progress(root.environment().err()));
        root.out().println(written.line());
        return 0;
    }
}

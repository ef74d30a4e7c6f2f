package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.core.cli.MerkleBuildCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "merkle", mixinStandardHelpOptions = true,
        description = {"Builds the epoch's OpenZeppelin-standard Merkle tree of (account, cumulative wei): writes",
            "<lakehouse>/epochs/<N>/tree.json (standard-v1), the proofs to merkle_proofs and the root with",
            "the input table versions to merkle_roots. Needs poa rewards for the epoch first."},
        subcommands = MerkleBuildCommand.class)
final class MerkleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    // Not required by picocli, so that `merkle build` parses without it.
    @Option(names = "--epoch", paramLabel = "N", description = "The epoch (1 = the first after genesis).")
    Long epoch;

    @Override
    public Integer call() {
        if (epoch == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--epoch=N'");
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("--epoch must be 1 or more, got " + epoch);
        }
        PoaContext context = PoaCommand.root(spec).context();
        context.actions().merkle(epoch).execute().lines().forEach(context.out()::println);
        return 0;
    }
}

package org.poa.jobs.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.poa.jobs.chain.EpochClaim;
import org.poa.jobs.chain.JsonRpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "claim", mixinStandardHelpOptions = true,
        description = {"Sends an account's claim for an epoch with its proof from merkle_proofs. Any funded key may",
            "send it; the tokens go to the account. The epoch must be the chain's active one; an account with",
            "nothing left to claim is reported, not an error. The signing key is $POA_PRIVATE_KEY or --keystore."})
final class ClaimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EpochOption epoch = new EpochOption();

    @Option(names = "--account", required = true, paramLabel = "ADDRESS", description = "The account to pay (any letter case).")
    String account;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "Wait up to this long for the epoch to become active. Default: ${DEFAULT-VALUE}.")
    long wait;

    @Mixin
    ChainOptions chain = new ChainOptions();

    @Override
    public Integer call() {
        long n = epoch.value();
        PoaCommand root = PoaCommand.root(spec);
        var settings = chain.settings(root.environment());
        settings.requireDistributor();
        var from = chain.signer(root.environment());
        PoaContext context = root.context();
        try (JsonRpc rpc = new JsonRpc(settings, context.progress())) {
            context.out().println(EpochClaim.run(context.lakehouse(), rpc, n, account, from, Duration.ofSeconds(wait), context.progress())
                    .line());
        }
        return 0;
    }
}

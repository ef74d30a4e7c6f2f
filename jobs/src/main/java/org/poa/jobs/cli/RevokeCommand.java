package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.jobs.chain.JsonRpc;
import org.poa.jobs.chain.RootRevocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revokes the distributor's latest root (--epoch N) before it activates, so that nobody can claim",
            "against it; the settler may then submit the epoch again. Signs with the auditor's key",
            "($POA_PRIVATE_KEY or --keystore), which must hold AUDITOR_ROLE. An epoch with no root on chain",
            "(or with another root than --root) sends nothing; an active root, or one that is not the latest,",
            "is refused in one line."})
final class RevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EpochOption epoch = new EpochOption();

    @Mixin
    ChainOptions chain = new ChainOptions();

    @Option(names = "--root", paramLabel = "HASH",
            description = "Revoke only if this is the pending root: a re-run after the settler submitted a corrected root leaves it alone.")
    String expectedRoot;

    @Override
    public Integer call() {
        PoaCommand root = PoaCommand.root(spec);
        var auditor = chain.signer(root.environment());
        org.poa.core.cli.Progress progress = new org.poa.core.cli.Progress(root.environment().err());
        try (JsonRpc rpc = new JsonRpc(chain.settings(root.environment()), progress)) {
            String root32 = expectedRoot == null ? null : org.poa.core.crypto.Hex.of(org.poa.core.crypto.Hex.parse32(expectedRoot.strip()));
            RootRevocation.revoke(rpc, epoch.value(), root32, auditor, progress).lines().forEach(root.out()::println);
        }
        return 0;
    }
}

package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.jobs.audit.AuditAction;
import org.poa.jobs.chain.DistributorBinding;
import org.poa.jobs.chain.JsonRpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Recomputes an epoch's rewards, balances and tree from the input tables at the Delta versions",
            "merkle_roots recorded (time travel) and checks them against the stored rows, tree.json and",
            "epochRoot(N) on chain. Prints each check as PASS or FAIL; exits 1 on any failure. Writes nothing.",
            "The chain id and distributor default to the ones settlements records; the RPC URL must be given."})
final class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EpochOption epoch = new EpochOption();

    @Option(names = "--offline", description = "Check the lakehouse only; leave the root on chain unchecked.")
    boolean offline;

    @Mixin
    ChainOptions chain = new ChainOptions();

    @Override
    public Integer call() {
        long n = epoch.value();
        PoaCommand root = PoaCommand.root(spec);
        if (!offline && !chain.present(root.environment())) {
            throw new IllegalArgumentException("no chain to compare with: pass --rpc-url or set POA_RPC_URL (or --offline)");
        }
        PoaContext context = root.context();
        JsonRpc rpc = null;
        if (!offline) {
            var settings = chain.settings(root.environment(), DistributorBinding.of(context.lakehouse()));
            context.out().println("chain " + settings.chainId() + " at " + settings.endpoint() + ", distributor "
                    + (settings.distributor() == null ? "none" : settings.distributor()));
            rpc = new JsonRpc(settings, context.progress());
        }
        try {
            AuditAction.Result result = context.actions().audit(n).chain(rpc).onCheck(context.out()::println).execute();
            result.lines().forEach(line -> context.out().println(line + (offline ? " (offline: the root on chain was not checked)" : "")));
            return result.failed().isEmpty() ? 0 : 1;
        } finally {
            if (rpc != null) {
                rpc.close();
            }
        }
    }
}

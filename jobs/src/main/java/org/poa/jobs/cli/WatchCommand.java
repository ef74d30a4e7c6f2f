package org.poa.jobs.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.poa.jobs.audit.RootWatch;
import org.poa.jobs.chain.ChainSettings;
import org.poa.jobs.chain.DistributorBinding;
import org.poa.jobs.chain.JsonRpc;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"An auditor's watcher: looks at the distributor's latest root while it is pending, recomputes the",
            "epoch from this lakehouse (audit's checks) and revokes the root when the recomputation gives",
            "another one. A root it cannot recompute is reported, never revoked. Signs with the auditor's key",
            "($POA_PRIVATE_KEY or --keystore). The chain id and distributor default to the ones settlements",
            "records. Runs until stopped, one look every --interval; --once looks once and exits 1 when the",
            "pending root stays unconfirmed."})
final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ChainOptions chain = new ChainOptions();

    @Option(names = "--once", description = "Look once and exit: 0 when nothing is pending, confirmed or revoked; 1 when unconfirmed.")
    boolean once;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "60",
            description = "Seconds between looks. Default: ${DEFAULT-VALUE}.")
    long interval;

    @Option(names = "--report-only", description = "Never revoke; report a mismatch as unconfirmed (no key needed).")
    boolean reportOnly;

    @Override
    public Integer call() throws InterruptedException {
        if (interval < 1) {
            throw new IllegalArgumentException("--interval must be 1 or more seconds, got " + interval);
        }
        PoaCommand root = PoaCommand.root(spec);
        PoaContext context = root.context();
        ChainSettings settings = chain.settings(root.environment(), DistributorBinding.of(context.lakehouse()));
        settings.requireDistributor();
        Credentials auditor = reportOnly ? null : chain.signer(root.environment());
        context.out().println("watching distributor " + settings.distributor() + " on chain " + settings.chainId() + " at "
                + settings.endpoint() + (reportOnly ? " (report only)" : ""));
        context.out().flush();
        try (JsonRpc rpc = new JsonRpc(settings, context.progress())) {
            RootWatch watch = new RootWatch(rpc, context.actions()::audit, auditor, context.progress());
            if (once) {
                RootWatch.Outcome outcome = watch.look();
                context.out().println(outcome.line());
                return outcome.verdict() == RootWatch.Verdict.UNCONFIRMED ? 1 : 0;
            }
            String last = null;
            while (true) {
                String line;
                try {
                    line = watch.look().line();
                } catch (RuntimeException e) {
                    // An unreachable node or a failed revocation must not stop the watcher: say so and look again.
                    line = "look failed: " + Errors.oneLine(e);
                }
                if (!line.equals(last)) {
                    context.out().println(java.time.Instant.now() + " " + line);
                    context.out().flush();
                    last = line;
                }
                Thread.sleep(Duration.ofSeconds(interval).toMillis());
            }
        }
    }
}

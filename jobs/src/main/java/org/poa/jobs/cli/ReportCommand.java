package org.poa.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.poa.jobs.audit.AuditAction;
import org.poa.jobs.chain.ChainSettings;
import org.poa.jobs.chain.DistributorBinding;
import org.poa.jobs.chain.DistributorContract;
import org.poa.jobs.chain.JsonRpc;
import org.poa.jobs.report.AccountStatement;
import org.poa.jobs.report.EpochReport;
import org.poa.jobs.report.ReportPage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes a self-contained HTML page (scripts, styles and data inside; it makes no request):",
            "--epoch N: DIR/epoch-N.html, the epoch's money flow, top contributors and contributions, datanet shares,",
            "  concentration, attribution coverage, epoch-over-epoch history, ingestion health, settlement and audit;",
            "--account ADDRESS: DIR/account-ADDRESS.html, the contributor statement: earnings per epoch, the latest",
            "  root's amount, proof and claim call data, what was claimed (read from the chain when one is configured),",
            "  and the inferences that paid the account most with their spans. See docs/reports.md."})
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    static final class Subject {
        @Option(names = "--epoch", required = true, paramLabel = "N", description = "The epoch report of epoch N.")
        Long epoch;

        @Option(names = "--account", required = true, paramLabel = "ADDRESS", description = "The statement of an account (any letter case).")
        String account;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the page goes. Default: the current directory.")
    Path out = Path.of(".");

    @Option(names = "--audit", description = {"With --epoch: run the audit (poa audit) and show its checks; against the chain when one",
        "is configured (--rpc-url or $POA_RPC_URL), else offline."})
    boolean audit;

    @Mixin
    ChainOptions chain = new ChainOptions();

    @Override
    public Integer call() {
        PoaCommand root = PoaCommand.root(spec);
        if (subject.epoch != null && subject.epoch < 1) {
            throw new IllegalArgumentException("--epoch must be 1 or more, got " + subject.epoch);
        }
        if (audit && subject.epoch == null) {
            throw new IllegalArgumentException("--audit goes with --epoch");
        }
        PoaContext context = root.context();
        JsonRpc rpc = null;
        ChainSettings settings = null;
        if (chain.present(root.environment())) {
            settings = chain.settings(root.environment(), DistributorBinding.of(context.lakehouse()));
            rpc = new JsonRpc(settings, context.progress());
        }
        try {
            Path page = subject.epoch != null ? epochPage(context, subject.epoch, rpc) : statement(context, rpc, settings);
            context.out().println("report: " + page.toAbsolutePath().normalize());
            return 0;
        } finally {
            if (rpc != null) {
                rpc.close();
            }
        }
    }

    private Path epochPage(PoaContext context, long epoch, JsonRpc rpc) {
        List<AuditAction.Check> checks = null;
        if (audit) {
            context.progress().step("auditing epoch " + epoch + (rpc == null ? " (offline: no chain configured)" : ""));
            checks = new ArrayList<>(context.actions().audit(epoch).chain(rpc).execute().checks());
        }
        return writeEpoch(context, epoch, checks, out);
    }

    /** The epoch report, with the checks of an audit already run (or null); shared with the demo. */
    static Path writeEpoch(PoaContext context, long epoch, List<AuditAction.Check> checks, Path dir) {
        context.progress().step("report of epoch " + epoch);
        var data = new EpochReport(context.lakehouse(), context.clock(), epoch).data(checks);
        return ReportPage.write(dir.resolve("epoch-" + epoch + ".html"), "Epoch " + epoch + " report", data, "epoch.js");
    }

    private Path statement(PoaContext context, JsonRpc rpc, ChainSettings settings) {
        return writeStatement(context, subject.account, out, rpc == null || settings.distributor() == null ? null
                        : new DistributorContract(rpc, settings.distributor()),
                rpc == null ? "no chain configured (--rpc-url or $POA_RPC_URL)" : "no distributor known (--distributor or $POA_DISTRIBUTOR)");
    }

    /** The statement of an account; {@code distributor} null when the chain is not read ({@code why}). */
    static Path writeStatement(PoaContext context, String account, Path dir, DistributorContract distributor, String why) {
        AccountStatement statement = new AccountStatement(context.lakehouse(), account);
        context.progress().step("statement of " + statement.account());
        var data = statement.data(distributor, why);
        return ReportPage.write(dir.resolve("account-" + statement.account() + ".html"), "Statement of " + statement.account(),
                data, "statement.js");
    }
}

package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.jobs.report.TopEarners;
import org.poa.jobs.rewards.RewardsAction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rewards", mixinStandardHelpOptions = true,
        description = {"Splits every accepted inference fee of an epoch into exact integer-wei rewards (protocol,",
            "developer, validators, data by attribution) and adds them to the cumulative balances of the",
            "epoch before. Fails, writing nothing, unless rewards sum exactly to the fees. See docs/rewards.md."})
final class RewardsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EpochOption epoch = new EpochOption();

    @Option(names = "--treasury", paramLabel = "ADDRESS",
            description = "The protocol treasury: gets the protocol share and what no one else can (default: $POA_TREASURY).")
    String treasury;

    @Option(names = "--top", paramLabel = "K", description = "Print the K accounts earning most. Default: ${DEFAULT-VALUE}.")
    int top = 5;

    @Override
    public Integer call() {
        long n = epoch.value();
        PoaCommand root = PoaCommand.root(spec);
        // Checked before Spark starts.
        String address = RewardsAction.treasuryAddress(PoaCommand.firstOf(treasury, root.environment().get("POA_TREASURY")));
        PoaContext context = root.context();
        context.actions().rewards(n).treasury(address).execute().lines().forEach(context.out()::println);
        TopEarners.print(context.out(), context.lakehouse(), n, top);
        return 0;
    }
}

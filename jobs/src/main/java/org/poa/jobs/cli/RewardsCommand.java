package org.poa.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.sum;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.poa.jobs.rewards.EpochRewards;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
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
        String address = EpochRewards.treasury(treasury != null ? treasury : System.getenv("POA_TREASURY"));
        Lakehouse lakehouse = PoaCommand.root(spec).context().lakehouse();
        EpochRewards.Result r = EpochRewards.run(lakehouse, PoaCommand.root(spec).context().clock(), n, address, Progress::step);
        System.out.printf("epoch %d: %d inferences, fees %s wei = rewards %s wei over %d rows (unattributed %s wei)%n",
                r.epoch(), r.inferences(), r.feesWei(), r.feesWei(), r.rewardRows(), r.unattributedWei());
        System.out.printf("balances: %d accounts, %s wei cumulative%s%n", r.accounts(), r.totalCumulativeWei(),
                r.written() ? "" : " (unchanged: nothing written)");
        printTop(lakehouse, n, top);
        return 0;
    }

    static void printTop(Lakehouse lakehouse, long epoch, int k) {
        if (k <= 0) {
            return;
        }
        List<Row> best = lakehouse.read(Tables.REWARDS).where(col("epoch").equalTo(epoch))
                .groupBy("account", "role").agg(sum("amount_wei").as("wei"))
                .orderBy(desc("wei"), col("account"), col("role")).limit(k).collectAsList();
        System.out.println("top earners of epoch " + epoch + ":");
        for (Row r : best) {
            System.out.printf("  %-42s %-12s %28s wei%n", r.getString(0), r.getString(1), r.getDecimal(2).toPlainString());
        }
    }
}

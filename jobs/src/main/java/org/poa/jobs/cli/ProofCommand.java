package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.core.cli.ClaimJson;
import org.poa.core.merkle.PayoutTree;
import org.poa.jobs.merkle.TreeFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "proof", mixinStandardHelpOptions = true,
        description = {"Prints an account's claim for an epoch as JSON {epoch, root, account, amount, proof}, read from",
            "the epoch's tree.json in the lakehouse (no Spark). The amount is the account's cumulative wei.",
            "Without a lakehouse: java -jar core/target/poa-core.jar proof --tree FILE --account A."})
final class ProofCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EpochOption epoch = new EpochOption();

    @Option(names = "--account", required = true, paramLabel = "ADDRESS", description = "The account (any letter case).")
    String account;

    @Override
    public Integer call() throws Exception {
        long n = epoch.value();
        PoaContext context = PoaCommand.root(spec).context();
        PayoutTree tree = new TreeFiles(context.root(), context.hadoopConf()).read(n);
        context.out().println(ClaimJson.of(tree, account, n));
        return 0;
    }
}

package org.poa.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.poa.jobs.merkle.PayoutTree;
import org.poa.jobs.merkle.TreeFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "proof", mixinStandardHelpOptions = true,
        description = {"Prints an account's claim for an epoch as JSON {root, account, amount, proof}, read from the",
            "epoch's tree.json (no Spark). The amount is the account's cumulative wei."})
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
        int i = tree.indexOf(account);
        if (i < 0) {
            throw new IllegalArgumentException("account " + account + " has no balance in epoch " + n);
        }
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("epoch", n);
        json.put("root", tree.rootHex());
        json.put("account", tree.values().address(i));
        json.put("amount", tree.values().amount(i).toString());
        var proof = json.putArray("proof");
        tree.proofHex(i).forEach(proof::add);
        System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
        return 0;
    }
}

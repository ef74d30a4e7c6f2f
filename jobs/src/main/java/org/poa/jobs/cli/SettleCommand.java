package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.jobs.chain.ChainSettings;
import org.poa.jobs.chain.EpochSettlement;
import org.poa.jobs.chain.JsonRpc;
import org.poa.jobs.chain.SigningKeys;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "settle", mixinStandardHelpOptions = true,
        description = {"Submits an epoch's Merkle root to the distributor contract, once. Recomputes the root from the",
            "lakehouse first, checks the chain id and the funding (topping up from $POA_TREASURY_PRIVATE_KEY",
            "when set), reads the chain first (already there with this root: records it, sends nothing;",
            "another root: fails), then sends an EIP-1559 transaction and waits for its confirmations.",
            "Records the transaction in settlements. The signing key is $POA_PRIVATE_KEY or --keystore."})
final class SettleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EpochOption epoch = new EpochOption();

    @Mixin
    ChainOptions chain = new ChainOptions();

    @Override
    public Integer call() {
        long n = epoch.value();
        ChainSettings settings = chain.settings();
        settings.requireDistributor();
        Credentials settler = chain.signer();
        Credentials treasury = SigningKeys.optional("POA_TREASURY_PRIVATE_KEY");
        PoaContext context = PoaCommand.root(spec).context();
        try (JsonRpc rpc = new JsonRpc(settings, Progress::step)) {
            EpochSettlement.Result r = EpochSettlement.run(context.lakehouse(), rpc, n, settler, treasury, Progress::step);
            print(r);
        }
        return 0;
    }

    static void print(EpochSettlement.Result r) {
        System.out.printf("epoch %d: root %s (cumulative %s wei) %s in %s, block %d, gas %d%n", r.epoch(), r.root(),
                r.cumulativeTotal(), r.sent() ? "submitted" : "already on chain", r.txHash(), r.blockNumber(), r.gasUsed());
    }
}

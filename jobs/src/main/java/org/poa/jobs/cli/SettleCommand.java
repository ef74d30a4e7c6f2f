package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.jobs.chain.ChainSettings;
import org.poa.jobs.chain.JsonRpc;
import org.poa.jobs.chain.SigningKeys;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "settle", mixinStandardHelpOptions = true,
        description = {"Submits an epoch's Merkle root to the distributor contract, once. Recomputes the root from the",
            "lakehouse first, checks the chain id and the funding (topping up from $POA_TREASURY_KEYSTORE or",
            "$POA_TREASURY_PRIVATE_KEY when set, never by more than the epoch adds), reads the chain first",
            "(already there with this root: records it, sends nothing; another root: fails), refuses a",
            "distributor other than the one settlements records, then sends an EIP-1559 transaction within",
            "the fee caps and waits for its confirmations. Records the transaction in settlements.",
            "The signing key is $POA_PRIVATE_KEY or --keystore."})
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
        PoaCommand root = PoaCommand.root(spec);
        ChainSettings settings = chain.settings(root.environment());
        settings.requireDistributor();
        Credentials settler = chain.signer(root.environment());
        Credentials treasury = SigningKeys.treasury(root.environment().variables());
        PoaContext context = root.context();
        try (JsonRpc rpc = new JsonRpc(settings, context.progress())) {
            context.actions().settle(n, rpc, settler).treasuryKey(treasury).execute().lines().forEach(context.out()::println);
        }
        return 0;
    }
}

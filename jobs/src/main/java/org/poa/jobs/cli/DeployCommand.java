package org.poa.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import org.poa.jobs.chain.DemoDeployment;
import org.poa.jobs.chain.JsonRpc;
import org.poa.jobs.chain.TokenContract;
import org.poa.jobs.chain.TransactionSender;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Deploys an EpochRewardsDistributor paying in --token (or, with --demo-token, in a new mintable",
            "test token with --mint tokens for --treasury) and prints {chain_id, token, distributor} as JSON.",
            "The signing key becomes the role admin; --settler and --auditor default to its address.",
            "Set the printed distributor as $POA_DISTRIBUTOR for settle, claim and audit."})
final class DeployCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Which token the distributor pays in: exactly one of the two. */
    static final class TokenChoice {
        @Option(names = "--token", paramLabel = "ADDRESS", required = true,
                description = "The ERC-20 the distributor pays out.")
        String address;

        @Option(names = "--demo-token", required = true,
                description = "Deploy a mintable test token (DemoToken, owned by the signer) to pay in.")
        boolean demo;
    }

    @Mixin
    ChainOptions chain = new ChainOptions();

    @ArgGroup(multiplicity = "1")
    TokenChoice token;

    @Option(names = "--activation-delay", paramLabel = "SECONDS", defaultValue = "3600",
            description = "Seconds before a submitted root becomes claimable; the window to revoke a wrong one."
                    + " Default: ${DEFAULT-VALUE}.")
    long activationDelay;

    @Option(names = "--settler", paramLabel = "ADDRESS", description = "Holder of SETTLER_ROLE (default: the signer).")
    String settler;

    @Option(names = "--auditor", paramLabel = "ADDRESS", description = "Holder of AUDITOR_ROLE (default: the signer).")
    String auditor;

    @Option(names = "--treasury", paramLabel = "ADDRESS",
            description = "With --demo-token: who receives the minted tokens (default: the signer).")
    String treasury;

    @Option(names = "--mint", paramLabel = "WEI", defaultValue = "1000000000000000000000000000000000000",
            description = "With --demo-token: tokens minted to the treasury. Default: 10^36.")
    BigInteger mint;

    @Override
    public Integer call() {
        if (activationDelay < 0) {
            throw new IllegalArgumentException("--activation-delay must not be negative");
        }
        PoaCommand root = PoaCommand.root(spec);
        Credentials admin = chain.signer(root.environment());
        String settlerAddress = address("--settler", settler, admin);
        String auditorAddress = address("--auditor", auditor, admin);
        org.poa.core.cli.Progress progress = new org.poa.core.cli.Progress(root.environment().err());
        try (JsonRpc rpc = new JsonRpc(chain.settings(root.environment()), progress)) {
            rpc.requireChainId();
            DemoDeployment.Deployed deployed;
            if (token.demo) {
                deployed = DemoDeployment.deploy(rpc, admin, settlerAddress, auditorAddress, address("--treasury", treasury, admin),
                        activationDelay, mint, progress);
            } else {
                String paid = address("--token", token.address, admin);
                new TokenContract(rpc, paid).requireCode();
                String distributor = DemoDeployment.distributor(new TransactionSender(rpc, progress), admin, paid,
                        settlerAddress, auditorAddress, activationDelay);
                deployed = new DemoDeployment.Deployed(paid, distributor);
            }
            ObjectNode json = new ObjectMapper().createObjectNode();
            json.put("chain_id", rpc.settings().chainId());
            json.put("token", deployed.token());
            json.put("distributor", deployed.distributor());
            root.out().println(json);
        }
        return 0;
    }

    private static String address(String option, String value, Credentials signer) {
        if (value == null || value.isBlank()) {
            return signer.getAddress();
        }
        if (!WalletUtils.isValidAddress(value.strip())) {
            throw new IllegalArgumentException(option + " " + value + " is not an Ethereum address");
        }
        return Keys.toChecksumAddress(value.strip());
    }
}

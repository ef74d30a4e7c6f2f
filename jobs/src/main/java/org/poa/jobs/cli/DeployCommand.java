package org.poa.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import org.poa.jobs.chain.DemoDeployment;
import org.poa.jobs.chain.DistributorContract;
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
            "The signing key becomes the default admin. --settler and --auditor must be other accounts, and the",
            "delays at least their minimums, unless --dev (the demo's and the tests' development chains).",
            "Set the printed distributor as $POA_DISTRIBUTOR for settle, claim and audit."})
final class DeployCommand implements Callable<Integer> {

    /** The shortest revoke window outside --dev: an auditor's watcher needs time to recompute a root. */
    static final long MIN_ACTIVATION_DELAY = 3_600;
    /** The shortest wait before a nominated admin takes over, outside --dev. */
    static final long MIN_ADMIN_TRANSFER_DELAY = 86_400;
    /** The longest of either delay: a year. Beyond it a typo, and near 2^64 the contract's timestamp sum would overflow. */
    static final long MAX_DELAY = 365L * 86_400;

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
            description = "Seconds before a submitted root becomes claimable: the auditor's window to revoke a wrong one."
                    + " At least " + MIN_ACTIVATION_DELAY + " unless --dev. Default: ${DEFAULT-VALUE}.")
    long activationDelay;

    @Option(names = "--admin-transfer-delay", paramLabel = "SECONDS", defaultValue = "259200",
            description = "Seconds a nominated new admin waits before it may accept (two-step transfer)."
                    + " At least " + MIN_ADMIN_TRANSFER_DELAY + " unless --dev. Default: ${DEFAULT-VALUE} (3 days).")
    long adminTransferDelay;

    @Option(names = "--settler", paramLabel = "ADDRESS",
            description = "Holder of SETTLER_ROLE, which submits roots. Required unless --dev (then: the signer).")
    String settler;

    @Option(names = "--auditor", paramLabel = "ADDRESS",
            description = "Holder of AUDITOR_ROLE, which revokes a pending root. Required unless --dev (then: the signer).")
    String auditor;

    @Option(names = "--guardian", paramLabel = "ADDRESS",
            description = "Holder of GUARDIAN_ROLE, which pauses submissions and claims (default: the auditor).")
    String guardian;

    @Option(names = "--dev",
            description = "A development deployment (the demo, tests): the signer may hold every role and the delays may be 0.")
    boolean development;

    @Option(names = "--treasury", paramLabel = "ADDRESS",
            description = "With --demo-token: who receives the minted tokens (default: the signer).")
    String treasury;

    @Option(names = "--mint", paramLabel = "WEI", defaultValue = "1000000000000000000000000000000000000",
            description = "With --demo-token: tokens minted to the treasury. Default: 10^36.")
    BigInteger mint;

    @Override
    public Integer call() {
        DemoDeployment.Delays delays = delays();
        PoaCommand root = PoaCommand.root(spec);
        Credentials admin = chain.signer(root.environment());
        DistributorContract.Roles roles = roles(Keys.toChecksumAddress(admin.getAddress()));
        org.poa.core.cli.Progress progress = new org.poa.core.cli.Progress(root.environment().err());
        try (JsonRpc rpc = new JsonRpc(chain.settings(root.environment()), progress)) {
            rpc.requireChainId();
            DemoDeployment.Deployed deployed;
            if (token.demo) {
                deployed = DemoDeployment.deploy(rpc, admin, roles, address("--treasury", treasury, roles.admin()),
                        delays, mint, progress);
            } else {
                String paid = address("--token", token.address, null);  // required by its group
                new TokenContract(rpc, paid).requireCode();
                String distributor = DemoDeployment.distributor(new TransactionSender(rpc, progress), admin, paid, roles, delays);
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

    private DemoDeployment.Delays delays() {
        if (activationDelay < 0 || adminTransferDelay < 0) {
            throw new IllegalArgumentException("--activation-delay and --admin-transfer-delay must not be negative");
        }
        if (activationDelay > MAX_DELAY || adminTransferDelay > MAX_DELAY) {
            throw new IllegalArgumentException("--activation-delay and --admin-transfer-delay must be at most " + MAX_DELAY + " s (a year)");
        }
        if (!development && activationDelay < MIN_ACTIVATION_DELAY) {
            throw new IllegalArgumentException("--activation-delay " + activationDelay + " is under the minimum of " + MIN_ACTIVATION_DELAY
                    + " s, which leaves the auditor no time to revoke a wrong root (--dev allows it on development chains)");
        }
        if (!development && adminTransferDelay < MIN_ADMIN_TRANSFER_DELAY) {
            throw new IllegalArgumentException("--admin-transfer-delay " + adminTransferDelay + " is under the minimum of "
                    + MIN_ADMIN_TRANSFER_DELAY + " s (--dev allows it on development chains)");
        }
        return new DemoDeployment.Delays(activationDelay, adminTransferDelay);
    }

    /** The roles, each a distinct account outside --dev: one hot key holding them all could undo every check. */
    private DistributorContract.Roles roles(String signer) {
        String settlerAddress = role("--settler", settler, signer);
        String auditorAddress = role("--auditor", auditor, signer);
        String guardianAddress = address("--guardian", guardian, auditorAddress);
        if (!development) {
            if (settlerAddress.equals(signer) || auditorAddress.equals(signer) || settlerAddress.equals(auditorAddress)) {
                throw new IllegalArgumentException("the admin (the signer " + signer + "), --settler " + settlerAddress + " and --auditor "
                        + auditorAddress + " must be three different accounts (--dev allows one account on development chains)");
            }
            if (guardianAddress.equals(settlerAddress)) {
                throw new IllegalArgumentException("--guardian must not be the settler " + settlerAddress
                        + ": the guardian stops what a stolen settler key would do (--dev allows it)");
            }
        }
        return new DistributorContract.Roles(signer, settlerAddress, auditorAddress, guardianAddress);
    }

    /** A role's holder: required outside --dev, the signer with it. */
    private String role(String option, String value, String signer) {
        if ((value == null || value.isBlank()) && !development) {
            throw new IllegalArgumentException(option + " is required (or --dev for a development deployment)");
        }
        return address(option, value, signer);
    }

    /** The checksummed address given for {@code option}, or {@code fallback}. */
    private static String address(String option, String value, String fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (!WalletUtils.isValidAddress(value.strip())) {
            throw new IllegalArgumentException(option + " " + value + " is not an Ethereum address");
        }
        String address = Keys.toChecksumAddress(value.strip());
        if (address.equals(org.poa.core.validate.Addresses.ZERO)) {
            throw new IllegalArgumentException(option + " is the zero address, which nobody can sign for");
        }
        return address;
    }
}

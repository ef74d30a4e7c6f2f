package org.poa.jobs.chain;

import java.math.BigInteger;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * The demo's contracts: a mintable test token (POAR) with a treasury holding plenty of it, and a
 * distributor paying in it. Real deployments bring their own token and roles (docs/contract.md).
 */
public final class DemoDeployment {

    /** Where the demo's contracts are. */
    public record Deployed(String token, String distributor) {
    }

    /**
     * A distributor's two delays in seconds: before a submitted root pays (the auditor's window to
     * revoke it), and before a nominated default admin takes over.
     */
    public record Delays(long activation, long adminTransfer) {

        /** No waiting at all: development chains only (the demo, tests). */
        public static final Delays NONE = new Delays(0, 0);
    }

    private DemoDeployment() {
    }

    /**
     * Deploys the token (owned by {@code admin}, the signer), mints {@code mint} to the treasury, and
     * deploys the distributor with {@code roles} (whose admin is the signer's address).
     */
    public static Deployed deploy(JsonRpc rpc, Credentials admin, DistributorContract.Roles roles, String treasury,
                                  Delays delays, BigInteger mint, Consumer<String> progress) {
        TransactionSender sender = new TransactionSender(rpc, progress);
        String token = Keys.toChecksumAddress(sender.send(admin, null, TokenContract.demoDeployment(admin.getAddress()),
                "deployment of DemoToken").contractAddress());
        sender.send(admin, token, TokenContract.mint(treasury, mint), "mint of " + mint + " to the treasury");
        String distributor = distributor(sender, admin, token, roles, delays);
        progress.accept("deployed DemoToken at " + token + " and EpochRewardsDistributor at " + distributor);
        return new Deployed(token, distributor);
    }

    /** Deploys a distributor paying in {@code token}, sent by {@code signer}; its checksummed address. */
    public static String distributor(TransactionSender sender, Credentials signer, String token, DistributorContract.Roles roles,
                                     Delays delays) {
        return Keys.toChecksumAddress(sender.send(signer, null,
                DistributorContract.deployment(token, delays.activation(), delays.adminTransfer(), roles),
                "deployment of EpochRewardsDistributor").contractAddress());
    }

    /** True when both contracts of an earlier deployment are on this chain. */
    public static boolean present(JsonRpc rpc, Deployed deployed) {
        try {
            new ContractReader(rpc, deployed.token()).requireCode("token");
            new DistributorContract(rpc, deployed.distributor()).requireCode();
            return true;
        } catch (ChainException missing) {
            return false;
        }
    }
}

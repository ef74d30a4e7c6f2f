package org.poa.jobs.chain;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * {@code poa revoke --epoch N}: withdraws the latest epoch's root while it is still pending, with a
 * key holding AUDITOR_ROLE. The contract allows it only for the latest epoch and only before its
 * activation time; the settler may then submit the epoch again.
 *
 * <p>Idempotent like settle: the auditor's pending transactions are waited for first, and an epoch
 * with no root on chain (never submitted, or revoked by an earlier run), or with another root than
 * the one given, sends nothing. An epoch that
 * is already active, or not the latest, fails in one line before anything is sent.
 */
public final class RootRevocation {

    /** What a run did; {@code sent} is false when there was nothing to revoke, and {@code why} says why. */
    public record Result(long epoch, String root, String txHash, long blockNumber, boolean sent, String why) {

        public List<String> lines() {
            return List.of(sent
                    ? String.format("epoch %d: root %s revoked in %s, block %d", epoch, root, txHash, blockNumber)
                    : String.format("epoch %d %s: nothing sent", epoch, why));
        }
    }

    private RootRevocation() {
    }

    /**
     * @param expectedRoot the root to revoke, or null for whatever root is pending: with it, a re-run
     *                     after the settler submitted a corrected root leaves that one alone
     */
    public static Result revoke(JsonRpc rpc, long epoch, String expectedRoot, Credentials auditor, Consumer<String> progress) {
        rpc.requireChainId();
        DistributorContract distributor = new DistributorContract(rpc, rpc.settings().requireDistributor());
        distributor.requireCode();
        TransactionSender sender = new TransactionSender(rpc, progress);
        sender.awaitNoPending(auditor.getAddress());
        long latest = distributor.latestEpoch();
        if (latest < epoch) {
            return new Result(epoch, null, null, 0, false, "has no root on chain (never submitted, or already revoked)");
        }
        DistributorContract.EpochInfo info = distributor.epochInfo(epoch);
        if (expectedRoot != null && !info.root().equalsIgnoreCase(expectedRoot)) {
            return new Result(epoch, info.root(), null, 0, false, "has root " + info.root() + ", not " + expectedRoot);
        }
        if (latest > epoch) {
            throw new ChainException("epoch " + epoch + " is not the distributor's latest epoch (" + latest + "): only the latest root"
                    + " can be revoked, and only before it activates");
        }
        long now = chainTime(rpc);
        if (info.activatesAt() <= now) {
            throw new ChainException("epoch " + epoch + "'s root " + info.root() + " activated at " + Instant.ofEpochSecond(info.activatesAt())
                    + ": too late to revoke; the guardian can pause() claims while the settler submits a corrected next epoch");
        }
        if (!distributor.hasRole(DistributorContract.AUDITOR_ROLE, auditor.getAddress())) {
            throw new ChainException(auditor.getAddress() + " does not have AUDITOR_ROLE on the distributor " + distributor.address());
        }
        TransactionSender.Mined mined = sender.send(auditor, distributor.address(), DistributorContract.revokeRoot(epoch),
                "revokeRoot(epoch " + epoch + ")");
        progress.accept("epoch " + epoch + " root " + info.root() + " revoked in block " + mined.blockNumber());
        return new Result(epoch, info.root(), mined.txHash(), mined.blockNumber(), true, null);
    }

    /** The latest block's timestamp: the contract's clock, which a development chain moves only with its blocks. */
    public static long chainTime(JsonRpc rpc) {
        return rpc.send("eth_getBlockByNumber", rpc.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false))
                .getBlock().getTimestamp().longValueExact();
    }
}

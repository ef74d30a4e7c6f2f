package org.poa.jobs.chain;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.action.StepRows;
import org.poa.jobs.merkle.EpochMerkle;
import org.poa.core.merkle.PayoutTree;
import org.poa.jobs.merkle.TreeFiles;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.MerkleRootRow;
import org.poa.lakehouse.catalog.SettlementRow;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.fault.FaultPoint;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * {@code poa settle --epoch N}: puts the epoch's Merkle root on chain, once.
 *
 * <p>Order of checks, each failing in one line before anything is sent: the root in
 * {@code merkle_roots} is recomputed from the balances it was built from and compared with
 * {@code tree.json}; the endpoint's chain id is the configured one; the distributor is deployed.
 * Then the chain is read first: the epoch on chain with another root is a loud failure; a
 * distributor other than the one this lakehouse settles on is refused ({@link DistributorBinding});
 * the epoch already on chain with this root is recorded and nothing is sent; an earlier epoch
 * missing is a failure. Only
 * when the chain's latest epoch is N-1 does the job check the funding (topping up from the
 * treasury key when one is given), send {@code submitRoot} and wait for its confirmations. The
 * settler's and the treasury's pending transactions are waited for first, so a run that crashed
 * after sending finds its own transactions mined instead of sending others.
 */
public final class EpochSettlement {

    /** What a run did; {@code sent} is false when the root was already on chain. */
    public record Result(long epoch, String root, BigInteger cumulativeTotal, String txHash, long blockNumber, long gasUsed,
                         boolean sent, BigInteger toppedUp) implements StepResult {
        @Override
        public StepRows rows() {
            return new StepRows(1, "root", sent ? 1 : 0, "transactions");
        }

        @Override
        public List<String> lines() {
            return List.of(String.format("epoch %d: root %s (cumulative %s wei) %s in %s, block %d, gas %d", epoch, root, cumulativeTotal,
                    sent ? "submitted" : "already on chain", txHash, blockNumber, gasUsed));
        }
    }

    private EpochSettlement() {
    }

    /**
     * @param treasury a key holding the distributor's token, used to top it up; null to only check
     */
    static Result run(Lakehouse lakehouse, JsonRpc rpc, long epoch, Credentials settler, Credentials treasury,
                             Consumer<String> progress) {
        Verified verified = verifiedRoot(lakehouse, epoch, progress);
        rpc.requireChainId();
        DistributorContract distributor = new DistributorContract(rpc, rpc.settings().requireDistributor());
        distributor.requireCode();
        TransactionSender sender = new TransactionSender(rpc, progress);
        sender.awaitNoPending(settler.getAddress());
        if (treasury != null) {
            // A run that crashed after broadcasting a top-up must find it mined, not send a second one.
            sender.awaitNoPending(treasury.getAddress());
        }

        long latest = distributor.latestEpoch();
        if (latest >= epoch) {
            String onChain = distributor.epochRoot(epoch);
            if (!onChain.equalsIgnoreCase(verified.root())) {
                DistributorContract.EpochInfo info = distributor.epochInfo(epoch);
                throw new ChainException("epoch " + epoch + " is on chain with root " + onChain + " but the lakehouse has "
                        + verified.root() + ": refusing to settle; an auditor may revokeRoot(" + epoch + ") until "
                        + java.time.Instant.ofEpochSecond(info.activatesAt()));
            }
        }
        DistributorBinding.require(lakehouse, rpc.settings().chainId(), distributor.address());
        if (latest >= epoch) {
            DistributorContract.Submission submission = distributor.submission(epoch).orElseThrow(() -> new ChainException(
                    "epoch " + epoch + "'s root is on chain but no RootSubmitted log was found for it at " + distributor.address()));
            long gas = rpc.send("eth_getTransactionReceipt", rpc.web3j().ethGetTransactionReceipt(submission.txHash()))
                    .getTransactionReceipt().map(r -> r.getGasUsed().longValueExact()).orElse(0L);
            progress.accept("epoch " + epoch + " is already on chain with this root (" + submission.txHash() + "): nothing sent");
            Result result = new Result(epoch, verified.root(), verified.total(), submission.txHash(), submission.blockNumber(), gas,
                    false, BigInteger.ZERO);
            record(lakehouse, rpc, distributor.address(), result, progress);
            return result;
        }
        if (latest < epoch - 1) {
            throw new ChainException("the distributor's latest epoch is " + latest + ": settle epoch " + (latest + 1)
                    + " first (roots go on chain in order)");
        }
        if (!distributor.hasRole(DistributorContract.SETTLER_ROLE, settler.getAddress())) {
            throw new ChainException(settler.getAddress() + " does not have SETTLER_ROLE on the distributor " + distributor.address());
        }
        BigInteger toppedUp = fund(rpc, distributor, sender, verified.total(), increment(lakehouse, epoch, verified), treasury, progress);
        FaultPoint.reach("settle:funded");
        TransactionSender.Mined mined = sender.send(settler, distributor.address(),
                DistributorContract.submitRoot(epoch, verified.root(), verified.total()), "submitRoot(epoch " + epoch + ")");
        progress.accept("epoch " + epoch + " root " + verified.root() + " submitted in block " + mined.blockNumber()
                + " (gas " + mined.gasUsed() + ")");
        Result result = new Result(epoch, verified.root(), verified.total(), mined.txHash(), mined.blockNumber(), mined.gasUsed(),
                true, toppedUp);
        FaultPoint.reach("settle:submitted");
        record(lakehouse, rpc, distributor.address(), result, progress);
        return result;
    }

    /** The epoch's root as stored, after checking it against a fresh tree of its balances and against tree.json. */
    public record Verified(String root, BigInteger total, long leaves) {
    }

    public static Verified verifiedRoot(Lakehouse lakehouse, long epoch, Consumer<String> progress) {
        MerkleRootRow stored = EpochMerkle.storedRoot(lakehouse, epoch).orElseThrow(() -> new IllegalStateException(
                "epoch " + epoch + " has no Merkle root: run poa merkle --epoch " + epoch + " first"));
        String root = stored.root();
        long leaves = stored.leafCount();
        BigInteger total = stored.totalCumulativeWei().toBigIntegerExact();
        Long balancesVersion = stored.inputVersions().get(Tables.BALANCES.name());
        if (balancesVersion == null) {
            throw new IllegalStateException("merkle_roots of epoch " + epoch + " records no balances version: re-run poa merkle --epoch " + epoch);
        }
        progress.accept("recomputing epoch " + epoch + "'s root from balances v" + balancesVersion + " (" + leaves + " accounts)");
        PayoutTree fresh = EpochMerkle.tree(lakehouse.readAtVersion(Tables.BALANCES, balancesVersion).where(col("epoch").equalTo(epoch)), leaves);
        if (!fresh.rootHex().equals(root) || fresh.size() != leaves || !fresh.values().total().equals(total)) {
            throw new IllegalStateException("epoch " + epoch + ": merkle_roots says root " + root + " over " + leaves + " accounts and "
                    + total + " wei, but balances v" + balancesVersion + " give " + fresh.rootHex() + " over " + fresh.size()
                    + " accounts and " + fresh.values().total() + " wei: refusing to settle");
        }
        PayoutTree file;
        TreeFiles files = new TreeFiles(lakehouse.root(), lakehouse.hadoopConf());
        try {
            file = files.read(epoch);
        } catch (IOException e) {
            throw new UncheckedIOException("epoch " + epoch + ": cannot read " + files.treePath(epoch) + ": " + e.getMessage(), e);
        }
        if (!file.rootHex().equals(root)) {
            throw new IllegalStateException("epoch " + epoch + ": " + files.treePath(epoch) + " has root " + file.rootHex()
                    + " but merkle_roots has " + root + ": refusing to settle");
        }
        return new Verified(root, total, leaves);
    }

    /**
     * What the epoch adds to the cumulative total, from the lakehouse's own roots (not from the chain):
     * the most a top-up for this epoch may send.
     */
    static BigInteger increment(Lakehouse lakehouse, long epoch, Verified verified) {
        BigInteger previous = epoch <= 1 ? BigInteger.ZERO : EpochMerkle.storedRoot(lakehouse, epoch - 1)
                .map(r -> r.totalCumulativeWei().toBigIntegerExact()).orElseThrow(() -> new IllegalStateException(
                        "epoch " + (epoch - 1) + " has no Merkle root: run poa merkle --epoch " + (epoch - 1) + " first"));
        return verified.total().subtract(previous).max(BigInteger.ZERO);
    }

    /**
     * Tops the distributor up to what the new root makes claimable, or fails saying how much is
     * missing. A top-up never exceeds the epoch's increment (a larger gap means the distributor lost
     * funds, or the RPC's numbers are wrong: a person should look before the treasury pays), and the
     * distributor's balance is read again after the transfer before the root may go out.
     */
    static BigInteger fund(JsonRpc rpc, DistributorContract distributor, TransactionSender sender, BigInteger cumulativeTotal,
                                   BigInteger increment, Credentials treasury, Consumer<String> progress) {
        TokenContract token = new TokenContract(rpc, distributor.token());
        BigInteger claimable = cumulativeTotal.subtract(distributor.totalClaimed());
        BigInteger held = token.balanceOf(distributor.address());
        if (held.compareTo(claimable) >= 0) {
            progress.accept("the distributor holds " + held + " and the new root makes " + claimable + " claimable: funded");
            return BigInteger.ZERO;
        }
        BigInteger missing = claimable.subtract(held);
        if (treasury == null) {
            throw new ChainException("the distributor " + distributor.address() + " holds " + held + " but the new root makes "
                    + claimable + " claimable: send it " + missing + " more of token " + token.address()
                    + ", or give the treasury's key (POA_TREASURY_KEYSTORE or POA_TREASURY_PRIVATE_KEY) to top it up");
        }
        if (missing.compareTo(increment) > 0) {
            throw new ChainException("the distributor " + distributor.address() + " needs " + missing + " more of token " + token.address()
                    + " but this epoch adds only " + increment + ": refusing a top-up larger than the epoch's increment; check the"
                    + " distributor's balance and claims, then fund it by hand");
        }
        BigInteger available = token.balanceOf(treasury.getAddress());
        if (available.compareTo(missing) < 0) {
            throw new ChainException("the distributor needs " + missing + " more of token " + token.address() + " but the treasury "
                    + treasury.getAddress() + " holds only " + available);
        }
        sender.send(treasury, token.address(), TokenContract.transfer(distributor.address(), missing),
                "top-up of " + missing + " from the treasury");
        BigInteger after = token.balanceOf(distributor.address());
        if (after.compareTo(claimable) < 0) {
            throw new ChainException("after a top-up of " + missing + " the distributor " + distributor.address() + " holds " + after
                    + ", less than the " + claimable + " the new root makes claimable: not submitting the root");
        }
        progress.accept("topped the distributor up with " + missing + " from the treasury " + treasury.getAddress());
        return missing;
    }

    /** Upserts the settlements row unless the same row is there already. */
    private static void record(Lakehouse lakehouse, JsonRpc rpc, String contract, Result result, Consumer<String> progress) {
        String address = Keys.toChecksumAddress(contract);
        long chainId = rpc.settings().chainId();
        SettlementRow row = new SettlementRow(result.epoch(), result.root(), chainId, address, result.txHash(), result.blockNumber(),
                SettlementRow.CONFIRMED, result.gasUsed());
        if (recorded(lakehouse, result.epoch(), chainId, address).filter(row::equals).isPresent()) {
            return;
        }
        TableWrites.upsert(lakehouse, SettlementRow.TABLE,
                lakehouse.spark().createDataFrame(List.of(row.toRow()), SettlementRow.TABLE.schema()));
        progress.accept("recorded the settlement of epoch " + result.epoch() + " in settlements");
    }

    /** The recorded settlement of an epoch on this chain and distributor. */
    public static Optional<SettlementRow> recorded(Lakehouse lakehouse, long epoch, long chainId, String contract) {
        return lakehouse.read(SettlementRow.TABLE).where(col("epoch").equalTo(epoch).and(col("chain_id").equalTo(chainId))
                .and(col("contract").equalTo(Keys.toChecksumAddress(contract)))).collectAsList().stream()
                .findFirst().map(SettlementRow::fromRow);
    }
}

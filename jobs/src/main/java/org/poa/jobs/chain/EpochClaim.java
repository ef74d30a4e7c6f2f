package org.poa.jobs.chain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.poa.core.crypto.Hex;
import org.poa.core.merkle.PayoutTree;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.web3j.crypto.Credentials;

/**
 * {@code poa claim --epoch N --account A}: sends the account's claim with its proof from
 * {@code merkle_proofs}. Any funded key may send it; the tokens go to the account. Checked before
 * sending: the epoch is the chain's active one, the proof matches the root on chain, something is due.
 */
public final class EpochClaim {

    /** What a run did; {@code txHash} is null when nothing was due. */
    public record Result(long epoch, String account, BigInteger cumulative, BigInteger paid, String txHash, long blockNumber) {

        /** One line for people. */
        public String line() {
            return txHash == null
                    ? String.format("epoch %d: %s has claimed all %s wei already: nothing sent", epoch, account, cumulative)
                    : String.format("epoch %d: paid %s wei to %s (cumulative %s) in %s, block %d", epoch, paid, account, cumulative,
                            txHash, blockNumber);
        }
    }

    /** An account's claim as stored. */
    public record Claim(String account, BigInteger cumulative, List<String> proof) {
    }

    private EpochClaim() {
    }

    public static Claim stored(Lakehouse lakehouse, long epoch, String account) {
        List<Row> rows = lakehouse.read(Tables.MERKLE_PROOFS)
                .where(col("epoch").equalTo(epoch).and(lower(col("account")).equalTo(account.strip().toLowerCase(java.util.Locale.ROOT))))
                .select("account", "cumulative_wei", "proof").collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("account " + account + " has no balance in epoch " + epoch
                    + " (no row in merkle_proofs; was poa merkle --epoch " + epoch + " run?)");
        }
        Row r = rows.get(0);
        return new Claim(r.getString(0), r.getDecimal(1).toBigIntegerExact(), r.getList(2));
    }

    /**
     * @param wait how long to wait for the epoch to become active (zero: fail at once if it is not)
     */
    public static Result run(Lakehouse lakehouse, JsonRpc rpc, long epoch, String account, Credentials from, Duration wait,
                             Consumer<String> progress) {
        return run(lakehouse, rpc, epoch, account, from, wait, false, progress);
    }

    /**
     * @param mine while waiting, mine a block every half second (a development chain that mines per
     *             transaction has a clock that moves only with its blocks, so the epoch would never activate)
     */
    public static Result run(Lakehouse lakehouse, JsonRpc rpc, long epoch, String account, Credentials from, Duration wait,
                             boolean mine, Consumer<String> progress) {
        Claim claim = stored(lakehouse, epoch, account);
        rpc.requireChainId();
        DistributorContract distributor = new DistributorContract(rpc, rpc.settings().requireDistributor());
        distributor.requireCode();
        requireActive(rpc, distributor, epoch, wait, mine, progress);
        String root = distributor.epochRoot(epoch);
        List<byte[]> proof = claim.proof().stream().map(Hex::parse32).toList();
        if (!PayoutTree.verify(Hex.parse32(root), claim.account(), claim.cumulative(), proof)) {
            throw new ChainException("the proof of " + claim.account() + " in merkle_proofs does not match epoch " + epoch
                    + "'s root on chain (" + root + "): refusing to send");
        }
        BigInteger already = distributor.claimed(claim.account());
        if (already.compareTo(claim.cumulative()) >= 0) {
            progress.accept(claim.account() + " has already claimed " + already + " of " + claim.cumulative() + ": nothing due");
            return new Result(epoch, claim.account(), claim.cumulative(), BigInteger.ZERO, null, -1);
        }
        TransactionSender.Mined mined = new TransactionSender(rpc, progress).send(from, distributor.address(),
                DistributorContract.claim(claim.account(), claim.cumulative(), claim.proof()), "claim of " + claim.account());
        return new Result(epoch, claim.account(), claim.cumulative(), claim.cumulative().subtract(already), mined.txHash(),
                mined.blockNumber());
    }

    private static void requireActive(JsonRpc rpc, DistributorContract distributor, long epoch, Duration wait, boolean mine,
                                      Consumer<String> progress) {
        Instant deadline = Instant.now().plus(wait);
        boolean told = false;
        while (true) {
            long active = distributor.activeEpoch();
            if (active == epoch) {
                return;
            }
            if (active > epoch) {
                throw new ChainException("epoch " + epoch + " is no longer the active root (epoch " + active
                        + " is): claim with --epoch " + active);
            }
            long latest = distributor.latestEpoch();
            if (latest < epoch) {
                throw new ChainException("epoch " + epoch + " is not on chain (latest epoch " + latest + "): run poa settle --epoch " + epoch);
            }
            Instant activatesAt = Instant.ofEpochSecond(distributor.epochInfo(epoch).activatesAt());
            if (Instant.now().isAfter(deadline)) {
                throw new ChainException("epoch " + epoch + " is not active yet: it activates at " + activatesAt
                        + " (chain time); claim then, or pass --wait");
            }
            if (!told) {
                progress.accept("waiting for epoch " + epoch + " to activate at " + activatesAt + (mine ? ", mining a block every 0.5 s" : ""));
                told = true;
            }
            JsonRpc.sleep(500);
            if (mine) {
                rpc.mine();
            }
        }
    }
}

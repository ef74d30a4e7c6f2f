package org.poa.jobs.chain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.poa.lakehouse.fault.FaultPoint;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Signs and sends EIP-1559 transactions and waits for them: estimates gas first (a transaction
 * that would revert is explained and never sent), prices it at twice the latest base fee plus the
 * node's suggested tip (within the configured caps: what the node says is not trusted with money),
 * fixes the hash before broadcasting (so a retried broadcast is the same
 * transaction), then waits for the receipt and the configured confirmations. A mined failure is
 * explained by replaying the call.
 */
public final class TransactionSender {

    /** A mined transaction. */
    public record Mined(String txHash, long blockNumber, long gasUsed, boolean succeeded, String contractAddress) {
    }

    private static final BigInteger FALLBACK_TIP = BigInteger.valueOf(1_000_000_000L);

    private final JsonRpc rpc;
    private final Consumer<String> progress;

    public TransactionSender(JsonRpc rpc, Consumer<String> progress) {
        this.rpc = rpc;
        this.progress = progress;
    }

    /**
     * Sends {@code data} to {@code to} (null: deploy a contract) from {@code from}; {@code what}
     * names the call in messages. Fails in one line when it would revert, is rejected or reverts.
     */
    public Mined send(Credentials from, String to, String data, String what) {
        var web3j = rpc.web3j();
        String sender = from.getAddress();
        Transaction call = new Transaction(sender, null, null, null, to, BigInteger.ZERO, data);
        EthEstimateGas estimate = rpc.answer("eth_estimateGas", web3j.ethEstimateGas(call));
        if (estimate.hasError()) {
            throw new ChainException(what + " would revert: " + reason(estimate.getError()));
        }
        BigInteger gasLimit = estimate.getAmountUsed().multiply(BigInteger.valueOf(12)).divide(BigInteger.TEN)
                .add(BigInteger.valueOf(10_000));
        BigInteger nonce = rpc.send("eth_getTransactionCount", web3j.ethGetTransactionCount(sender, DefaultBlockParameterName.PENDING))
                .getTransactionCount();
        BigInteger baseFee = Optional.ofNullable(rpc.send("eth_getBlockByNumber", web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false))
                .getBlock().getBaseFeePerGas()).orElse(BigInteger.ZERO);
        var tipAnswer = rpc.answer("eth_maxPriorityFeePerGas", web3j.ethMaxPriorityFeePerGas());
        BigInteger tip = tipAnswer.hasError() || tipAnswer.getMaxPriorityFeePerGas() == null ? FALLBACK_TIP : tipAnswer.getMaxPriorityFeePerGas();
        BigInteger maxFee = priced(what, baseFee, tip, rpc.settings());
        RawTransaction raw = RawTransaction.createTransaction(rpc.settings().chainId(), nonce, gasLimit, to == null ? "" : to,
                BigInteger.ZERO, data, tip, maxFee);
        String signed = Numeric.toHexString(TransactionEncoder.signMessage(raw, from));
        String hash = Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(signed)));
        progress.accept("sending " + what + " from " + sender + " as " + hash + " (nonce " + nonce + ", gas limit " + gasLimit
                + ", max fee " + maxFee + " wei/gas)");
        EthSendTransaction sent = rpc.answer("eth_sendRawTransaction", web3j.ethSendRawTransaction(signed));
        if (sent.hasError() && !known(hash)) {
            throw new ChainException(what + " was rejected by the chain: " + sent.getError().getMessage());
        }
        FaultPoint.reach("tx:broadcast");
        return await(hash, what, call);
    }

    /**
     * The max fee per gas to sign: twice the base fee plus the tip, as headroom for rising base fees,
     * but never above the cap. A tip above its cap, or a base fee plus tip above the fee cap (the
     * transaction could not be mined within it), refuses in one line: a node or a fee spike must not
     * decide what the settler pays.
     */
    static BigInteger priced(String what, BigInteger baseFee, BigInteger tip, ChainSettings settings) {
        if (tip.compareTo(settings.maxPriorityFee()) > 0) {
            throw new ChainException("not sending " + what + ": the chain asks a priority fee of " + tip + " wei/gas, above the cap of "
                    + settings.maxPriorityFee() + " (--max-priority-fee or POA_MAX_PRIORITY_FEE)");
        }
        if (baseFee.add(tip).compareTo(settings.maxFeePerGas()) > 0) {
            throw new ChainException("not sending " + what + ": base fee " + baseFee + " plus tip " + tip + " wei/gas is above the cap of "
                    + settings.maxFeePerGas() + " (--max-fee-per-gas or POA_MAX_FEE_PER_GAS)");
        }
        return baseFee.multiply(BigInteger.TWO).add(tip).min(settings.maxFeePerGas());
    }

    /** Waits until the transaction is mined and confirmed, then fails in one line if it reverted. */
    public Mined await(String hash, String what, Transaction replay) {
        var web3j = rpc.web3j();
        Instant deadline = Instant.now().plus(rpc.settings().receiptTimeout());
        long pause = 100;
        TransactionReceipt receipt;
        while (true) {
            EthGetTransactionReceipt answer = rpc.send("eth_getTransactionReceipt", web3j.ethGetTransactionReceipt(hash));
            if (answer.getTransactionReceipt().isPresent()) {
                receipt = answer.getTransactionReceipt().get();
                long head = rpc.send("eth_blockNumber", web3j.ethBlockNumber()).getBlockNumber().longValueExact();
                if (head - receipt.getBlockNumber().longValueExact() + 1 >= rpc.settings().confirmations()) {
                    break;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ChainException(what + " (" + hash + ") was not mined and confirmed within "
                        + rpc.settings().receiptTimeout().toSeconds() + " s; it may still be: re-run to pick it up");
            }
            JsonRpc.sleep(pause);
            pause = Math.min(pause * 2, 2_000);
        }
        Mined mined = new Mined(hash, receipt.getBlockNumber().longValueExact(), receipt.getGasUsed().longValueExact(),
                receipt.isStatusOK(), receipt.getContractAddress());
        if (!mined.succeeded()) {
            String why = "no reason given";
            if (replay != null) {
                EthCall again = rpc.answer("eth_call", web3j.ethCall(replay,
                        DefaultBlockParameter.valueOf(receipt.getBlockNumber().subtract(BigInteger.ONE))));
                why = again.hasError() ? reason(again.getError()) : ContractErrors.describe(again.getRevertReason());
            }
            throw new ChainException(what + " reverted in " + hash + " (block " + mined.blockNumber() + "): " + why);
        }
        return mined;
    }

    /** Waits (up to the receipt timeout) until the account has no pending transaction; fails otherwise. */
    public void awaitNoPending(String account) {
        var web3j = rpc.web3j();
        Instant deadline = Instant.now().plus(rpc.settings().receiptTimeout());
        while (true) {
            BigInteger pending = rpc.send("eth_getTransactionCount", web3j.ethGetTransactionCount(account, DefaultBlockParameterName.PENDING))
                    .getTransactionCount();
            BigInteger latest = rpc.send("eth_getTransactionCount", web3j.ethGetTransactionCount(account, DefaultBlockParameterName.LATEST))
                    .getTransactionCount();
            if (pending.compareTo(latest) <= 0) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ChainException(account + " still has " + pending.subtract(latest) + " pending transaction(s) after "
                        + rpc.settings().receiptTimeout().toSeconds() + " s: wait for them to be mined before settling");
            }
            progress.accept(account + " has " + pending.subtract(latest) + " pending transaction(s); waiting for them first");
            JsonRpc.sleep(1_000);
        }
    }

    private boolean known(String hash) {
        var answer = rpc.answer("eth_getTransactionByHash", rpc.web3j().ethGetTransactionByHash(hash));
        return !answer.hasError() && answer.getTransaction().isPresent();
    }

    static String reason(org.web3j.protocol.core.Response.Error error) {
        String data = ContractErrors.dataOf(error);
        if (data != null && data.startsWith("0x") && data.length() >= 10) {
            return ContractErrors.describe(data);
        }
        return error.getMessage();
    }
}

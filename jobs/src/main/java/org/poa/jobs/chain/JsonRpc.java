package org.poa.jobs.chain;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * The JSON-RPC endpoint with retries: a request that fails in transport (refused, reset, timed
 * out) is tried again after 0.5, 1, 2, 4... seconds (at most 8) up to the configured attempts, then
 * fails in one line naming the endpoint. Errors the node answers with are not retried: they are
 * answers. Every request we send is safe to repeat (reads, and raw transactions whose hash is fixed
 * before sending).
 */
public final class JsonRpc implements AutoCloseable {

    private final ChainSettings settings;
    private final HttpService http;
    private final Web3j web3j;
    private final Consumer<String> progress;

    public JsonRpc(ChainSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.http = new HttpService(settings.rpcUrl());
        this.web3j = Web3j.build(http);
        this.progress = progress;
    }

    public Web3j web3j() {
        return web3j;
    }

    public ChainSettings settings() {
        return settings;
    }

    /** Sends the request with retries and returns the node's answer, error answers included. */
    public <T extends Response<?>> T answer(String what, Request<?, T> request) {
        long pause = settings.firstBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return request.send();
            } catch (IOException e) {
                if (attempt >= settings.attempts()) {
                    throw new ChainException("the chain at " + settings.endpoint() + " did not answer " + what + " after "
                            + attempt + " attempts: " + describe(e), e);
                }
                progress.accept("RPC " + what + " failed (" + describe(e) + "); retry " + attempt + " of "
                        + (settings.attempts() - 1) + " in " + pause + " ms");
                sleep(pause);
                pause = Math.min(pause * 2, Duration.ofSeconds(8).toMillis());
            }
        }
    }

    /** Sends the request with retries; an error answer becomes a one-line failure. */
    public <T extends Response<?>> T send(String what, Request<?, T> request) {
        T response = answer(what, request);
        if (response.hasError()) {
            throw new ChainException(what + " failed at " + settings.endpoint() + ": " + response.getError().getMessage());
        }
        return response;
    }

    /** Fails unless the endpoint reports the configured chain id: keys must never sign for another chain. */
    public void requireChainId() {
        long actual = send("eth_chainId", web3j.ethChainId()).getChainId().longValueExact();
        if (actual != settings.chainId()) {
            throw new ChainException("the chain at " + settings.endpoint() + " has chain id " + actual + ", but "
                    + settings.chainId() + " was configured: refusing to use it");
        }
    }

    /**
     * Whether the endpoint is a development chain that mines on request (anvil, Hardhat, Ganache
     * answer {@code evm_mine}): its clock moves only with its blocks when it mines per transaction.
     */
    public boolean developmentChain() {
        String client = answer("web3_clientVersion", web3j.web3ClientVersion()).getWeb3ClientVersion();
        String name = client == null ? "" : client.toLowerCase(java.util.Locale.ROOT);
        return name.startsWith("anvil") || name.startsWith("hardhat") || name.startsWith("ganache");
    }

    /** Mines one block on a development chain (its timestamp is the node's clock now). */
    public void mine() {
        send("evm_mine", new Request<>("evm_mine", java.util.List.of(), http, Response.class));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while waiting for the chain", e);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}

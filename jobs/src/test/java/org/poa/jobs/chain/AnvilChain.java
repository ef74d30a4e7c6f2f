package org.poa.jobs.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/** A real anvil (npm @foundry-rs/anvil from contracts/) on a free loopback port, stopped on close. */
final class AnvilChain implements AutoCloseable {

    static final List<String> DEV_KEYS = LocalAnvil.DEV_KEYS;

    final long chainId;
    final String url;
    final Web3j web3j;
    private final LocalAnvil anvil;
    private final HttpService http;

    private AnvilChain(LocalAnvil anvil) {
        this.anvil = anvil;
        this.url = anvil.url();
        this.chainId = anvil.chainId();
        this.http = new HttpService(url);
        this.web3j = Web3j.build(http);
    }

    static AnvilChain start(long chainId) {
        return new AnvilChain(LocalAnvil.start(chainId, null, 0));
    }

    /** Moves the chain's clock forward and mines a block. */
    void advance(long seconds) throws IOException {
        call("evm_increaseTime", List.of(seconds));
        call("evm_mine", List.of());
    }

    BigInteger timestamp() throws IOException {
        return web3j.ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false).send()
                .getBlock().getTimestamp();
    }

    /** Mines one empty block. */
    void mine() throws IOException {
        call("evm_mine", List.of());
    }

    private void call(String method, List<?> params) throws IOException {
        Response<?> r = new Request<>(method, params, http, Response.class).send();
        if (r.hasError()) {
            throw new IOException(method + ": " + r.getError().getMessage());
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
        anvil.close();
    }
}

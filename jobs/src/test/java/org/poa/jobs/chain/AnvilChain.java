package org.poa.jobs.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.poa.jobs.bench.NodeReference;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/** A real anvil (npm @foundry-rs/anvil from contracts/) on a free loopback port, stopped on close. */
final class AnvilChain implements AutoCloseable {

    /** Anvil's public development keys (accounts 0..3 of its default mnemonic): fine in tests. */
    static final List<String> DEV_KEYS = List.of(
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
            "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
            "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");

    final long chainId;
    final String url;
    final Web3j web3j;
    private final Process process;
    private final HttpService http;

    private AnvilChain(Process process, String url, long chainId) {
        this.process = process;
        this.url = url;
        this.chainId = chainId;
        this.http = new HttpService(url);
        this.web3j = Web3j.build(http);
    }

    static AnvilChain start(long chainId) throws Exception {
        NodeReference contracts = NodeReference.locate("contracts");
        contracts.install();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path anvil = contracts.folder().resolve("node_modules/.bin/anvil");
        Process process = new ProcessBuilder(anvil.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--chain-id", Long.toString(chainId), "--silent")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        AnvilChain chain = new AnvilChain(process, "http://127.0.0.1:" + port, chainId);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                if (chain.web3j.ethChainId().send().getChainId().longValue() == chainId) {
                    return chain;
                }
            } catch (IOException notYet) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    chain.close();
                    throw new IllegalStateException("anvil did not start on port " + port, notYet);
                }
                Thread.sleep(100);
            }
        }
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

    private void call(String method, List<?> params) throws IOException {
        Response<?> r = new Request<>(method, params, http, Response.class).send();
        if (r.hasError()) {
            throw new IOException(method + ": " + r.getError().getMessage());
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

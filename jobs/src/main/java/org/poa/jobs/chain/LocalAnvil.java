package org.poa.jobs.chain;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.poa.jobs.tools.NodePackages;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * A local anvil (npm {@code @foundry-rs/anvil}, installed from contracts/ on first use) on a free
 * loopback port. With a state file the chain survives restarts: anvil loads it at start and writes
 * it when stopped (SIGTERM), so a second demo run on the same folder finds its contracts and roots.
 */
public final class LocalAnvil implements AutoCloseable {

    /** Anvil's public development keys (accounts 0..3 of its default mnemonic): for tests and the demo only. */
    public static final List<String> DEV_KEYS = List.of(
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
            "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
            "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
            "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
            "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");

    private final Process process;
    private final String url;
    private final long chainId;
    private final List<String> command;

    private LocalAnvil(Process process, String url, long chainId, List<String> command) {
        this.process = process;
        this.url = url;
        this.chainId = chainId;
        this.command = command;
    }

    /**
     * Starts anvil and waits until it answers.
     *
     * @param state     the state file to load and dump on exit, or null for a throwaway chain
     * @param blockTime seconds between blocks, or 0 to mine one block per transaction
     */
    public static LocalAnvil start(long chainId, Path state, int blockTime) {
        try {
            NodePackages contracts = NodePackages.locate("contracts");
            contracts.install();
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of(contracts.folder().resolve("node_modules/.bin/anvil").toString(),
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--chain-id", Long.toString(chainId), "--silent"));
            if (state != null) {
                command.addAll(List.of("--state", state.toAbsolutePath().toString()));
            }
            if (blockTime > 0) {
                command.addAll(List.of("--block-time", Integer.toString(blockTime)));
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            LocalAnvil anvil = new LocalAnvil(process, "http://127.0.0.1:" + port, chainId, command);
            anvil.awaitReady(port);
            return anvil;
        } catch (IOException e) {
            throw new ChainException("cannot start anvil: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while starting anvil", e);
        }
    }

    private void awaitReady(int port) throws InterruptedException {
        Web3j web3j = Web3j.build(new HttpService(url));
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (true) {
                try {
                    if (web3j.ethChainId().send().getChainId().longValue() == chainId) {
                        return;
                    }
                } catch (IOException notYet) {
                    if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                        close();
                        throw new ChainException("anvil did not start on port " + port + (process.isAlive() ? "" : " (it exited)"));
                    }
                    Thread.sleep(100);
                }
            }
        } finally {
            web3j.shutdown();
        }
    }

    public String url() {
        return url;
    }

    public long chainId() {
        return chainId;
    }

    /** The command line that started it (to restart the same chain by hand). */
    public List<String> command() {
        return command;
    }

    /** Stops anvil with SIGTERM, which makes it write its state file, then waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

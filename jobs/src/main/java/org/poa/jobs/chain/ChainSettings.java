package org.poa.jobs.chain;

import java.time.Duration;

/**
 * Where the chain is and how patient to be with it.
 *
 * @param rpcUrl        the JSON-RPC endpoint
 * @param chainId       the chain id every transaction is signed for; the endpoint must report it
 * @param distributor   the EpochRewardsDistributor's address (null when only deploying)
 * @param confirmations blocks to wait for after the one holding a transaction (1 = its own block)
 * @param attempts      tries per RPC request before giving up on an unreachable endpoint
 * @param firstBackoff  pause after the first failed try; doubles each time, at most 8 seconds
 * @param receiptTimeout how long to wait for a sent transaction to be mined and confirmed
 */
public record ChainSettings(String rpcUrl, long chainId, String distributor, int confirmations, int attempts,
                            Duration firstBackoff, Duration receiptTimeout) {

    public static final int DEFAULT_CONFIRMATIONS = 1;
    public static final int DEFAULT_ATTEMPTS = 5;

    public ChainSettings {
        if (rpcUrl == null || rpcUrl.isBlank()) {
            throw new IllegalArgumentException("no chain: pass --rpc-url or set POA_RPC_URL");
        }
        if (chainId <= 0) {
            throw new IllegalArgumentException("no chain id: pass --chain-id or set POA_CHAIN_ID (a positive number)");
        }
        if (confirmations < 1) {
            throw new IllegalArgumentException("--confirmations must be 1 or more, got " + confirmations);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("--rpc-attempts must be 1 or more, got " + attempts);
        }
    }

    public static ChainSettings of(String rpcUrl, long chainId, String distributor) {
        return new ChainSettings(rpcUrl, chainId, distributor, DEFAULT_CONFIRMATIONS, DEFAULT_ATTEMPTS,
                Duration.ofMillis(500), Duration.ofMinutes(5));
    }

    public ChainSettings withDistributor(String address) {
        return new ChainSettings(rpcUrl, chainId, address, confirmations, attempts, firstBackoff, receiptTimeout);
    }

    /** The distributor's address, or a one-line error naming the flag and variable to set. */
    public String requireDistributor() {
        if (distributor == null || distributor.isBlank()) {
            throw new IllegalArgumentException("no distributor contract: pass --distributor or set POA_DISTRIBUTOR");
        }
        return distributor;
    }
}

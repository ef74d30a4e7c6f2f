package org.poa.jobs.chain;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

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
 * @param maxFeePerGas  the most any transaction may pay per gas (base fee and tip), in wei; a chain asking
 *                      more gets a one-line refusal, not the money
 * @param maxPriorityFee the most tip per gas, in wei
 *
 * <p>The URL often carries a provider's API key in its path or query, so messages name only its
 * {@link #endpoint()}, and {@link #toString()} hides it too. Plain {@code http} is refused except on
 * loopback: a signed transaction is public anyway, but every answer the jobs act on (balances, the
 * distributor's state, fees) could be forged in transit.
 */
public record ChainSettings(String rpcUrl, long chainId, String distributor, int confirmations, int attempts,
                            Duration firstBackoff, Duration receiptTimeout, BigInteger maxFeePerGas, BigInteger maxPriorityFee) {

    public static final int DEFAULT_CONFIRMATIONS = 1;
    public static final int DEFAULT_ATTEMPTS = 5;
    private static final BigInteger GWEI = BigInteger.valueOf(1_000_000_000L);
    public static final BigInteger DEFAULT_MAX_FEE_PER_GAS = BigInteger.valueOf(200).multiply(GWEI);
    public static final BigInteger DEFAULT_MAX_PRIORITY_FEE = BigInteger.valueOf(5).multiply(GWEI);

    /** With the default fee caps. */
    public ChainSettings(String rpcUrl, long chainId, String distributor, int confirmations, int attempts,
                         Duration firstBackoff, Duration receiptTimeout) {
        this(rpcUrl, chainId, distributor, confirmations, attempts, firstBackoff, receiptTimeout, DEFAULT_MAX_FEE_PER_GAS,
                DEFAULT_MAX_PRIORITY_FEE);
    }

    public ChainSettings {
        if (rpcUrl == null || rpcUrl.isBlank()) {
            throw new IllegalArgumentException("no chain: pass --rpc-url or set POA_RPC_URL");
        }
        requireSafeUrl(rpcUrl);
        if (maxFeePerGas == null || maxFeePerGas.signum() <= 0 || maxPriorityFee == null || maxPriorityFee.signum() < 0
                || maxPriorityFee.compareTo(maxFeePerGas) > 0) {
            throw new IllegalArgumentException("fee caps must satisfy 0 <= max priority fee <= max fee per gas, 0 < max fee per gas; got "
                    + maxPriorityFee + " and " + maxFeePerGas);
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

    /** scheme://host[:port] of the endpoint: what messages and logs show of it (no path, query or user). */
    public String endpoint() {
        return endpoint(rpcUrl);
    }

    static String endpoint(String url) {
        try {
            URI uri = new URI(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "<an RPC URL that does not parse>";
            }
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            return "<an RPC URL that does not parse>";
        }
    }

    /** Refuses URLs that are not http(s), and plain http to anything but loopback; messages show no secret. */
    static void requireSafeUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the RPC URL " + endpoint(url) + " is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("the RPC URL must be http(s)://host..., got " + endpoint(url));
        }
        if (scheme.equals("http") && !loopback(uri.getHost())) {
            throw new IllegalArgumentException("refusing plain http to " + endpoint(url)
                    + ": use https (plain http is allowed only on loopback, e.g. a local node or an SSH tunnel)");
        }
    }

    static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){2}");
    }

    /** Without the URL, which may hold an API key. */
    @Override
    public String toString() {
        return "ChainSettings[" + endpoint() + ", chain " + chainId + ", distributor " + distributor + "]";
    }

    public static ChainSettings of(String rpcUrl, long chainId, String distributor) {
        return new ChainSettings(rpcUrl, chainId, distributor, DEFAULT_CONFIRMATIONS, DEFAULT_ATTEMPTS,
                Duration.ofMillis(500), Duration.ofMinutes(5));
    }

    public ChainSettings withDistributor(String address) {
        return new ChainSettings(rpcUrl, chainId, address, confirmations, attempts, firstBackoff, receiptTimeout, maxFeePerGas,
                maxPriorityFee);
    }

    /** The distributor's address, or a one-line error naming the flag and variable to set. */
    public String requireDistributor() {
        if (distributor == null || distributor.isBlank()) {
            throw new IllegalArgumentException("no distributor contract: pass --distributor or set POA_DISTRIBUTOR");
        }
        return distributor;
    }
}

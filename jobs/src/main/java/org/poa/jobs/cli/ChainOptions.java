package org.poa.jobs.cli;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import org.poa.jobs.chain.ChainSettings;
import org.poa.jobs.chain.DistributorBinding;
import org.poa.jobs.chain.SigningKeys;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Option;

/** Where the chain is and which key signs: flags, or the POA_* variables of the command's environment. */
final class ChainOptions {

    @Option(names = "--rpc-url", paramLabel = "URL", description = "JSON-RPC endpoint (default: $POA_RPC_URL).")
    String rpcUrl;

    @Option(names = "--chain-id", paramLabel = "ID",
            description = "Chain id the endpoint must report; transactions are signed for it (default: $POA_CHAIN_ID).")
    Long chainId;

    @Option(names = "--distributor", paramLabel = "ADDRESS", description = "The EpochRewardsDistributor contract (default: $POA_DISTRIBUTOR).")
    String distributor;

    @Option(names = "--confirmations", paramLabel = "N",
            description = "Blocks a transaction must have (its own included) before it counts (default: $POA_CONFIRMATIONS or 1).")
    Integer confirmations;

    @Option(names = "--rpc-attempts", paramLabel = "N", defaultValue = "5",
            description = "Tries per RPC request, with backoff 0.5, 1, 2, 4... s, before failing. Default: ${DEFAULT-VALUE}.")
    int attempts;

    @Option(names = "--receipt-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for a transaction to be mined and confirmed. Default: ${DEFAULT-VALUE}.")
    long receiptTimeout;

    @Option(names = "--max-fee-per-gas", paramLabel = "WEI",
            description = "The most a transaction may pay per gas, base fee and tip; more is refused (default: $POA_MAX_FEE_PER_GAS or 200gwei).")
    String maxFeePerGas;

    @Option(names = "--max-priority-fee", paramLabel = "WEI",
            description = "The most tip per gas; a higher suggested tip is refused (default: $POA_MAX_PRIORITY_FEE or 5gwei).")
    String maxPriorityFee;

    @Option(names = "--keystore", paramLabel = "FILE",
            description = "Encrypted JSON keystore of the signing key (default: $POA_KEYSTORE; else the key is $POA_PRIVATE_KEY).")
    Path keystore;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the keystore's password (default: $POA_KEYSTORE_PASSWORD_FILE).")
    Path passwordFile;

    /** Whether a chain endpoint is given at all (flag or environment). */
    boolean present(PoaEnvironment env) {
        return PoaCommand.firstOf(rpcUrl, env.get("POA_RPC_URL")) != null;
    }

    ChainSettings settings(PoaEnvironment env) {
        return settings(env, java.util.Optional.empty());
    }

    /**
     * With the chain id and distributor the lakehouse's {@code settlements} records as defaults (for
     * audit and watch: an auditor needs only the RPC URL); flags and variables still win.
     */
    ChainSettings settings(PoaEnvironment env, java.util.Optional<DistributorBinding.Bound> recorded) {
        String url = PoaCommand.firstOf(rpcUrl, env.get("POA_RPC_URL"));
        long id = chainId != null ? chainId
                : parse("POA_CHAIN_ID", env.get("POA_CHAIN_ID"), recorded.map(DistributorBinding.Bound::chainId).orElse(0L));
        int blocks = confirmations != null ? confirmations
                : (int) parse("POA_CONFIRMATIONS", env.get("POA_CONFIRMATIONS"), ChainSettings.DEFAULT_CONFIRMATIONS);
        String contract = PoaCommand.firstOf(distributor, env.get("POA_DISTRIBUTOR"),
                recorded.map(DistributorBinding.Bound::contract).orElse(null));
        return new ChainSettings(url, id, contract, blocks, attempts,
                Duration.ofMillis(500), Duration.ofSeconds(receiptTimeout),
                weiPerGas("--max-fee-per-gas", PoaCommand.firstOf(maxFeePerGas, env.get("POA_MAX_FEE_PER_GAS")),
                        ChainSettings.DEFAULT_MAX_FEE_PER_GAS),
                weiPerGas("--max-priority-fee", PoaCommand.firstOf(maxPriorityFee, env.get("POA_MAX_PRIORITY_FEE")),
                        ChainSettings.DEFAULT_MAX_PRIORITY_FEE));
    }

    /** Wei as digits, or gwei with the suffix "gwei" (e.g. 30gwei, 1.5gwei). */
    static BigInteger weiPerGas(String option, String text, BigInteger fallback) {
        if (text == null) {
            return fallback;
        }
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("gwei") && t.length() <= 30) {
                java.math.BigDecimal gwei = new java.math.BigDecimal(t.substring(0, t.length() - 4).strip());
                // Bounded before expanding: "1e999999999gwei" is short text for a billion digits.
                if (gwei.signum() >= 0 && gwei.scale() <= 9 && gwei.precision() - gwei.scale() <= 21) {
                    return gwei.movePointRight(9).toBigIntegerExact();
                }
            }
            if (t.matches("[0-9]{1,30}")) {
                return new BigInteger(t);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // the message below
        }
        throw new IllegalArgumentException(option + " '" + text + "' is not wei (digits) or gwei (e.g. 30gwei)");
    }

    /** The signing key: the keystore when given, else $POA_PRIVATE_KEY. */
    Credentials signer(PoaEnvironment env) {
        Path store = keystore != null ? keystore : path(env.get("POA_KEYSTORE"));
        Path password = passwordFile != null ? passwordFile : path(env.get("POA_KEYSTORE_PASSWORD_FILE"));
        return SigningKeys.load(env.variables(), "POA_PRIVATE_KEY", store, password);
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    private static long parse(String variable, String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " '" + value + "' is not a number");
        }
    }
}

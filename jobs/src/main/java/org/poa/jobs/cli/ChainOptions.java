package org.poa.jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.poa.jobs.chain.ChainSettings;
import org.poa.jobs.chain.SigningKeys;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Option;

/** Where the chain is and which key signs: flags, or the POA_* environment variables. */
final class ChainOptions {

    @Option(names = "--rpc-url", paramLabel = "URL", defaultValue = "${env:POA_RPC_URL}",
            description = "JSON-RPC endpoint (default: $POA_RPC_URL).")
    String rpcUrl;

    @Option(names = "--chain-id", paramLabel = "ID", defaultValue = "${env:POA_CHAIN_ID}",
            description = "Chain id the endpoint must report; transactions are signed for it (default: $POA_CHAIN_ID).")
    Long chainId;

    @Option(names = "--distributor", paramLabel = "ADDRESS", defaultValue = "${env:POA_DISTRIBUTOR}",
            description = "The EpochRewardsDistributor contract (default: $POA_DISTRIBUTOR).")
    String distributor;

    @Option(names = "--confirmations", paramLabel = "N", defaultValue = "${env:POA_CONFIRMATIONS:-1}",
            description = "Blocks a transaction must have (its own included) before it counts (default: $POA_CONFIRMATIONS or 1).")
    int confirmations;

    @Option(names = "--rpc-attempts", paramLabel = "N", defaultValue = "5",
            description = "Tries per RPC request, with backoff 0.5, 1, 2, 4... s, before failing. Default: ${DEFAULT-VALUE}.")
    int attempts;

    @Option(names = "--receipt-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for a transaction to be mined and confirmed. Default: ${DEFAULT-VALUE}.")
    long receiptTimeout;

    @Option(names = "--keystore", paramLabel = "FILE", defaultValue = "${env:POA_KEYSTORE}",
            description = "Encrypted JSON keystore of the signing key (default: $POA_KEYSTORE; else the key is $POA_PRIVATE_KEY).")
    Path keystore;

    @Option(names = "--password-file", paramLabel = "FILE", defaultValue = "${env:POA_KEYSTORE_PASSWORD_FILE}",
            description = "File holding the keystore's password (default: $POA_KEYSTORE_PASSWORD_FILE).")
    Path passwordFile;

    ChainSettings settings() {
        return new ChainSettings(rpcUrl, chainId == null ? 0 : chainId, distributor, confirmations, attempts,
                Duration.ofMillis(500), Duration.ofSeconds(receiptTimeout));
    }

    /** The signing key: the keystore when given, else $POA_PRIVATE_KEY. */
    Credentials signer() {
        return SigningKeys.load("POA_PRIVATE_KEY", keystore, passwordFile);
    }
}

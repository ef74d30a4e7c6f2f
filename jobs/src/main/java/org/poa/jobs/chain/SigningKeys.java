package org.poa.jobs.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.WalletUtils;
import org.web3j.utils.Numeric;

/**
 * Loads a signing key from an environment variable or from an encrypted keystore file (web3
 * secret storage, as geth, cast and MetaMask export) with its password in a file. The key itself
 * never appears in a message: errors name the variable or file only.
 */
public final class SigningKeys {

    private SigningKeys() {
    }

    /**
     * The key from {@code keystore} + {@code passwordFile} when a keystore is given, else from the
     * environment variable {@code variable}; a one-line error when neither is there.
     */
    public static Credentials load(Map<String, String> environment, String variable, Path keystore, Path passwordFile) {
        if (keystore != null) {
            return fromKeystore(keystore, passwordFile);
        }
        String hex = environment.get(variable);
        if (hex == null || hex.isBlank()) {
            throw new IllegalArgumentException("no signing key: set " + variable + " or pass --keystore FILE --password-file FILE");
        }
        return fromHex(variable, hex);
    }

    /**
     * The treasury's key, which tops the distributor up: the keystore {@code POA_TREASURY_KEYSTORE}
     * with its password in {@code POA_TREASURY_KEYSTORE_PASSWORD_FILE} when set (what a cluster
     * master gets: paths, never the key), else {@code POA_TREASURY_PRIVATE_KEY}; null when neither.
     */
    public static Credentials treasury(Map<String, String> environment) {
        String keystore = environment.get("POA_TREASURY_KEYSTORE");
        if (keystore != null && !keystore.isBlank()) {
            String password = environment.get("POA_TREASURY_KEYSTORE_PASSWORD_FILE");
            if (password == null || password.isBlank()) {
                throw new IllegalArgumentException("POA_TREASURY_KEYSTORE needs POA_TREASURY_KEYSTORE_PASSWORD_FILE");
            }
            return fromKeystore(Path.of(keystore.strip()), Path.of(password.strip()));
        }
        return optional(environment, "POA_TREASURY_PRIVATE_KEY");
    }

    /** The key in the environment variable, or null when it is unset. */
    public static Credentials optional(Map<String, String> environment, String variable) {
        String hex = environment.get(variable);
        return hex == null || hex.isBlank() ? null : fromHex(variable, hex);
    }

    /** A key given as 64 hex digits (with or without 0x); {@code source} names where it came from. */
    public static Credentials fromHex(String source, String hex) {
        String digits = Numeric.cleanHexPrefix(hex.strip());
        if (!digits.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(source + " is not a private key (64 hex digits)");
        }
        java.math.BigInteger secret = new java.math.BigInteger(digits, 16);
        if (secret.signum() == 0) {
            throw new IllegalArgumentException(source + " is not a private key (zero)");
        }
        return Credentials.create(ECKeyPair.create(secret));
    }

    private static Credentials fromKeystore(Path keystore, Path passwordFile) {
        if (passwordFile == null) {
            throw new IllegalArgumentException("--keystore needs --password-file (the password is never read from the command line)");
        }
        String password;
        try {
            password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the password file " + passwordFile + ": " + e.getMessage());
        }
        try {
            return WalletUtils.loadCredentials(password, keystore.toFile());
        } catch (CipherException e) {
            throw new IllegalArgumentException("cannot decrypt the keystore " + keystore + ": wrong password or damaged file");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the keystore " + keystore + ": " + e.getMessage());
        }
    }
}

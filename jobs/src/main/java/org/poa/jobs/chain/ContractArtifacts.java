package org.poa.jobs.chain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The compiled contracts packaged in the jar (from contracts/build, see docs/contract.md). */
public final class ContractArtifacts {

    private ContractArtifacts() {
    }

    static InputStream open(String file) throws IOException {
        InputStream in = ContractArtifacts.class.getResourceAsStream("/contracts/" + file);
        if (in == null) {
            throw new IOException("contracts/" + file + " is not in the application jar (rebuild with mvn package)");
        }
        return in;
    }

    /** The creation bytecode of a contract, as 0x-prefixed hex. */
    public static String bytecode(String contract) {
        try (InputStream in = open(contract + ".bin")) {
            String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
            return hex.startsWith("0x") ? hex : "0x" + hex;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
    }
}

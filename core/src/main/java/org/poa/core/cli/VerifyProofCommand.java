package org.poa.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.poa.core.crypto.Hex;
import org.poa.core.merkle.PayoutTree;
import org.poa.core.validate.Uint256;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify-proof", mixinStandardHelpOptions = true,
        description = {"Checks a claim offline: does the proof lead from (account, amount) to the root? Exit 0 and",
            "'valid' if so, 1 and 'INVALID' if not. Give the parts as options or a file as `poa proof` prints it."})
public final class VerifyProofCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--root", paramLabel = "HASH", description = "The root (0x + 64 hex).")
    String root;

    @Option(names = "--account", paramLabel = "ADDRESS", description = "The account.")
    String account;

    @Option(names = "--amount", paramLabel = "WEI", description = "The cumulative amount in wei.")
    String amount;

    @Option(names = "--proof", paramLabel = "P1,P2,...", split = ",", description = "The proof hashes, comma-separated (none for a one-account tree).")
    List<String> proof = new ArrayList<>();

    @Option(names = "--file", paramLabel = "FILE", description = "A JSON file with root, account, amount and proof.")
    Path file;

    @Override
    public Integer call() throws Exception {
        if (file != null) {
            JsonNode json = new ObjectMapper().readTree(Files.readString(file));
            root = text(json, "root");
            account = text(json, "account");
            amount = text(json, "amount");
            proof = new ArrayList<>();
            JsonNode hashes = json.get("proof");
            if (hashes == null || !hashes.isArray()) {
                throw new IllegalArgumentException(file + " has no proof array");
            }
            hashes.forEach(h -> proof.add(h.asText()));
        }
        if (root == null || account == null || amount == null) {
            throw new IllegalArgumentException("give --root, --account and --amount (and --proof), or --file");
        }
        List<byte[]> hashes = new ArrayList<>();
        for (String h : proof) {
            if (!h.isBlank()) {
                hashes.add(Hex.parse32(h.strip()));
            }
        }
        boolean valid = PayoutTree.verify(Hex.parse32(root), account, Uint256.parse("amount", amount), hashes);
        spec.commandLine().getOut().println((valid ? "valid: " : "INVALID: ") + account + " with " + amount + " wei "
                + (valid ? "is" : "is not") + " in the tree of root " + root);
        return valid ? 0 : 1;
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("the proof file has no " + field);
        }
        return v.asText();
    }
}

package org.poa.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.poa.core.merkle.PayoutTree;

/**
 * An account's claim as {@code poa proof} prints it and {@code verify-proof --file} reads it:
 * {@code {epoch?, root, account, amount, proof}}, the amount being the cumulative wei in the tree.
 */
public final class ClaimJson {

    private ClaimJson() {
    }

    /**
     * The claim of {@code account} (any letter case) in {@code tree}, with the epoch when one is known.
     *
     * @throws IllegalArgumentException naming the account when the tree has no leaf for it
     */
    public static String of(PayoutTree tree, String account, Long epoch) {
        int i = tree.indexOf(account);
        if (i < 0) {
            throw new IllegalArgumentException("account " + account + " has no balance in "
                    + (epoch != null ? "epoch " + epoch : "this tree"));
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = mapper.createObjectNode();
        if (epoch != null) {
            json.put("epoch", epoch);
        }
        json.put("root", tree.rootHex());
        json.put("account", tree.values().address(i));
        json.put("amount", tree.values().amount(i).toString());
        ArrayNode proof = json.putArray("proof");
        tree.proofHex(i).forEach(proof::add);
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

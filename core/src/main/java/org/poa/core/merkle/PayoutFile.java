package org.poa.core.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.poa.core.crypto.Hex;
import org.poa.core.validate.Uint256;

/**
 * Published payouts as a plain file, so anyone can rebuild a root without the lakehouse: CSV with
 * a header naming {@code account} and {@code amount} (other columns ignored), or JSON Lines of
 * {@code {"account": ..., "amount": ...}} (file name ending in {@code .jsonl}). Amounts are decimal
 * integers (a JSON number or string).
 */
public final class PayoutFile {

    /** Only JSON Lines input needs Jackson: a CSV run does not pay for its start-up. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private PayoutFile() {
    }

    public static PayoutLeaves read(Path file) throws IOException {
        boolean jsonl = file.getFileName().toString().endsWith(".jsonl");
        PayoutLeaves leaves = new PayoutLeaves(1024);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            int accountColumn = -1;
            int amountColumn = -1;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file.getFileName() + ":" + number + ": ";
                try {
                    if (jsonl) {
                        JsonNode row = Json.MAPPER.readTree(line);
                        JsonNode account = row.get("account");
                        JsonNode amount = row.get("amount");
                        if (account == null || !account.isTextual() || amount == null) {
                            throw new IllegalArgumentException("needs \"account\" (string) and \"amount\"");
                        }
                        if (amount.isNumber() && !amount.isIntegralNumber()) {
                            throw new IllegalArgumentException("amount " + amount + " is not an integer (write large amounts as strings)");
                        }
                        leaves.add(account.asText(), amount(amount.isNumber() ? amount.bigIntegerValue().toString() : amount.asText()));
                    } else if (accountColumn < 0) {
                        String text = line.startsWith("\uFEFF") ? line.substring(1) : line;
                        List<String> header = List.of(text.strip().split("\\s*,\\s*"));
                        accountColumn = header.indexOf("account");
                        amountColumn = header.indexOf("amount");
                        if (accountColumn < 0 || amountColumn < 0) {
                            throw new IllegalArgumentException("the CSV header must name the columns account and amount, got: " + line.strip());
                        }
                    } else {
                        String[] fields = fields(line);
                        if (fields.length <= Math.max(accountColumn, amountColumn)) {
                            throw new IllegalArgumentException("has " + fields.length + " fields, fewer than the header");
                        }
                        leaves.add(fields[accountColumn].strip(), amount(fields[amountColumn].strip()));
                    }
                } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException(where + Hex.abbreviate(e.getMessage()), e);
                }
            }
        }
        if (leaves.size() == 0) {
            throw new IllegalArgumentException(file + " holds no payouts");
        }
        return leaves;
    }

    /** One JSON line per value, in input order: {@code {"account", "amount", "proof": [...]}}. */
    public static void writeProofs(PayoutTree tree, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            JsonBytes json = new JsonBytes(out);
            for (int i = 0; i < tree.size(); i++) {
                json.raw("{\"account\":").quoted(tree.values().address(i)).raw(",\"amount\":")
                        .quoted(tree.values().amount(i).toString()).raw(",\"proof\":");
                tree.writeProofJson(i, out);
                json.raw("}\n");
            }
        }
    }

    /** The comma-separated fields of a CSV line (no quoting: accounts and amounts never need it). */
    private static String[] fields(String line) {
        int count = 1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ',') {
                count++;
            }
        }
        String[] out = new String[count];
        int start = 0;
        for (int k = 0; k < count; k++) {
            int end = line.indexOf(',', start);
            if (end < 0) {
                end = line.length();
            }
            out[k] = line.substring(start, end);
            start = end + 1;
        }
        return out;
    }

    private static BigInteger amount(String text) {
        return Uint256.parse("amount", text);
    }
}

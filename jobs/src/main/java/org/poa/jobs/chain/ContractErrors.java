package org.poa.jobs.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Turns revert data into a line a person can act on: the custom errors of our contracts' ABIs
 * (distributor, token, and the OpenZeppelin errors they inherit) with their arguments, plus
 * Solidity's {@code Error(string)} and {@code Panic(uint256)}.
 */
public final class ContractErrors {

    private record ErrorAbi(String name, List<String> names, List<String> types) {
    }

    private static final Map<String, ErrorAbi> BY_SELECTOR = load(List.of("EpochRewardsDistributor", "DemoToken"));

    private ContractErrors() {
    }

    /** "EpochOutOfOrder(expected=3, given=5)" for known errors; the raw data otherwise. */
    public static String describe(String revertData) {
        if (revertData == null) {
            return "no revert reason";
        }
        String data = revertData.strip().replace("\"", "");
        if (!data.startsWith("0x") || data.length() < 10) {
            return data.isEmpty() || data.equals("0x") ? "no revert reason" : data;
        }
        String selector = data.substring(0, 10).toLowerCase(java.util.Locale.ROOT);
        ErrorAbi error = BY_SELECTOR.get(selector);
        if (error == null) {
            return "unknown error " + data;
        }
        List<TypeReference<Type>> outputs = new ArrayList<>();
        for (String type : error.types()) {
            try {
                outputs.add(TypeReference.makeTypeReference(type));
            } catch (ClassNotFoundException e) {
                return error.name() + " " + data;
            }
        }
        List<Type> values = FunctionReturnDecoder.decode("0x" + data.substring(10), asTypes(outputs));
        StringBuilder out = new StringBuilder(error.name()).append('(');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            String name = error.names().get(i);
            if (!name.isEmpty()) {
                out.append(name).append('=');
            }
            Object v = values.get(i).getValue();
            out.append(v instanceof byte[] b ? Numeric.toHexString(b) : String.valueOf(v));
        }
        return out.append(')').toString();
    }

    /** The revert data in a JSON-RPC error's {@code data} field (a hex string, or an object holding one). */
    public static String dataOf(org.web3j.protocol.core.Response.Error error) {
        Object data = error.getData();
        if (data == null) {
            return null;
        }
        String text = String.valueOf(data).replace("\"", "").strip();
        int hex = text.indexOf("0x");
        return hex >= 0 ? text.substring(hex).split("[^0-9a-fA-Fx]")[0] : text;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<TypeReference<Type>> asTypes(List<TypeReference<Type>> refs) {
        return (List) refs;
    }

    private static Map<String, ErrorAbi> load(List<String> contracts) {
        Map<String, ErrorAbi> errors = new HashMap<>();
        errors.put(selector("Error(string)"), new ErrorAbi("Error", List.of(""), List.of("string")));
        errors.put(selector("Panic(uint256)"), new ErrorAbi("Panic", List.of("code"), List.of("uint256")));
        ObjectMapper json = new ObjectMapper();
        for (String contract : contracts) {
            try (InputStream in = ContractArtifacts.open(contract + ".abi")) {
                for (JsonNode item : json.readTree(in)) {
                    if (!"error".equals(item.path("type").asText())) {
                        continue;
                    }
                    List<String> names = new ArrayList<>();
                    List<String> types = new ArrayList<>();
                    for (JsonNode input : item.path("inputs")) {
                        names.add(input.path("name").asText());
                        types.add(input.path("type").asText());
                    }
                    String signature = item.path("name").asText() + "(" + String.join(",", types) + ")";
                    errors.put(selector(signature), new ErrorAbi(item.path("name").asText(), names, types));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading the ABI of " + contract + ": " + e.getMessage(), e);
            }
        }
        return errors;
    }

    private static String selector(String signature) {
        return Numeric.toHexString(Hash.sha3(signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).substring(0, 10);
    }

}

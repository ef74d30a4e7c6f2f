package org.poa.core.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON reader of ingestion: exact numbers, duplicate keys refused. */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** One JSON object, or MALFORMED_JSON. */
    public static JsonNode parseObject(String text) throws Rejection {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            throw new Rejection(Reason.MALFORMED_JSON, message == null ? "unparseable" : firstLine(message));
        }
        if (node == null || !node.isObject()) {
            throw new Rejection(Reason.MALFORMED_JSON, "not a JSON object");
        }
        return node;
    }

    /** A nested value as it is, or parsed from text when a CSV cell carries it as JSON. */
    static JsonNode embedded(JsonNode value) throws Rejection {
        if (value.isTextual()) {
            String text = value.asText().trim();
            if (text.startsWith("{") || text.startsWith("[")) {
                try {
                    return MAPPER.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new Rejection(Reason.MALFORMED_JSON, "embedded JSON does not parse: " + firstLine(e.getOriginalMessage()));
                }
            }
        }
        return value;
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}

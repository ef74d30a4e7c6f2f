package org.poa.core.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of one input record's fields, each failing with the reason code of DESIGN.md's
 * rules. Records come from JSON Lines as they are, and from CSV and Parquet converted to the same
 * JSON shape, so every format is validated by the same code.
 */
public final class Fields {

    private final JsonNode record;

    public Fields(JsonNode record) {
        this.record = record;
    }

    private JsonNode present(String name) throws Rejection {
        JsonNode value = record.get(name);
        if (value == null || value.isNull()) {
            throw new Rejection(Reason.MISSING_FIELD, name + " is required");
        }
        return value;
    }

    private boolean absent(String name) {
        JsonNode value = record.get(name);
        return value == null || value.isNull();
    }

    /** A required non-blank string. */
    public String string(String name) throws Rejection {
        JsonNode value = present(name);
        if (!value.isTextual()) {
            throw new Rejection(Reason.WRONG_TYPE, name + " must be a string");
        }
        if (value.asText().isBlank()) {
            throw new Rejection(Reason.MISSING_FIELD, name + " is blank");
        }
        return value.asText();
    }

    /** A required string that may be empty (prompts, outputs). */
    public String text(String name) throws Rejection {
        JsonNode value = present(name);
        if (!value.isTextual()) {
            throw new Rejection(Reason.WRONG_TYPE, name + " must be a string");
        }
        return value.asText();
    }

    /** An optional JSON object: null when absent. */
    public Fields optionalObject(String name) throws Rejection {
        return absent(name) ? null : object(name);
    }

    /** The field names of this object, in input order. */
    public java.util.List<String> names() {
        java.util.List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** An optional string: null when absent, null or empty. */
    public String optionalString(String name) throws Rejection {
        if (absent(name)) {
            return null;
        }
        JsonNode value = record.get(name);
        if (!value.isTextual()) {
            throw new Rejection(Reason.WRONG_TYPE, name + " must be a string");
        }
        return value.asText().isEmpty() ? null : value.asText();
    }

    public String address(String name) throws Rejection {
        JsonNode value = present(name);
        if (!value.isTextual()) {
            throw new Rejection(Reason.WRONG_TYPE, name + " must be an address string");
        }
        return Addresses.canonical(name, value.asText());
    }

    /** An address that may be paid (a contributor, validator, developer or owner): never the zero address. */
    public String payee(String name) throws Rejection {
        return Addresses.payee(name, address(name));
    }

    /**
     * A required identifier that other rows refer to and that may become part of a file name: 1 to
     * {@link Identifiers#MAX_LENGTH} letters, digits, '.', '_' or '-', starting with a letter or digit.
     */
    public String identifier(String name) throws Rejection {
        return Identifiers.check(name, string(name));
    }

    /** Wei: a decimal string, or an exact JSON integer (what Parquet decimals become). */
    public BigDecimal wei(String name) throws Rejection {
        return weiOf(name, present(name));
    }

    static BigDecimal weiOf(String name, JsonNode value) throws Rejection {
        if (value.isTextual()) {
            return Wei.parse(name, value.asText());
        }
        if (value.isIntegralNumber()) {
            return Wei.parse(name, value.bigIntegerValue().toString());
        }
        if (value.isBigDecimal() && isWhole(value.decimalValue())) {
            BigDecimal d = value.decimalValue().stripTrailingZeros();
            if (d.signum() < 0) {
                throw new Rejection(Reason.BAD_WEI, name + " must not be negative");
            }
            // 1e200000 is whole but must not be expanded to 200,001 digits.
            if (d.precision() - d.scale() > 38) {
                throw new Rejection(Reason.WEI_OUT_OF_RANGE, name + " is not below 10^38");
            }
            return Wei.parse(name, d.toBigInteger().toString());
        }
        throw new Rejection(Reason.BAD_WEI, name + " must be a decimal string of wei");
    }

    private static boolean isWhole(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    public Instant timestamp(String name) throws Rejection {
        JsonNode value = present(name);
        if (!value.isTextual()) {
            throw new Rejection(Reason.WRONG_TYPE, name + " must be an ISO-8601 string");
        }
        return parseUtc(name, value.asText());
    }

    static Instant parseUtc(String name, String text) throws Rejection {
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (!parsed.getOffset().equals(ZoneOffset.UTC)) {
                throw new Rejection(Reason.BAD_TIMESTAMP, name + ": '" + text + "' is not in UTC");
            }
            return parsed.toInstant();
        } catch (DateTimeParseException e) {
            throw new Rejection(Reason.BAD_TIMESTAMP, name + ": '" + Addresses.abbreviate(text) + "' is not ISO-8601");
        }
    }

    public boolean bool(String name) throws Rejection {
        JsonNode value = present(name);
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
            return Boolean.parseBoolean(value.asText());
        }
        throw new Rejection(Reason.WRONG_TYPE, name + " must be true or false");
    }

    /** An optional integer; {@code fallback} when absent. */
    public int integer(String name, int fallback) throws Rejection {
        if (absent(name)) {
            return fallback;
        }
        JsonNode value = record.get(name);
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isTextual() && value.asText().matches("-?[0-9]{1,9}")) {
            return Integer.parseInt(value.asText());
        }
        throw new Rejection(Reason.WRONG_TYPE, name + " must be an integer");
    }

    /** The most significant digits a decimal field may have, and the largest power of ten it may reach. */
    public static final int MAX_DECIMAL_DIGITS = 40;

    /**
     * An optional number, read exactly; {@code fallback} when absent. Its magnitude is bounded before
     * anyone expands it: at most {@link #MAX_DECIMAL_DIGITS} significant digits, between
     * 10^-MAX and 10^MAX (zero aside). "1e999999999" is a valid JSON number of 11 characters whose
     * plain form has a billion digits: printing it in a message or rescaling it would exhaust the heap.
     */
    public BigDecimal decimal(String name, BigDecimal fallback) throws Rejection {
        if (absent(name)) {
            return fallback;
        }
        JsonNode value = record.get(name);
        BigDecimal number = null;
        if (value.isNumber()) {
            number = value.decimalValue();
        } else if (value.isTextual()) {
            try {
                number = new BigDecimal(value.asText());
            } catch (NumberFormatException e) {
                // the rejection below
            }
        }
        if (number == null) {
            throw new Rejection(Reason.WRONG_TYPE, name + " must be a number");
        }
        return bounded(name, number);
    }

    static BigDecimal bounded(String name, BigDecimal number) throws Rejection {
        if (number.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long exponent = (long) number.precision() - number.scale() - 1;
        if (number.precision() > MAX_DECIMAL_DIGITS || Math.abs(exponent) > MAX_DECIMAL_DIGITS) {
            throw new Rejection(Reason.BAD_VALUE, name + ": " + Addresses.abbreviate(number.toString())
                    + " is out of range (at most " + MAX_DECIMAL_DIGITS + " digits, between 1e-" + MAX_DECIMAL_DIGITS
                    + " and 1e" + MAX_DECIMAL_DIGITS + ")");
        }
        return number;
    }

    /** A required non-empty array of finite numbers (at most {@code max}), as floats; CSV cells may hold it as JSON text. */
    public float[] floats(String name, int max) throws Rejection {
        JsonNode value = Json.embedded(present(name));
        if (!value.isArray() || value.isEmpty()) {
            throw new Rejection(Reason.WRONG_TYPE, name + " must be a non-empty array of numbers");
        }
        if (value.size() > max) {
            throw new Rejection(Reason.BAD_VALUE, name + " has " + value.size() + " numbers, more than " + max);
        }
        float[] out = new float[value.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode item = value.get(i);
            if (!item.isNumber() || !Float.isFinite(item.floatValue())) {
                throw new Rejection(Reason.BAD_VALUE, name + "[" + i + "] is not a finite number");
            }
            out[i] = item.floatValue();
        }
        return out;
    }

    /** A required number, string, or array of numbers, as text (an array joined with commas). */
    public String scalarText(String name) throws Rejection {
        JsonNode value = present(name);
        if (value.isNumber() || value.isTextual()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<String> items = new java.util.ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isNumber()) {
                    throw new Rejection(Reason.WRONG_TYPE, name + " must be a number, a string or an array of numbers");
                }
                items.add(item.asText());
            }
            return String.join(",", items);
        }
        throw new Rejection(Reason.WRONG_TYPE, name + " must be a number, a string or an array of numbers");
    }

    /** A required JSON object; CSV cells may hold it as JSON text. */
    public Fields object(String name) throws Rejection {
        JsonNode value = Json.embedded(present(name));
        if (!value.isObject()) {
            throw new Rejection(Reason.WRONG_TYPE, name + " must be an object");
        }
        return new Fields(value);
    }

    /** A required array of non-blank strings; CSV cells may hold it as JSON text. */
    public List<String> stringList(String name) throws Rejection {
        JsonNode value = Json.embedded(present(name));
        if (!value.isArray()) {
            throw new Rejection(Reason.WRONG_TYPE, name + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new Rejection(Reason.WRONG_TYPE, name + " must be an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }
}

package org.poa.core.validate;

/**
 * Why an input row did not become a table row. The codes are a public interface: they are what
 * {@code quarantine.reason} holds and docs/ingestion.md lists them. Never rename one.
 */
public enum Reason {
    INVALID_UTF8("the line is not valid UTF-8"),
    LINE_TOO_LONG("the line or record is longer than the maximum record size; only its start is kept"),
    MALFORMED_JSON("the line is not one JSON object"),
    MALFORMED_CSV("the CSV line does not parse or has the wrong number of cells"),
    MISSING_FIELD("a required field is absent or null"),
    WRONG_TYPE("a field has the wrong JSON type"),
    BAD_ADDRESS("an address is not 0x followed by 40 hex digits"),
    BAD_CHECKSUM("a mixed-case address fails its EIP-55 checksum"),
    ZERO_ADDRESS("an address to be paid is the zero address, whose rewards nobody could claim"),
    BAD_WEI("a wei amount is not a non-negative integer written in decimal"),
    WEI_OUT_OF_RANGE("a wei amount is 10^38 or more"),
    BAD_TIMESTAMP("a timestamp is not ISO-8601 in UTC"),
    BAD_VALUE("a field is outside its allowed values"),
    BAD_ID("an id is not 1 to 64 letters, digits, '.', '_' or '-' starting with a letter or digit"),
    BAD_SPLIT("split_bps parts are not non-negative integers summing to 10000"),
    EMPTY_CONTENT("the content has no letters or digits"),
    CONTENT_TOO_LARGE("the content is larger than the configured maximum"),
    UNKNOWN_DATANET("the datanet id is not in the datanets table"),
    UNKNOWN_MODEL("the model id is not in the models table"),
    UNKNOWN_CONTRIBUTION("the contribution id is not in the contributions table"),
    BEFORE_GENESIS("the timestamp is before the first epoch"),
    CONFLICTING_DUPLICATE("the same key appears earlier in the input with other values"),
    CONFLICTS_EXISTING("the key is already in the table with other values"),
    DUPLICATE_CONTENT("an earlier submission holds the same normalized content (a duplicate: earns nothing)");

    private final String description;

    Reason(String description) {
        this.description = description;
    }

    /** The code stored in {@code quarantine.reason}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public String description() {
        return description;
    }

    /** Duplicates are recorded in the quarantine table but counted as duplicates, not rejections. */
    public boolean isDuplicate() {
        return this == DUPLICATE_CONTENT;
    }
}

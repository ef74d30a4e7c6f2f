package org.poa.lakehouse.spark;

import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * {@code to_json} with timestamps to the microsecond (Spark's default stops at milliseconds), used
 * wherever JSON text of rows is compared or kept, so that two values differing by 1 µs never look equal.
 */
public final class JsonText {

    private static final Map<String, String> OPTIONS = Map.of(
            "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
            // Timestamps without a zone are read as UTC, as every time of the data contract is.
            "timestampNTZFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private JsonText() {
    }

    public static Column of(Column column) {
        return functions.to_json(column, OPTIONS);
    }
}

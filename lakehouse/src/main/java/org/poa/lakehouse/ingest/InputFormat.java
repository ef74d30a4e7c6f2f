package org.poa.lakehouse.ingest;

import java.util.Locale;

/** Input file formats, chosen by file extension. */
public enum InputFormat {
    JSONL, CSV, PARQUET;

    /** The format of a file name, or null when the extension is not one of ours. */
    public static InputFormat of(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return JSONL;
        }
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".parquet")) {
            return PARQUET;
        }
        return null;
    }
}

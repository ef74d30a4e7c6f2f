package org.poa.lakehouse.catalog;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * One lakehouse table: its name (also the folder under the lakehouse root and the SQL view name),
 * its schema, its partition columns, its key columns, and the schema version. Bump the version
 * when the schema changes; {@link Lakehouse#ensure} migrates older tables by adding the new columns.
 */
public record TableDef(String name, StructType schema, List<String> partitionBy, List<String> keys,
                       int schemaVersion, String description) {

    public TableDef {
        partitionBy = List.copyOf(partitionBy);
        keys = List.copyOf(keys);
        for (String column : partitionBy) {
            schema.apply(column);
        }
        for (String column : keys) {
            schema.apply(column);
        }
    }

    /** Columns that say which input file and line a row came from, not what it is. */
    public static final List<String> PROVENANCE = List.of("source_file", "source_line");

    /** The column names in schema order. */
    public List<String> columns() {
        return List.of(schema.fieldNames());
    }

    /** The columns that describe the row itself: all but {@link #PROVENANCE}, in schema order. */
    public List<String> content() {
        return columns().stream().filter(c -> !PROVENANCE.contains(c)).toList();
    }

    /** The content columns that are not keys: what two rows with the same key are compared on. */
    public List<String> values() {
        return content().stream().filter(c -> !keys.contains(c)).toList();
    }
}

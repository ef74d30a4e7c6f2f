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

    /** The column names in schema order. */
    public List<String> columns() {
        return List.of(schema.fieldNames());
    }
}

package org.poa.lakehouse.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.SparkTestBase;

/** The keyed writes: new keys only, replaced rows, and no table version for a write that changes nothing. */
class TableWritesTest extends SparkTestBase {

    static Row datanet(String id, String name) {
        return RowFactory.create(id, name, "0xowner", RowFactory.create(true, false), 3, new BigDecimal("0.500000000000000000"),
                "in.jsonl", 1L);
    }

    Dataset<Row> frame(Row... rows) {
        return spark.createDataFrame(List.of(rows), Tables.DATANETS.schema());
    }

    List<String> stored(Lakehouse lakehouse) {
        return lakehouse.read(Tables.DATANETS).orderBy("datanet_id").collectAsList().stream()
                .map(r -> r.getString(0) + "=" + r.getString(1)).collect(Collectors.toList());
    }

    @Test
    void insertNewAddsOnlyNewKeysAndCommitsNothingWhenNoneIsNew() {
        Lakehouse lakehouse = newLakehouse("insert-new");
        assertTrue(TableWrites.insertNew(lakehouse, Tables.DATANETS, frame(datanet("a", "first"), datanet("b", "first"))));
        long version = lakehouse.version(Tables.DATANETS);
        // Known keys with other values: kept as stored, nothing committed.
        assertFalse(TableWrites.insertNew(lakehouse, Tables.DATANETS, frame(datanet("a", "second"), datanet("b", "second"))));
        assertEquals(version, lakehouse.version(Tables.DATANETS));
        assertFalse(TableWrites.insertNew(lakehouse, Tables.DATANETS, frame()));
        assertEquals(version, lakehouse.version(Tables.DATANETS));
        // One new key among known ones: only it goes in, in one commit.
        assertTrue(TableWrites.insertNew(lakehouse, Tables.DATANETS, frame(datanet("a", "third"), datanet("c", "third"))));
        assertEquals(version + 1, lakehouse.version(Tables.DATANETS));
        assertEquals(List.of("a=first", "b=first", "c=third"), stored(lakehouse));
    }

    @Test
    void upsertReplacesKnownKeysAndCommitsNothingForNoRows() {
        Lakehouse lakehouse = newLakehouse("upsert");
        assertTrue(TableWrites.upsert(lakehouse, Tables.DATANETS, frame(datanet("a", "first"), datanet("b", "first"))));
        long version = lakehouse.version(Tables.DATANETS);
        assertFalse(TableWrites.upsert(lakehouse, Tables.DATANETS, frame()));
        assertEquals(version, lakehouse.version(Tables.DATANETS));
        assertTrue(TableWrites.upsert(lakehouse, Tables.DATANETS, frame(datanet("b", "second"), datanet("c", "second"))));
        assertEquals(version + 1, lakehouse.version(Tables.DATANETS));
        assertEquals(List.of("a=first", "b=second", "c=second"), stored(lakehouse));
    }
}

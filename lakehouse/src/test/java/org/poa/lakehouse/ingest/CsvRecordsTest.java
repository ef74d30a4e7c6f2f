package org.poa.lakehouse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.ingest.parse.ModelParser;
import org.poa.core.validate.Fields;
import org.poa.core.validate.Json;

/** CSV lines become the same JSON objects as JSON Lines, nested fields included. */
class CsvRecordsTest {

    static final List<String> HEADER = List.of("model_id", "developer", "kind", "datanets", "license");

    @Test
    void nestedFieldsTravelAsJsonText() throws Exception {
        String line = "m1,0x1111111111111111111111111111111111111111,lm,\"[\"\"d1\"\",\"\"d2\"\"]\","
                + "\"{\"\"fee_per_call_wei\"\":\"\"100\"\",\"\"allowed_uses\"\":[\"\"research\"\"],"
                + "\"\"split_bps\"\":{\"\"protocol\"\":0,\"\"developer\"\":0,\"\"validators\"\":0,\"\"data\"\":10000}}\"";
        Row record = SourceReader.lineRecord("file:/m.csv", 2, line.getBytes(StandardCharsets.UTF_8), HEADER);
        assertNull(record.get(4), "no read-level reason");
        Object[] values = new ModelParser().parse(new Fields(Json.parseObject(record.getString(3))));
        assertEquals("m1", values[0]);
        assertEquals(List.of("d1", "d2"), scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) values[4]));
        Row license = (Row) values[5];
        assertEquals(new BigDecimal(100), license.get(0));
        assertEquals(10000, ((Row) license.get(2)).getInt(3));
    }

    @Test
    void brokenLinesKeepTheirNumberAndText() {
        Row unbalanced = SourceReader.lineRecord("file:/m.csv", 7, "m1,\"open".getBytes(StandardCharsets.UTF_8), HEADER);
        assertEquals(7L, unbalanced.getLong(1));
        assertEquals("m1,\"open", unbalanced.getString(2));
        assertEquals("malformed_csv", unbalanced.getString(4));
        Row shortLine = SourceReader.lineRecord("file:/m.csv", 8, "a,b".getBytes(StandardCharsets.UTF_8), HEADER);
        assertEquals("2 cells, header has 5", shortLine.getString(5));
        assertNull(SourceReader.lineRecord("file:/m.csv", 1, "model_id,developer".getBytes(StandardCharsets.UTF_8), HEADER),
                "the header line is not a record");
        assertNull(SourceReader.lineRecord("file:/m.jsonl", 3, "   ".getBytes(StandardCharsets.UTF_8), null),
                "blank lines are not records");
    }

    @Test
    void splitsQuotedCells() {
        assertEquals(List.of("a", "b,c", "say \"hi\"", ""), CsvLine.split("a,\"b,c\",\"say \"\"hi\"\"\","));
        assertNull(CsvLine.split("a,b\"c\""));
        assertNull(CsvLine.split("\"a\"b"));
    }
}

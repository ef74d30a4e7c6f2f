package org.poa.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import scala.collection.Iterable;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Rows collected for a page, as JSON objects keyed by column name. Wei amounts (DECIMAL) become
 * decimal strings, never JSON numbers: a page's script would read them as doubles and lose wei,
 * while the test that reads the page's data back compares them exactly with the tables.
 */
final class JsonRows {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private JsonRows() {
    }

    static ArrayNode of(List<Row> rows) {
        ArrayNode out = JSON.arrayNode();
        rows.forEach(r -> out.add(of(r)));
        return out;
    }

    static ObjectNode of(Row row) {
        ObjectNode o = JSON.objectNode();
        String[] names = row.schema().fieldNames();
        for (int i = 0; i < names.length; i++) {
            o.set(names[i], value(row.get(i)));
        }
        return o;
    }

    static JsonNode value(Object v) {
        if (v == null) {
            return JSON.nullNode();
        } else if (v instanceof String s) {
            return JSON.textNode(s);
        } else if (v instanceof BigDecimal d) {
            return JSON.textNode(d.toPlainString());
        } else if (v instanceof Long l) {
            return JSON.numberNode(l);
        } else if (v instanceof Integer n) {
            return JSON.numberNode(n);
        } else if (v instanceof Double d) {
            return JSON.numberNode(d);
        } else if (v instanceof Boolean b) {
            return JSON.booleanNode(b);
        } else if (v instanceof Timestamp t) {
            return JSON.textNode(t.toInstant().toString());
        } else if (v instanceof Row r) {
            return of(r);
        } else if (v instanceof scala.collection.Map<?, ?> m) {
            ObjectNode o = JSON.objectNode();
            new java.util.TreeMap<>(CollectionConverters.asJava(m)).forEach((k, x) -> o.set(String.valueOf(k), value(x)));
            return o;
        } else if (v instanceof Map<?, ?> m) {
            ObjectNode o = JSON.objectNode();
            new java.util.TreeMap<>(m).forEach((k, x) -> o.set(String.valueOf(k), value(x)));
            return o;
        } else if (v instanceof Iterable<?> seq) {
            ArrayNode a = JSON.arrayNode();
            CollectionConverters.asJava(seq).forEach(x -> a.add(value(x)));
            return a;
        } else if (v instanceof java.util.Collection<?> list) {
            ArrayNode a = JSON.arrayNode();
            list.forEach(x -> a.add(value(x)));
            return a;
        }
        return JSON.textNode(v.toString());
    }
}

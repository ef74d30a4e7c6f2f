package org.poa.lakehouse.ingest.parse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.core.validate.Fields;
import org.poa.core.validate.Json;
import org.poa.core.validate.Reason;
import org.poa.core.validate.Rejection;

/**
 * Runs a {@link RecordParser} over the rows the ingest step reads (one per record, with its file, line and raw text): each
 * row comes out with its table values filled, or with a reason and detail and the values null.
 */
public final class RecordParsing {

    /** The columns every parsed row starts with. */
    public static final List<String> META = List.of("source_file", "source_line", "raw", "reason", "detail");

    private RecordParsing() {
    }

    /** META columns, then the table's value columns (all nullable: rejected rows have none). */
    public static StructType schema(RecordParser parser) {
        StructType schema = new StructType()
                .add("source_file", DataTypes.StringType, false)
                .add("source_line", DataTypes.LongType, false)
                .add("raw", DataTypes.StringType, false)
                .add("reason", DataTypes.StringType, true)
                .add("detail", DataTypes.StringType, true);
        for (StructField field : valueFields(parser)) {
            schema = schema.add(field.name(), field.dataType(), true);
        }
        return schema;
    }

    /** The table columns a parser fills. */
    public static List<StructField> valueFields(RecordParser parser) {
        List<StructField> fields = new ArrayList<>();
        for (StructField field : parser.table().schema().fields()) {
            if (!TableDef.PROVENANCE.contains(field.name())) {
                fields.add(field);
            }
        }
        return fields;
    }

    public static Dataset<Row> parse(Dataset<Row> source, RecordParser parser) {
        StructType schema = schema(parser);
        int values = valueFields(parser).size();
        MapPartitionsFunction<Row, Row> function = rows -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                return parseOne(rows.next(), parser, values);
            }
        };
        return source.mapPartitions(function, Encoders.row(schema));
    }

    static Row parseOne(Row in, RecordParser parser, int values) {
        Object[] out = new Object[META.size() + values];
        out[0] = in.getString(0);
        out[1] = in.getLong(1);
        out[2] = in.getString(2);
        if (!in.isNullAt(4)) {
            out[3] = in.getString(4);
            out[4] = in.getString(5);
            return RowFactory.create(out);
        }
        try {
            Object[] parsed = parser.parse(new Fields(Json.parseObject(in.getString(3))));
            System.arraycopy(parsed, 0, out, META.size(), values);
        } catch (Rejection rejection) {
            out[3] = rejection.reason().code();
            out[4] = rejection.detail();
        } catch (RuntimeException unexpected) {
            // A value no rule foresaw must cost one row, not the whole run.
            out[3] = Reason.BAD_VALUE.code();
            out[4] = "unreadable value: " + unexpected.getClass().getSimpleName() + ": " + unexpected.getMessage();
        }
        return RowFactory.create(out);
    }
}

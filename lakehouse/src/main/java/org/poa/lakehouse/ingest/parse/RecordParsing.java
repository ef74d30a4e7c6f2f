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

    /** How much of a too-long record the quarantine keeps. */
    public static final int KEPT_CHARS = 1024;

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

    /**
     * Parses every row of {@code source}; a record longer than {@code maxRecordChars} is not parsed
     * but quarantined as LINE_TOO_LONG with its first {@link #KEPT_CHARS} characters.
     */
    public static Dataset<Row> parse(Dataset<Row> source, RecordParser parser, int maxRecordChars) {
        StructType schema = schema(parser);
        int values = valueFields(parser).size();
        MapPartitionsFunction<Row, Row> function = rows -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                return parseOne(rows.next(), parser, values, maxRecordChars);
            }
        };
        return source.mapPartitions(function, Encoders.row(schema));
    }

    static Row parseOne(Row in, RecordParser parser, int values, int maxRecordChars) {
        Object[] out = new Object[META.size() + values];
        out[0] = in.getString(0);
        out[1] = in.getLong(1);
        out[2] = in.getString(2);
        String raw = in.getString(2);
        if (raw.length() > maxRecordChars) {
            // The quarantine keeps the start, enough to find the line; the file keeps the rest.
            out[2] = raw.substring(0, Character.isHighSurrogate(raw.charAt(KEPT_CHARS - 1)) ? KEPT_CHARS - 1 : KEPT_CHARS);
            out[3] = Reason.LINE_TOO_LONG.code();
            out[4] = "a record of " + raw.length() + " characters, more than the " + maxRecordChars
                    + " allowed; its first " + KEPT_CHARS + " are kept";
            return RowFactory.create(out);
        }
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
        } catch (OutOfMemoryError | StackOverflowError tooBig) {
            // Bounded fields and Jackson's read limits should make this unreachable; if a value still
            // blows up while parsing, the garbage is this row's alone (nothing else is held), so the
            // row is quarantined and the run goes on instead of dying with advice about memory.
            out[3] = Reason.BAD_VALUE.code();
            out[4] = "a value too large to read (" + tooBig.getClass().getSimpleName() + ")";
        }
        return RowFactory.create(out);
    }
}

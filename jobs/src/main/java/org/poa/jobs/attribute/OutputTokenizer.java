package org.poa.jobs.attribute;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.poa.core.text.TextNormalizer;

/**
 * Normalizes each output of a partition (rows: inference_id, output) once, for every shard of the
 * index to match: its tokens joined by single spaces, as UTF-8 bytes (each shard pass reads them as
 * they are stored, with no string to decode), and how many there are.
 */
final class OutputTokenizer implements MapPartitionsFunction<Row, Row> {

    static final StructType TOKENIZED = new StructType()
            .add("inference_id", DataTypes.StringType, false)
            .add("tokens", DataTypes.IntegerType, false)
            .add("joined", DataTypes.BinaryType, false);

    @Override
    public Iterator<Row> call(Iterator<Row> outputs) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return outputs.hasNext();
            }

            @Override
            public Row next() {
                Row row = outputs.next();
                var tokens = TextNormalizer.tokens(row.getString(1));
                return RowFactory.create(row.getString(0), tokens.size(), String.join(" ", tokens).getBytes(StandardCharsets.UTF_8));
            }
        };
    }
}

package org.poa.lakehouse.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.poa.lakehouse.ingest.InputFiles.InputFile;
import org.poa.lakehouse.spark.Columns;
import org.poa.lakehouse.spark.JsonText;
import org.poa.core.validate.Json;
import org.poa.core.validate.Reason;

/**
 * Reads input files into one row per input record: where it came from (file and 1-based line, or
 * row number for Parquet), its raw text for the quarantine, and the JSON object text the validators
 * read; or the reason it could not even be read (invalid UTF-8, a broken CSV line). Blank lines are
 * not records.
 */
public final class SourceReader {

    /** source_file, source_line, raw, json (null when unreadable), reason, detail. */
    public static final StructType SCHEMA = new StructType()
            .add("source_file", DataTypes.StringType, false)
            .add("source_line", DataTypes.LongType, false)
            .add("raw", DataTypes.StringType, false)
            .add("json", DataTypes.StringType, true)
            .add("reason", DataTypes.StringType, true)
            .add("detail", DataTypes.StringType, true);

    private SourceReader() {
    }

    public static Dataset<Row> read(SparkSession spark, List<InputFile> files) {
        Dataset<Row> all = null;
        for (InputFile file : files) {
            Dataset<Row> one = switch (file.format()) {
                case JSONL -> textLines(spark, file.path(), null);
                case CSV -> textLines(spark, file.path(), csvHeader(spark, file.path()));
                case PARQUET -> parquet(spark, file.path());
            };
            all = all == null ? one : all.unionByName(one);
        }
        return all;
    }

    private static Dataset<Row> textLines(SparkSession spark, String path, List<String> csvHeader) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<byte[]> lines = jsc.hadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class)
                .map(pair -> Arrays.copyOf(pair._2().getBytes(), pair._2().getLength()));
        JavaRDD<Row> rows = lines.zipWithIndex()
                .map(pair -> lineRecord(path, pair._2() + 1, pair._1(), csvHeader))
                .filter(row -> row != null);
        return spark.createDataFrame(rows, SCHEMA);
    }

    static Row lineRecord(String source, long lineNo, byte[] bytes, List<String> csvHeader) {
        int offset = 0;
        if (lineNo == 1 && bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF) {
            offset = 3; // a UTF-8 byte order mark
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString();
        } catch (CharacterCodingException e) {
            String lenient = new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_8);
            return RowFactory.create(source, lineNo, lenient, null, Reason.INVALID_UTF8.code(),
                    "bytes that are not UTF-8 (shown as U+FFFD)");
        }
        if (text.isBlank()) {
            return null;
        }
        if (csvHeader == null) {
            return RowFactory.create(source, lineNo, text, text, null, null);
        }
        if (lineNo == 1) {
            return null; // the header
        }
        List<String> cells = CsvLine.split(text);
        if (cells == null) {
            return RowFactory.create(source, lineNo, text, null, Reason.MALFORMED_CSV.code(), "unbalanced quotes");
        }
        if (cells.size() != csvHeader.size()) {
            return RowFactory.create(source, lineNo, text, null, Reason.MALFORMED_CSV.code(),
                    cells.size() + " cells, header has " + csvHeader.size());
        }
        ObjectNode object = Json.MAPPER.createObjectNode();
        for (int i = 0; i < cells.size(); i++) {
            if (!cells.get(i).isEmpty()) {
                object.put(csvHeader.get(i), cells.get(i));
            }
        }
        return RowFactory.create(source, lineNo, text, object.toString(), null, null);
    }

    private static List<String> csvHeader(SparkSession spark, String path) {
        Path file = new Path(path);
        try {
            FileSystem fs = file.getFileSystem(spark.sessionState().newHadoopConf());
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
                String header = reader.readLine();
                if (header == null) {
                    throw new IllegalArgumentException("CSV file " + path + " is empty: it needs a header line");
                }
                if (header.startsWith("\uFEFF")) {
                    header = header.substring(1);
                }
                List<String> cells = CsvLine.split(header);
                if (cells == null || cells.stream().anyMatch(String::isBlank)) {
                    throw new IllegalArgumentException("CSV file " + path + " has a malformed header line");
                }
                return new ArrayList<>(cells.stream().map(String::trim).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Dataset<Row> parquet(SparkSession spark, String path) {
        Dataset<Row> rows = spark.read().parquet(path);
        Column[] columns = Columns.of(rows.columns());
        Column json = JsonText.of(struct(columns));
        return rows.select(
                lit(path).as("source_file"),
                col("_metadata.row_index").plus(1).cast(DataTypes.LongType).as("source_line"),
                json.as("raw"),
                json.as("json"),
                lit(null).cast(DataTypes.StringType).as("reason"),
                lit(null).cast(DataTypes.StringType).as("detail"));
    }
}

package org.poa.jobs.attribute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;
import org.poa.attribution.ngram.OutputTokens;
import org.poa.attribution.ngram.Span;
import org.poa.attribution.ngram.SpanIndex;
import org.poa.lakehouse.ingest.parse.SparkValues;

/**
 * One index shard's answers ({@link SpanIndex#find}) for the tokenized outputs of a partition (rows
 * of {@link OutputTokenizer#TOKENIZED}): a row per output the shard has a span for, and from the
 * first shard a row for every output, so that the merge sees each inference even when no shard
 * matches it. The shard is held for the task and given back when it ends.
 */
final class ShardSpanTask implements MapPartitionsFunction<Row, Row> {

    /** A shard's span: its contributions only when at most max_count of them hold it (else count alone). */
    static final StructType SPAN = new StructType()
            .add("start", DataTypes.IntegerType, false)
            .add("end", DataTypes.IntegerType, false)
            .add("length", DataTypes.IntegerType, false)
            .add("contribution_ids", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("count", DataTypes.IntegerType, false);
    static final StructType ANSWER = new StructType()
            .add("inference_id", DataTypes.StringType, false)
            .add("shard", DataTypes.IntegerType, false)
            .add("tokens", DataTypes.IntegerType, false)
            .add("spans", DataTypes.createArrayType(SPAN, false), false);

    private final CorpusSpec shard;
    private final int number;
    private final HadoopSettings settings;
    private final int maxCount;

    ShardSpanTask(CorpusSpec shard, int number, HadoopSettings settings, int maxCount) {
        this.shard = shard;
        this.number = number;
        this.settings = settings;
        this.maxCount = maxCount;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> outputs) {
        if (!outputs.hasNext()) {
            return Collections.emptyIterator();
        }
        SpanIndex index = SpanIndexCache.acquire(shard, settings);
        var task = org.apache.spark.TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> SpanIndexCache.release(shard));
        }
        return new Iterator<>() {
            private Row next;
            private boolean released;

            @Override
            public boolean hasNext() {
                while (next == null && outputs.hasNext()) {
                    Row row = outputs.next();
                    List<Span> spans = index.find(OutputTokens.parse((byte[]) row.get(2)), maxCount);
                    if (!spans.isEmpty() || number == 0) {
                        next = RowFactory.create(row.getString(0), number, row.getInt(1), SparkValues.seq(rows(spans)));
                    }
                }
                if (next == null && task == null && !released) {
                    released = true;
                    SpanIndexCache.release(shard);
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row row = next;
                next = null;
                return row;
            }
        };
    }

    static List<Row> rows(List<Span> spans) {
        List<Row> rows = new ArrayList<>(spans.size());
        for (Span span : spans) {
            rows.add(RowFactory.create(span.start(), span.end(), span.length(), SparkValues.seq(span.contributions()), span.count()));
        }
        return rows;
    }

    /** The spans of rows of {@link #SPAN}. */
    static List<Span> spans(List<Row> rows) {
        List<Span> spans = new ArrayList<>(rows.size());
        for (Row row : rows) {
            spans.add(new Span(row.getInt(0), row.getInt(2), row.getInt(4), row.getList(3)));
        }
        return spans;
    }
}

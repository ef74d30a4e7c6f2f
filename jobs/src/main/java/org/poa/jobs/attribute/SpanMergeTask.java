package org.poa.jobs.attribute;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.poa.attribution.ngram.Credits;
import org.poa.attribution.ngram.Span;
import org.poa.attribution.ngram.SpanMerge;
import org.poa.lakehouse.ingest.parse.SparkValues;

/**
 * Merges the shards' answers for each inference ({@link SpanMerge}) into its kept spans and their
 * credits. Input rows ({@link ShardSpanTask#ANSWER}) arrive with an inference's rows next to each
 * other (sorted by inference, then shard); one row out per inference.
 */
final class SpanMergeTask implements MapPartitionsFunction<Row, Row> {

    static final StructType CREDIT = new StructType()
            .add("contribution_id", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, false)
            .add("weight", DataTypes.DoubleType, false);
    /** Output rows: an inference with its credited spans, its credits, and its too-common spans. */
    static final StructType RESULT = new StructType()
            .add("inference_id", DataTypes.StringType, false)
            .add("tokens", DataTypes.IntegerType, false)
            .add("spans", DataTypes.createArrayType(ShardSpanTask.SPAN, false), false)
            .add("credits", DataTypes.createArrayType(CREDIT, false), false)
            .add("too_common", DataTypes.IntegerType, false);

    private final int maxCount;

    SpanMergeTask(int maxCount) {
        this.maxCount = maxCount;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> answers) {
        return new Iterator<>() {
            private Row pending = answers.hasNext() ? answers.next() : null;

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public Row next() {
                if (pending == null) {
                    throw new NoSuchElementException();
                }
                String inference = pending.getString(0);
                int tokens = pending.getInt(2);
                List<List<Span>> shards = new ArrayList<>();
                while (pending != null && pending.getString(0).equals(inference)) {
                    shards.add(ShardSpanTask.spans(pending.getList(3)));
                    pending = answers.hasNext() ? answers.next() : null;
                }
                return result(inference, tokens, SpanMerge.merge(shards, maxCount));
            }
        };
    }

    private static Row result(String inference, int tokens, List<Span> spans) {
        List<Span> credited = new ArrayList<>();
        int tooCommon = 0;
        for (Span span : spans) {
            if (span.credited()) {
                credited.add(span);
            } else {
                tooCommon++;
            }
        }
        List<Row> credits = new ArrayList<>();
        for (Credits.Credit credit : Credits.of(spans)) {
            credits.add(RowFactory.create(credit.contributionId(), credit.score(), credit.weight()));
        }
        return RowFactory.create(inference, tokens, SparkValues.seq(ShardSpanTask.rows(credited)), SparkValues.seq(credits), tooCommon);
    }
}

package org.poa.jobs.attribute;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.poa.attribution.ngram.Credits;
import org.poa.attribution.ngram.Span;
import org.poa.attribution.ngram.SpanIndex;
import org.poa.core.text.TextNormalizer;
import org.poa.lakehouse.ingest.parse.SparkValues;

/**
 * Finds the spans of each output of a partition (rows: inference_id, output) against the model's
 * corpus and computes the credits, one output at a time: nothing but the index is held.
 */
final class SpanTask implements MapPartitionsFunction<Row, Row> {

    static final StructType SPAN = new StructType()
            .add("start", DataTypes.IntegerType, false)
            .add("end", DataTypes.IntegerType, false)
            .add("length", DataTypes.IntegerType, false)
            .add("contribution_ids", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("count", DataTypes.IntegerType, false);
    static final StructType CREDIT = new StructType()
            .add("contribution_id", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, false)
            .add("weight", DataTypes.DoubleType, false);
    /** Output rows: an inference with its credited spans, its credits, and its too-common spans. */
    static final StructType RESULT = new StructType()
            .add("inference_id", DataTypes.StringType, false)
            .add("tokens", DataTypes.IntegerType, false)
            .add("spans", DataTypes.createArrayType(SPAN, false), false)
            .add("credits", DataTypes.createArrayType(CREDIT, false), false)
            .add("too_common", DataTypes.IntegerType, false);

    private final CorpusSpec corpus;
    private final HadoopSettings settings;
    private final int maxCount;

    SpanTask(CorpusSpec corpus, HadoopSettings settings, int maxCount) {
        this.corpus = corpus;
        this.settings = settings;
        this.maxCount = maxCount;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> outputs) {
        if (!outputs.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        SpanIndex index = SpanIndexCache.get(corpus, settings);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return outputs.hasNext();
            }

            @Override
            public Row next() {
                Row row = outputs.next();
                List<String> tokens = TextNormalizer.tokens(row.getString(1));
                List<Span> spans = index.find(tokens, maxCount);
                List<Row> credited = new ArrayList<>();
                int tooCommon = 0;
                for (Span span : spans) {
                    if (span.credited()) {
                        credited.add(RowFactory.create(span.start(), span.end(), span.length(),
                                SparkValues.seq(span.contributions()), span.count()));
                    } else {
                        tooCommon++;
                    }
                }
                List<Row> credits = new ArrayList<>();
                for (Credits.Credit credit : Credits.of(spans)) {
                    credits.add(RowFactory.create(credit.contributionId(), credit.score(), credit.weight()));
                }
                return RowFactory.create(row.getString(0), tokens.size(), SparkValues.seq(credited),
                        SparkValues.seq(credits), tooCommon);
            }
        };
    }
}

package org.poa.jobs.review;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.poa.core.text.TextNormalizer;

/**
 * The copied-spans signal: for each contribution, the share of its tokens covered by spans of at
 * least {@code minSpan} tokens that occur in an <em>earlier</em> contribution (by
 * {@code submitted_at}) of <em>another</em> contributor, in any datanet, and the earliest such
 * source. Tokens are DESIGN.md's n-gram tokens ({@link TextNormalizer}), so a copy that only
 * changes spelling variants, case or punctuation is still a copy.
 *
 * <p>Exact, by a join on every {@code minSpan}-token window (shingle) of every contribution: a token
 * is covered when some window holding it has such a source. For each window, the earliest holder
 * overall and the earliest holder of another contributor than that one are enough to answer "is
 * there an earlier holder of another contributor than me" for every holder. The n-gram index is
 * not used for this: it answers the longest match anywhere in a model's approved corpus, cut at
 * {@code max_count} holders, where this needs any datanet, any status, and a filter on time and
 * contributor applied before any cut.
 */
final class CopiedSpans {

    static final StructType SHINGLES = new StructType()
            .add("contribution_id", DataTypes.StringType, false)
            .add("position", DataTypes.IntegerType, false)
            .add("shingle", DataTypes.StringType, false);
    static final StructType TOKEN_COUNTS = new StructType()
            .add("contribution_id", DataTypes.StringType, false)
            .add("tokens", DataTypes.IntegerType, false);

    private CopiedSpans() {
    }

    /**
     * Per contribution of {@code candidates} (contribution_id): tokens, copied (tokens covered),
     * share (copied / tokens, 0 for no tokens), source_contribution_id and source_contributor (null
     * when nothing is copied). {@code corpus} holds every possible source and every candidate:
     * contribution_id, contributor, submitted_at, content.
     */
    static Dataset<Row> of(Dataset<Row> corpus, Dataset<Row> candidates, int minSpan) {
        Dataset<Row> holders = corpus.select(col("contribution_id"), lower(col("contributor")).as("holder"),
                col("contributor"), col("submitted_at"), col("content"));
        Dataset<Row> shingles = holders.select("contribution_id", "content")
                .flatMap(shingles(minSpan), Encoders.row(SHINGLES))
                .join(holders.drop("content"), "contribution_id");
        // Per window: the earliest holder, then the earliest holder of another contributor than it.
        WindowSpec byShingle = Window.partitionBy("shingle");
        Column holder = struct(col("submitted_at"), col("contribution_id"), col("holder"), col("contributor"));
        Dataset<Row> sourced = shingles
                .withColumn("first", min(holder).over(byShingle))
                .withColumn("other", min(when(col("holder").notEqual(col("first.holder")), holder)).over(byShingle))
                .withColumn("source", when(col("holder").notEqual(col("first.holder")), col("first")).otherwise(col("other")))
                .where(col("source").isNotNull().and(col("source.submitted_at").lt(col("submitted_at"))));
        Dataset<Row> copied = sourced.groupBy("contribution_id")
                .agg(collect_list(col("position")).as("positions"), min(col("source")).as("source"))
                .select(col("contribution_id"), udf(covered(), DataTypes.IntegerType).apply(col("positions"), lit(minSpan)).as("copied"),
                        col("source.contribution_id").as("source_contribution_id"), col("source.contributor").as("source_contributor"));
        Dataset<Row> counts = corpus.join(candidates.select("contribution_id"), "contribution_id")
                .select("contribution_id", "content").map(tokenCount(), Encoders.row(TOKEN_COUNTS));
        return counts.join(copied, org.poa.lakehouse.spark.Columns.using("contribution_id"), "left")
                .select(col("contribution_id"), col("tokens"), coalesce(col("copied"), lit(0)).as("copied"),
                        when(col("tokens").gt(0), coalesce(col("copied"), lit(0)).divide(col("tokens"))).otherwise(lit(0.0)).as("share"),
                        col("source_contribution_id"), col("source_contributor"));
    }

    /** (contribution_id, content) → one row per window of {@code minSpan} tokens: its start and its tokens. */
    static FlatMapFunction<Row, Row> shingles(int minSpan) {
        return row -> {
            List<String> tokens = TextNormalizer.tokens(row.getString(1));
            List<Row> out = new ArrayList<>(Math.max(0, tokens.size() - minSpan + 1));
            for (int p = 0; p + minSpan <= tokens.size(); p++) {
                // Tokens hold letters and digits only, so a space cannot occur inside one.
                out.add(RowFactory.create(row.getString(0), p, String.join(" ", tokens.subList(p, p + minSpan))));
            }
            return out.iterator();
        };
    }

    static org.apache.spark.api.java.function.MapFunction<Row, Row> tokenCount() {
        return row -> RowFactory.create(row.getString(0), TextNormalizer.tokens(row.getString(1)).size());
    }

    /** Tokens covered by the windows [p, p + span) starting at {@code positions} (any order, repeats allowed). */
    static UDF2<scala.collection.Seq<Integer>, Integer, Integer> covered() {
        return (positions, span) -> {
            int[] starts = new int[positions.size()];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = positions.apply(i);
            }
            return coveredTokens(starts, span);
        };
    }

    static int coveredTokens(int[] starts, int span) {
        int[] sorted = starts.clone();
        java.util.Arrays.sort(sorted);
        int covered = 0;
        int end = Integer.MIN_VALUE;
        for (int p : sorted) {
            int from = Math.max(p, end);
            if (p + span > from) {
                covered += p + span - from;
            }
            end = Math.max(end, p + span);
        }
        return covered;
    }
}

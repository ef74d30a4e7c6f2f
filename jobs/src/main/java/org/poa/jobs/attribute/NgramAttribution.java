package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.sql.types.StructType;
import org.poa.attribution.ngram.NgramParams;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.spark.Columns;
import org.poa.lakehouse.status.ContributionStatus;

/**
 * N-gram span attribution: for every accepted inference of an epoch whose model lists
 * {@code ngram}, the spans of its output against the model's datanets' contributions approved as
 * of the epoch's end (DESIGN.md), and the credits they give. Writes the epoch's
 * {@code attribution_spans}, then its {@code ngram} rows of {@code attributions}.
 */
public final class NgramAttribution implements AttributionMethod {

    public static final String METHOD = "ngram";

    /** What the report says of one model's run beyond the runner's counts. */
    public record Details(int minSpan, int maxCount, long corpusDocuments, long corpusTokens, int shards, long outputTokens, long spans,
                          long tooCommon) implements ReportColumns {
        @Override
        public List<String> names() {
            return List.of("min_span", "corpus_docs", "shards", "output_tokens", "spans", "too_common");
        }

        @Override
        public List<Object> values() {
            return List.of(minSpan, corpusDocuments, shards, outputTokens, spans, tooCommon);
        }
    }

    private final Consumer<String> progress;

    public NgramAttribution(Consumer<String> progress) {
        this.progress = progress;
    }

    @Override
    public String name() {
        return METHOD;
    }

    @Override
    public StructType scoredSchema() {
        return SpanMergeTask.RESULT;
    }

    /**
     * Every output against every shard of the model's index, then the shards' answers merged per
     * inference. One shard: the three steps run in one task per partition of outputs. Several: the
     * outputs are tokenized once (kept on disk while the model runs), each shard's tasks match all of
     * them, shard after shard (a shard is loaded once per executor, not once per task), and the
     * answers meet in one shuffle by inference.
     */
    @Override
    public Optional<ModelScoring> score(AttributionScope scope, AttributedModel model) {
        Lakehouse lakehouse = scope.lakehouse();
        NgramParams params = NgramParams.of(model.params());
        Dataset<Row> approved = ContributionStatus.approvedAsOf(lakehouse, scope.end()).select("contribution_id");
        long shardMemory = IndexShards.shardMemory(lakehouse);
        List<CorpusSpec> shards = IndexShards.plan(lakehouse, model.datanets(), approved, params.minSpan(), shardMemory);
        long documents = shards.stream().mapToLong(CorpusSpec::allowedDocuments).sum();
        long tokens = shards.stream().mapToLong(CorpusSpec::allowedTokens).sum();
        progress.accept("model " + model.modelId() + ": " + documents + " approved contributions, " + tokens + " tokens in "
                + shards.size() + (shards.size() == 1 ? " index shard" : " index shards") + "; min_span " + params.minSpan()
                + ", max_count " + params.maxCount());
        Dataset<Row> outputs = lakehouse.read(Tables.INFERENCES)
                .where(col("epoch").equalTo(scope.epoch()).and(col("model_id").equalTo(model.modelId())))
                .select("inference_id", "output");
        HadoopSettings settings = HadoopSettings.of(lakehouse);
        SpanMergeTask merge = new SpanMergeTask(params.maxCount());
        Dataset<Row> rows;
        Dataset<Row> tokenized = null;
        if (shards.size() <= 1) {
            // An empty corpus is one empty shard: every inference still gets its row (no spans).
            CorpusSpec only = shards.isEmpty() ? new CorpusSpec(params.minSpan(), List.of()) : shards.get(0);
            OutputTokenizer tokenizer = new OutputTokenizer();
            ShardSpanTask match = new ShardSpanTask(only, 0, settings, params.maxCount());
            rows = outputs.mapPartitions((MapPartitionsFunction<Row, Row>) it -> merge.call(match.call(tokenizer.call(it))),
                    Encoders.row(SpanMergeTask.RESULT));
        } else {
            tokenized = outputs.mapPartitions(new OutputTokenizer(), Encoders.row(OutputTokenizer.TOKENIZED))
                    .persist(StorageLevel.DISK_ONLY());
            Dataset<Row> answers = null;
            for (int s = 0; s < shards.size(); s++) {
                Dataset<Row> shard = tokenized.mapPartitions(new ShardSpanTask(shards.get(s), s, settings, params.maxCount()),
                        Encoders.row(ShardSpanTask.ANSWER));
                answers = answers == null ? shard : answers.union(shard);
            }
            rows = answers.repartition(col("inference_id")).sortWithinPartitions("inference_id", "shard")
                    .mapPartitions(merge, Encoders.row(SpanMergeTask.RESULT));
        }
        Dataset<Row> held = tokenized;
        Dataset<Row> scored = rows;
        return Optional.of(new ModelScoring() {
            @Override
            public Dataset<Row> rows() {
                return scored;
            }

            @Override
            public List<Column> totals() {
                return List.of(AttributionRunner.sum("tokens"), AttributionRunner.sum("size(spans)"), AttributionRunner.sum("too_common"));
            }

            @Override
            public ReportColumns details(List<Object> totals) {
                return new Details(params.minSpan(), params.maxCount(), documents, tokens, shards.size(),
                        ((Number) totals.get(0)).longValue(), ((Number) totals.get(1)).longValue(), ((Number) totals.get(2)).longValue());
            }

            @Override
            public void release() {
                if (held != null) {
                    held.unpersist();
                }
            }
        });
    }

    @Override
    public List<Output> outputs(AttributionScope scope, Dataset<Row> scored) {
        Dataset<Row> spans = scored.select(col("inference_id"), col("model_id"), explode(col("spans")).as("s"))
                .select(lit(scope.epoch()).as("epoch"), col("inference_id"), col("model_id"),
                        col("s.start").as("start"), col("s.end").as("end"), col("s.length").as("length"),
                        col("s.contribution_ids").as("contribution_ids"), col("s.count").as("count"));
        return List.of(new Output(Tables.ATTRIBUTION_SPANS, spans));
    }

    @Override
    public Dataset<Row> attributions(AttributionScope scope, Dataset<Row> scored) {
        // Hash join: the credits need no sort, only their contribution's contributor and datanet.
        Dataset<Row> holders = scope.lakehouse().read(Tables.CONTRIBUTIONS).select("contribution_id", "contributor", "datanet_id")
                .hint("shuffle_hash");
        return scored.select(col("inference_id"), col("model_id"), explode(col("credits")).as("c"))
                .select(col("inference_id"), col("model_id"), col("c.contribution_id").as("contribution_id"),
                        col("c.score").as("score"), col("c.weight").as("weight"))
                .join(holders, Columns.using("contribution_id"));
    }
}

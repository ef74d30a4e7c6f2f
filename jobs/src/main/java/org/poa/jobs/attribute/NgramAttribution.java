package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
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
    public record Details(int minSpan, int maxCount, long corpusDocuments, long corpusTokens, long outputTokens, long spans,
                          long tooCommon) implements ReportColumns {
        @Override
        public List<String> names() {
            return List.of("min_span", "corpus_docs", "output_tokens", "spans", "too_common");
        }

        @Override
        public List<Object> values() {
            return List.of(minSpan, corpusDocuments, outputTokens, spans, tooCommon);
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
        return SpanTask.RESULT;
    }

    @Override
    public Optional<ModelScoring> score(AttributionScope scope, AttributedModel model) {
        Lakehouse lakehouse = scope.lakehouse();
        NgramParams params = NgramParams.of(model.params());
        Dataset<Row> approved = ContributionStatus.approvedAsOf(lakehouse, scope.end()).select("contribution_id");
        CorpusSpec corpus = corpus(lakehouse, model.datanets(), approved, params.minSpan());
        progress.accept("model " + model.modelId() + ": " + corpus.allowedDocuments() + " approved contributions, "
                + corpus.allowedTokens() + " tokens; min_span " + params.minSpan() + ", max_count " + params.maxCount());
        Dataset<Row> rows = lakehouse.read(Tables.INFERENCES)
                .where(col("epoch").equalTo(scope.epoch()).and(col("model_id").equalTo(model.modelId())))
                .select("inference_id", "output")
                .mapPartitions(new SpanTask(corpus, HadoopSettings.of(lakehouse), params.maxCount()), Encoders.row(SpanTask.RESULT));
        return Optional.of(new ModelScoring() {
            @Override
            public Dataset<Row> rows() {
                return rows;
            }

            @Override
            public List<Column> totals() {
                return List.of(AttributionRunner.sum("tokens"), AttributionRunner.sum("size(spans)"), AttributionRunner.sum("too_common"));
            }

            @Override
            public ReportColumns details(List<Object> totals) {
                return new Details(params.minSpan(), params.maxCount(), corpus.allowedDocuments(), corpus.allowedTokens(),
                        ((Number) totals.get(0)).longValue(), ((Number) totals.get(1)).longValue(), ((Number) totals.get(2)).longValue());
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

    /** The model's shards with, per shard, one bit per document approved as of the epoch's end. */
    private static CorpusSpec corpus(Lakehouse lakehouse, List<String> datanets, Dataset<Row> approved, int k) {
        UserDefinedFunction bits = udf((UDF1<scala.collection.Seq<Integer>, byte[]>) ordinals -> {
            BitSet set = new BitSet();
            scala.collection.Iterator<Integer> it = ordinals.iterator();
            while (it.hasNext()) {
                set.set(it.next());
            }
            return set.toByteArray();
        }, DataTypes.BinaryType);
        // One row per shard holding an approved document.
        List<Row> shards = lakehouse.read(Tables.NGRAM_INDEX)
                .where(col("datanet_id").isin(datanets.toArray()))
                .join(approved, Columns.using("contribution_id"))
                .groupBy("shard")
                .agg(bits.apply(collect_list(col("ordinal"))).as("allowed"), sum("token_count").as("tokens"))
                .orderBy("shard").collectAsList();
        String folder = ShardLocation.folder(lakehouse);
        List<CorpusSpec.Shard> out = new ArrayList<>();
        for (Row shard : shards) {
            out.add(new CorpusSpec.Shard(ShardLocation.file(folder, shard.getString(0)), (byte[]) shard.get(1), shard.getLong(2)));
        }
        return new CorpusSpec(k, out);
    }
}

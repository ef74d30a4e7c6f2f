package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.poa.attribution.ngram.NgramParams;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.EpochClock;
import org.poa.lakehouse.spark.Columns;
import org.poa.lakehouse.status.ContributionStatus;

/**
 * The n-gram step of {@code poa attribute}: for every accepted inference of an epoch whose model
 * lists {@code ngram}, the spans of its output against the model's datanets' contributions approved
 * as of the epoch's end, and the credits they give. Replaces the epoch's {@code attribution_spans}
 * and its {@code ngram} rows of {@code attributions}, each in one commit.
 */
public final class NgramAttribution {

    public static final String METHOD = "ngram";

    /** What one model's run found. */
    public record ModelRun(String modelId, NgramParams params, long corpusDocuments, long corpusTokens,
                           long inferences, long outputTokens, long spans, long tooCommon, long credits,
                           double findSeconds) {
    }

    private NgramAttribution() {
    }

    /** Runs the epoch for every n-gram model, or only {@code modelId} when it is not null. */
    public static List<ModelRun> run(Lakehouse lakehouse, EpochClock clock, long epoch, String modelId,
                                     Consumer<String> progress) {
        List<Row> models = AttributedModels.of(lakehouse, modelId, METHOD);
        Instant end = clock.end(epoch);
        Dataset<Row> approved = ContributionStatus.approvedAsOf(lakehouse, end).select("contribution_id");
        HadoopSettings settings = HadoopSettings.of(lakehouse.spark());
        List<ModelRun> runs = new ArrayList<>();
        List<Dataset<Row>> results = new ArrayList<>();
        try {
            for (Row model : models) {
                String id = model.getString(0);
                NgramParams params = NgramParams.of(model.isNullAt(2) ? null : model.<String, String>getJavaMap(2));
                CorpusSpec corpus = corpus(lakehouse, model.getList(1), approved, params.minSpan());
                progress.accept("model " + id + ": " + corpus.allowedDocuments() + " approved contributions, "
                        + corpus.allowedTokens() + " tokens; min_span " + params.minSpan() + ", max_count " + params.maxCount());
                Dataset<Row> result = lakehouse.read(Tables.INFERENCES)
                        .where(col("epoch").equalTo(epoch).and(col("model_id").equalTo(id)))
                        .select("inference_id", "output")
                        .mapPartitions(new SpanTask(corpus, settings, params.maxCount()), Encoders.row(SpanTask.RESULT))
                        .withColumn("model_id", lit(id))
                        .persist(StorageLevel.DISK_ONLY());
                results.add(result);
                // Runs this model's tasks now, before the next model's index is loaded.
                long started = System.nanoTime();
                Row totals = result.agg(count(lit(1)), coalesce(sum("tokens"), lit(0L)),
                        coalesce(sum(size(col("spans"))), lit(0L)), coalesce(sum("too_common"), lit(0L)),
                        coalesce(sum(size(col("credits"))), lit(0L))).head();
                runs.add(new ModelRun(id, params, corpus.allowedDocuments(), corpus.allowedTokens(),
                        totals.getLong(0), totals.getLong(1), totals.getLong(2), totals.getLong(3), totals.getLong(4),
                        (System.nanoTime() - started) / 1e9));
                progress.accept("model " + id + ": " + totals.getLong(0) + " inferences, " + totals.getLong(1)
                        + " output tokens, " + totals.getLong(2) + " credited spans");
            }
            write(lakehouse, epoch, modelId, results, progress);
        } finally {
            results.forEach(Dataset::unpersist);
        }
        return runs;
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

    private static void write(Lakehouse lakehouse, long epoch, String modelId, List<Dataset<Row>> results,
                              Consumer<String> progress) {
        Dataset<Row> all = results.stream().reduce(Dataset::unionByName).orElseGet(() ->
                lakehouse.spark().createDataFrame(List.of(), SpanTask.RESULT.add("model_id", DataTypes.StringType, false)));
        String scope = "epoch = " + epoch + (modelId == null ? "" : " AND model_id = " + TableWrites.literal(modelId));

        Dataset<Row> spans = all.select(col("inference_id"), col("model_id"), explode(col("spans")).as("s"))
                .select(lit(epoch).as("epoch"), col("inference_id"), col("model_id"),
                        col("s.start").as("start"), col("s.end").as("end"), col("s.length").as("length"),
                        col("s.contribution_ids").as("contribution_ids"), col("s.count").as("count"));
        progress.accept("writing attribution_spans");
        if (!TableWrites.replaceWhereIfChanged(lakehouse, Tables.ATTRIBUTION_SPANS, spans, scope)) {
            progress.accept("attribution_spans of epoch " + epoch + " unchanged: nothing written");
        }
        progress.accept("writing attributions");

        // Hash join: the credits need no sort, only their contribution's contributor and datanet.
        Dataset<Row> holders = lakehouse.read(Tables.CONTRIBUTIONS).select("contribution_id", "contributor", "datanet_id")
                .hint("shuffle_hash");
        Dataset<Row> attributions = all.select(col("inference_id"), col("model_id"), explode(col("credits")).as("c"))
                .select(col("inference_id"), col("model_id"), col("c.contribution_id").as("contribution_id"),
                        col("c.score").as("score"), col("c.weight").as("weight"))
                .join(holders, Columns.using("contribution_id"))
                .withColumn("epoch", lit(epoch))
                .withColumn("method", lit(METHOD));
        if (!TableWrites.replaceWhereIfChanged(lakehouse, Tables.ATTRIBUTIONS, attributions,
                scope + " AND method = '" + METHOD + "'")) {
            progress.accept("attributions of epoch " + epoch + " unchanged: nothing written");
        }
    }
}

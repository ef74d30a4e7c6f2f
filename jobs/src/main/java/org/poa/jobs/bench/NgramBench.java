package org.poa.jobs.bench;

import static org.apache.spark.sql.functions.sum;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.poa.attribution.ngram.NgramParams;
import org.poa.jobs.attribute.NgramAttribution;
import org.poa.jobs.attribute.AttributeAction;
import org.poa.jobs.attribute.AttributionRun;
import org.poa.jobs.attribute.IndexAction;
import org.poa.jobs.attribute.IndexShards;
import org.poa.jobs.attribute.SpanIndexCache;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.epoch.EpochClock;

/**
 * {@code poa bench ngram}: generates a corpus and an epoch of outputs, then times the index build,
 * the attribute step and the plain Spark SQL k-gram join on the same data, in the same JVM.
 */
public final class NgramBench {

    /** The benchmark's shape. */
    public record Options(long outputs, int outputTokens, long corpusTokens, int documentTokens, int vocabulary,
                          double copied, long seed, boolean baseline, boolean generate, long compareCorpusTokens) {
        Options withCorpus(long tokens) {
            return new Options(outputs, outputTokens, tokens, documentTokens, vocabulary, copied, seed, baseline, generate, 0);
        }
    }

    /** The comparison's lakehouse, inside the main one ('_': no table listing takes it for a table). */
    static final String COMPARE_FOLDER = "_compare";

    private NgramBench() {
    }

    /**
     * The benchmark on {@code options}' corpus; with {@code compareCorpusTokens}, first the same on a
     * corpus of that size in {@code <lakehouse>/_compare}, reported beside it (e.g. 50M tokens, one
     * shard, against 1B in many).
     */
    public static Map<String, Object> run(Lakehouse lakehouse, Options options, Consumer<String> progress) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", MachineInfo.describe());
        report.put("options", options);
        report.put("shard_memory_bytes", IndexShards.shardMemory(lakehouse));
        if (options.compareCorpusTokens() > 0) {
            progress.accept("comparison first: a corpus of " + options.compareCorpusTokens() + " tokens");
            Lakehouse compare = new Lakehouse(lakehouse.spark(), lakehouse.root() + "/" + COMPARE_FOLDER);
            report.put("compare", measure(compare, options.withCorpus(options.compareCorpusTokens()), progress));
        }
        report.putAll(measure(lakehouse, options, progress));
        report.put("peak_rss_mb", MachineInfo.peakRssMb());
        return report;
    }

    private static Map<String, Object> measure(Lakehouse lakehouse, Options options, Consumer<String> progress) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("corpus_tokens_asked", options.corpusTokens());
        BenchText text = new BenchText(options.seed(), options.vocabulary(),
                Math.max(1, options.corpusTokens() / options.documentTokens()), options.documentTokens());
        if (options.generate()) {
            progress.accept("generating " + text.documents() + " contributions of " + text.documentTokens()
                    + " tokens and " + options.outputs() + " outputs of ~" + options.outputTokens() + " tokens");
            long start = System.nanoTime();
            BenchWorld.write(lakehouse, text, options.outputs(), options.outputTokens(), options.copied());
            report.put("generate_seconds", seconds(start));
        }

        progress.accept("building the n-gram index");
        long start = System.nanoTime();
        var build = new IndexAction(lakehouse, progress).execute();
        double buildSeconds = seconds(start);
        report.put("index_build_seconds", buildSeconds);
        report.put("index_build_documents", build.documents());
        report.put("index_build_tokens", build.tokens());
        report.put("index_shard_files", build.shards());

        // Over every token the files hold, not this run's build: a reused index builds nothing.
        report.put("index_disk_bytes_per_token", round(diskBytes(lakehouse) / (double) Math.max(1, indexedTokens(lakehouse))));

        progress.accept("attributing epoch 1");
        SpanIndexCache.resetPeak();
        SpanIndexCache.Loads before = SpanIndexCache.loads();
        HeapWatch heap = HeapWatch.start();
        start = System.nanoTime();
        AttributionRun run = new AttributeAction(lakehouse, EpochClock.DEFAULT, 1, progress).methods(AttributeAction.Methods.ngram)
                .execute().runs().get(0);
        double attributeSeconds = seconds(start);
        NgramAttribution.Details found = run.details(NgramAttribution.Details.class);
        report.put("attribute_seconds", attributeSeconds);
        report.put("span_finding_seconds", Math.round(run.seconds() * 100) / 100.0);
        SpanIndexCache.Loads loads = SpanIndexCache.loads().since(before);
        report.put("index_shards", found.shards());
        report.put("index_shard_loads", loads.shards());
        report.put("index_load_seconds_summed_over_tasks", loads.millis() / 1000.0);
        report.put("index_memory_bytes_per_token", round(loads.bytes() / (double) Math.max(1, loads.tokens())));
        report.put("index_memory_mb_held_at_most", loads.peakBytes() >> 20);
        report.put("heap_mb_after_gc_at_most", heap.stop() >> 20);
        report.put("corpus_documents", found.corpusDocuments());
        report.put("corpus_tokens", found.corpusTokens());
        report.put("outputs", run.inferences());
        report.put("output_tokens", found.outputTokens());
        report.put("spans", found.spans());
        report.put("too_common_spans", found.tooCommon());
        report.put("credits", run.credits());
        double tokensPerSecond = found.outputTokens() / attributeSeconds;
        report.put("tokens_per_second", tokensPerSecond);
        report.put("span_finding_tokens_per_second", found.outputTokens() / run.seconds());
        report.put("tokens_per_second_with_index_build", found.outputTokens() / (attributeSeconds + buildSeconds));
        report.put("peak_rss_mb_after_attribute", MachineInfo.peakRssMb());

        if (options.baseline()) {
            progress.accept("baseline: Spark SQL self-join of " + NgramParams.DEFAULT_MIN_SPAN + "-grams");
            start = System.nanoTime();
            long matched = KgramJoinBaseline.run(lakehouse, 1, NgramParams.DEFAULT_MIN_SPAN);
            double baselineSeconds = seconds(start);
            report.put("baseline_seconds", baselineSeconds);
            report.put("baseline_matched_positions", matched);
            report.put("baseline_tokens_per_second", found.outputTokens() / baselineSeconds);
            report.put("speedup_vs_baseline", tokensPerSecond / (found.outputTokens() / baselineSeconds));
            // Like for like: the baseline reads, matches and counts without writing; so does span finding.
            report.put("speedup_span_finding_vs_baseline", baselineSeconds / run.seconds());
            report.put("speedup_vs_baseline_with_index_build", baselineSeconds / (attributeSeconds + buildSeconds));
        }
        return report;
    }

    /** Bytes of the index's shard files. */
    private static long indexedTokens(Lakehouse lakehouse) {
        Row total = lakehouse.read(Tables.NGRAM_INDEX).agg(sum("token_count")).head();
        return total.isNullAt(0) ? 0 : total.getLong(0);
    }

    private static long diskBytes(Lakehouse lakehouse) {
        try {
            org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(org.poa.jobs.attribute.ShardLocation.folder(lakehouse));
            var fs = folder.getFileSystem(lakehouse.hadoopConf());
            return fs.exists(folder) ? fs.getContentSummary(folder).getLength() : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }
}

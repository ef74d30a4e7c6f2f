package org.poa.jobs.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.poa.attribution.ngram.NgramParams;
import org.poa.jobs.attribute.NgramAttribution;
import org.poa.jobs.attribute.AttributeAction;
import org.poa.jobs.attribute.AttributionRun;
import org.poa.jobs.attribute.IndexAction;
import org.poa.jobs.attribute.SpanIndexCache;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.core.epoch.EpochClock;

/**
 * {@code poa bench ngram}: generates a corpus and an epoch of outputs, then times the index build,
 * the attribute step and the plain Spark SQL k-gram join on the same data, in the same JVM.
 */
public final class NgramBench {

    /** The benchmark's shape. */
    public record Options(long outputs, int outputTokens, long corpusTokens, int documentTokens, int vocabulary,
                          double copied, long seed, boolean baseline, boolean generate) {
    }

    private NgramBench() {
    }

    public static Map<String, Object> run(Lakehouse lakehouse, Options options, Consumer<String> progress) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", MachineInfo.describe());
        report.put("options", options);
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
        report.put("index_shards", build.shards());

        progress.accept("attributing epoch 1");
        start = System.nanoTime();
        AttributionRun run = new AttributeAction(lakehouse, EpochClock.DEFAULT, 1, progress).methods(AttributeAction.Methods.ngram)
                .execute().runs().get(0);
        double attributeSeconds = seconds(start);
        NgramAttribution.Details found = run.details(NgramAttribution.Details.class);
        report.put("attribute_seconds", attributeSeconds);
        report.put("span_finding_seconds", Math.round(run.seconds() * 100) / 100.0);
        report.put("index_load_seconds", SpanIndexCache.lastLoadMillis() / 1000.0);
        report.put("corpus_documents", found.corpusDocuments());
        report.put("corpus_tokens", found.corpusTokens());
        report.put("outputs", run.inferences());
        report.put("output_tokens", found.outputTokens());
        report.put("spans", found.spans());
        report.put("too_common_spans", found.tooCommon());
        report.put("credits", run.credits());
        double tokensPerSecond = found.outputTokens() / attributeSeconds;
        report.put("tokens_per_second", tokensPerSecond);
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
        report.put("peak_rss_mb", MachineInfo.peakRssMb());
        return report;
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }
}

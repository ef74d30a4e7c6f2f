package org.poa.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.poa.jobs.attribute.GradientAttribution;
import org.poa.jobs.attribute.NgramAttribution;
import org.poa.jobs.attribute.NgramIndexBuild;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "attribute", mixinStandardHelpOptions = true,
        description = {"Attributes every accepted inference of an epoch to the contributions behind it and",
            "replaces the epoch's rows of attributions, attribution_spans and influence_usage. ngram: maximal",
            "spans of the output found in the model's approved contributions as of the epoch's end (DESIGN.md).",
            "gradient: influence of the model's training contributions (checkpoints from poa train, or imported",
            "gradients), summed per contributor; see docs/attribution.md."})
final class AttributeCommand implements Callable<Integer> {

    enum Method { ngram, gradient, all }

    @Spec
    CommandSpec spec;

    @Mixin
    EpochOption epoch = new EpochOption();

    @Option(names = "--model", paramLabel = "ID", description = "Only this model (default: every model of the method).")
    String model;

    @Option(names = "--method", paramLabel = "METHOD", description = "ngram, gradient or all (default: ${DEFAULT-VALUE}).")
    Method method = Method.all;

    @Option(names = "--shard-tokens", paramLabel = "N", description = "Tokens per new index shard file. Default: ${DEFAULT-VALUE}.")
    long shardTokens = NgramIndexBuild.DEFAULT_SHARD_TOKENS;

    @Option(names = "--top", paramLabel = "K", description = "Print the K most credited contributions. Default: ${DEFAULT-VALUE}.")
    int top = 5;

    @Override
    public Integer call() {
        long n = epoch.value();
        PoaContext context = PoaCommand.root(spec).context();
        Lakehouse lakehouse = context.lakehouse();
        if (method != Method.ngram && (model == null || usesMethod(lakehouse, model, GradientAttribution.METHOD))) {
            gradient(context, n);
        }
        if (method == Method.gradient || (model != null && !usesMethod(lakehouse, model, NgramAttribution.METHOD))) {
            printTop(lakehouse, n, model, top, GradientAttribution.METHOD);
            return 0;
        }
        IndexCommand.update(lakehouse, shardTokens);
        List<NgramAttribution.ModelRun> runs = NgramAttribution.run(lakehouse, context.clock(), n, model, Progress::step);
        System.out.printf("epoch %d, method ngram:%n", n);
        System.out.printf("%-20s %9s %12s %11s %14s %9s %11s %9s%n", "model", "min_span", "corpus_docs",
                "inferences", "output_tokens", "spans", "too_common", "credits");
        for (NgramAttribution.ModelRun run : runs) {
            System.out.printf("%-20s %9d %12d %11d %14d %9d %11d %9d%n", run.modelId(), run.params().minSpan(),
                    run.corpusDocuments(), run.inferences(), run.outputTokens(), run.spans(), run.tooCommon(), run.credits());
        }
        if (runs.isEmpty()) {
            System.out.println("(no model lists ngram)");
        }
        printTop(lakehouse, n, model, top, NgramAttribution.METHOD);
        if (method == Method.all) {
            printTop(lakehouse, n, model, top, GradientAttribution.METHOD);
        }
        return 0;
    }

    private void gradient(PoaContext context, long n) {
        List<GradientAttribution.ModelRun> runs = GradientAttribution.run(context.lakehouse(), context.clock(), n, model, Progress::step);
        System.out.printf("epoch %d, method gradient:%n", n);
        System.out.printf("%-20s %-9s %-40s %10s %13s %11s %9s %9s%n", "model", "source", "mode", "dimension",
                "contributors", "inferences", "credited", "credits");
        for (GradientAttribution.ModelRun run : runs) {
            System.out.printf("%-20s %-9s %-40s %10d %13d %11d %9d %9d%n", run.modelId(), run.source(), run.mode(),
                    run.dimension(), run.contributors(), run.inferences(), run.credited(), run.credits());
        }
        if (runs.isEmpty()) {
            System.out.println("(no model lists gradient with checkpoints or imported gradients)");
        }
    }

    /** Whether a registered model lists the method (unknown models fail in the method's own step). */
    private static boolean usesMethod(Lakehouse lakehouse, String id, String method) {
        List<Row> found = lakehouse.read(Tables.MODELS).where(col("model_id").equalTo(id))
                .select(org.apache.spark.sql.functions.expr("map_contains_key(attribution, '" + method + "')")).collectAsList();
        return found.isEmpty() || found.get(0).getBoolean(0);
    }

    /** The epoch's most credited contributions by a method: weight summed over inferences (K rows). */
    static void printTop(Lakehouse lakehouse, long epoch, String model, int k, String method) {
        if (k <= 0) {
            return;
        }
        var rows = lakehouse.read(Tables.ATTRIBUTIONS)
                .where(col("epoch").equalTo(epoch).and(col("method").equalTo(method)));
        if (model != null) {
            rows = rows.where(col("model_id").equalTo(model));
        }
        List<Row> best = rows.groupBy("contribution_id", "contributor", "datanet_id")
                .agg(sum("weight").as("credit"), count(lit(1)).as("inferences"))
                .orderBy(desc("credit"), col("contribution_id")).limit(k).collectAsList();
        System.out.println("top " + method + " contributions of epoch " + epoch + " (credit = weight summed over inferences):");
        System.out.printf("  %-14s %-14s %-16s %10s %10s%n", "contribution", "contributor", "datanet", "credit", "inferences");
        for (Row r : best) {
            System.out.printf("  %-14s %-14s %-16s %10.3f %10d%n", shortId(r.getString(0)), shortId(r.getString(1)),
                    r.getString(2), r.getDouble(3), r.getLong(4));
        }
    }

    static String shortId(String hex) {
        return hex.length() <= 14 ? hex : hex.substring(0, 8) + "…" + hex.substring(hex.length() - 4);
    }
}

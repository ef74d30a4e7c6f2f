package org.poa.jobs.report;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.attribution.text.SpanMarks;
import org.poa.core.text.TextNormalizer;
import org.poa.jobs.attribute.NgramAttribution;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/**
 * Why an inference paid whom: its output with each matched span marked, the contributions holding
 * each span with the passage in their text, and the n-gram credits.
 */
public final class Explanation {

    private Explanation() {
    }

    /** The explanation as text (one inference: everything read here is bounded by it). */
    public static String of(Lakehouse lakehouse, String inferenceId, Long epoch, int context) {
        Dataset<Row> inferences = lakehouse.read(Tables.INFERENCES).where(col("inference_id").equalTo(inferenceId));
        if (epoch != null) {
            inferences = inferences.where(col("epoch").equalTo(epoch));
        }
        List<Row> found = inferences.select("epoch", "model_id", "output").collectAsList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no accepted inference '" + inferenceId + "'"
                    + (epoch == null ? "" : " in epoch " + epoch));
        }
        long n = found.get(0).getLong(0);
        String model = found.get(0).getString(1);
        String output = found.get(0).getString(2);
        List<String> tokens = TextNormalizer.tokens(output);
        List<Row> spans = lakehouse.read(Tables.ATTRIBUTION_SPANS)
                .where(col("epoch").equalTo(n).and(col("inference_id").equalTo(inferenceId)))
                .select("start", "end", "length", "contribution_ids", "count").orderBy("start").collectAsList();
        List<Row> credits = lakehouse.read(Tables.ATTRIBUTIONS)
                .where(col("epoch").equalTo(n).and(col("inference_id").equalTo(inferenceId))
                        .and(col("method").equalTo(NgramAttribution.METHOD)))
                .select("contribution_id", "contributor", "datanet_id", "score", "weight")
                .orderBy(col("weight").desc(), col("contribution_id")).collectAsList();
        Set<String> ids = new LinkedHashSet<>();
        spans.forEach(s -> ids.addAll(s.<String>getList(3)));
        Map<String, Row> sources = new HashMap<>();
        if (!ids.isEmpty()) {
            lakehouse.read(Tables.CONTRIBUTIONS).where(col("contribution_id").isin(ids.toArray()))
                    .select("contribution_id", "contributor", "datanet_id", "content")
                    .collectAsList().forEach(r -> sources.put(r.getString(0), r));
        }

        StringBuilder out = new StringBuilder();
        out.append(String.format("inference %s (model %s, epoch %d): %d output tokens, %d matched spans%n",
                inferenceId, model, n, tokens.size(), spans.size()));
        List<SpanMarks.Mark> marks = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            marks.add(new SpanMarks.Mark(Integer.toString(i + 1), spans.get(i).getInt(0), spans.get(i).getInt(1)));
        }
        out.append("output:\n  ").append(oneLine(SpanMarks.mark(output, marks))).append('\n');
        if (spans.isEmpty()) {
            out.append("no credited span: nothing of min_span tokens or more matched few enough contributions")
                    .append(" (or attribute has not run for epoch ").append(n).append(")\n");
        }
        for (int i = 0; i < spans.size(); i++) {
            Row span = spans.get(i);
            int start = span.getInt(0);
            int length = span.getInt(2);
            int count = span.getInt(4);
            out.append(String.format("span %d: tokens %d-%d (%d tokens), in %d contribution%s, %.3f each%n",
                    i + 1, start, span.getInt(1), length, count, count == 1 ? "" : "s", (double) length / count));
            List<String> spanTokens = tokens.subList(start, Math.min(tokens.size(), span.getInt(1)));
            for (String id : span.<String>getList(3)) {
                Row source = sources.get(id);
                if (source == null) {
                    out.append("  ").append(id).append(": not in contributions any more\n");
                    continue;
                }
                String passage = SpanMarks.passage(source.getString(3), spanTokens, Integer.toString(i + 1), context);
                out.append(String.format("  %s by %s in %s%n    %s%n", id, source.getString(1), source.getString(2),
                        passage == null ? "(the passage is not in its current text)" : oneLine(passage)));
            }
        }
        if (!credits.isEmpty()) {
            out.append("credits (score = sum of span length / contributions holding it; weight = share of the inference):\n");
            for (Row credit : credits) {
                out.append(String.format("  %s by %s in %-14s score %8.3f  weight %.4f%n", credit.getString(0),
                        credit.getString(1), credit.getString(2), credit.getDouble(3), credit.getDouble(4)));
            }
        }
        return out.toString();
    }

    /** Line breaks of a text (verses, paragraphs) shown as " / " so each passage stays on its line. */
    static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " / ");
    }
}

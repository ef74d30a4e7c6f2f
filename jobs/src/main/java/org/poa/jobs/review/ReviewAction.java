package org.poa.jobs.review;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.poa.attribution.gradient.GradientParams;
import org.poa.attribution.ngram.NgramParams;
import org.poa.jobs.action.EpochAction;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.action.StepRows;
import org.poa.jobs.attribute.SelfInfluence;
import org.poa.jobs.train.ModelCheckpoints;
import org.poa.jobs.train.TrainingSet;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.ModelCheckpointRow;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.status.StatusRule;

/**
 * The review queue for validators: every pending or approved contribution a signal flags, ranked
 * within its datanet, with its evidence and the table versions it was computed from
 * (docs/review.md). Two signals: {@value #SELF_INFLUENCE} for the labelled datanets of classifiers
 * trained here, {@value #COPIED_SPANS} for every datanet. Writes {@code review_queue} (one datanet's
 * rows, or all), and nothing when the rows are the same as stored.
 */
public final class ReviewAction extends EpochAction<ReviewAction.Result> {

    public static final String SELF_INFLUENCE = "self_influence";
    public static final String COPIED_SPANS = "copied_spans";
    public static final double DEFAULT_SELF_INFLUENCE_SHARE = 0.10;
    public static final double DEFAULT_COPY_THRESHOLD = 0.20;

    /** Per datanet and signal: how many contributions were scored and how many flagged. */
    public record Count(String datanetId, String signal, long scored, long flagged) {
    }

    /** One row at the top of the queue, for people. */
    public record Top(String datanetId, String signal, int rank, String contributionId, String contributor, String status,
                      double score, String evidence) {
    }

    public record Result(List<Count> counts, List<Top> top, boolean written) implements StepResult {
        @Override
        public StepRows rows() {
            return new StepRows(counts.stream().mapToLong(Count::scored).sum(), "scored",
                    counts.stream().mapToLong(Count::flagged).sum(), "flagged");
        }

        @Override
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            if (counts.isEmpty()) {
                lines.add("(no pending or approved contributions to review)");
            }
            String datanet = null;
            for (Count c : counts) {
                if (!c.datanetId().equals(datanet)) {
                    datanet = c.datanetId();
                    lines.add("datanet " + datanet + ":");
                }
                lines.add(String.format("  %s: %d of %d flagged", c.signal(), c.flagged(), c.scored()));
                for (Top t : top) {
                    if (t.datanetId().equals(c.datanetId()) && t.signal().equals(c.signal())) {
                        lines.add(String.format("    #%d %s by %s (%s) %s %.4g; %s", t.rank(), t.contributionId(), t.contributor(),
                                t.status(), t.signal().equals(COPIED_SPANS) ? "copied" : "score", t.score(), t.evidence()));
                    }
                }
            }
            lines.add(written ? "review_queue written" : "review_queue unchanged (nothing written)");
            return lines;
        }
    }

    private String datanetId;
    private int top = 5;
    private double selfInfluenceShare = DEFAULT_SELF_INFLUENCE_SHARE;
    private double copyThreshold = DEFAULT_COPY_THRESHOLD;
    private int minSpan = NgramParams.DEFAULT_MIN_SPAN;

    public ReviewAction(Lakehouse lakehouse, Consumer<String> progress) {
        super("review", lakehouse, progress);
    }

    /** Only this datanet's queue (the others are left as they are). */
    public ReviewAction datanet(String id) {
        this.datanetId = id;
        return this;
    }

    /** How many flagged rows per datanet and signal the result lists. */
    public ReviewAction top(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("--top must be 0 or more, got " + k);
        }
        this.top = k;
        return this;
    }

    /** The share of a datanet's scored contributions that self-influence flags, highest first. */
    public ReviewAction selfInfluenceShare(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("--self-influence-share must be above 0 and at most 1, got " + share);
        }
        this.selfInfluenceShare = share;
        return this;
    }

    /** The copied share of its tokens at which a contribution is flagged. */
    public ReviewAction copyThreshold(double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("--copy-threshold must be above 0 and at most 1, got " + threshold);
        }
        this.copyThreshold = threshold;
        return this;
    }

    /** The shortest span, in tokens, that counts as copied. */
    public ReviewAction minSpan(int tokens) {
        if (tokens < 1 || tokens > NgramParams.MAX_MIN_SPAN) {
            throw new IllegalArgumentException("--min-span must be between 1 and " + NgramParams.MAX_MIN_SPAN + ", got " + tokens);
        }
        this.minSpan = tokens;
        return this;
    }

    @Override
    protected String describe() {
        return "review" + (datanetId == null ? "" : " --datanet " + datanetId);
    }

    @Override
    protected Result doExecute() {
        Map<String, Long> versions = new LinkedHashMap<>();
        versions.put(Tables.CONTRIBUTIONS.name(), lakehouse.version(Tables.CONTRIBUTIONS));
        versions.put(Tables.CONTRIBUTION_STATUS.name(), lakehouse.version(Tables.CONTRIBUTION_STATUS));
        versions.put(Tables.MODELS.name(), lakehouse.version(Tables.MODELS));
        versions.put(Tables.MODEL_CHECKPOINTS.name(), lakehouse.version(Tables.MODEL_CHECKPOINTS));
        if (datanetId != null && lakehouse.readAtVersion(Tables.DATANETS, lakehouse.version(Tables.DATANETS))
                .where(col("datanet_id").equalTo(datanetId)).isEmpty()) {
            throw new IllegalArgumentException("no datanet '" + datanetId + "'");
        }
        Dataset<Row> contributions = lakehouse.readAtVersion(Tables.CONTRIBUTIONS, versions.get(Tables.CONTRIBUTIONS.name()));
        Dataset<Row> current = lakehouse.readAtVersion(Tables.CONTRIBUTION_STATUS, versions.get(Tables.CONTRIBUTION_STATUS.name()))
                .where(col("valid_to").isNull().and(col("status").isin(StatusRule.PENDING, StatusRule.APPROVED)))
                .select("contribution_id", "status");
        Dataset<Row> candidates = contributions.join(current, "contribution_id");
        if (datanetId != null) {
            candidates = candidates.where(col("datanet_id").equalTo(datanetId));
        }
        candidates = candidates.select("contribution_id", "datanet_id", "contributor", "status", "content", "label")
                .persist(StorageLevel.DISK_ONLY());
        try {
            progress.accept("copied spans: windows of " + minSpan + " tokens against every earlier contribution of another contributor");
            Dataset<Row> copies = copied(contributions, candidates);
            Dataset<Row> both = selfInfluence(candidates, versions).map(copies::unionByName).orElse(copies);
            Column versionMap = map(versions.entrySet().stream()
                    .flatMap(e -> java.util.stream.Stream.of(lit(e.getKey()), lit(e.getValue()))).toArray(Column[]::new));
            Dataset<Row> scored = both.withColumn("input_versions", versionMap)
                    .persist(StorageLevel.DISK_ONLY());
            try {
                return write(scored);
            } finally {
                scored.unpersist();
            }
        } finally {
            candidates.unpersist();
        }
    }

    /** Every candidate with its copied share; flagged at or above the threshold. */
    private Dataset<Row> copied(Dataset<Row> contributions, Dataset<Row> candidates) {
        Dataset<Row> shares = CopiedSpans.of(contributions.select("contribution_id", "contributor", "submitted_at", "content"),
                candidates.select("contribution_id"), minSpan);
        Dataset<Row> rows = candidates.select("contribution_id", "datanet_id", "contributor", "status")
                .join(shares, "contribution_id")
                .select(col("datanet_id"), lit(COPIED_SPANS).as("signal"), col("contribution_id"), col("contributor"), col("status"),
                        col("share").as("score"), col("source_contribution_id"), col("source_contributor"),
                        lit(null).cast(DataTypes.StringType).as("model_id"),
                        lit(null).cast(DataTypes.createArrayType(DataTypes.IntegerType, false)).as("checkpoints"));
        return ranked(rows, col("score").geq(copyThreshold));
    }

    /**
     * Every candidate a classifier trained here was trained on, with its self-influence; the top
     * share of each (datanet, model) flagged. A datanet of several classifiers keeps, per
     * contribution, the model under which it ranks highest (then the smaller model id). Empty when
     * no classifier has checkpoints trained here.
     */
    private Optional<Dataset<Row>> selfInfluence(Dataset<Row> candidates, Map<String, Long> versions) {
        List<Row> models = lakehouse.readAtVersion(Tables.MODELS, versions.get(Tables.MODELS.name()))
                .where(col("kind").equalTo("classifier")).select("model_id", "datanets", "params").orderBy("model_id").collectAsList();
        Dataset<Row> all = null;
        for (Row model : models) {
            String modelId = model.getString(0);
            List<String> datanets = model.getList(1);
            GradientParams params = GradientParams.of(model.isNullAt(2) ? null : model.<String, String>getJavaMap(2));
            List<ModelCheckpointRow> checkpoints = ModelCheckpoints.rows(lakehouse, modelId);
            if (checkpoints.isEmpty()) {
                progress.accept("self-influence: model " + modelId + " has no checkpoints trained here (run poa train): skipped");
                continue;
            }
            // The model's training contributions that are still pending or approved: self-influence is
            // a training point's influence on its own loss. A contribution the model never saw has an
            // out-of-sample loss, and the preconditioner inflates whatever the training data does not
            // span, so such rows would crowd the top whatever their label (docs/review.md).
            Dataset<Row> trained = TrainingSet.of(lakehouse, datanets, checkpoints.get(0).contributionsVersion(),
                    checkpoints.get(0).statusVersion()).select("contribution_id");
            Dataset<Row> labelled = candidates.where(col("label").isNotNull()).join(trained, "contribution_id");
            var scores = SelfInfluence.of(lakehouse, modelId, datanets, params, labelled.select("contribution_id", "content", "label"));
            if (scores.isEmpty()) {
                progress.accept("self-influence: model " + modelId + " has imported gradients, no vectors for its contributions: skipped");
                continue;
            }
            List<Integer> indices = checkpoints.stream().map(ModelCheckpointRow::checkpoint).map(c -> c.index()).toList();
            progress.accept("self-influence: model " + modelId + ", " + scores.get().mode() + ", " + scores.get().checkpoints()
                    + " checkpoints");
            Dataset<Row> rows = labelled.select("contribution_id", "datanet_id", "contributor", "status")
                    .join(scores.get().rows(), "contribution_id")
                    .select(col("datanet_id"), lit(SELF_INFLUENCE).as("signal"), col("contribution_id"), col("contributor"),
                            col("status"), col("score"), lit(null).cast(DataTypes.StringType).as("source_contribution_id"),
                            lit(null).cast(DataTypes.StringType).as("source_contributor"), lit(modelId).as("model_id"),
                            array(indices.stream().map(i -> lit(i)).toArray(Column[]::new)).as("checkpoints"));
            all = all == null ? rows : all.unionByName(rows);
        }
        if (all == null) {
            return Optional.empty();
        }
        Dataset<Row> ranked = rankedBy(all, new Column[] {col("datanet_id"), col("model_id")});
        Dataset<Row> flagged = ranked.withColumn("flagged", col("rank").leq(ceil(col("scored").multiply(selfInfluenceShare))));
        Dataset<Row> best = flagged
                .withColumn("_best", row_number().over(Window.partitionBy(col("datanet_id"), col("contribution_id"))
                        .orderBy(col("rank"), col("model_id"))))
                .where(col("_best").equalTo(1)).drop("_best");
        return Optional.of(withContributorCounts(best));
    }

    /** Ranks within each datanet (score high first, then contribution id) and flags where {@code flag} holds. */
    private Dataset<Row> ranked(Dataset<Row> rows, Column flag) {
        return withContributorCounts(rankedBy(rows, new Column[] {col("datanet_id")}).withColumn("flagged", flag));
    }

    private static Dataset<Row> rankedBy(Dataset<Row> rows, Column[] group) {
        return rows.withColumn("rank", row_number().over(Window.partitionBy(group).orderBy(col("score").desc(), col("contribution_id"))))
                .withColumn("scored", count(lit(1)).over(Window.partitionBy(group)));
    }

    /** Per datanet and contributor: how many of its scored contributions the signal flags. */
    private static Dataset<Row> withContributorCounts(Dataset<Row> rows) {
        var byContributor = Window.partitionBy(col("datanet_id"), lower(col("contributor")));
        return rows.withColumn("contributor_flagged", sum(when(col("flagged"), 1L).otherwise(0L)).over(byContributor))
                .withColumn("contributor_scored", count(lit(1)).over(byContributor));
    }

    private Result write(Dataset<Row> scored) {
        List<Count> counts = scored.groupBy("datanet_id", "signal")
                .agg(count(lit(1)).as("scored"), sum(when(col("flagged"), 1L).otherwise(0L)).as("flagged"))
                .orderBy("datanet_id", "signal").collectAsList().stream()
                .map(r -> new Count(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3))).toList();
        Dataset<Row> queue = scored.where(col("flagged"));
        String predicate = datanetId == null ? "datanet_id IS NOT NULL" : "datanet_id = " + TableWrites.literal(datanetId);
        boolean written = TableWrites.replaceWhereIfChanged(lakehouse, Tables.REVIEW_QUEUE,
                queue.withColumn("rank", col("rank").cast(DataTypes.IntegerType)), predicate);
        List<Top> top = this.top == 0 ? List.of() : queue.where(col("rank").leq(this.top))
                .orderBy("datanet_id", "signal", "rank", "contribution_id")
                .select("datanet_id", "signal", "rank", "contribution_id", "contributor", "status", "score", "source_contribution_id",
                        "model_id", "contributor_flagged", "contributor_scored")
                .collectAsList().stream().map(ReviewAction::top).toList();
        return new Result(counts, top, written);
    }

    private static Top top(Row r) {
        String evidence = r.getString(1).equals(COPIED_SPANS)
                ? "earliest source " + r.getString(7)
                : "model " + r.getString(8);
        evidence += String.format("; contributor: %d of %d flagged", r.getLong(9), r.getLong(10));
        return new Top(r.getString(0), r.getString(1), r.getInt(2), r.getString(3), r.getString(4), r.getString(5), r.getDouble(6),
                evidence);
    }
}

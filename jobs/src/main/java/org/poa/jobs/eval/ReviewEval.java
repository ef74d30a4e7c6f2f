package org.poa.jobs.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.poa.jobs.pipeline.EpochActions;
import org.poa.jobs.review.ReviewAction;
import org.poa.jobs.sample.ReviewWorld;
import org.poa.jobs.sample.SampleWorld;
import org.poa.jobs.train.ModelCheckpoints;
import org.poa.jobs.train.TrainingSet;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.status.StatusRule;

/**
 * The review queue's quality on a generated world with planted label flips and near-copies
 * ({@link ReviewWorld}): generate, ingest, train, review with the default settings, then count what
 * the queue found. Self-influence: the share of the flipped contributions (pending or approved,
 * so scored) in the flagged top share. Copied spans: the share of planted near-copies flagged, and
 * the share of all other scored contributions flagged.
 */
public final class ReviewEval {

    /** The world's parameters and what the queue found in it. */
    public record Result(int contributions, double flipRate, double copyRate, long seed, double selfInfluenceShare,
                         double copyThreshold, long labelledScored, long flippedScored, long flippedFlagged,
                         long flipperScored, long flipperFlagged, int flipperRank, long copiesScored, long copiesFlagged,
                         long originalsScored, long originalsFlagged, double seconds) {

        public double flipRecall() {
            return flippedScored == 0 ? 0 : (double) flippedFlagged / flippedScored;
        }

        public double copyRecall() {
            return copiesScored == 0 ? 0 : (double) copiesFlagged / copiesScored;
        }

        public double originalFlagRate() {
            return originalsScored == 0 ? 0 : (double) originalsFlagged / originalsScored;
        }
    }

    private ReviewEval() {
    }

    public static Result run(EpochActions actions, IngestOptions ingest, Path folder, int contributions, double flipRate,
                             double copyRate, long seed, Consumer<String> progress) throws IOException {
        long started = System.nanoTime();
        if (!(flipRate > 0 && flipRate < 0.5) || !(copyRate > 0 && copyRate < 0.5)) {
            throw new IllegalArgumentException("--flip-rate and --copy-rate must be between 0 and 0.5");
        }
        if (actions.lakehouse().exists(Tables.CONTRIBUTIONS) && !actions.lakehouse().read(Tables.CONTRIBUTIONS).isEmpty()) {
            throw new IllegalArgumentException("the review evaluation generates its own world and needs an empty lakehouse: pass"
                    + " --lakehouse with a new folder");
        }
        progress.accept("generating " + contributions + " contributions with " + flipRate + " label flips and " + copyRate
                + " near-copies into " + folder);
        ReviewWorld.Planted planted = ReviewWorld.write(new SampleWorld.Spec(seed, contributions, 0, 1, actions.clock(), 0),
                flipRate, copyRate, folder);
        actions.ingest(ingest).batch(folder.toString()).missingOk(true).execute();
        actions.train().execute();
        actions.review().top(0).execute();

        Lakehouse lakehouse = actions.lakehouse();
        Dataset<Row> scored = lakehouse.read(Tables.CONTRIBUTION_STATUS)
                .where(col("valid_to").isNull().and(col("status").isin(StatusRule.PENDING, StatusRule.APPROVED)))
                .join(lakehouse.read(Tables.CONTRIBUTIONS).select("contribution_id", "label"), "contribution_id")
                .select("contribution_id", "contributor", "label");
        Dataset<Row> queue = lakehouse.read(Tables.REVIEW_QUEUE);
        Dataset<Row> influenceQueue = queue.where(col("signal").equalTo(ReviewAction.SELF_INFLUENCE));
        Dataset<Row> copyQueue = queue.where(col("signal").equalTo(ReviewAction.COPIED_SPANS));

        // Self-influence scores the classifier's training contributions that are still pending or approved.
        var checkpoints = ModelCheckpoints.rows(lakehouse, SampleWorld.CLASSIFIER);
        Dataset<Row> trained = scored.join(TrainingSet.of(lakehouse, List.of(SampleWorld.CLASSIFIER_DATANET),
                checkpoints.get(0).contributionsVersion(), checkpoints.get(0).statusVersion()).select("contribution_id"), "contribution_id");
        long labelledScored = trained.count();
        long flippedScored = among(trained, planted.flipped()).count();
        long flippedFlagged = among(influenceQueue, planted.flipped()).count();
        long flipperScored = among(trained, planted.flippedByFlipper()).count();
        long flipperFlagged = among(influenceQueue, planted.flippedByFlipper()).count();
        // The flipper's place among contributors by share of their scored rows flagged (1 = first).
        List<String> byShare = influenceQueue.select(lower(col("contributor")).as("contributor"),
                        col("contributor_flagged").divide(col("contributor_scored")).as("share"), col("contributor_flagged"))
                .distinct().orderBy(col("share").desc(), col("contributor_flagged").desc(), col("contributor"))
                .select("contributor").as(Encoders.STRING()).collectAsList();
        int flipperRank = planted.flipper() == null ? -1 : byShare.indexOf(planted.flipper().toLowerCase(java.util.Locale.ROOT)) + 1;
        Set<String> copies = planted.nearCopies().keySet();
        long copiesScored = among(scored, copies).count();
        long copiesFlagged = among(copyQueue, copies).count();
        long originalsScored = scored.count() - copiesScored;
        long originalsFlagged = copyQueue.count() - copiesFlagged;
        return new Result(contributions, flipRate, copyRate, seed, ReviewAction.DEFAULT_SELF_INFLUENCE_SHARE,
                ReviewAction.DEFAULT_COPY_THRESHOLD, labelledScored, flippedScored, flippedFlagged, flipperScored, flipperFlagged,
                flipperRank, copiesScored, copiesFlagged, originalsScored, originalsFlagged, (System.nanoTime() - started) / 1e9);
    }

    /** The rows whose contribution_id is one of {@code ids} (planted: as many as the world's parameters say). */
    private static Dataset<Row> among(Dataset<Row> rows, Set<String> ids) {
        Dataset<Row> wanted = rows.sparkSession().createDataset(List.copyOf(ids), Encoders.STRING()).toDF("contribution_id");
        return rows.join(wanted, "contribution_id");
    }
}

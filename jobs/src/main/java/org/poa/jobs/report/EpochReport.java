package org.poa.jobs.report;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.poa.core.epoch.EpochClock;
import org.poa.core.rewards.FeeSplit;
import org.poa.jobs.attribute.GradientAttribution;
import org.poa.jobs.attribute.NgramAttribution;
import org.poa.jobs.audit.AuditAction;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/**
 * The numbers of an epoch's report page ({@code poa report --epoch N}, docs/reports.md): each section
 * one Spark query whose result is bounded by what the page shows (per model, per datanet, per epoch,
 * top-k, 101 points of a Lorenz curve), never by the number of inferences or accounts.
 */
public final class EpochReport {

    /** Rows of the "top" charts. */
    public static final int TOP = 15;
    /** Rows per attribution method of the top-contributions chart. */
    public static final int TOP_PER_METHOD = 10;
    /** Accounts whose proofs the page carries for its verify-proof command line. */
    public static final int PROOFS = 25;

    /** Flagged rows shown per datanet and signal of the review queue. */
    public static final int REVIEW_TOP = 5;
    /** The roles of {@code rewards}, in the order the money-flow chart stacks them. */
    public static final List<String> ROLES = List.of(FeeSplit.PROTOCOL, FeeSplit.DEVELOPER, FeeSplit.VALIDATOR, FeeSplit.DATA,
            FeeSplit.UNATTRIBUTED);
    /** Input kinds of the ingestion-health section, in load order. */
    static final List<String> KINDS = List.of("datanets", "contributions", "votes", "models", "inferences");

    private final Lakehouse lakehouse;
    private final EpochClock clock;
    private final long epoch;

    public EpochReport(Lakehouse lakehouse, EpochClock clock, long epoch) {
        this.lakehouse = lakehouse;
        this.clock = clock;
        this.epoch = epoch;
    }

    /** The page's data. {@code audit}: the checks of an audit run for this report, or null when none ran. */
    public ObjectNode data(List<AuditAction.Check> audit) {
        Dataset<Row> inferences = lakehouse.read(Tables.INFERENCES).where(col("epoch").equalTo(epoch));
        Dataset<Row> rewards = lakehouse.read(Tables.REWARDS).where(col("epoch").equalTo(epoch));
        Dataset<Row> attributions = lakehouse.read(Tables.ATTRIBUTIONS).where(col("epoch").equalTo(epoch));

        ObjectNode data = JsonRows.JSON.objectNode();
        data.put("kind", "epoch");
        data.put("epoch", epoch);
        data.put("lakehouse", lakehouse.root());
        List<Row> ledger = lakehouse.read(Tables.REWARD_EPOCHS).where(col("epoch").equalTo(epoch))
                .select("inferences", "fees_wei", "rewards_wei", "unattributed_wei", "accounts", "total_cumulative_wei", "treasury")
                .collectAsList();
        data.set("ledger", ledger.isEmpty() ? JsonRows.JSON.nullNode() : JsonRows.of(ledger.get(0)));
        long accepted = inferences.count();
        data.put("inferences", accepted);
        data.put("empty", accepted == 0);
        data.set("moneyFlow", moneyFlow(inferences, rewards));
        data.set("topContributors", topContributors(rewards, attributions));
        // Per method: a gradient row carries a contributor's whole influence, an n-gram row a share of
        // the spans, so one ranking over both would show only gradient credits.
        ArrayNode topContributions = data.putArray("topContributions");
        for (String method : List.of(NgramAttribution.METHOD, GradientAttribution.METHOD)) {
            topContributions.addAll(JsonRows.of(attributions.where(col("method").equalTo(method))
                    .groupBy("contribution_id", "contributor", "datanet_id", "method")
                    .agg(sum("weight").as("credit"), count(lit(1)).as("inferences"))
                    .orderBy(desc("credit"), col("contribution_id")).limit(TOP_PER_METHOD).collectAsList()));
        }
        data.set("datanetShares", JsonRows.of(attributions.groupBy("model_id", "datanet_id", "method")
                .agg(sum("weight").as("credit")).orderBy("model_id", "datanet_id", "method").collectAsList()));
        data.set("concentration", concentration(rewards));
        data.set("coverage", coverage(inferences, attributions));
        data.set("history", history());
        data.set("ingestion", ingestion());
        data.set("review", review());
        data.set("settlement", settlement(audit));
        return data;
    }

    /** Per model: accepted inferences, their fees, and the epoch's rewards by role. */
    private ArrayNode moneyFlow(Dataset<Row> inferences, Dataset<Row> rewards) {
        Dataset<Row> fees = inferences.groupBy("model_id").agg(count(lit(1)).as("inferences"), sum("fee_wei").as("fees_wei"));
        Dataset<Row> byRole = rewards.groupBy("model_id").pivot("role", List.copyOf(ROLES)).agg(sum("amount_wei"));
        Column[] columns = new Column[3 + ROLES.size()];
        columns[0] = coalesce(fees.col("model_id"), byRole.col("model_id")).as("model_id");
        columns[1] = coalesce(col("inferences"), lit(0L)).as("inferences");
        columns[2] = coalesce(col("fees_wei"), lit(BigDecimal.ZERO)).cast("decimal(38,0)").as("fees_wei");
        for (int i = 0; i < ROLES.size(); i++) {
            columns[3 + i] = coalesce(byRole.col(ROLES.get(i)), lit(BigDecimal.ZERO)).cast("decimal(38,0)").as(ROLES.get(i) + "_wei");
        }
        return JsonRows.of(fees.join(byRole, fees.col("model_id").equalTo(byRole.col("model_id")), "full_outer")
                .select(columns).orderBy("model_id").collectAsList());
    }

    /** The accounts paid most for data, with the datanets and methods that credited them. */
    private ArrayNode topContributors(Dataset<Row> rewards, Dataset<Row> attributions) {
        List<Row> top = rewards.where(col("role").equalTo(FeeSplit.DATA)).groupBy("account")
                .agg(sum("amount_wei").as("data_wei")).orderBy(desc("data_wei"), col("account")).limit(TOP).collectAsList();
        ArrayNode out = JsonRows.of(top);
        if (top.isEmpty()) {
            return out;
        }
        List<Row> how = attributions.where(col("contributor").isin(top.stream().map(r -> r.getString(0)).toArray()))
                .groupBy("contributor")
                .agg(array_sort(collect_set("datanet_id")).as("datanets"), array_sort(collect_set("method")).as("methods"))
                .collectAsList();
        for (int i = 0; i < top.size(); i++) {
            ObjectNode row = (ObjectNode) out.get(i);
            for (Row h : how) {
                if (h.getString(0).equals(top.get(i).getString(0))) {
                    row.set("datanets", JsonRows.value(h.get(1)));
                    row.set("methods", JsonRows.value(h.get(2)));
                }
            }
        }
        return out;
    }

    /**
     * Data rewards per account: the Lorenz curve at every percent of accounts, the Gini coefficient
     * and the top-10 share. The ranking is one sorted window over the accounts paid for data: one row
     * per account, computed on the executors; only 101 points come back.
     */
    private ObjectNode concentration(Dataset<Row> rewards) {
        Dataset<Row> perAccount = rewards.where(col("role").equalTo(FeeSplit.DATA)).groupBy("account")
                .agg(sum("amount_wei").as("wei"));
        Row totals = perAccount.agg(count(lit(1)), sum("wei")).head();
        long n = totals.getLong(0);
        ObjectNode out = JsonRows.JSON.objectNode();
        out.put("accounts", n);
        out.put("data_wei", n == 0 ? "0" : totals.getDecimal(1).toPlainString());
        if (n == 0) {
            out.set("lorenz", JsonRows.JSON.arrayNode());
            out.putNull("gini");
            out.putNull("top10_share");
            return out;
        }
        double total = totals.getDecimal(1).doubleValue();
        WindowSpec ascending = Window.orderBy(col("wei"), col("account"));
        Dataset<Row> ranked = perAccount
                .withColumn("i", row_number().over(ascending))
                .withColumn("cum", sum(col("wei").cast("double")).over(ascending.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
                .cache();
        try {
            double weighted = ranked.agg(sum(col("i").cast("double").multiply(col("wei").cast("double")))).head().getDouble(0);
            out.put("gini", 2 * weighted / (n * total) - (n + 1.0) / n);
            // Point k: the share held by the poorest ceil(k% of n) accounts.
            List<Row> cut = ranked.where(ceilCut(n)).select(col("i"), col("cum")).orderBy("i").collectAsList();
            ArrayNode lorenz = JsonRows.JSON.arrayNode();
            lorenz.add(JsonRows.JSON.arrayNode().add(0.0).add(0.0));
            for (int k = 1; k <= 100; k++) {
                long index = (long) Math.ceil(k * (double) n / 100);
                double held = 0;
                for (Row r : cut) {
                    if (r.getInt(0) == index) {
                        held = r.getDouble(1);
                    }
                }
                lorenz.add(JsonRows.JSON.arrayNode().add(k / 100.0).add(held / total));
            }
            out.set("lorenz", lorenz);
            BigDecimal top10 = ranked.orderBy(desc("wei"), desc("account")).limit(10).agg(sum("wei")).head().getDecimal(0);
            out.put("top10_share", top10.doubleValue() / total);
            out.put("top10_wei", top10.toPlainString());
        } finally {
            ranked.unpersist();
        }
        return out;
    }

    /** Rows at the ranks the Lorenz curve's 100 points read: i = ceil(k·n/100) for k = 1..100. */
    private static Column ceilCut(long n) {
        Column any = lit(false);
        for (int k = 1; k <= 100; k++) {
            any = any.or(col("i").equalTo((long) Math.ceil(k * (double) n / 100)));
        }
        return any;
    }

    /** Per model: inferences with n-gram evidence only, gradient only, both, or none. */
    private ArrayNode coverage(Dataset<Row> inferences, Dataset<Row> attributions) {
        Dataset<Row> evidence = attributions.groupBy("inference_id").agg(
                max(col("method").equalTo(NgramAttribution.METHOD)).as("ngram"),
                max(col("method").equalTo(GradientAttribution.METHOD)).as("gradient"));
        Column ngram = coalesce(col("ngram"), lit(false));
        Column gradient = coalesce(col("gradient"), lit(false));
        return JsonRows.of(inferences.select("inference_id", "model_id").join(evidence, "inference_id", "left")
                .groupBy("model_id").agg(
                        count(lit(1)).as("inferences"),
                        sum(when(ngram.and(gradient), 1L).otherwise(0L)).as("both"),
                        sum(when(ngram.and(gradient.unary_$bang()), 1L).otherwise(0L)).as("ngram_only"),
                        sum(when(gradient.and(ngram.unary_$bang()), 1L).otherwise(0L)).as("gradient_only"),
                        sum(when(ngram.or(gradient).unary_$bang(), 1L).otherwise(0L)).as("none"))
                .orderBy("model_id").collectAsList());
    }

    /** The epoch of a timestamp column by the lakehouse's clock (0 before genesis), as ingest assigns it. */
    Column epochOf(Column ts) {
        long genesis = ChronoUnit.MICROS.between(java.time.Instant.EPOCH, clock.genesis());
        long length = clock.length().toNanos() / 1000;
        Column since = unix_micros(ts).minus(genesis);
        return when(since.lt(0), lit(0L)).otherwise(floor(since.divide(length)).cast("long").plus(1));
    }

    /**
     * One row per epoch so far (every epoch with accepted inferences or a rewards ledger row): fees and
     * rewards, accounts paid, new contributions, and the inference quarantine rate. A quarantined row
     * belongs to the epoch of the {@code ts} in its raw JSON; rows without a readable one (CSV lines,
     * malformed JSON) count in no epoch.
     */
    private ArrayNode history() {
        Dataset<Row> accepted = lakehouse.read(Tables.INFERENCES).groupBy("epoch")
                .agg(count(lit(1)).as("accepted"), sum("fee_wei").as("accepted_fees_wei"));
        Dataset<Row> violations = lakehouse.read(Tables.LICENSE_VIOLATIONS).groupBy("epoch").agg(count(lit(1)).as("license_violations"));
        Dataset<Row> quarantined = lakehouse.read(Tables.QUARANTINE).where(col("table").equalTo("inferences"))
                .select(epochOf(try_to_timestamp(get_json_object(col("raw"), "$.ts"))).as("epoch"))
                .where(col("epoch").isNotNull()).groupBy("epoch").agg(count(lit(1)).as("quarantined"));
        Dataset<Row> ledger = lakehouse.read(Tables.REWARD_EPOCHS).select("epoch", "fees_wei", "rewards_wei", "unattributed_wei");
        Dataset<Row> paid = lakehouse.read(Tables.REWARDS).groupBy("epoch").agg(countDistinct("account").as("accounts_paid"));
        Dataset<Row> contributions = lakehouse.read(Tables.CONTRIBUTIONS).select(epochOf(col("submitted_at")).as("epoch"))
                .groupBy("epoch").agg(count(lit(1)).as("new_contributions"));
        Dataset<Row> epochs = accepted.select("epoch").union(ledger.select("epoch")).distinct();
        Dataset<Row> joined = epochs.join(accepted, "epoch", "left").join(violations, "epoch", "left")
                .join(quarantined, "epoch", "left").join(ledger, "epoch", "left").join(paid, "epoch", "left")
                .join(contributions, "epoch", "left");
        return JsonRows.of(joined.select(col("epoch"),
                        coalesce(col("accepted"), lit(0L)).as("accepted"),
                        coalesce(col("license_violations"), lit(0L)).as("license_violations"),
                        coalesce(col("quarantined"), lit(0L)).as("quarantined"),
                        col("fees_wei"), col("rewards_wei"), col("unattributed_wei"),
                        coalesce(col("accounts_paid"), lit(0L)).as("accounts_paid"),
                        coalesce(col("new_contributions"), lit(0L)).as("new_contributions"))
                .orderBy("epoch").collectAsList());
    }

    /**
     * What the tables hold of every ingest so far, per input kind: rows accepted (the table's rows;
     * inferences include license violations), duplicates recorded ({@code duplicate_content}) and rows
     * quarantined, with the reasons; and this epoch's license violations. Re-read rows that were
     * already ingested are not recorded anywhere, so "read" here is the sum of the three.
     */
    private ObjectNode ingestion() {
        ObjectNode out = JsonRows.JSON.objectNode();
        Dataset<Row> quarantine = lakehouse.read(Tables.QUARANTINE);
        List<Row> reasons = quarantine.groupBy("table", "reason").agg(count(lit(1)).as("rows"))
                .orderBy(col("table"), desc("rows"), col("reason")).collectAsList();
        ArrayNode kinds = JsonRows.JSON.arrayNode();
        for (String kind : KINDS) {
            long acceptedRows = switch (kind) {
                case "datanets" -> lakehouse.read(Tables.DATANETS).count();
                case "contributions" -> lakehouse.read(Tables.CONTRIBUTIONS).count();
                case "votes" -> lakehouse.read(Tables.VOTES).count();
                case "models" -> lakehouse.read(Tables.MODELS).count();
                default -> lakehouse.read(Tables.INFERENCES).count() + lakehouse.read(Tables.LICENSE_VIOLATIONS).count();
            };
            long duplicates = 0;
            long quarantined = 0;
            for (Row r : reasons) {
                if (r.getString(0).equals(kind)) {
                    if (r.getString(1).equals("duplicate_content")) {
                        duplicates += r.getLong(2);
                    } else {
                        quarantined += r.getLong(2);
                    }
                }
            }
            kinds.add(JsonRows.JSON.objectNode().put("kind", kind).put("accepted", acceptedRows).put("duplicates", duplicates)
                    .put("quarantined", quarantined));
        }
        out.set("kinds", kinds);
        out.set("reasons", JsonRows.of(reasons));
        out.set("violations", JsonRows.of(lakehouse.read(Tables.LICENSE_VIOLATIONS).where(col("epoch").equalTo(epoch))
                .groupBy("model_id", "violation").agg(count(lit(1)).as("rows")).orderBy("model_id", "violation").collectAsList()));
        return out;
    }

    /**
     * The validators' review queue as it is now (it is not per epoch): flagged rows per datanet and
     * signal, and the top {@link #REVIEW_TOP} of each.
     */
    private ObjectNode review() {
        ObjectNode out = JsonRows.JSON.objectNode();
        if (!lakehouse.exists(Tables.REVIEW_QUEUE)) {
            out.putArray("counts");
            out.putArray("top");
            return out;
        }
        Dataset<Row> queue = lakehouse.read(Tables.REVIEW_QUEUE);
        out.set("counts", JsonRows.of(queue.groupBy("datanet_id", "signal").agg(count(lit(1)).as("flagged"), max("scored").as("scored"))
                .orderBy("datanet_id", "signal").collectAsList()));
        out.set("top", JsonRows.of(queue.where(col("rank").leq(REVIEW_TOP))
                .select("datanet_id", "signal", "rank", "contribution_id", "contributor", "status", "score", "source_contribution_id",
                        "model_id", "contributor_flagged", "contributor_scored")
                .orderBy("datanet_id", "signal", "rank", "contribution_id").collectAsList()));
        return out;
    }

    /** The root and what it was built from, its transactions, the audit's checks, and proofs for the top balances. */
    private ObjectNode settlement(List<AuditAction.Check> audit) {
        ObjectNode out = JsonRows.JSON.objectNode();
        List<Row> root = lakehouse.read(Tables.MERKLE_ROOTS).where(col("epoch").equalTo(epoch))
                .select("root", "leaf_count", "total_cumulative_wei", "input_versions").collectAsList();
        out.set("root", root.isEmpty() ? JsonRows.JSON.nullNode() : JsonRows.of(root.get(0)));
        out.set("transactions", JsonRows.of(lakehouse.read(Tables.SETTLEMENTS).where(col("epoch").equalTo(epoch))
                .select("chain_id", "contract", "root", "tx_hash", "block_number", "status", "gas_used")
                .orderBy("chain_id", "contract").collectAsList()));
        if (audit == null) {
            out.putNull("audit");
        } else {
            ArrayNode checks = out.putArray("audit");
            audit.forEach(c -> checks.addObject().put("name", c.name()).put("passed", c.passed()).put("detail", c.detail()));
        }
        out.set("proofs", JsonRows.of(lakehouse.read(Tables.MERKLE_PROOFS).where(col("epoch").equalTo(epoch))
                .select("account", "cumulative_wei", "proof").orderBy(desc("cumulative_wei"), col("account")).limit(PROOFS)
                .collectAsList()));
        return out;
    }
}

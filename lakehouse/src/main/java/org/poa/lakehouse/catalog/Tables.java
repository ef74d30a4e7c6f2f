package org.poa.lakehouse.catalog;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Every table of the lakehouse, defined once. docs/tables.md describes them for readers. */
public final class Tables {

    /** Wei amounts: 0 <= x < 10^38. */
    public static final DecimalType WEI = new DecimalType(38, 0);

    /** Fractions such as approval thresholds: exact to 18 decimal places, never floating point. */
    public static final DecimalType FRACTION = new DecimalType(19, 18);

    public static final StructType DATANET_LICENSE = struct(
            req("commercial", BooleanType),
            req("derivatives", BooleanType));

    public static final StructType SPLIT_BPS = struct(
            req("protocol", IntegerType),
            req("developer", IntegerType),
            req("validators", IntegerType),
            req("data", IntegerType));

    public static final StructType MODEL_LICENSE = struct(
            req("fee_per_call_wei", WEI),
            req("allowed_uses", createArrayType(StringType, false)),
            req("split_bps", SPLIT_BPS));

    public static final TableDef DATANETS = new TableDef("datanets", struct(
            req("datanet_id", StringType),
            req("name", StringType),
            req("owner", StringType),
            req("license", DATANET_LICENSE),
            req("quorum", IntegerType),
            req("approval_threshold", FRACTION),
            req("source_file", StringType),
            req("source_line", LongType)),
            List.of(), List.of("datanet_id"), 1,
            "Data pools: owner, license, voting quorum and approval threshold.");

    public static final TableDef CONTRIBUTIONS = new TableDef("contributions", struct(
            req("contribution_id", StringType),
            req("datanet_id", StringType),
            req("contributor", StringType),
            req("content", StringType),
            req("token_count", IntegerType),
            req("submitted_at", TimestampType),
            opt("label", StringType),
            opt("source", StringType),
            req("source_file", StringType),
            req("source_line", LongType)),
            List.of(), List.of("contribution_id"), 1,
            "One row per distinct normalized content of a datanet: the earliest submission.");

    public static final TableDef VOTES = new TableDef("votes", struct(
            req("contribution_id", StringType),
            req("validator", StringType),
            req("verdict", StringType),
            req("voted_at", TimestampType),
            req("source_file", StringType),
            req("source_line", LongType)),
            List.of(), List.of("contribution_id", "validator", "voted_at"), 1,
            "Every validator vote; a validator's latest vote counts.");

    public static final TableDef CONTRIBUTION_STATUS = new TableDef("contribution_status", struct(
            req("contribution_id", StringType),
            req("datanet_id", StringType),
            req("contributor", StringType),
            req("status", StringType),
            req("approvals", IntegerType),
            req("rejections", IntegerType),
            req("valid_from", TimestampType),
            opt("valid_to", TimestampType)),
            List.of(), List.of("contribution_id", "valid_from"), 1,
            "Status timeline: approved/rejected/pending over [valid_from, valid_to); valid_to null = current.");

    public static final TableDef MODELS = new TableDef("models", struct(
            req("model_id", StringType),
            req("developer", StringType),
            req("kind", StringType),
            opt("base_model", StringType),
            req("datanets", createArrayType(StringType, false)),
            req("license", MODEL_LICENSE),
            req("attribution", createMapType(StringType, DoubleType, false)),
            req("source_file", StringType),
            req("source_line", LongType),
            opt("params", createMapType(StringType, StringType, false))),
            List.of(), List.of("model_id"), 2,
            "Registered models with their license and attribution methods (latest registration).");

    public static final TableDef MODEL_LINEAGE = new TableDef("model_lineage", struct(
            req("model_id", StringType),
            req("seq", LongType),
            req("event", StringType),
            req("recorded_at", TimestampType),
            req("details", StringType),
            req("prev_hash", StringType),
            req("hash", StringType)),
            List.of(), List.of("model_id", "seq"), 1,
            "Append-only, hash-chained model events (registered, relicensed, updated, trained, ...).");

    public static final TableDef INFERENCES = new TableDef("inferences", struct(
            req("epoch", LongType),
            req("inference_id", StringType),
            req("model_id", StringType),
            req("caller", StringType),
            req("use", StringType),
            req("fee_wei", WEI),
            req("prompt", StringType),
            req("output", StringType),
            req("ts", TimestampType),
            opt("label", StringType),
            req("source_file", StringType),
            req("source_line", LongType)),
            List.of("epoch"), List.of("inference_id"), 1,
            "Accepted, licensed inferences; epoch from ts.");

    public static final TableDef LICENSE_VIOLATIONS = new TableDef("license_violations", struct(
            req("epoch", LongType),
            req("inference_id", StringType),
            req("model_id", StringType),
            req("caller", StringType),
            req("use", StringType),
            req("fee_wei", WEI),
            req("prompt", StringType),
            req("output", StringType),
            req("ts", TimestampType),
            opt("label", StringType),
            req("violation", StringType),
            req("detail", StringType),
            req("source_file", StringType),
            req("source_line", LongType)),
            List.of("epoch"), List.of("inference_id"), 1,
            "Inferences outside their model's license, kept whole: they earn nobody anything.");

    public static final TableDef QUARANTINE = new TableDef("quarantine", struct(
            req("table", StringType),
            req("source", StringType),
            req("line", LongType),
            req("reason", StringType),
            opt("detail", StringType),
            req("raw", StringType)),
            List.of("table"), List.of("table", "source", "line"), 1,
            "Every rejected input row (and every duplicate contribution), with its reason code.");

    public static final TableDef ATTRIBUTIONS = new TableDef("attributions", struct(
            req("epoch", LongType),
            req("inference_id", StringType),
            req("model_id", StringType),
            req("method", StringType),
            req("contribution_id", StringType),
            req("contributor", StringType),
            req("datanet_id", StringType),
            req("score", DoubleType),
            req("weight", DoubleType)),
            List.of("epoch"), List.of("epoch", "inference_id", "method", "contribution_id"), 1,
            "Per inference and method: the contributions credited, their score and normalized weight.");

    public static final TableDef ATTRIBUTION_SPANS = new TableDef("attribution_spans", struct(
            req("epoch", LongType),
            req("inference_id", StringType),
            req("model_id", StringType),
            req("start", IntegerType),
            req("end", IntegerType),
            req("length", IntegerType),
            req("contribution_ids", createArrayType(StringType, false)),
            req("count", IntegerType)),
            List.of("epoch"), List.of("epoch", "inference_id", "start"), 1,
            "The n-gram spans behind each credit: token range of the output and the contributions holding it.");

    public static final TableDef REWARDS = new TableDef("rewards", struct(
            req("epoch", LongType),
            req("account", StringType),
            req("role", StringType),
            req("model_id", StringType),
            req("amount_wei", WEI)),
            List.of("epoch"), List.of("epoch", "account", "role", "model_id"), 1,
            "Exact integer-wei rewards of an epoch per account, role and model.");

    public static final TableDef BALANCES = new TableDef("balances", struct(
            req("epoch", LongType),
            req("account", StringType),
            req("cumulative_wei", WEI)),
            List.of("epoch"), List.of("epoch", "account"), 1,
            "Cumulative earnings per account after each epoch.");

    public static final TableDef MERKLE_ROOTS = new TableDef("merkle_roots", struct(
            req("epoch", LongType),
            req("root", StringType),
            req("leaf_count", LongType),
            req("total_cumulative_wei", WEI),
            req("input_versions", createMapType(StringType, LongType, false))),
            List.of(), List.of("epoch"), 1,
            "Per epoch: the Merkle root of the balances and the Delta versions of the tables it came from.");

    public static final TableDef MERKLE_PROOFS = new TableDef("merkle_proofs", struct(
            req("epoch", LongType),
            req("account", StringType),
            req("cumulative_wei", WEI),
            req("proof", createArrayType(StringType, false))),
            List.of("epoch"), List.of("epoch", "account"), 1,
            "Per epoch and account: the Merkle proof of (account, cumulative_wei).");

    public static final TableDef SETTLEMENTS = new TableDef("settlements", struct(
            req("epoch", LongType),
            req("root", StringType),
            req("chain_id", LongType),
            req("contract", StringType),
            opt("tx_hash", StringType),
            opt("block_number", LongType),
            req("status", StringType),
            // Version 2 added gas_used (at the end, where a migration of version 1 puts it).
            opt("gas_used", LongType)),
            List.of(), List.of("epoch", "chain_id", "contract"), 2,
            "Per epoch, chain and distributor: the transaction that put the epoch's root on chain.");

    public static final TableDef NGRAM_INDEX = new TableDef("ngram_index", struct(
            req("contribution_id", StringType),
            req("datanet_id", StringType),
            req("shard", StringType),
            req("ordinal", IntegerType),
            req("token_count", IntegerType),
            req("build", LongType)),
            List.of(), List.of("contribution_id"), 1,
            "The n-gram index: which shard file under _ngram_shards/ holds each approved contribution's tokens.");

    public static final TableDef REWARD_EPOCHS = new TableDef("reward_epochs", struct(
            req("epoch", LongType),
            req("inferences", LongType),
            req("fees_wei", WEI),
            req("rewards_wei", WEI),
            req("unattributed_wei", WEI),
            req("accounts", LongType),
            req("total_cumulative_wei", WEI),
            req("treasury", StringType),
            req("input_versions", createMapType(StringType, LongType, false)),
            req("rewards_version", LongType),
            req("balances_version", LongType)),
            List.of(), List.of("epoch"), 1,
            "The ledger of computed epochs: totals checked, inputs read and the rewards/balances versions written.");

    public static final TableDef MODEL_CHECKPOINTS = new TableDef("model_checkpoints", struct(
            req("model_id", StringType),
            req("checkpoint", IntegerType),
            req("iterations", IntegerType),
            req("lr", DoubleType),
            req("labels", createArrayType(StringType, false)),
            req("num_features", IntegerType),
            req("coefficients", createArrayType(DoubleType, false)),
            req("intercepts", createArrayType(DoubleType, false)),
            req("training_examples", LongType),
            req("training_digest", StringType),
            req("contributions_version", LongType),
            req("status_version", LongType),
            req("weights_hash", StringType),
            req("trained_at", TimestampType)),
            List.of(), List.of("model_id", "checkpoint"), 1,
            "Checkpoints of the classifiers trained here (softmax weights, row major K x D) with their TracIn weight.");

    public static final TableDef GRADIENTS = new TableDef("gradients", struct(
            req("model_id", StringType),
            req("kind", StringType),
            req("id", StringType),
            req("checkpoint", IntegerType),
            req("lr", DoubleType),
            req("vector", createArrayType(org.apache.spark.sql.types.DataTypes.FloatType, false)),
            req("source_file", StringType),
            req("source_line", LongType)),
            List.of("model_id"), List.of("model_id", "kind", "id", "checkpoint"), 1,
            "Imported projected gradients of models trained elsewhere: per contribution or inference and checkpoint.");

    public static final TableDef INFLUENCE_USAGE = new TableDef("influence_usage", struct(
            req("epoch", LongType),
            req("inference_id", StringType),
            req("model_id", StringType),
            req("rank", IntegerType),
            req("contribution_id", StringType),
            req("contributor", StringType),
            req("datanet_id", StringType),
            req("score", DoubleType)),
            List.of("epoch"), List.of("epoch", "inference_id", "rank"), 1,
            "Per gradient-attributed inference: its most influential training contributions, best first.");

    public static final TableDef REVIEW_QUEUE = new TableDef("review_queue", struct(
            req("datanet_id", StringType),
            req("signal", StringType),
            req("contribution_id", StringType),
            req("contributor", StringType),
            req("status", StringType),
            req("score", DoubleType),
            req("rank", IntegerType),
            req("scored", LongType),
            opt("source_contribution_id", StringType),
            opt("source_contributor", StringType),
            opt("model_id", StringType),
            opt("checkpoints", createArrayType(IntegerType, false)),
            req("contributor_flagged", LongType),
            req("contributor_scored", LongType),
            req("input_versions", createMapType(StringType, LongType, false))),
            List.of(), List.of("datanet_id", "signal", "contribution_id"), 1,
            "For validators: pending or approved contributions a review signal flags (self-influence, copied spans), ranked per datanet.");

    private static final List<TableDef> ALL = List.of(
            DATANETS, CONTRIBUTIONS, VOTES, CONTRIBUTION_STATUS, MODELS, MODEL_LINEAGE, INFERENCES,
            LICENSE_VIOLATIONS, QUARANTINE, ATTRIBUTIONS, ATTRIBUTION_SPANS, REWARDS, BALANCES,
            MERKLE_ROOTS, MERKLE_PROOFS, SETTLEMENTS, NGRAM_INDEX, REWARD_EPOCHS, MODEL_CHECKPOINTS, GRADIENTS,
            INFLUENCE_USAGE, REVIEW_QUEUE);

    private Tables() {
    }

    /** Every table, in the order of DESIGN.md, then the project's own additions. */
    public static List<TableDef> all() {
        return ALL;
    }

    /** The table of this name. */
    public static TableDef byName(String name) {
        for (TableDef table : ALL) {
            if (table.name().equals(name)) {
                return table;
            }
        }
        throw new IllegalArgumentException("no table named '" + name + "'");
    }

    private static StructType struct(StructField... fields) {
        return new StructType(fields);
    }

    private static StructField req(String name, DataType type) {
        return new StructField(name, type, false, Metadata.empty());
    }

    private static StructField opt(String name, DataType type) {
        return new StructField(name, type, true, Metadata.empty());
    }
}

package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sha1;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.action.StepRows;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.spark.Columns;
import org.poa.lakehouse.status.StatusRule;

/**
 * Brings the n-gram index up to date: every contribution that has ever been approved and is not
 * indexed yet is tokenized once and written into new shard files of a new build; one Delta commit
 * to {@code ngram_index} then makes the build visible. A run killed before that commit leaves
 * shard files nobody points to, which the next run overwrites with the same bytes.
 */
final class NgramIndexBuild {

    /** Default shard size: large enough for few files, small enough to build in one task's memory. */
    public static final long DEFAULT_SHARD_TOKENS = 16_000_000L;

    /** What a build added. */
    public record Result(long build, long documents, long tokens, long shards) implements StepResult {
        public boolean empty() {
            return documents == 0;
        }

        @Override
        public StepRows rows() {
            return new StepRows(documents, "documents", tokens, "tokens");
        }

        @Override
        public java.util.List<String> lines() {
            return java.util.List.of(empty() ? "n-gram index: up to date, nothing added"
                    : String.format("n-gram index build %d: added %d contributions, %d tokens in %d shard files", build, documents,
                            tokens, shards));
        }
    }

    private NgramIndexBuild() {
    }

    static Result update(Lakehouse lakehouse, long shardTokens) {
        if (shardTokens < 1) {
            throw new IllegalArgumentException("--shard-tokens must be positive");
        }
        Dataset<Row> everApproved = lakehouse.read(Tables.CONTRIBUTION_STATUS)
                .where(col("status").equalTo(StatusRule.APPROVED)).select("contribution_id").distinct();
        Dataset<Row> index = lakehouse.read(Tables.NGRAM_INDEX);
        Dataset<Row> fresh = lakehouse.read(Tables.CONTRIBUTIONS)
                .join(everApproved, Columns.using("contribution_id"))
                .join(index.select("contribution_id"), Columns.using("contribution_id"), "left_anti")
                .select("contribution_id", "datanet_id", "content", "token_count");

        // One row per datanet: a registry-sized result.
        List<Row> datanets = fresh.groupBy("datanet_id")
                .agg(sum("token_count").as("tokens"), count(lit(1)).as("documents"))
                .orderBy("datanet_id").collectAsList();
        if (datanets.isEmpty()) {
            return new Result(0, 0, 0, 0);
        }
        Row last = index.agg(max("build")).head();
        long build = last.isNullAt(0) ? 1 : last.getLong(0) + 1;
        List<Row> buckets = new ArrayList<>();
        long shards = 0;
        long documents = 0;
        long tokens = 0;
        for (Row datanet : datanets) {
            long datanetTokens = datanet.getLong(1);
            int count = (int) Math.max(1, Math.min(10_000, (datanetTokens + shardTokens - 1) / shardTokens));
            buckets.add(RowFactory.create(datanet.getString(0), count));
            shards += count;
            documents += datanet.getLong(2);
            tokens += datanetTokens;
        }
        StructType bucketSchema = new StructType()
                .add("datanet_id", DataTypes.StringType).add("buckets", DataTypes.IntegerType);
        Dataset<Row> bucketCounts = lakehouse.spark().createDataFrame(buckets, bucketSchema);

        // Shard names: build / readable datanet id + a hash (two ids that clean up alike stay apart) - bucket.
        Dataset<Row> assigned = fresh.join(broadcast(bucketCounts), Columns.using("datanet_id"))
                .withColumn("shard", concat(
                        format_string("%06d/", lit(build)),
                        regexp_replace(col("datanet_id"), "[^A-Za-z0-9_.-]", "_"),
                        lit("-"), substring(sha1(col("datanet_id").cast("binary")), 1, 8),
                        format_string("-%04d", pmod(xxhash64(col("contribution_id")), col("buckets").cast("long")))))
                .select("contribution_id", "datanet_id", "content", "shard")
                .repartition((int) Math.min(shards, Integer.MAX_VALUE), col("shard"))
                .sortWithinPartitions("shard", "contribution_id");
        Dataset<Row> rows = assigned.mapPartitions(
                new ShardWriterTask(ShardLocation.folder(lakehouse), HadoopSettings.of(lakehouse), build),
                Encoders.row(Tables.NGRAM_INDEX.schema()));
        // Written once: the shard files are a side effect of computing these rows.
        rows = rows.persist(StorageLevel.DISK_ONLY());
        try {
            rows.count();
            TableWrites.insertNew(lakehouse, Tables.NGRAM_INDEX, rows);
        } finally {
            rows.unpersist();
        }
        return new Result(build, documents, tokens, shards);
    }
}

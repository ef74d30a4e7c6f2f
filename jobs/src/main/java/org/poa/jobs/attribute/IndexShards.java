package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.spark.Columns;

/**
 * Splits one model's corpus for one epoch (its datanets' indexed contributions approved as of the
 * epoch's end) into the shards of its in-memory index, each within the memory that
 * {@value #SHARD_MEMORY} gives a shard. Each shard is loaded where its share of the span finding
 * runs (every output against every shard; {@link org.poa.attribution.ngram.SpanMerge} merges the
 * answers exactly), so a corpus needs no executor that holds all of it, and more executors hold
 * more of it at once.
 *
 * <p>A shard is a run of pieces of shard files, in file order: the allowed documents, in file and
 * ordinal order, are cut where their bytes pass each multiple of a shard's size, so every shard but
 * the last is full (it may pass its size by one document) and a file may be split between two
 * shards. Each file's start in that order comes from one row per file; each document's shard from
 * a window per file, in Spark. Only one row per piece, with one bit per allowed document, reaches
 * the driver.
 */
public final class IndexShards {

    /** The Spark setting: the heap one shard of the index may take, e.g. {@code 1g} (the default) or {@code 64m}. */
    public static final String SHARD_MEMORY = "spark.poa.ngram.shardMemory";
    public static final String DEFAULT_SHARD_MEMORY = "1g";
    /**
     * What a token costs a shard at most, while it is built: 11 bytes in its arrays (token 4, entry 4,
     * print 1, buckets 1 to 2; see SpanIndex) and 2 more that the build deals beside each window.
     */
    public static final long BYTES_PER_TOKEN = 13;
    /** What a document costs beyond its tokens: its separator, start, id (66 bytes of UTF-8) and offset. */
    public static final long BYTES_PER_DOCUMENT = 80;

    private IndexShards() {
    }

    /** The shard memory the session sets, in bytes. */
    public static long shardMemory(Lakehouse lakehouse) {
        String value = lakehouse.spark().conf().get(SHARD_MEMORY, DEFAULT_SHARD_MEMORY);
        long bytes;
        try {
            bytes = JavaUtils.byteStringAsBytes(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SHARD_MEMORY + " must be a size such as 1g or 512m, got '" + value + "'");
        }
        if (bytes < 1) {
            throw new IllegalArgumentException(SHARD_MEMORY + " must be positive, got '" + value + "'");
        }
        return bytes;
    }

    /** The model's index shards, in order; empty when no document is allowed. */
    public static List<CorpusSpec> plan(Lakehouse lakehouse, List<String> datanets, Dataset<Row> approved, int k, long shardBytes) {
        var bytes = col("token_count").multiply(BYTES_PER_TOKEN).plus(BYTES_PER_DOCUMENT);
        Dataset<Row> documents = lakehouse.read(Tables.NGRAM_INDEX)
                .where(col("datanet_id").isin(datanets.toArray()))
                .join(approved, Columns.using("contribution_id"))
                .select(col("shard"), col("ordinal"), col("token_count"), bytes.as("bytes"))
                .persist(StorageLevel.DISK_ONLY());
        try {
            return plan(lakehouse, documents, k, shardBytes);
        } finally {
            documents.unpersist();
        }
    }

    /** The shards of the allowed documents (read twice: kept on disk meanwhile). */
    private static List<CorpusSpec> plan(Lakehouse lakehouse, Dataset<Row> documents, int k, long shardBytes) {
        UserDefinedFunction bits = udf((UDF1<scala.collection.Seq<Integer>, byte[]>) ordinals -> {
            BitSet set = new BitSet();
            scala.collection.Iterator<Integer> it = ordinals.iterator();
            while (it.hasNext()) {
                set.set(it.next());
            }
            return set.toByteArray();
        }, DataTypes.BinaryType);
        // Where each file's allowed documents start, in bytes of the whole corpus: one row per file.
        List<Row> fileStarts = new ArrayList<>();
        long corpusBytes = 0;
        for (Row file : documents.groupBy("shard").agg(sum("bytes").as("bytes")).orderBy("shard").collectAsList()) {
            fileStarts.add(RowFactory.create(file.getString(0), corpusBytes));
            corpusBytes += file.getLong(1);
        }
        Dataset<Row> starts = lakehouse.spark().createDataFrame(fileStarts, new StructType()
                .add("shard", DataTypes.StringType, false).add("file_start", DataTypes.LongType, false));
        var file = Window.partitionBy("shard").orderBy("ordinal");
        // A document's piece: the number of the shard it falls in, by the allowed bytes before it.
        List<Row> pieces = documents.join(broadcast(starts), Columns.using("shard"))
                .withColumn("piece", floor(col("file_start")
                        .plus(coalesce(sum("bytes").over(file.rowsBetween(Window.unboundedPreceding(), -1)), lit(0)))
                        .divide(shardBytes)))
                .groupBy("piece", "shard")
                .agg(bits.apply(collect_list(col("ordinal"))).as("allowed"), sum("token_count").as("tokens"))
                .orderBy("piece", "shard").collectAsList();
        String folder = ShardLocation.folder(lakehouse);
        List<CorpusSpec> shards = new ArrayList<>();
        List<CorpusSpec.Shard> current = new ArrayList<>();
        long currentPiece = -1;
        for (Row piece : pieces) {
            if (!current.isEmpty() && piece.getLong(0) != currentPiece) {
                shards.add(new CorpusSpec(k, current));
                current = new ArrayList<>();
            }
            currentPiece = piece.getLong(0);
            current.add(new CorpusSpec.Shard(ShardLocation.file(folder, piece.getString(1)), (byte[]) piece.get(2), piece.getLong(3)));
        }
        if (!current.isEmpty()) {
            shards.add(new CorpusSpec(k, current));
        }
        return shards;
    }
}

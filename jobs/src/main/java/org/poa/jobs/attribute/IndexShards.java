package org.poa.jobs.attribute;

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
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
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
 * <p>A shard is a run of pieces of shard files, in file order: a file's allowed documents are cut,
 * in ordinal order, into pieces of at most a shard's size (plus one document), and consecutive
 * pieces are packed while they fit. The cut is computed in Spark (a window per file); only one row
 * per piece, with one bit per allowed document, reaches the driver.
 */
public final class IndexShards {

    /** The Spark setting: the heap one shard of the index may take, e.g. {@code 1g} (the default) or {@code 64m}. */
    public static final String SHARD_MEMORY = "spark.poa.ngram.shardMemory";
    public static final String DEFAULT_SHARD_MEMORY = "1g";
    /**
     * What a token costs a loaded shard: 10 bytes in its arrays (token 4, entry 4, print 1, buckets
     * 1; see SpanIndex) and some slack for the vocabulary.
     */
    public static final long BYTES_PER_TOKEN = 12;
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
        UserDefinedFunction bits = udf((UDF1<scala.collection.Seq<Integer>, byte[]>) ordinals -> {
            BitSet set = new BitSet();
            scala.collection.Iterator<Integer> it = ordinals.iterator();
            while (it.hasNext()) {
                set.set(it.next());
            }
            return set.toByteArray();
        }, DataTypes.BinaryType);
        var file = Window.partitionBy("shard").orderBy("ordinal");
        var bytes = col("token_count").multiply(BYTES_PER_TOKEN).plus(BYTES_PER_DOCUMENT);
        // A document's piece: how many whole shards the allowed documents before it in its file fill.
        List<Row> pieces = lakehouse.read(Tables.NGRAM_INDEX)
                .where(col("datanet_id").isin(datanets.toArray()))
                .join(approved, Columns.using("contribution_id"))
                .withColumn("bytes", bytes)
                .withColumn("piece", floor(coalesce(sum("bytes").over(file.rowsBetween(Window.unboundedPreceding(), -1)), lit(0))
                        .divide(shardBytes)))
                .groupBy("shard", "piece")
                .agg(bits.apply(collect_list(col("ordinal"))).as("allowed"), sum("token_count").as("tokens"), sum("bytes").as("bytes"))
                .orderBy("shard", "piece").collectAsList();
        String folder = ShardLocation.folder(lakehouse);
        List<CorpusSpec> shards = new ArrayList<>();
        List<CorpusSpec.Shard> current = new ArrayList<>();
        long currentBytes = 0;
        for (Row piece : pieces) {
            long pieceBytes = piece.getLong(4);
            if (!current.isEmpty() && currentBytes + pieceBytes > shardBytes) {
                shards.add(new CorpusSpec(k, current));
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(new CorpusSpec.Shard(ShardLocation.file(folder, piece.getString(0)), (byte[]) piece.get(2), piece.getLong(3)));
            currentBytes += pieceBytes;
        }
        if (!current.isEmpty()) {
            shards.add(new CorpusSpec(k, current));
        }
        return shards;
    }
}

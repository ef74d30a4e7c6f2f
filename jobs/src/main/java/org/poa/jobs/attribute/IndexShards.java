package org.poa.jobs.attribute;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
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
 * one task that holds the whole file ({@link ShardPieceTask}). Only one row per piece, with one bit
 * per allowed document, reaches the driver.
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

    /** What one allowed document of {@code tokens} tokens costs its shard, in bytes. */
    static long documentBytes(int tokens) {
        return tokens * BYTES_PER_TOKEN + BYTES_PER_DOCUMENT;
    }

    /** {@link #documentBytes(int)} as a column, of a column of token counts. */
    private static Column documentBytes(Column tokens) {
        return tokens.cast("long").multiply(BYTES_PER_TOKEN).plus(BYTES_PER_DOCUMENT);
    }

    /** The model's index shards, in order; empty when no document is allowed. */
    public static List<CorpusSpec> plan(Lakehouse lakehouse, List<String> datanets, Dataset<Row> approved, int k, long shardBytes) {
        Dataset<Row> documents = lakehouse.read(Tables.NGRAM_INDEX)
                .where(col("datanet_id").isin(datanets.toArray()))
                .join(approved, Columns.using("contribution_id"))
                .select(col("shard"), col("ordinal"), col("token_count"))
                .persist(StorageLevel.DISK_ONLY());
        try {
            String folder = ShardLocation.folder(lakehouse);
            List<CorpusSpec> shards = new ArrayList<>();
            List<CorpusSpec.Shard> current = new ArrayList<>();
            long currentPiece = -1;
            for (Row piece : pieces(documents, shardBytes)) {
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
        } finally {
            documents.unpersist();
        }
    }

    /**
     * The pieces ({@link ShardPieceTask#PIECE}) of the allowed documents ({@code shard, ordinal,
     * token_count}; read twice, so the caller keeps them), ordered by piece and file. Two jobs: the
     * allowed bytes per file, then the files' documents gathered by file and cut in their tasks.
     */
    static List<Row> pieces(Dataset<Row> documents, long shardBytes) {
        // Where each file's allowed documents start, in bytes of the whole corpus: one row per file.
        Map<String, Long> fileStarts = new HashMap<>();
        long corpusBytes = 0;
        for (Row file : documents.groupBy("shard").agg(sum(documentBytes(col("token_count"))).as("bytes")).orderBy("shard").collectAsList()) {
            fileStarts.put(file.getString(0), corpusBytes);
            corpusBytes += file.getLong(1);
        }
        List<Row> pieces = new ArrayList<>(documents.select("shard", "ordinal", "token_count").repartition(col("shard"))
                .mapPartitions(new ShardPieceTask(fileStarts, shardBytes), Encoders.row(ShardPieceTask.PIECE))
                .collectAsList());
        pieces.sort(Comparator.<Row>comparingLong(r -> r.getLong(0)).thenComparing(r -> r.getString(1)));
        return pieces;
    }
}

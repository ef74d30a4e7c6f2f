package org.poa.jobs.attribute;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Cuts the allowed documents of whole shard files into the pieces of {@link IndexShards}: the rows
 * of a partition ({@code shard, ordinal, token_count}, every row of a file in one partition, in any
 * order) are filed by ordinal, then each file is walked in ordinal order from its start in the
 * corpus, and a document's piece is the corpus bytes before it divided by the shard size. One row
 * per (piece, file) leaves the task, with one bit per allowed document. No sort is needed: a file's
 * ordinals are dense, so a file costs its task 4 bytes per document it holds (the index itself costs
 * 13 per token).
 */
final class ShardPieceTask implements MapPartitionsFunction<Row, Row> {

    static final StructType PIECE = new StructType()
            .add("piece", DataTypes.LongType, false)
            .add("shard", DataTypes.StringType, false)
            .add("allowed", DataTypes.BinaryType, false)
            .add("tokens", DataTypes.LongType, false);

    private final Map<String, Long> fileStarts;
    private final long shardBytes;

    /** {@code fileStarts}: each file's allowed bytes before it in the corpus (one entry per file). */
    ShardPieceTask(Map<String, Long> fileStarts, long shardBytes) {
        this.fileStarts = new HashMap<>(fileStarts);
        this.shardBytes = shardBytes;
    }

    /** One file's allowed documents: their token counts by ordinal. */
    private static final class FileDocuments {
        final BitSet allowed = new BitSet();
        int[] tokens = new int[1024];

        void add(String file, int ordinal, int tokenCount) {
            if (allowed.get(ordinal)) {
                throw new IllegalStateException("document " + ordinal + " of " + file + " is allowed twice");
            }
            allowed.set(ordinal);
            if (ordinal >= tokens.length) {
                tokens = Arrays.copyOf(tokens, Math.max(ordinal + 1, 2 * tokens.length));
            }
            tokens[ordinal] = tokenCount;
        }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> documents) {
        Map<String, FileDocuments> files = new HashMap<>();
        while (documents.hasNext()) {
            Row row = documents.next();
            String file = row.getString(0);
            files.computeIfAbsent(file, f -> new FileDocuments()).add(file, row.getInt(1), row.getInt(2));
        }
        List<Row> pieces = new ArrayList<>();
        for (var entry : files.entrySet()) {
            String file = entry.getKey();
            FileDocuments docs = entry.getValue();
            Long start = fileStarts.get(file);
            if (start == null) {
                throw new IllegalStateException("no corpus start for shard file " + file);
            }
            long at = start;
            long piece = -1;
            BitSet bits = null;
            long tokens = 0;
            for (int ordinal = docs.allowed.nextSetBit(0); ordinal >= 0; ordinal = docs.allowed.nextSetBit(ordinal + 1)) {
                long here = Math.floorDiv(at, shardBytes);
                if (here != piece) {
                    if (bits != null) {
                        pieces.add(RowFactory.create(piece, file, bits.toByteArray(), tokens));
                    }
                    piece = here;
                    bits = new BitSet();
                    tokens = 0;
                }
                bits.set(ordinal);
                tokens += docs.tokens[ordinal];
                at += IndexShards.documentBytes(docs.tokens[ordinal]);
            }
            if (bits != null) {
                pieces.add(RowFactory.create(piece, file, bits.toByteArray(), tokens));
            }
        }
        return pieces.iterator();
    }
}

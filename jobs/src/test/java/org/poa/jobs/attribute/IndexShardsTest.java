package org.poa.jobs.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.SharedSpark;

class IndexShardsTest {

    /** A plain walk: files in name order, each file's documents in ordinal order, cut by the bytes before them. */
    private static List<String> reference(List<Row> documents, long shardBytes) {
        List<Row> sorted = new ArrayList<>(documents);
        sorted.sort((a, b) -> a.getString(0).equals(b.getString(0)) ? Integer.compare(a.getInt(1), b.getInt(1))
                : a.getString(0).compareTo(b.getString(0)));
        List<String> pieces = new ArrayList<>();
        long before = 0;
        String file = null;
        long piece = -1;
        BitSet bits = null;
        long tokens = 0;
        for (Row doc : sorted) {
            long here = before / shardBytes;
            if (!doc.getString(0).equals(file) || here != piece) {
                if (bits != null) {
                    pieces.add(describe(piece, file, bits, tokens));
                }
                file = doc.getString(0);
                piece = here;
                bits = new BitSet();
                tokens = 0;
            }
            bits.set(doc.getInt(1));
            tokens += doc.getInt(2);
            before += doc.getInt(2) * IndexShards.BYTES_PER_TOKEN + IndexShards.BYTES_PER_DOCUMENT;
        }
        if (bits != null) {
            pieces.add(describe(piece, file, bits, tokens));
        }
        return pieces;
    }

    private static String describe(long piece, String file, BitSet bits, long tokens) {
        return piece + " " + file + " " + bits + " " + tokens;
    }

    /**
     * Random files, each with a random subset of its ordinals allowed and random token counts, in
     * shuffled order over 1 and 5 partitions, against the plain walk: shards that split files and
     * files that hold several shards, shards of one document (a size below one document's), and one
     * shard of everything.
     */
    @Test
    void cutsFilesWhereAPlainWalkCutsThem() {
        SparkSession spark = SharedSpark.session();
        StructType schema = new StructType().add("shard", DataTypes.StringType, false)
                .add("ordinal", DataTypes.IntegerType, false).add("token_count", DataTypes.IntegerType, false);
        Random random = new Random(11);
        for (int round = 0; round < 2; round++) {
            List<Row> documents = new ArrayList<>();
            int files = 1 + random.nextInt(6);
            long bytes = 0;
            for (int f = 0; f < files; f++) {
                String file = "part-" + (char) ('a' + random.nextInt(26)) + f + ".bin";
                int ordinals = 1 + random.nextInt(1000);
                for (int o = 0; o < ordinals; o++) {
                    if (random.nextInt(4) > 0) {
                        int tokens = random.nextInt(200);
                        documents.add(RowFactory.create(file, o, tokens));
                        bytes += tokens * IndexShards.BYTES_PER_TOKEN + IndexShards.BYTES_PER_DOCUMENT;
                    }
                }
            }
            Collections.shuffle(documents, random);
            long[] sizes = {1, Math.max(1, bytes / 7), bytes + 1};
            for (long shardBytes : sizes) {
                int partitions = round == 0 ? 1 : 5;
                Dataset<Row> frame = spark.createDataFrame(documents, schema).repartition(partitions);
                List<String> actual = new ArrayList<>();
                for (Row piece : IndexShards.pieces(frame, shardBytes)) {
                    actual.add(describe(piece.getLong(0), piece.getString(1), BitSet.valueOf((byte[]) piece.get(2)), piece.getLong(3)));
                }
                List<String> expected = reference(documents, shardBytes);
                for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                    assertEquals(expected.get(i), actual.get(i), "round " + round + ", shard bytes " + shardBytes + ", piece " + i);
                }
                assertEquals(expected.size(), actual.size(), "round " + round + ", shard bytes " + shardBytes + ": pieces");
                if (shardBytes == 1) {
                    assertEquals(documents.size(), actual.size(), "a piece per document when a shard holds one");
                }
            }
        }
    }
}

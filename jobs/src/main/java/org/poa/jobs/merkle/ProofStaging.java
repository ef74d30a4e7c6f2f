package org.poa.jobs.merkle;

import org.poa.core.crypto.Hex;

import org.poa.core.merkle.PayoutTree;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Streams a tree's proofs from the driver into Parquet files, a million rows per file, so Spark
 * can load them into {@code merkle_proofs} without the driver ever holding them as rows. The
 * driver only holds the tree itself (about 130 bytes per account).
 */
final class ProofStaging {

    static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
            "message proof { required binary account (UTF8); required binary cumulative_wei (UTF8); required binary proof (UTF8); }");

    private static final int ROWS_PER_FILE = 1_000_000;

    private ProofStaging() {
    }

    /** Writes every value's proof (hashes joined by commas) under a new folder; returns it. */
    static Path write(PayoutTree tree, Path parent, Configuration conf) throws IOException {
        Path folder = new Path(parent, "_proofs-" + UUID.randomUUID());
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        byte[] buffer = new byte[32 * 64];
        StringBuilder proof = new StringBuilder(67 * 32);
        ParquetWriter<Group> writer = null;
        try {
            for (int i = 0; i < tree.size(); i++) {
                if (i % ROWS_PER_FILE == 0) {
                    if (writer != null) {
                        writer.close();
                    }
                    writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(
                                    new Path(folder, String.format("part-%05d.parquet", i / ROWS_PER_FILE)), conf))
                            .withConf(conf).withType(SCHEMA).withCompressionCodec(CompressionCodecName.SNAPPY).build();
                }
                int count = tree.proof(i, buffer);
                proof.setLength(0);
                for (int k = 0; k < count; k++) {
                    if (k > 0) {
                        proof.append(',');
                    }
                    proof.append(Hex.of(buffer, 32 * k, 32));
                }
                writer.write(groups.newGroup()
                        .append("account", tree.values().address(i))
                        .append("cumulative_wei", tree.values().amount(i).toString())
                        .append("proof", proof.toString()));
            }
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
        return folder;
    }

    static void delete(Path folder, Configuration conf) throws IOException {
        FileSystem fs = folder.getFileSystem(conf);
        fs.delete(folder, true);
    }

    static List<String> files(Path folder, Configuration conf) throws IOException {
        List<String> out = new ArrayList<>();
        for (var status : folder.getFileSystem(conf).listStatus(folder)) {
            if (status.getPath().getName().endsWith(".parquet")) {
                out.add(status.getPath().toString());
            }
        }
        return out;
    }
}

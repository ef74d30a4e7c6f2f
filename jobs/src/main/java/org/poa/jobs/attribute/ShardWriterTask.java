package org.poa.jobs.attribute;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.poa.attribution.ngram.ShardFile;
import org.poa.core.text.TextNormalizer;

/**
 * Tokenizes the contributions of a partition (sorted by shard, then contribution id) and writes
 * one shard file per shard; returns an {@code ngram_index} row per contribution. The same input
 * writes the same bytes, so a retried task or a re-run after a crash overwrites a file with itself.
 */
final class ShardWriterTask implements MapPartitionsFunction<Row, Row> {

    private final String folder;
    private final HadoopSettings settings;
    private final long build;

    ShardWriterTask(String folder, HadoopSettings settings, long build) {
        this.folder = folder;
        this.settings = settings;
        this.build = build;
    }

    /** Input columns: contribution_id, datanet_id, content, shard. */
    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws IOException {
        List<Row> out = new ArrayList<>();
        String shard = null;
        ShardFile.Builder builder = null;
        List<Row> members = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            String rowShard = row.getString(3);
            if (!rowShard.equals(shard)) {
                flush(shard, builder, members, out);
                shard = rowShard;
                builder = new ShardFile.Builder();
                members = new ArrayList<>();
            }
            List<String> tokens = TextNormalizer.tokens(row.getString(2));
            members.add(RowFactory.create(row.getString(0), row.getString(1), shard, builder.documentCount(),
                    tokens.size(), build));
            builder.add(row.getString(0), tokens);
        }
        flush(shard, builder, members, out);
        return out.iterator();
    }

    private void flush(String shard, ShardFile.Builder builder, List<Row> members, List<Row> out) {
        if (shard == null) {
            return;
        }
        Path path = new Path(ShardLocation.file(folder, shard));
        try {
            FileSystem fs = path.getFileSystem(settings.configuration());
            try (OutputStream stream = new BufferedOutputStream(fs.create(path, true), 1 << 20)) {
                builder.writeTo(stream);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write n-gram index shard " + path + ": " + e.getMessage(), e);
        }
        out.addAll(members);
    }
}

package org.poa.jobs.attribute;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.poa.attribution.ngram.SpanIndex;

/**
 * One in-memory span index per JVM (driver in local mode, each executor on a cluster), shared by
 * the tasks that run there. It holds the last corpus asked for: the attribute job runs one model's
 * tasks at a time, so a second index never needs to live beside the first.
 */
public final class SpanIndexCache {

    private static String currentKey;
    private static SpanIndex current;
    private static volatile long lastLoadMillis;

    private SpanIndexCache() {
    }

    public static synchronized SpanIndex get(CorpusSpec spec, HadoopSettings settings) {
        String key = spec.key();
        if (key.equals(currentKey)) {
            return current;
        }
        current = null;
        currentKey = null;
        long start = System.nanoTime();
        current = load(spec, settings.configuration());
        lastLoadMillis = (System.nanoTime() - start) / 1_000_000;
        currentKey = key;
        return current;
    }

    /** How long the last index took to load in this JVM (the driver's, in local mode). */
    public static long lastLoadMillis() {
        return lastLoadMillis;
    }

    /** Builds the index of a corpus from its shard files. */
    public static SpanIndex load(CorpusSpec spec, Configuration conf) {
        SpanIndex.Builder builder = new SpanIndex.Builder(spec.k(), spec.allowedTokens() + spec.allowedDocuments() + 1);
        for (CorpusSpec.Shard shard : spec.shards()) {
            Path path = new Path(shard.path());
            try (InputStream in = new BufferedInputStream(path.getFileSystem(conf).open(path), 1 << 20)) {
                builder.addShard(in, shard.allowedSet());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read n-gram index shard " + path + ": " + e.getMessage()
                        + " (run 'poa index --rebuild' if it was deleted)", e);
            }
        }
        return builder.build();
    }
}

package org.poa.jobs.attribute;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.poa.attribution.ngram.SpanIndex;

/**
 * The index shards loaded in this JVM (the driver in local mode, each executor on a cluster), shared
 * by the tasks that run here. At most {@link #capacity()} shards are held at once, one per task slot:
 * the span-finding tasks run shard by shard, so at most one shard per running task is ever wanted,
 * and the heap they take is bounded by the shard size, never by the corpus. A task takes a shard
 * with {@link #acquire} and gives it back with {@link #release}; a shard no task holds is dropped,
 * least recently used first, when another must be loaded; a task that finds every slot held waits.
 * Two tasks asking for the same shard load it once.
 */
public final class SpanIndexCache {

    private static final class Entry {
        final CompletableFuture<SpanIndex> index = new CompletableFuture<>();
        int users;
    }

    /** In order of last use (access order). */
    private static final Map<String, Entry> LOADED = new LinkedHashMap<>(16, 0.75f, true);
    private static int capacity = -1;
    private static long loads;
    private static long loadMillis;
    private static long loadedBytes;
    private static long loadedTokens;
    private static long heldBytes;
    private static long peakHeldBytes;

    private SpanIndexCache() {
    }

    /** The shard of this spec, loaded if it is not held yet. Give it back with {@link #release}. */
    public static SpanIndex acquire(CorpusSpec spec, HadoopSettings settings) {
        String key = spec.key();
        Entry entry;
        boolean load = false;
        synchronized (SpanIndexCache.class) {
            while (true) {
                entry = LOADED.get(key);
                if (entry != null) {
                    break;
                }
                if (LOADED.size() < capacity() || evictOne()) {
                    entry = new Entry();
                    LOADED.put(key, entry);
                    load = true;
                    break;
                }
                waitForRelease();
            }
            entry.users++;
        }
        if (load) {
            long start = System.nanoTime();
            try {
                SpanIndex index = load(spec, settings.configuration());
                synchronized (SpanIndexCache.class) {
                    loads++;
                    loadMillis += (System.nanoTime() - start) / 1_000_000;
                    loadedBytes += index.memoryBytes();
                    loadedTokens += index.tokenCount();
                    heldBytes += index.memoryBytes();
                    peakHeldBytes = Math.max(peakHeldBytes, heldBytes);
                }
                entry.index.complete(index);
            } catch (RuntimeException | Error e) {
                synchronized (SpanIndexCache.class) {
                    LOADED.remove(key);
                    SpanIndexCache.class.notifyAll();
                }
                entry.index.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return entry.index.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(spec);
            throw new IllegalStateException("interrupted while loading an n-gram index shard", e);
        } catch (ExecutionException e) {
            release(spec);
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }

    /** Gives back a shard taken with {@link #acquire}: it stays loaded until its slot is needed. */
    public static synchronized void release(CorpusSpec spec) {
        Entry entry = LOADED.get(spec.key());
        if (entry != null && entry.users > 0) {
            entry.users--;
        }
        SpanIndexCache.class.notifyAll();
    }

    /** Drops the least recently used shard no task holds; false when every held shard is in use. */
    private static boolean evictOne() {
        for (var it = LOADED.entrySet().iterator(); it.hasNext(); ) {
            Entry entry = it.next().getValue();
            if (entry.users == 0 && entry.index.isDone()) {
                it.remove();
                SpanIndex index = entry.index.getNow(null);
                if (index != null) {
                    heldBytes -= index.memoryBytes();
                }
                return true;
            }
        }
        return false;
    }

    private static void waitForRelease() {
        try {
            SpanIndexCache.class.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an n-gram index shard", e);
        }
    }

    /**
     * Shards held at once: this JVM's task slots (local[N]'s N, or {@code spark.executor.cores}, or
     * the machine's processors), so that every running task can hold the shard it works on.
     */
    static synchronized int capacity() {
        if (capacity < 0) {
            capacity = taskSlots();
        }
        return capacity;
    }

    private static int taskSlots() {
        int processors = Runtime.getRuntime().availableProcessors();
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            return processors;
        }
        String master = env.conf().get("spark.master", "");
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]").matcher(master);
        if (local.matches()) {
            return local.group(1).equals("*") ? processors : Math.max(1, Integer.parseInt(local.group(1)));
        }
        if (master.equals("local")) {
            return 1;
        }
        int cores = env.conf().getInt("spark.executor.cores", processors);
        int perTask = env.conf().getInt("spark.task.cpus", 1);
        return Math.max(1, cores / Math.max(1, perTask));
    }

    /**
     * What this JVM loaded so far: shards, the time it took (summed over the tasks that loaded them),
     * their bytes and tokens, and the most index memory held at once since {@link #resetPeak()}.
     */
    public record Loads(long shards, long millis, long bytes, long tokens, long peakBytes) {
        /** What was loaded after {@code earlier}. */
        public Loads since(Loads earlier) {
            return new Loads(shards - earlier.shards, millis - earlier.millis, bytes - earlier.bytes, tokens - earlier.tokens, peakBytes);
        }
    }

    public static synchronized Loads loads() {
        return new Loads(loads, loadMillis, loadedBytes, loadedTokens, peakHeldBytes);
    }

    /** Starts a new peak of held index memory from what is held now. */
    public static synchronized void resetPeak() {
        peakHeldBytes = heldBytes;
    }

    /** Builds one index shard from its pieces of shard files. */
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

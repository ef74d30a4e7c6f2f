package org.poa.jobs.attribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.poa.jobs.action.EpochAction;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;

/**
 * The index step: the n-gram index brought up to date. Contributions approved since the last build
 * are tokenized once into new shard files; nothing else is rewritten.
 */
public final class IndexAction extends EpochAction<NgramIndexBuild.Result> {

    /** Default shard size: large enough for few files, small enough to build in one task's memory. */
    public static final long DEFAULT_SHARD_TOKENS = NgramIndexBuild.DEFAULT_SHARD_TOKENS;

    private long shardTokens = DEFAULT_SHARD_TOKENS;
    private boolean rebuild;

    public IndexAction(Lakehouse lakehouse, Consumer<String> progress) {
        super("index", lakehouse, progress);
    }

    /** Tokens per new shard file. */
    public IndexAction shardTokens(long tokens) {
        this.shardTokens = tokens;
        return this;
    }

    /** Drop the index and its shard files first, and build it from scratch. */
    public IndexAction rebuild(boolean rebuild) {
        this.rebuild = rebuild;
        return this;
    }

    @Override
    protected String describe() {
        return "index" + (rebuild ? " --rebuild" : "");
    }

    @Override
    protected NgramIndexBuild.Result doExecute() {
        if (rebuild) {
            progress.accept("dropping the n-gram index");
            TableWrites.replaceAll(lakehouse, Tables.NGRAM_INDEX,
                    lakehouse.spark().createDataFrame(List.of(), Tables.NGRAM_INDEX.schema()), "rebuild");
            Path folder = new Path(ShardLocation.folder(lakehouse));
            try {
                folder.getFileSystem(lakehouse.hadoopConf()).delete(folder, true);
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove " + folder + ": " + e.getMessage(), e);
            }
        }
        progress.accept("updating the n-gram index");
        NgramIndexBuild.Result result = NgramIndexBuild.update(lakehouse, shardTokens);
        progress.accept(result.empty() ? "n-gram index is up to date"
                : String.format("n-gram index build %d: %d contributions, %d tokens, %d shard files",
                        result.build(), result.documents(), result.tokens(), result.shards()));
        return result;
    }
}

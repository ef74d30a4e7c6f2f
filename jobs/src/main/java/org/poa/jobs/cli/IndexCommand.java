package org.poa.jobs.cli;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.poa.jobs.attribute.NgramIndexBuild;
import org.poa.jobs.attribute.ShardLocation;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Brings the n-gram index up to date: contributions approved since the last build are",
            "tokenized once into new shard files (attribute does this first on its own)."})
final class IndexCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--shard-tokens", paramLabel = "N", description = "Tokens per shard file. Default: ${DEFAULT-VALUE}.")
    long shardTokens = NgramIndexBuild.DEFAULT_SHARD_TOKENS;

    @Option(names = "--rebuild", description = "Drop the index and its shard files, then build it from scratch.")
    boolean rebuild;

    @Override
    public Integer call() throws Exception {
        Lakehouse lakehouse = PoaCommand.root(spec).context().lakehouse();
        if (rebuild) {
            Progress.step("dropping the n-gram index");
            TableWrites.replaceAll(lakehouse, Tables.NGRAM_INDEX,
                    lakehouse.spark().createDataFrame(List.of(), Tables.NGRAM_INDEX.schema()), "rebuild");
            Path folder = new Path(ShardLocation.folder(lakehouse));
            folder.getFileSystem(lakehouse.spark().sparkContext().hadoopConfiguration()).delete(folder, true);
        }
        update(lakehouse, shardTokens);
        Row total = lakehouse.read(Tables.NGRAM_INDEX)
                .agg(count(lit(1)), sum("token_count"), countDistinct("shard")).head();
        System.out.printf("n-gram index: %d contributions, %d tokens, %d shards%n",
                total.getLong(0), total.isNullAt(1) ? 0 : total.getLong(1), total.getLong(2));
        return 0;
    }

    /** Updates the index and says what was added. */
    static NgramIndexBuild.Result update(Lakehouse lakehouse, long shardTokens) {
        Progress.step("updating the n-gram index");
        NgramIndexBuild.Result result = NgramIndexBuild.update(lakehouse, shardTokens);
        if (result.empty()) {
            Progress.step("n-gram index is up to date");
        } else {
            Progress.step(String.format("n-gram index build %d: %d contributions, %d tokens, %d shard files",
                    result.build(), result.documents(), result.tokens(), result.shards()));
        }
        return result;
    }
}

package org.poa.jobs.cli;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.poa.jobs.attribute.IndexAction;
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
    long shardTokens = IndexAction.DEFAULT_SHARD_TOKENS;

    @Option(names = "--rebuild", description = "Drop the index and its shard files, then build it from scratch.")
    boolean rebuild;

    @Override
    public Integer call() {
        PoaContext context = PoaCommand.root(spec).context();
        context.actions().index().shardTokens(shardTokens).rebuild(rebuild).execute().lines().forEach(context.out()::println);
        Row total = context.lakehouse().read(Tables.NGRAM_INDEX)
                .agg(count(lit(1)), sum("token_count"), countDistinct("shard")).head();
        context.out().printf("n-gram index: %d contributions, %d tokens, %d shards%n",
                total.getLong(0), total.isNullAt(1) ? 0 : total.getLong(1), total.getLong(2));
        return 0;
    }
}

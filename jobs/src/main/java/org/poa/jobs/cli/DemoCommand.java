package org.poa.jobs.cli;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.poa.jobs.attribute.GradientAttribution;
import org.poa.jobs.attribute.NgramAttribution;
import org.poa.jobs.attribute.NgramIndexBuild;
import org.poa.jobs.train.ModelTraining;
import org.poa.jobs.merkle.EpochMerkle;
import org.poa.jobs.rewards.EpochRewards;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.IngestReport;
import org.poa.lakehouse.ingest.InputKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the product end to end on a generated world and a local chain: generate -> ingest (all",
            "five inputs) -> train the classifier -> for each epoch attribute (n-gram spans and gradient influence) ->",
            "rewards -> merkle -> settle -> audit; then claims for two",
            "accounts and explains one inference. Without $POA_RPC_URL it starts anvil (state kept in",
            "DIR/anvil-state.json, stopped at the end) and deploys a test token and the distributor; with it, it",
            "uses that chain ($POA_CHAIN_ID, $POA_PRIVATE_KEY, optional $POA_DISTRIBUTOR) and leaves it running.",
            "Writes DIR/demo.json. Re-running on the same DIR settles nothing twice.",
            "The lakehouse is --lakehouse, $POA_LAKEHOUSE or DIR/lakehouse; Spark runs locally."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;


    @Option(names = "--workdir", paramLabel = "DIR", description = "Where the demo keeps its files. Default: the current directory.")
    Path workdir = Path.of(".");

    @Option(names = "--input", paramLabel = "DIR", description = "Where the generated inputs go. Default: DIR/demo-input.")
    Path input;

    @Option(names = "--activation-delay", paramLabel = "SECONDS",
            description = "The demo distributor's activation delay (a new deployment only). Default: ${DEFAULT-VALUE}.")
    long activationDelay = 3;

    @Mixin
    WorldOptions world = new WorldOptions();

    @Override
    public Integer call() throws Exception {
        PoaCommand root = PoaCommand.root(spec);
        java.nio.file.Files.createDirectories(workdir);
        if (root.lakehouse == null && System.getenv("POA_LAKEHOUSE") == null) {
            root.lakehouse = workdir.resolve("lakehouse").toString();
        }
        Path input = this.input != null ? this.input : workdir.resolve("demo-input");
        try (DemoChain chain = DemoChain.open(workdir, activationDelay)) {
            return run(root.context(), input, chain);
        }
    }

    private int run(PoaContext context, Path input, DemoChain chain) throws Exception {
        GenerateCommand.generate(context, input, world);
        for (InputKind kind : InputKind.world()) {
            IngestReport report = IngestCommand.ingest(context, kind,
                    input.resolve(kind.code() + ".jsonl").toString(), IngestOptions.DEFAULT_MAX_CONTENT_BYTES);
            System.out.println(report.summary());
        }
        StatusCommand.print(context, null);
        System.out.println();
        long epoch = world.epochs;
        for (String classifier : ModelTraining.classifiers(context.lakehouse())) {
            Progress.step("training " + classifier);
            TrainCommand.print(ModelTraining.run(context.lakehouse(), classifier, Progress::step));
        }
        IndexCommand.update(context.lakehouse(), NgramIndexBuild.DEFAULT_SHARD_TOKENS);
        String treasury = System.getenv().getOrDefault("POA_TREASURY", chain.treasury());
        // Epochs build on each other: attribute, reward and commit each in order.
        for (long e = 1; e <= epoch; e++) {
            Progress.step("epoch " + e + ": attribute, rewards, merkle");
            for (NgramAttribution.ModelRun run : NgramAttribution.run(context.lakehouse(), context.clock(), e, null, Progress::step)) {
                System.out.printf("attribute epoch %d, %s: %d inferences, %d credited spans, %d credits%n",
                        e, run.modelId(), run.inferences(), run.spans(), run.credits());
            }
            for (GradientAttribution.ModelRun run : GradientAttribution.run(context.lakehouse(), context.clock(), e, null, Progress::step)) {
                System.out.printf("attribute epoch %d, %s: %d inferences, %d credited by gradient influence (%s), %d credits%n",
                        e, run.modelId(), run.inferences(), run.credited(), run.mode(), run.credits());
            }
            EpochRewards.Result rewards = EpochRewards.run(context.lakehouse(), context.clock(), e, treasury, Progress::step);
            System.out.printf("rewards epoch %d: fees %s wei over %d inferences = rewards to %d accounts (unattributed %s wei)%n",
                    e, rewards.feesWei(), rewards.inferences(), rewards.accounts(), rewards.unattributedWei());
            EpochMerkle.Result merkle = EpochMerkle.run(context.lakehouse(), e, Progress::step);
            System.out.printf("merkle epoch %d: root %s over %d accounts, %s wei cumulative%n",
                    e, merkle.root(), merkle.leaves(), merkle.totalCumulativeWei());
            chain.settleAndAudit(context, e);
        }
        chain.claimTop(context, epoch, 2);
        RewardsCommand.printTop(context.lakehouse(), epoch, 5);
        AttributeCommand.printTop(context.lakehouse(), epoch, null, 5, NgramAttribution.METHOD);
        AttributeCommand.printTop(context.lakehouse(), epoch, null, 5, GradientAttribution.METHOD);
        System.out.println();
        // The inference that owes most to the Persian poetry datanet (any credited one otherwise):
        // the explain the demo shows, right-to-left text included.
        java.util.List<Row> example = context.lakehouse().read(Tables.ATTRIBUTIONS)
                .where(col("epoch").equalTo(epoch))
                .orderBy(col("datanet_id").equalTo("fa-poetry").desc(), col("score").desc(), col("inference_id"))
                .select("inference_id").limit(1).collectAsList();
        if (!example.isEmpty()) {
            String id = example.get(0).getString(0);
            System.out.println("bin/poa explain --inference " + id + ":");
            System.out.print(ExplainCommand.explain(context.lakehouse(), id, epoch, 40));
            System.out.println();
        }
        TablesCommand.print(context.lakehouse());
        chain.finish(context, epoch);
        System.out.println("look inside: bin/poa sql \"SELECT reason, count(*) AS n FROM quarantine GROUP BY reason\"");
        System.out.println("             bin/poa explain --inference ID   (any inference_id of attribution_spans)");
        System.out.println("the demo's chain, contracts and roots: " + workdir.resolve("demo.json"));
        return 0;
    }
}

package org.poa.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.sum;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.attribute.GradientAttribution;
import org.poa.jobs.attribute.NgramAttribution;
import org.poa.core.rewards.FeeSplit;
import org.poa.jobs.audit.AuditAction;
import org.poa.jobs.chain.DemoChain;
import org.poa.jobs.chain.DistributorContract;
import org.poa.jobs.chain.EpochSettlement;
import org.poa.jobs.pipeline.EpochPipeline;
import org.poa.jobs.pipeline.EpochRun;
import org.poa.jobs.pipeline.EpochStep;
import org.poa.jobs.report.Explanation;
import org.poa.jobs.report.StatusCounts;
import org.poa.jobs.report.TableSizes;
import org.poa.jobs.report.TopCredits;
import org.poa.jobs.report.TopEarners;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.status.ContributionStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the product end to end on a generated world and a local chain: generate, then the epoch",
            "pipeline (ingest, train, index, attribute, rewards, merkle, settle, audit) for every epoch of the world,",
            "then claims for two accounts and explains one inference. Without $POA_RPC_URL it starts anvil (state kept",
            "in DIR/anvil-state.json, stopped at the end) and deploys a test token and the distributor; with it, it",
            "uses that chain ($POA_CHAIN_ID, $POA_PRIVATE_KEY, optional $POA_DISTRIBUTOR) and leaves it running (on a",
            "development chain that mines per transaction, the demo mines blocks to get past the activation delay).",
            "Writes DIR/demo.json, the last epoch's report DIR/epoch-N.html and the statement of its top data earner",
            "DIR/account-ADDRESS.html (poa report). Re-running on the same DIR settles nothing twice.",
            "The lakehouse is --lakehouse, $POA_LAKEHOUSE or DIR/lakehouse; Spark runs locally."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--workdir", paramLabel = "DIR", description = "Where the demo keeps its files. Default: the current directory.")
    Path workdir = Path.of(".");

    @Option(names = "--input", paramLabel = "DIR", description = "Where the generated inputs go (a batch folder). Default: DIR/demo-input.")
    Path input;

    @Option(names = "--activation-delay", paramLabel = "SECONDS",
            description = "The demo distributor's activation delay (a new deployment only). Default: ${DEFAULT-VALUE}.")
    long activationDelay = 3;

    @Mixin
    WorldOptions world = new WorldOptions();

    @Override
    public Integer call() throws Exception {
        PoaCommand root = PoaCommand.root(spec);
        Files.createDirectories(workdir);
        PoaContext context = root.context(workdir.resolve("lakehouse").toString());
        Path batch = this.input != null ? this.input : workdir.resolve("demo-input");
        try (DemoChain chain = DemoChain.open(workdir, activationDelay, root.environment().variables(), context.progress())) {
            run(context, batch, chain);
        }
        return 0;
    }

    private void run(PoaContext context, Path batch, DemoChain chain) throws Exception {
        PrintWriter out = context.out();
        world.generate(context.clock(), batch, context.progress());
        String treasury = PoaCommand.firstOf(context.environment().get("POA_TREASURY"), chain.treasury());
        EpochPipeline pipeline = new EpochPipeline(context.actions());
        long last = world.epochs;
        // Epochs build on each other: each runs the pipeline in order. The first ingests the whole
        // generated batch (it spans every epoch) and trains; later ones start at attribute.
        List<AuditAction.Check> lastAudit = new ArrayList<>();
        for (long e = 1; e <= last; e++) {
            long epoch = e;
            lastAudit.clear();
            EpochRun run = new EpochRun(epoch, batch.toString(), false, context.ingestOptions(IngestOptions.DEFAULT_MAX_CONTENT_BYTES),
                    treasury, new EpochRun.Chain(chain.rpc(), chain.settler(), chain.treasuryKey()), false,
                    c -> {
                        lastAudit.add(c);
                        out.println("audit epoch " + epoch + ": " + c);
                    });
            pipeline.run(run, e == 1 ? EpochStep.INGEST : EpochStep.ATTRIBUTE, EpochStep.AUDIT, new EpochPipeline.Listener() {
                @Override
                public void started(EpochStep step) {
                    context.progress().step("epoch " + epoch + ": " + step.code());
                }

                @Override
                public void finished(EpochStep step, StepResult result, double seconds) {
                    for (String line : result.lines()) {
                        out.println(line.startsWith("epoch ") ? step.code() + " " + line : line);
                    }
                    if (result instanceof EpochSettlement.Result settled) {
                        chain.settled(settled);
                    }
                    if (step == EpochStep.INGEST) {
                        StatusCounts.print(out, ContributionStatus.current(context.lakehouse()), "now");
                        out.println();
                    }
                }
            });
        }
        Lakehouse lakehouse = context.lakehouse();
        chain.claimTop(lakehouse, last, 2, context.progress()).forEach(out::println);
        TopEarners.print(out, lakehouse, last, 5);
        TopCredits.print(out, lakehouse, last, null, 5, NgramAttribution.METHOD);
        TopCredits.print(out, lakehouse, last, null, 5, GradientAttribution.METHOD);
        out.println();
        // The inference that owes most to the Persian poetry datanet (any credited one otherwise):
        // the explain the demo shows, right-to-left text included.
        List<Row> example = lakehouse.read(Tables.ATTRIBUTIONS)
                .where(col("epoch").equalTo(last))
                .orderBy(col("datanet_id").equalTo("fa-poetry").desc(), col("score").desc(), col("inference_id"))
                .select("inference_id").limit(1).collectAsList();
        if (!example.isEmpty()) {
            String id = example.get(0).getString(0);
            out.println("bin/poa explain --inference " + id + ":");
            out.print(Explanation.of(lakehouse, id, last, 40));
            out.println();
        }
        TableSizes.print(out, lakehouse);
        // The pages people open: the last epoch's report (with the audit just run) and the statement
        // of the account paid most for data in it.
        Path report = ReportCommand.writeEpoch(context, last, lastAudit, workdir);
        List<Row> earner = lakehouse.read(Tables.REWARDS).where(col("epoch").equalTo(last).and(col("role").equalTo(FeeSplit.DATA)))
                .groupBy("account").agg(sum("amount_wei").as("wei")).orderBy(desc("wei"), col("account")).limit(1).collectAsList();
        out.println("epoch report: " + report.toAbsolutePath().normalize());
        if (!earner.isEmpty()) {
            Path statement = ReportCommand.writeStatement(context, earner.get(0).getString(0), workdir,
                    new DistributorContract(chain.rpc(), chain.rpc().settings().distributor()), null);
            out.println("contributor statement: " + statement.toAbsolutePath().normalize());
        }
        chain.finish(lakehouse, last).forEach(out::println);
        out.println("look inside: bin/poa sql \"SELECT reason, count(*) AS n FROM quarantine GROUP BY reason\"");
        out.println("             bin/poa explain --inference ID   (any inference_id of attribution_spans)");
        out.println("the demo's chain, contracts and roots: " + workdir.resolve("demo.json"));
    }
}

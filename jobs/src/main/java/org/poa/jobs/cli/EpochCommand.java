package org.poa.jobs.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.poa.core.cli.Progress;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.chain.ChainSettings;
import org.poa.jobs.chain.JsonRpc;
import org.poa.jobs.chain.SigningKeys;
import org.poa.jobs.pipeline.EpochPipeline;
import org.poa.jobs.pipeline.EpochRun;
import org.poa.jobs.pipeline.EpochStep;
import org.poa.jobs.rewards.RewardsAction;
import org.poa.lakehouse.config.IngestOptions;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "epoch", mixinStandardHelpOptions = true,
        description = {"Runs an epoch's pipeline in this JVM, in its order: ingest, train, index, attribute, rewards, merkle,",
            "settle, audit (or the steps --from .. --to). Each step is the same as its own command, idempotent like it, and",
            "prints its lines and one line with its time; the result equals running the steps one by one. What a step",
            "needs is checked before any runs: ingest the batch folder (--input), rewards the treasury, settle the",
            "chain and the settler's key, audit the chain (or --offline). For a cron job or a single machine; the",
            "Airflow DAG runs the same steps as separate tasks. --list prints the steps, one per line."})
final class EpochCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--epoch", paramLabel = "N", description = "The epoch (1 = the first after genesis).")
    Long epoch;

    @Option(names = "--from", paramLabel = "STEP", description = "The first step to run. Default: ingest.")
    String from = EpochStep.INGEST.code();

    @Option(names = "--to", paramLabel = "STEP", description = "The last step to run. Default: audit.")
    String to = EpochStep.AUDIT.code();

    @Option(names = "--input", paramLabel = "BATCH",
            description = "The epoch's batch folder: datanets/, contributions/, votes/, models/, inferences/, gradients/ (as poa ingest all).")
    String input;

    @Option(names = "--missing-ok", description = "A batch without any input kind is nothing to ingest (the folder must still exist).")
    boolean missingOk;

    @Option(names = "--treasury", paramLabel = "ADDRESS", description = "The protocol treasury for rewards (default: $POA_TREASURY).")
    String treasury;

    @Option(names = "--offline", description = "Audit the lakehouse only, leaving the root on chain unchecked.")
    boolean offline;

    @Option(names = "--list", description = "Print the steps in their order, one per line, and exit.")
    boolean list;

    @Mixin
    ChainOptions chain = new ChainOptions();

    @Override
    public Integer call() {
        PoaCommand root = PoaCommand.root(spec);
        PrintWriter out = root.out();
        if (list) {
            for (EpochStep step : EpochStep.values()) {
                out.println(step.code());
            }
            return 0;
        }
        if (epoch == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--epoch=N'");
        }
        EpochStep first = EpochStep.of(from);
        EpochStep last = EpochStep.of(to);
        PoaEnvironment env = root.environment();
        String treasuryGiven = PoaCommand.firstOf(treasury, env.get("POA_TREASURY"));
        boolean settles = EpochStep.range(first, last).contains(EpochStep.SETTLE);
        boolean audits = EpochStep.range(first, last).contains(EpochStep.AUDIT) && !offline;
        JsonRpc rpc = null;
        try {
            EpochRun.Chain onChain = null;
            if ((settles || audits) && chain.present(env)) {
                ChainSettings settings = chain.settings(env);
                settings.requireDistributor();
                Credentials settler = settles ? chain.signer(env) : null;
                Credentials topUp = settles ? SigningKeys.treasury(env.variables()) : null;
                rpc = new JsonRpc(settings, new Progress(env.err()));
                onChain = new EpochRun.Chain(rpc, settler, topUp);
            }
            EpochRun run = new EpochRun(epoch, input, missingOk, IngestOptions.of(root.clock(), IngestOptions.DEFAULT_MAX_CONTENT_BYTES),
                    treasuryGiven == null ? null : RewardsAction.treasuryAddress(treasuryGiven), onChain, offline,
                    c -> out.println("audit epoch " + epoch + ": " + c));
            // What every step needs, before Spark starts.
            EpochPipeline.check(run, first, last);
            PoaContext context = root.context();
            new EpochPipeline(context.actions()).run(run, first, last, new EpochPipeline.Listener() {
                @Override
                public void started(EpochStep step) {
                    context.progress().step("epoch " + epoch + ": step " + step.code());
                }

                @Override
                public void finished(EpochStep step, StepResult result, double seconds) {
                    result.lines().forEach(out::println);
                    out.printf("step %s of epoch %d done in %.1f s: %s%n", step.code(), epoch, seconds, result.rows());
                    out.flush();
                }
            });
            return 0;
        } finally {
            if (rpc != null) {
                rpc.close();
            }
        }
    }
}

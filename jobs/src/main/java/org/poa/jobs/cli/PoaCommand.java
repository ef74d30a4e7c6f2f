package org.poa.jobs.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.poa.core.cli.VerifyProofCommand;
import org.poa.core.epoch.EpochClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code poa}: the top command; its options are global and may follow any subcommand. */
@Command(name = "poa", mixinStandardHelpOptions = true, versionProvider = PoaCommand.Version.class,
        description = "Proof-of-Attribution lakehouse: ingest, attribute, reward and settle on Spark and Delta.",
        subcommands = {
            EpochCommand.class,
            IngestCommand.class,
            SqlCommand.class,
            ServeCommand.class,
            TablesCommand.class,
            StatusCommand.class,
            LineageCommand.class,
            IndexCommand.class,
            TrainCommand.class,
            ReviewCommand.class,
            EvalCommand.class,
            AttributeCommand.class,
            ExplainCommand.class,
            ReportCommand.class,
            RewardsCommand.class,
            MerkleCommand.class,
            ProofCommand.class,
            VerifyProofCommand.class,
            SettleCommand.class,
            ClaimCommand.class,
            AuditCommand.class,
            RevokeCommand.class,
            WatchCommand.class,
            DeployCommand.class,
            GenerateCommand.class,
            DemoCommand.class,
            BenchCommand.class,
        })
public final class PoaCommand implements Runnable {

    @Option(names = "--master", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Spark master (default: local[*], or what spark-submit set).")
    String master;

    @Option(names = "--lakehouse", scope = ScopeType.INHERIT, paramLabel = "PATH",
            description = "Lakehouse root: a local folder or s3a://bucket/prefix (default: $POA_LAKEHOUSE or ./lakehouse).")
    String lakehouse;

    @Option(names = "--conf", scope = ScopeType.INHERIT, paramLabel = "KEY=VALUE",
            description = "A Spark setting, e.g. spark.hadoop.fs.s3a.endpoint=...; repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--genesis", scope = ScopeType.INHERIT, paramLabel = "TIME",
            description = "Start of epoch 1 (default: $POA_GENESIS or 2026-01-01T00:00:00Z).")
    String genesis;

    @Option(names = "--epoch-length", scope = ScopeType.INHERIT, paramLabel = "LENGTH",
            description = "Epoch length such as 1d, 6h or PT1H (default: $POA_EPOCH_LENGTH or 1d).")
    String epochLength;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show stack traces with errors.")
    boolean verbose;

    @picocli.CommandLine.Spec
    CommandSpec spec;

    private final PoaEnvironment environment;
    private PoaContext context;

    PoaCommand(PoaEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command (see poa --help)");
    }

    boolean verbose() {
        return verbose;
    }

    PoaEnvironment environment() {
        return environment;
    }

    /** Standard output: results a script may read. */
    PrintWriter out() {
        return environment.out();
    }

    /** The lakehouse root of the global options: --lakehouse, $POA_LAKEHOUSE, else {@code fallback}. */
    String lakehouseRoot(String fallback) {
        return firstOf(lakehouse, environment.get("POA_LAKEHOUSE"), fallback);
    }

    /** The epoch calendar of the global options. */
    EpochClock clock() {
        return new EpochClock(EpochClock.parseInstant(firstOf(genesis, environment.get("POA_GENESIS"),
                EpochClock.DEFAULT.genesis().toString())),
                EpochClock.parseLength(firstOf(epochLength, environment.get("POA_EPOCH_LENGTH"), "1d")));
    }

    /** The shared context, made from the global options on first use; the lakehouse defaults to ./lakehouse. */
    PoaContext context() {
        return context(null);
    }

    /** The shared context; {@code defaultRoot} is the lakehouse when neither --lakehouse nor $POA_LAKEHOUSE names one. */
    PoaContext context(String defaultRoot) {
        if (context == null) {
            String m = master;
            if (m == null && System.getProperty("spark.master") == null && environment.spark() == null) {
                m = "local[*]";
            }
            context = new PoaContext(m, lakehouseRoot(defaultRoot != null ? defaultRoot : "./lakehouse"), conf, clock(), environment);
        }
        return context;
    }

    void closeContext() {
        if (context != null) {
            context.close();
        }
    }

    static String firstOf(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /** The root command object of any subcommand's spec. */
    static PoaCommand root(CommandSpec spec) {
        return (PoaCommand) spec.root().userObject();
    }

    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PoaCommand.class.getPackage().getImplementationVersion();
            return new String[] {"poa " + (v == null ? "development build" : v)};
        }
    }
}

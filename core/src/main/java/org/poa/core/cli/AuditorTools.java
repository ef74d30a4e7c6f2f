package org.poa.core.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar poa-core.jar}: the auditors' and contributors' tools, with nothing but a JVM. The
 * same commands as {@code poa merkle build}, {@code poa proof} (from a tree file) and
 * {@code poa verify-proof}, and the same results.
 */
@Command(name = "poa-core", mixinStandardHelpOptions = true, versionProvider = AuditorTools.Version.class,
        description = {"Payout trees without Spark: rebuild an epoch's tree from a payout file, take an account's",
            "claim out of a tree dump, and check a claim against a root. OpenZeppelin StandardMerkleTree compatible."},
        subcommands = {AuditorTools.Merkle.class, TreeProofCommand.class, VerifyProofCommand.class})
public final class AuditorTools implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces with errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command (see poa-core --help)");
    }

    /** {@code merkle}: the group of {@code merkle build}. */
    @Command(name = "merkle", mixinStandardHelpOptions = true, description = "Payout trees from plain files.",
            subcommands = MerkleBuildCommand.class)
    static final class Merkle implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "name a command: merkle build (see --help)");
        }
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        System.exit(run(out, err, args));
    }

    /** Runs one command line with these streams and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        AuditorTools root = new AuditorTools();
        CommandLine cli = new CommandLine(root).setOut(out).setErr(err);
        CliErrors.configure(cli, "poa-core", CliErrors::message, () -> root.verbose);
        return CliErrors.execute(cli, "poa-core", CliErrors::message, () -> root.verbose, args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AuditorTools.class.getPackage().getImplementationVersion();
            return new String[] {"poa-core " + (v == null ? "development build" : v)};
        }
    }
}

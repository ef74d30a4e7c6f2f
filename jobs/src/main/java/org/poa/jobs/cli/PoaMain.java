package org.poa.jobs.cli;

import org.poa.core.cli.CliErrors;
import picocli.CommandLine;

/**
 * Entry point of the {@code poa} command line and of the application jar for spark-submit. Errors
 * come out as one line naming the problem, with a non-zero exit code; {@code --verbose} adds the
 * stack trace.
 */
public final class PoaMain {

    private PoaMain() {
    }

    public static void main(String[] args) {
        System.exit(run(PoaEnvironment.system(), args));
    }

    /** Runs one command line in this environment and returns its exit code (a Spark session it started is stopped). */
    public static int run(PoaEnvironment environment, String... args) {
        PoaCommand root = new PoaCommand(environment);
        CommandLine cli = new CommandLine(root).setOut(environment.out()).setErr(environment.err());
        CliErrors.configure(cli, "poa", Errors::oneLine, root::verbose);
        try {
            return CliErrors.execute(cli, "poa", Errors::oneLine, root::verbose, args);
        } finally {
            root.closeContext();
        }
    }
}

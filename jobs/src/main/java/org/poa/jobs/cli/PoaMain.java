package org.poa.jobs.cli;

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
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        PoaCommand root = new PoaCommand();
        CommandLine cli = new CommandLine(root);
        cli.setExecutionExceptionHandler((error, commandLine, parsed) -> {
            System.err.println("poa: " + Errors.oneLine(error));
            if (root.verbose) {
                error.printStackTrace(System.err);
            }
            return 1;
        });
        cli.setParameterExceptionHandler((error, args2) -> {
            System.err.println("poa: " + error.getMessage() + " (see --help)");
            return 2;
        });
        try {
            return cli.execute(args);
        } catch (Throwable error) {
            // Errors (not Exceptions) escape picocli's handler: same one-line treatment.
            System.err.println("poa: " + Errors.oneLine(error));
            if (root.verbose) {
                error.printStackTrace(System.err);
            }
            return 1;
        } finally {
            root.closeContext();
        }
    }
}

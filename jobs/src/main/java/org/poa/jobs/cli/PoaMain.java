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
        // Contributions and outputs are any language: print UTF-8 whatever the locale (Java 17
        // would otherwise follow LANG and turn Persian into question marks under LANG=C).
        System.setOut(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                java.nio.charset.StandardCharsets.UTF_8));
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        PoaCommand root = new PoaCommand();
        CommandLine cli = new CommandLine(root);
        // Descriptions are written as lines of up to ~110 characters; picocli's 80 would re-wrap them mid-sentence.
        cli.setUsageHelpWidth(120);
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

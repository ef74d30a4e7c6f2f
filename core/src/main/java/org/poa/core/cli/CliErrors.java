package org.poa.core.cli;

import java.util.function.BooleanSupplier;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * How the command lines fail: one line {@code <name>: <what went wrong>} on the error stream and
 * exit code 1 (2 for a usage error, with a pointer to --help); the stack trace only when asked for.
 */
public final class CliErrors {

    private CliErrors() {
    }

    /** The message of the exception that says what happened: wrappers say less than what they wrap. */
    public static String message(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause.getMessage() == null || cause instanceof java.util.concurrent.ExecutionException
                    || cause instanceof java.util.concurrent.CompletionException
                    || cause instanceof java.lang.reflect.InvocationTargetException
                    || cause.getClass().getName().equals("org.apache.spark.SparkException")
                    || cause instanceof java.io.UncheckedIOException)) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            message = cause.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        if (nl >= 0) {
            message = message.substring(0, nl);
        }
        return message.strip();
    }

    /**
     * Sets the width of help texts and the handlers that turn failures into one line.
     *
     * @param oneLine the line for a failure of a command
     * @param verbose whether to print the stack trace too (read when a failure happens)
     */
    public static CommandLine configure(CommandLine cli, String name, Function<Throwable, String> oneLine, BooleanSupplier verbose) {
        // Descriptions are written as lines of up to ~110 characters; picocli's 80 would re-wrap them mid-sentence.
        cli.setUsageHelpWidth(120);
        cli.setExecutionExceptionHandler((error, commandLine, parsed) -> {
            report(cli, name, error, oneLine, verbose);
            return 1;
        });
        cli.setParameterExceptionHandler((error, args) -> {
            cli.getErr().println(name + ": " + error.getMessage() + " (see --help)");
            cli.getErr().flush();
            return 2;
        });
        return cli;
    }

    /** Runs the command line; Errors (not Exceptions), which escape picocli's handler, get the same one line. */
    public static int execute(CommandLine cli, String name, Function<Throwable, String> oneLine, BooleanSupplier verbose,
                              String... args) {
        try {
            return cli.execute(args);
        } catch (Throwable error) {
            report(cli, name, error, oneLine, verbose);
            return 1;
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    private static void report(CommandLine cli, String name, Throwable error, Function<Throwable, String> oneLine,
                               BooleanSupplier verbose) {
        cli.getErr().println(name + ": " + oneLine.apply(error));
        if (verbose.getAsBoolean()) {
            error.printStackTrace(cli.getErr());
        }
        cli.getErr().flush();
    }
}

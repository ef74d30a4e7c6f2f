package org.poa.jobs.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Where a command line runs: its environment variables, its output and error streams, and, for a
 * caller that already has one (a test, a notebook's JVM), a SparkSession to borrow. A command
 * reads its environment only from here, so the same command runs in this JVM with other
 * variables than the process's.
 *
 * @param spark a session the commands use (each in a new session of its own on the same Spark
 *              context) and never stop; null to start Spark when a command first needs it
 */
public record PoaEnvironment(Map<String, String> variables, PrintWriter out, PrintWriter err, SparkSession spark) {

    public PoaEnvironment {
        variables = Map.copyOf(variables);
    }

    /** The process's: its environment, stdout and stderr in UTF-8 whatever the locale, no Spark yet. */
    public static PoaEnvironment system() {
        // Contributions and outputs are any language: Java 17 would otherwise follow LANG and turn
        // Persian into question marks under LANG=C.
        return new PoaEnvironment(System.getenv(), utf8(FileDescriptor.out), utf8(FileDescriptor.err), null);
    }

    /** The variable's value, or null when it is unset or blank. */
    public String get(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static PrintWriter utf8(FileDescriptor fd) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), true);
    }
}

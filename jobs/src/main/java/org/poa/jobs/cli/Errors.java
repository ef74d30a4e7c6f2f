package org.poa.jobs.cli;

/** Turns any failure into the one line a person needs. */
final class Errors {

    private Errors() {
    }

    static String oneLine(Throwable error) {
        Throwable cause = error;
        // Wrappers say less than what they wrap.
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause.getMessage() == null || cause instanceof java.util.concurrent.ExecutionException
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
        message = message.strip();
        if (concurrentWrite(error)) {
            // Delta's optimistic concurrency refused this run's commit: another run of the step wrote first.
            return "another run wrote the same table at the same time, so this run's commit was refused and nothing of it"
                    + " was written; re-run when the other has finished (" + message + ")";
        }
        return message;
    }

    /** A Delta conflict exception (io.delta.exceptions.*, all subclasses of Delta's DeltaConcurrentModificationException) anywhere in the chain. */
    static boolean concurrentWrite(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                if (c.getName().equals("org.apache.spark.sql.delta.DeltaConcurrentModificationException")) {
                    return true;
                }
            }
        }
        return false;
    }
}

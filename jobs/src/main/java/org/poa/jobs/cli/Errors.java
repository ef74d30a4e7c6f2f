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
        return message.strip();
    }
}

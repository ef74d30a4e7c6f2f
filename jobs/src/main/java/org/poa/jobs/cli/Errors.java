package org.poa.jobs.cli;

import org.poa.core.cli.CliErrors;
import org.poa.lakehouse.catalog.TableUnreadableException;

/** Turns any failure into the one line a person needs. */
final class Errors {

    private Errors() {
    }

    static String oneLine(Throwable error) {
        String message = CliErrors.message(error);
        if (diskFull(error)) {
            return "the disk is full (no space left on the device): a table commit is all or nothing, so no table holds part"
                    + " of this run's writes; free space and re-run the step, which completes what is missing";
        }
        // A table the catalog could not open already says so, with the table and the file.
        if (!anywhere(error, t -> t instanceof TableUnreadableException) && fileMissing(error)) {
            return "the lakehouse cannot be read: " + TableUnreadableException.describe(error);
        }
        if (concurrentWrite(error)) {
            // Delta's optimistic concurrency refused this run's commit: another run of the step wrote first.
            return "another run wrote the same table at the same time, so this run's commit was refused and nothing of it"
                    + " was written; re-run when the other has finished (" + message + ")";
        }
        return message;
    }

    /** "No space left on device" (ENOSPC) anywhere in the chain, suppressed exceptions included. */
    static boolean diskFull(Throwable error) {
        return anywhere(error, t -> t.getMessage() != null && t.getMessage().contains("No space left on device"));
    }

    /**
     * A file of a table that Spark failed to read (its FAILED_READ_FILE error names the file: gone, corrupt
     * or not permitted). Not any FileNotFoundException: a missing input file is the user's, not the lakehouse's.
     */
    static boolean fileMissing(Throwable error) {
        return anywhere(error, t -> t.getMessage() != null && t.getMessage().startsWith("[FAILED_READ_FILE"));
    }

    private static boolean anywhere(Throwable error, java.util.function.Predicate<Throwable> test) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>(java.util.List.of(error));
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (test.test(t)) {
                return true;
            }
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
            for (Throwable s : t.getSuppressed()) {
                todo.push(s);
            }
        }
        return false;
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

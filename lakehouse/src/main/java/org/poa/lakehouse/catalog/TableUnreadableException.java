package org.poa.lakehouse.catalog;

/**
 * A table whose Delta log or files cannot be read (a corrupt or missing commit, a deleted data file,
 * no permission): named, with the storage's own first line of the cause.
 */
public final class TableUnreadableException extends RuntimeException {

    TableUnreadableException(TableDef table, String path, Throwable cause) {
        super("the lakehouse cannot be read: table " + table.name() + " at " + path + ": " + describe(cause), cause);
    }

    /** Whether the failure came from storage (an IOException anywhere in the chain, Delta's JSON parsing included). */
    static boolean fromStorage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * What storage said, in one line: Spark's "error while reading file F" when there is one (it names
     * the file), followed by the innermost cause (what was wrong with it).
     */
    public static String describe(Throwable error) {
        String file = null;
        Throwable deepest = error;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (file == null && t.getMessage() != null && t.getMessage().startsWith("[FAILED_READ_FILE")) {
                file = firstLine(t).replaceAll("\\s*SQLSTATE: \\w+$", "");
            }
            deepest = t;
        }
        String inner = firstLine(deepest);
        return file == null ? inner : file + " (" + inner + ")";
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}

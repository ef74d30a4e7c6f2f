package org.poa.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.exceptions.ConcurrentAppendException;
import org.junit.jupiter.api.Test;

/** The one-line error messages, for the failures that need more than the exception's first line. */
class ErrorsTest {

    @Test
    void aDeltaConflictSaysAnotherRunWroteFirstAndNothingWasWritten() {
        // What Delta throws when a concurrent commit added files this transaction had read (its
        // message is Delta's error class and text, several lines with the conflicting commit).
        var conflict = new ConcurrentAppendException("DELTA_CONCURRENT_APPEND.WITHOUT_HINT");
        String direct = Errors.oneLine(conflict);
        assertTrue(direct.startsWith("another run wrote the same table at the same time"), direct);
        assertTrue(direct.contains("nothing of it was written") && direct.contains("DELTA_CONCURRENT_APPEND"), direct);
        assertFalse(direct.contains("\n"), direct);
        // Wrapped with a message of its own (as a job's IllegalStateException would), still recognized.
        String wrapped = Errors.oneLine(new IllegalStateException("epoch 1: write failed", conflict));
        assertTrue(wrapped.startsWith("another run wrote the same table at the same time"), wrapped);
    }

    @Test
    void otherFailuresKeepTheirFirstLine() {
        assertEquals("no accepted inference 'x'", Errors.oneLine(new IllegalArgumentException("no accepted inference 'x'\nmore")));
        assertEquals("NullPointerException", Errors.oneLine(new NullPointerException()));
    }

    @Test
    void aFullDiskIsNamedEvenWhenTheWriterReportsSomethingElse() {
        // Parquet's writer fails closing its file; the ENOSPC is a suppressed exception of that failure.
        var close = new java.io.IOException("Unable to close resource");
        close.addSuppressed(new java.io.IOException("No space left on device"));
        String line = Errors.oneLine(new RuntimeException("Job aborted.", close));
        assertTrue(line.startsWith("the disk is full") && line.contains("re-run"), line);
        assertEquals("Unable to close resource", Errors.oneLine(new java.io.IOException("Unable to close resource")));
    }

    @Test
    void aFileTheLogNamesButStorageLacksIsNamed() {
        var missing = new RuntimeException("[FAILED_READ_FILE.FILE_NOT_EXIST] Error while reading file file:/l/inferences/part-1.parquet."
                + "  SQLSTATE: KD001\nsecond line", new java.io.FileNotFoundException("File file:/l/inferences/part-1.parquet does not exist"));
        assertEquals("the lakehouse cannot be read: [FAILED_READ_FILE.FILE_NOT_EXIST] Error while reading file "
                + "file:/l/inferences/part-1.parquet. (File file:/l/inferences/part-1.parquet does not exist)", Errors.oneLine(missing));
    }
}

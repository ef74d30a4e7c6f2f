package org.poa.jobs.chain;

/** A chain step that cannot go on, said in one line (what, where, what to do). */
public final class ChainException extends RuntimeException {

    public ChainException(String message) {
        super(message);
    }

    public ChainException(String message, Throwable cause) {
        super(message, cause);
    }
}

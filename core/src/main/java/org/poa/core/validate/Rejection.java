package org.poa.core.validate;

/** A row failed validation. Thrown per bad row, so it carries no stack trace. */
public final class Rejection extends Exception {

    private final Reason reason;

    public Rejection(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}

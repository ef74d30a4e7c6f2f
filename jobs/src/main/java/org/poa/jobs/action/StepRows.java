package org.poa.jobs.action;

/** What a step read and wrote, each in its own unit (lines, inferences, credits, accounts...). */
public record StepRows(long in, String inUnit, long out, String outUnit) {

    @Override
    public String toString() {
        return String.format("%,d %s in, %,d %s out", in, inUnit, out, outUnit);
    }
}

package org.poa.jobs.action;

/** Something watching a step while it runs (its live progress), until closed. */
public interface StepWatch extends AutoCloseable {
    @Override
    void close();
}

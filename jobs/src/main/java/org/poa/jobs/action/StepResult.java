package org.poa.jobs.action;

import java.util.List;

/** What an epoch step returns: its own typed result, its report for people, and how many rows went in and out. */
public interface StepResult {

    /** The rows the step read and wrote, each in its own unit (for progress lines and benchmarks). */
    StepRows rows();

    /** What the step's command prints on standard output, one entry per line. */
    List<String> lines();
}

package org.poa.jobs.cli;

import picocli.CommandLine.Option;

/** {@code --epoch N}, required, at least 1. */
final class EpochOption {

    @Option(names = "--epoch", required = true, paramLabel = "N", description = "The epoch (1 = the first after genesis).")
    long epoch;

    long value() {
        if (epoch < 1) {
            throw new IllegalArgumentException("--epoch must be 1 or more, got " + epoch);
        }
        return epoch;
    }
}

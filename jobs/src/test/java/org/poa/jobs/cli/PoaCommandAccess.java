package org.poa.jobs.cli;

/** Lets tests outside the package build the command tree. */
public final class PoaCommandAccess {

    public Object command() {
        return new PoaCommand(PoaEnvironment.system());
    }
}

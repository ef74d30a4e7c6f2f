package org.poa.lakehouse.fault;

/**
 * Named places in a step where the crash-safety tests make the process die as if killed with
 * SIGKILL: the windows a random kill rarely hits (a transaction broadcast but not yet mined, mined
 * but not yet recorded; one table of a step written and the next not). {@code POA_FAULT_POINT=<name>}
 * arms one; {@link Runtime#halt} then ends the JVM on the spot, running no shutdown hook, finally
 * block or flush, which is what a kill leaves on disk and on chain. Unarmed (always, outside the
 * tests), a point is one string comparison. The names are listed in docs/architecture.md.
 */
public final class FaultPoint {

    /** The exit status a halted process reports (as a SIGKILLed JVM's shell would: 128 + 9). */
    public static final int HALT_STATUS = 137;
    private static final String ARMED = System.getenv("POA_FAULT_POINT");

    private FaultPoint() {
    }

    /** Halts the JVM here if this point is the armed one. */
    public static void reach(String name) {
        if (name.equals(ARMED)) {
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}

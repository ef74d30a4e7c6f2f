package org.poa.jobs.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ends the processes tests start, with everything they started in turn. */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /** SIGKILL to the process and all its descendants (a crash of every JVM under it), then waits for it. */
    public static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("process " + process.pid() + " did not end after SIGKILL");
        }
    }

    /**
     * SIGTERM to the process and its descendants (children first: a server's workers before the
     * server), then SIGKILL to whatever has not ended within {@code grace}.
     */
    public static void stop(Process process, Duration grace) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Waits for the process to end; fails the test when it has not within {@code limit}. */
    public static int await(Process process, Duration limit, String what) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            kill(process);
            throw new AssertionError(what + " did not end within " + limit);
        }
        return process.exitValue();
    }
}

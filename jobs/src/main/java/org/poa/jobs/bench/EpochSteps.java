package org.poa.jobs.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The measurements of {@code poa bench epoch}: each step of an epoch timed on its own, with the rows
 * it read and wrote and the peak resident memory of this JVM during it (the peak is reset before
 * each step, so a step's peak is its own, not the largest so far).
 */
public final class EpochSteps {

    /** What a step read and wrote, in its own unit (lines, inferences, credits, accounts...). */
    public record Rows(long in, String inUnit, long out, String outUnit) {
    }

    /**
     * One timed step; {@code heapAfterMb} is the heap still in use after it and a full GC: what the
     * step left behind on the driver (a leak or a cache grows it from step to step and with N).
     */
    public record Step(String name, double seconds, Rows rows, long peakRssMb, long heapAfterMb) {

        /** Input rows per second. */
        public double throughput() {
            return seconds > 0 ? rows.in() / seconds : 0;
        }
    }

    /** A step's work: runs it and says how many rows went in and out. */
    public interface Work {
        Rows run() throws Exception;
    }

    private final List<Step> steps = new ArrayList<>();
    private final Consumer<String> progress;

    public EpochSteps(Consumer<String> progress) {
        this.progress = progress;
    }

    /** Runs and records one step. */
    public Step time(String name, Work work) throws Exception {
        progress.accept("step " + name);
        MachineInfo.resetPeakRss();
        long start = System.nanoTime();
        Rows rows = work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = MachineInfo.peakRssMb();
        System.gc();
        long heapAfter = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        Step step = new Step(name, seconds, rows, peak, heapAfter);
        steps.add(step);
        progress.accept(String.format("step %s: %.1f s, %,d %s in, %,d %s out, peak RSS %,d MiB, heap after GC %,d MiB", name,
                step.seconds(), rows.in(), rows.inUnit(), rows.out(), rows.outUnit(), step.peakRssMb(), heapAfter));
        return step;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public double totalSeconds() {
        return steps.stream().mapToDouble(Step::seconds).sum();
    }

    public long peakRssMb() {
        return steps.stream().mapToLong(Step::peakRssMb).max().orElse(-1);
    }

    /** The steps as a fixed-width table, one line each, and the total. */
    public String table() {
        StringBuilder out = new StringBuilder(String.format("%-18s %9s %14s %-12s %14s %-12s %12s %10s %10s%n",
                "step", "wall s", "rows in", "(unit)", "rows out", "(unit)", "in rows/s", "peak RSS", "heap after"));
        for (Step s : steps) {
            out.append(String.format("%-18s %9.1f %,14d %-12s %,14d %-12s %,12.0f %,10d %,10d%n", s.name(), s.seconds(),
                    s.rows().in(), s.rows().inUnit(), s.rows().out(), s.rows().outUnit(), s.throughput(), s.peakRssMb(),
                    s.heapAfterMb()));
        }
        out.append(String.format("%-18s %9.1f %14s %-12s %14s %-12s %12s %,10d%n", "total", totalSeconds(), "", "", "", "", "",
                peakRssMb()));
        out.append("(MiB: peak RSS of this JVM during the step; heap in use after the step and a full GC)\n");
        return out.toString();
    }

    /** The steps for the JSON report. */
    public List<Map<String, Object>> json() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Step s : steps) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", s.name());
            row.put("seconds", s.seconds());
            row.put("rows_in", s.rows().in());
            row.put("rows_in_unit", s.rows().inUnit());
            row.put("rows_out", s.rows().out());
            row.put("rows_out_unit", s.rows().outUnit());
            row.put("rows_in_per_second", s.throughput());
            row.put("peak_rss_mb", s.peakRssMb());
            row.put("heap_after_gc_mb", s.heapAfterMb());
            out.add(row);
        }
        return out;
    }
}

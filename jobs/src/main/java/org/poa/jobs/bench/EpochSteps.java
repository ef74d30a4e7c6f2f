package org.poa.jobs.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.action.StepRows;
import org.poa.jobs.attribute.AttributeAction;
import org.poa.jobs.pipeline.EpochPipeline;
import org.poa.jobs.pipeline.EpochStep;

/**
 * The measurements of {@code poa bench epoch}: each step of an epoch timed on its own, with the rows
 * it read and wrote and the peak resident memory of this JVM during it (the peak is reset before
 * each step, so a step's peak is its own, not the largest so far). Listens to the pipeline's steps;
 * work outside the pipeline (generating the inputs) is timed through {@link #time}.
 */
public final class EpochSteps implements EpochPipeline.Listener {

    /**
     * One timed step; {@code heapAfterMb} is the heap still in use after it and a full GC: what the
     * step left behind on the driver (a leak or a cache grows it from step to step and with N).
     * {@code parts} are the step's own parts with their seconds (attribute: each method).
     */
    public record Step(String name, double seconds, StepRows rows, long peakRssMb, long heapAfterMb, Map<String, Double> parts) {

        /** Input rows per second. */
        public double throughput() {
            return seconds > 0 ? rows.in() / seconds : 0;
        }
    }

    /** Work outside the pipeline: runs it and says how many rows went in and out. */
    public interface Work {
        StepRows run() throws Exception;
    }

    private final List<Step> steps = new ArrayList<>();
    private final Consumer<String> progress;
    private long started;

    public EpochSteps(Consumer<String> progress) {
        this.progress = progress;
    }

    /** Runs and records work that is not a pipeline step. */
    public Step time(String name, Work work) throws Exception {
        begin(name);
        StepRows rows = work.run();
        return end(name, rows, (System.nanoTime() - started) / 1e9, Map.of());
    }

    @Override
    public void started(EpochStep step) {
        begin(step.code());
    }

    @Override
    public void finished(EpochStep step, StepResult result, double seconds) {
        Map<String, Double> parts = result instanceof AttributeAction.Result a ? a.methodSeconds() : Map.of();
        end(step.code(), result.rows(), seconds, parts);
    }

    private void begin(String name) {
        progress.accept("step " + name);
        MachineInfo.resetPeakRss();
        started = System.nanoTime();
    }

    private Step end(String name, StepRows rows, double seconds, Map<String, Double> parts) {
        long peak = MachineInfo.peakRssMb();
        System.gc();
        long heapAfter = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        Step step = new Step(name, seconds, rows, peak, heapAfter, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parts)));
        steps.add(step);
        progress.accept(String.format("step %s: %.1f s, %s, peak RSS %,d MiB, heap after GC %,d MiB", name, seconds, rows,
                step.peakRssMb(), heapAfter));
        return step;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public double totalSeconds() {
        return steps.stream().mapToDouble(Step::seconds).sum();
    }

    /** The seconds of the step called {@code name}, 0 when it did not run. */
    public double secondsOf(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).mapToDouble(Step::seconds).sum();
    }

    public long peakRssMb() {
        return steps.stream().mapToLong(Step::peakRssMb).max().orElse(-1);
    }

    /** The steps as a fixed-width table, one line each (and one per part), and the total. */
    public String table() {
        StringBuilder out = new StringBuilder(String.format("%-18s %9s %14s %-14s %14s %-14s %12s %10s %10s%n",
                "step", "wall s", "rows in", "(unit)", "rows out", "(unit)", "in rows/s", "peak RSS", "heap after"));
        for (Step s : steps) {
            out.append(String.format("%-18s %9.1f %,14d %-14s %,14d %-14s %,12.0f %,10d %,10d%n", s.name(), s.seconds(),
                    s.rows().in(), s.rows().inUnit(), s.rows().out(), s.rows().outUnit(), s.throughput(), s.peakRssMb(),
                    s.heapAfterMb()));
            s.parts().forEach((part, seconds) -> out.append(String.format("  %-16s %9.1f%n", part, seconds)));
        }
        out.append(String.format("%-18s %9.1f %14s %-14s %14s %-14s %12s %,10d%n", "total", totalSeconds(), "", "", "", "", "",
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
            if (!s.parts().isEmpty()) {
                row.put("parts_seconds", new LinkedHashMap<>(s.parts()));
            }
            out.add(row);
        }
        return out;
    }
}

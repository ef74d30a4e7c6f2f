package org.poa.jobs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a benchmark ran on and how much memory it took: printed beside every number. */
public final class MachineInfo {

    private MachineInfo() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu", procField("/proc/cpuinfo", "model name"));
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("memory", procField("/proc/meminfo", "MemTotal"));
        out.put("java", System.getProperty("java.version"));
        out.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        return out;
    }

    /** Peak resident set size of this process (VmHWM), in MiB; -1 where /proc is missing. */
    public static long peakRssMb() {
        String value = procField("/proc/self/status", "VmHWM");
        if (value == null) {
            return -1;
        }
        return Long.parseLong(value.replaceAll("[^0-9]", "")) >> 10;
    }

    /**
     * Starts a new peak: VmHWM is set back to the current RSS (Linux's clear_refs 5), so the next
     * {@link #peakRssMb()} is the peak since this call. False where the kernel does not allow it.
     */
    public static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The 1, 5 and 15 minute load averages and run queue, as /proc/loadavg shows them; null without it. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String procField(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(name)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}

package org.poa.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A benchmark's or an evaluation's report: one line per entry, and the same as indented JSON when asked. */
public final class BenchReport {

    private BenchReport() {
    }

    public static void print(PrintWriter out, Map<String, Object> report, Path json) throws IOException {
        for (Map.Entry<String, Object> e : report.entrySet()) {
            Object v = e.getValue();
            out.printf("%-40s %s%n", e.getKey(), v instanceof Double d ? String.format("%.2f", d) : v);
        }
        writeJson(report, json);
    }

    /** Writes the report as indented JSON when {@code json} is given. */
    public static void writeJson(Map<String, Object> report, Path json) throws IOException {
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Files.writeString(json, mapper.writeValueAsString(report) + "\n");
        }
    }
}

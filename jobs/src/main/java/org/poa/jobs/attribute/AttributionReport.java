package org.poa.jobs.attribute;

import java.util.ArrayList;
import java.util.List;

/** The attribute step's report: per method, one row per model with the runner's counts and the method's own figures. */
final class AttributionReport {

    private AttributionReport() {
    }

    /** The lines of one method's table. */
    static List<String> lines(long epoch, String method, List<AttributionRun> runs) {
        List<String> out = new ArrayList<>();
        out.add(String.format("epoch %d, method %s:", epoch, method));
        if (runs.isEmpty()) {
            out.add("(no model lists " + method + (method.equals("gradient") ? " with checkpoints or imported gradients)" : ")"));
            return out;
        }
        List<String> header = new ArrayList<>(List.of("model", "inferences", "credited", "credits"));
        header.addAll(runs.get(0).details().names());
        List<List<String>> rows = new ArrayList<>();
        for (AttributionRun run : runs) {
            List<String> row = new ArrayList<>(List.of(run.modelId(), Long.toString(run.inferences()), Long.toString(run.credited()),
                    Long.toString(run.credits())));
            run.details().values().forEach(v -> row.add(String.valueOf(v)));
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.add(line(header, widths));
        rows.forEach(r -> out.add(line(r, widths)));
        return out;
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            // The model and text columns left-aligned, numbers right-aligned.
            boolean number = !cell.isEmpty() && cell.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == '-');
            text.append(i == 0 ? "" : "  ").append(number ? pad(cell, widths[i], true) : pad(cell, widths[i], false));
        }
        return text.toString().stripTrailing();
    }

    private static String pad(String text, int width, boolean left) {
        String spaces = " ".repeat(Math.max(0, width - text.length()));
        return left ? spaces + text : text + spaces;
    }
}

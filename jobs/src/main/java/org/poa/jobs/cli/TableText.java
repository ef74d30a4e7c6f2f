package org.poa.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/** Plain-text renderings of rows: aligned tables and RFC 4180 CSV. */
final class TableText {

    private TableText() {
    }

    static List<String> cells(Row row) {
        List<String> cells = new ArrayList<>(row.length());
        for (int i = 0; i < row.length(); i++) {
            cells.add(cell(row.get(i)));
        }
        return cells;
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof scala.collection.Iterable<?> || value instanceof Row) {
            return value instanceof Row r ? r.json() : value.toString();
        }
        return value.toString();
    }

    static String csvLine(List<String> cells) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String c = cells.get(i);
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                out.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String aligned(List<String> header, List<Row> rows) {
        List<List<String>> table = new ArrayList<>();
        table.add(header);
        for (Row row : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : cells(row)) {
                String flat = c.replace("\n", " ");
                cells.add(flat.length() > 80 ? flat.substring(0, 77) + "..." : flat);
            }
            table.add(cells);
        }
        int[] widths = new int[header.size()];
        for (List<String> line : table) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).codePointCount(0, line.get(i).length()));
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < table.size(); r++) {
            List<String> line = table.get(r);
            for (int i = 0; i < line.size(); i++) {
                String c = line.get(i);
                out.append(i == 0 ? "" : "  ").append(c);
                if (i < line.size() - 1) {
                    out.append(" ".repeat(widths[i] - c.codePointCount(0, c.length())));
                }
            }
            out.append('\n');
            if (r == 0) {
                for (int i = 0; i < widths.length; i++) {
                    out.append(i == 0 ? "" : "  ").append("-".repeat(Math.max(1, widths[i])));
                }
                out.append('\n');
            }
        }
        out.append("(").append(rows.size()).append(rows.size() == 1 ? " row)" : " rows)").append('\n');
        return out.toString();
    }
}

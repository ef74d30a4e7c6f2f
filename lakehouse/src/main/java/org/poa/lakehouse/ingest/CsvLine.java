package org.poa.lakehouse.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * One CSV record on one line (RFC 4180 quoting: "a ""b"", c" is one cell). Records that span lines
 * are not supported: each line is a record, so every rejected record keeps its line number.
 */
final class CsvLine {

    private CsvLine() {
    }

    /** The cells of a line, or null when its quotes are unbalanced. */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                if (cell.length() > 0 || wasQuoted) {
                    return null;
                }
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else {
                if (wasQuoted) {
                    return null;
                }
                cell.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        cells.add(cell.toString());
        return cells;
    }
}

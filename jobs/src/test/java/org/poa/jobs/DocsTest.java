package org.poa.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.validate.Reason;
import picocli.CommandLine;

/** The public interfaces stay documented: every table and column, reason code and command. */
class DocsTest {

    static String doc(String name) throws IOException {
        return Files.readString(Path.of("..", "docs", name));
    }

    @Test
    void tablesDocDescribesEveryTableAndColumn() throws IOException {
        String doc = doc("tables.md");
        for (TableDef table : Tables.all()) {
            int at = doc.indexOf("## `" + table.name() + "`");
            assertTrue(at >= 0, "docs/tables.md lacks " + table.name());
            int next = doc.indexOf("\n## ", at + 1);
            String section = doc.substring(at, next < 0 ? doc.length() : next);
            for (String column : table.columns()) {
                assertTrue(section.contains("| `" + column + "` |"), "docs/tables.md: " + table.name() + "." + column);
            }
            assertTrue(section.contains("Keys: " + String.join(", ", table.keys()) + "."), table.name() + " keys");
        }
    }

    @Test
    void ingestionDocListsEveryReasonCode() throws IOException {
        String doc = doc("ingestion.md");
        for (Reason reason : Reason.values()) {
            assertTrue(doc.contains("| `" + reason.code() + "` |"), "docs/ingestion.md lacks " + reason.code());
        }
    }

    @Test
    void cliDocCoversEveryCommand() throws IOException {
        String doc = doc("cli.md");
        CommandLine cli = new CommandLine(new org.poa.jobs.cli.PoaCommandAccess().command());
        for (String name : cli.getSubcommands().keySet()) {
            assertTrue(doc.contains("## `poa " + name), "docs/cli.md lacks " + name);
        }
    }
}

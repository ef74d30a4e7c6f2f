package org.poa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.validate.Reason;
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

    /**
     * docs/cli.md is the header, then one section per command (every subcommand, depth first) holding
     * exactly its --help. {@code -Dpoa.docs.update=true} rewrites the file to match.
     */
    @Test
    void cliDocShowsEveryCommandsHelp() throws IOException {
        String doc = doc("cli.md");
        String header = doc.substring(0, doc.indexOf("\n## ")).stripTrailing() + "\n";
        StringBuilder expected = new StringBuilder(header);
        CommandLine cli = new CommandLine(new org.poa.jobs.cli.PoaCommandAccess().command());
        cli.setUsageHelpWidth(120);
        sections(cli, "poa", expected);
        if (Boolean.getBoolean("poa.docs.update")) {
            Files.writeString(Path.of("..", "docs", "cli.md"), expected.toString());
            doc = expected.toString();
        }
        assertEquals(expected.toString(), doc,
                "docs/cli.md differs from the commands' --help: mvn -pl jobs test -Dtest=DocsTest -Dpoa.docs.update=true rewrites it");
    }

    private static void sections(CommandLine command, String path, StringBuilder out) {
        out.append("\n## `").append(path).append("`\n\n```\n").append(command.getUsageMessage().stripTrailing()).append("\n```\n");
        command.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                sections(sub, path + " " + name, out);
            }
        });
    }
}

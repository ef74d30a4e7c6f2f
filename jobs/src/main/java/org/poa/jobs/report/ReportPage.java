package org.poa.jobs.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One self-contained HTML page: the page's data as JSON in a {@code <script type="application/json">}
 * element (what the page shows, and what a test reads back), Apache ECharts and the page's own script
 * and style inlined, and a Content-Security-Policy that forbids every request, so the file opens from
 * disk with no network and cannot make one.
 */
public final class ReportPage {

    /** Apache ECharts' browser bundle, from its webjar on the classpath (pinned in the pom). */
    static final String ECHARTS = "META-INF/resources/webjars/echarts/" + echartsVersion() + "/dist/echarts.min.js";
    private static final String RESOURCES = "org/poa/jobs/report/";
    /** {@code <!--POA:name-->} in HTML, {@code /*POA:name*}{@code /} inside a script or style element. */
    private static final Pattern PLACEHOLDER = Pattern.compile("<!--POA:(\\w+)-->|/\\*POA:(\\w+)\\*/");

    private ReportPage() {
    }

    /**
     * Writes {@code file} (through a temporary file and a rename, so a reader never sees half a page).
     *
     * @param script the page's script among this package's resources ({@code epoch.js}, {@code statement.js})
     */
    public static Path write(Path file, String title, ObjectNode data, String script) {
        Map<String, String> parts = Map.of(
                "title", escapeHtml(title),
                "css", resource(RESOURCES + "report.css"),
                "data", json(data),
                "page", resource(RESOURCES + "common.js") + "\n" + resource(RESOURCES + script),
                "echarts", resource(ECHARTS));
        // One pass over the template: what is put in is never read again for placeholders (the data
        // may hold any text, "/*POA:echarts*/" included).
        Matcher placeholder = PLACEHOLDER.matcher(resource(RESOURCES + "page.html"));
        StringBuilder html = new StringBuilder();
        while (placeholder.find()) {
            String name = placeholder.group(1) != null ? placeholder.group(1) : placeholder.group(2);
            placeholder.appendReplacement(html, Matcher.quoteReplacement(parts.get(name)));
        }
        placeholder.appendTail(html);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            // Not createTempFile: its owner-only permissions would stay on the page after the rename.
            Path temp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(temp, html, StandardCharsets.UTF_8);
            return Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The data as JSON safe inside a script element: every {@code <} is written as {@code \u003c}, so
     * no text of the tables (a contribution's content, say) can close the element or open a comment.
     */
    static String json(ObjectNode data) {
        try {
            return new ObjectMapper().writeValueAsString(data).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " (a broken build of poa-jobs)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String echartsVersion() {
        try (InputStream in = ReportPage.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the echarts webjar is not on the classpath (a broken build of poa-jobs)");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

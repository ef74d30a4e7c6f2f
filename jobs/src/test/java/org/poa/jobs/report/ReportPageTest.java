package org.poa.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page file itself: data that cannot escape its script element, everything inline, the same bytes twice. */
class ReportPageTest {

    @Test
    void textFromTheTablesStaysDataAndThePageIsSelfContained(@TempDir Path dir) throws Exception {
        ObjectNode data = JsonRows.JSON.objectNode();
        String hostile = "</script><script>alert(1)</script><!-- <!--POA:page--> /*POA:echarts*/ \u2028 & \"";
        data.put("kind", "epoch").put("text", hostile);
        Path page = ReportPage.write(dir.resolve("epoch-1.html"), "Epoch <1>", data, "epoch.js");
        String html = Files.readString(page);

        Matcher embedded = Pattern.compile("<script type=\"application/json\" id=\"poa-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(embedded.find());
        assertFalse(embedded.group(1).contains("<"), "no '<' inside the data element");
        assertEquals(hostile, new ObjectMapper().readTree(embedded.group(1)).get("text").asText(), "the text comes back whole");
        assertTrue(html.contains("<title>Epoch &lt;1&gt;</title>"));
        String outside = html.replace(embedded.group(1), "");
        assertFalse(outside.contains("<!--POA:") || outside.contains("/*POA:"), "every placeholder filled");
        assertTrue(outside.contains("echarts.init"), "the page's script is in");
        assertTrue(html.contains("default-src 'none'"), "the policy forbids every request");
        String library;
        try (var in = ReportPage.class.getClassLoader().getResourceAsStream(ReportPage.ECHARTS)) {
            library = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(outside.contains(library), "ECharts is inlined whole");
        // (The library's own code holds an <img src=...> template for image marks, which the pages do not use.)
        assertFalse(Pattern.compile("<(script|link|img|iframe)[^>]+(src|href)=", Pattern.CASE_INSENSITIVE)
                .matcher(outside.replace(library, "")).find(), "nothing is loaded from elsewhere");

        byte[] first = Files.readAllBytes(page);
        ReportPage.write(page, "Epoch <1>", data, "epoch.js");
        assertEquals(new String(first), Files.readString(page), "the same data gives the same bytes");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }
}

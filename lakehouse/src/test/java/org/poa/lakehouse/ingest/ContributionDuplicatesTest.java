package org.poa.lakehouse.ingest;

import org.poa.core.ids.ContributionIds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;

/**
 * DESIGN.md's duplicate rule across files and formats: the earliest submission of a normalized
 * content keeps it whatever order the files arrive in; JSON Lines, CSV and Parquet give the same rows.
 */
class ContributionDuplicatesTest extends SparkTestBase {

    static final String C1 = "0x1111111111111111111111111111111111111111";
    static final String C2 = "0x2222222222222222222222222222222222222222";
    static final String DATANETS = "{\"datanet_id\":\"fa\",\"name\":\"Persian\",\"owner\":\"" + C1
            + "\",\"license\":{\"commercial\":true,\"derivatives\":true}}\n";

    static String row(String contributor, String content, String at) {
        return "{\"datanet_id\":\"fa\",\"contributor\":\"" + contributor + "\",\"content\":\"" + content
                + "\",\"submitted_at\":\"" + at + "\"}";
    }

    static IngestReport ingest(Lakehouse lakehouse, InputKind kind, Path input) {
        return kind.ingest(lakehouse, IngestOptions.DEFAULT).run(input.toString());
    }

    @Test
    void theEarliestSubmissionWinsInAnyFileOrder() {
        Path datanets = write("dup/datanets.jsonl", DATANETS);
        // a.jsonl: the poem at 10:00 by C1, and a second text.
        Path a = write("dup/a.jsonl", row(C1, "یک کتاب کهنه می\u200cخوانم کنار دریا", "2026-01-01T10:00:00Z") + "\n"
                + row(C1, "شب و ماه و ستاره", "2026-01-01T10:05:00Z") + "\n");
        // b.csv: the same poem in Arabic letter variants, with tatweel, without the ZWNJ, by C2 at 09:00: earlier.
        Path b = write("dup/b.csv", "datanet_id,contributor,content,submitted_at\n"
                + "fa," + C2 + ",\"يك كـتاب كهنه، ميخوانم كنار دريا!\",2026-01-01T09:00:00Z\n");

        Lakehouse ab = newLakehouse("dup-ab");
        ingest(ab, InputKind.DATANETS, datanets);
        IngestReport first = ingest(ab, InputKind.CONTRIBUTIONS, a);
        assertEquals(2, first.accepted());
        IngestReport second = ingest(ab, InputKind.CONTRIBUTIONS, b);
        assertEquals(1, second.accepted(), "the earlier submission replaces the stored one");
        assertEquals(1, second.displaced());

        Lakehouse ba = newLakehouse("dup-ba");
        ingest(ba, InputKind.DATANETS, datanets);
        ingest(ba, InputKind.CONTRIBUTIONS, b);
        IngestReport later = ingest(ba, InputKind.CONTRIBUTIONS, a);
        assertEquals(1, later.accepted());
        assertEquals(Map.of("duplicate_content", 1L), later.duplicateReasons());

        List<String> expected = contributions(ab);
        assertEquals(expected, contributions(ba));
        assertEquals(2, expected.size());
        String poem = ContributionIds.ofContent("fa", "یک کتاب کهنه میخوانم کنار دریا");
        Row winner = ab.read(Tables.CONTRIBUTIONS).where("contribution_id = '" + poem + "'").head();
        assertEquals(C2, winner.getAs("contributor"));
        assertEquals(quarantineKeys(ab), quarantineKeys(ba));
        assertEquals(List.of("contributions|a.jsonl|1|duplicate_content"), quarantineKeys(ab));
    }

    @Test
    void overlappingFilesAndEveryFormatAddNothingTwice() throws IOException {
        Path datanets = write("fmt/datanets.jsonl", DATANETS);
        String x = row(C1, "the river runs under the old bridge", "2026-01-01T10:00:00Z");
        String y = row(C2, "a quiet garden in the morning light", "2026-01-01T11:00:00Z");
        String z = row(C2, "seven ships in the northern harbor", "2026-01-01T12:00:00Z");
        Path jsonl = write("fmt/one.jsonl", x + "\n" + y + "\n");
        Path overlap = write("fmt/two.jsonl", y + "\n" + z + "\n");
        Path parquet = toParquet(write("fmt/all.json-src", x + "\n" + y + "\n" + z + "\n"), "fmt/all.parquet");

        Lakehouse jsonLake = newLakehouse("fmt-json");
        ingest(jsonLake, InputKind.DATANETS, datanets);
        assertEquals(2, ingest(jsonLake, InputKind.CONTRIBUTIONS, jsonl).accepted());
        IngestReport two = ingest(jsonLake, InputKind.CONTRIBUTIONS, overlap);
        assertEquals(1, two.accepted());
        assertEquals(1, two.duplicates());
        assertEquals(Map.of("already_ingested", 1L), two.duplicateReasons());

        Lakehouse parquetLake = newLakehouse("fmt-parquet");
        ingest(parquetLake, InputKind.DATANETS, datanets);
        IngestReport all = ingest(parquetLake, InputKind.CONTRIBUTIONS, parquet);
        assertEquals(3, all.accepted());
        assertEquals(contentColumns(jsonLake), contentColumns(parquetLake));
    }

    @Test
    void equalTimesGoToTheNumericallySmallerAddress() {
        Path datanets = write("tie/datanets.jsonl", DATANETS);
        // 0xa0...04 is the smaller number, but its EIP-55 spelling is lowercase while 0xB0...04 starts
        // with a capital, which sorts first as text.
        String small = "0xa000000000000000000000000000000000000004";
        String large = "0xb000000000000000000000000000000000000004";
        Path input = write("tie/c.jsonl", row(large, "the same words at the same time", "2026-01-01T10:00:00Z") + "\n"
                + row(small, "The same words, at the same time!", "2026-01-01T10:00:00Z") + "\n");
        Lakehouse lake = newLakehouse("tie");
        ingest(lake, InputKind.DATANETS, datanets);
        IngestReport report = ingest(lake, InputKind.CONTRIBUTIONS, input);
        assertEquals(1, report.accepted());
        assertEquals(small, lake.read(Tables.CONTRIBUTIONS).head().<String>getAs("contributor").toLowerCase());
    }

    /** Spark writes a folder of part files; the test keeps the one part as a .parquet file. */
    private static Path toParquet(Path json, String target) throws IOException {
        Path folder = workDir.resolve(target + ".d");
        spark.read().json(json.toString()).coalesce(1).write().parquet(folder.toString());
        Path out = workDir.resolve(target);
        try (Stream<Path> parts = Files.list(folder)) {
            Path part = parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            Files.copy(part, out);
        }
        return out;
    }

    static List<String> contributions(Lakehouse lakehouse) {
        return lakehouse.read(Tables.CONTRIBUTIONS).orderBy("contribution_id").collectAsList().stream()
                .map(r -> r.getAs("contribution_id") + "|" + r.getAs("contributor") + "|" + r.getAs("submitted_at") + "|"
                        + r.getAs("content") + "|" + fileName(r.getAs("source_file")) + ":" + r.getAs("source_line"))
                .toList();
    }

    static List<String> contentColumns(Lakehouse lakehouse) {
        return lakehouse.read(Tables.CONTRIBUTIONS).orderBy("contribution_id").collectAsList().stream()
                .map(r -> r.getAs("contribution_id") + "|" + r.getAs("contributor") + "|" + r.getAs("submitted_at") + "|"
                        + r.getAs("content") + "|" + r.getAs("token_count"))
                .toList();
    }

    static List<String> quarantineKeys(Lakehouse lakehouse) {
        return lakehouse.read(Tables.QUARANTINE).orderBy("source", "line").collectAsList().stream()
                .map(r -> r.getAs("table") + "|" + fileName(r.getAs("source")) + "|" + r.getAs("line") + "|" + r.getAs("reason"))
                .toList();
    }

    static String fileName(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }
}

package org.poa.jobs.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The epoch folder's temporary files: an interrupted run's are removed, a running one's are not. */
class TreeFilesTest {

    @TempDir
    Path lakehouse;

    @Test
    void onlyLeftoversOlderThanAnyRunTakesAreRemoved() throws IOException {
        TreeFiles files = new TreeFiles(lakehouse.toString(), new Configuration());
        Path epoch = lakehouse.resolve("epochs/3");
        Path oldStaging = Files.createDirectories(epoch.resolve("_proofs-old"));
        Files.writeString(oldStaging.resolve("part-00000.parquet"), "x");
        Path oldDump = Files.writeString(epoch.resolve("_tree-old.json.tmp"), "x");
        Path liveStaging = Files.createDirectories(epoch.resolve("_proofs-live"));
        Files.writeString(liveStaging.resolve("part-00000.parquet"), "x");
        Path tree = Files.writeString(epoch.resolve("tree.json"), "{}");
        FileTime longAgo = FileTime.from(Instant.now().minus(TreeFiles.LEFTOVER_AGE).minusSeconds(60));
        for (Path p : List.of(oldStaging, oldDump, tree)) {
            Files.setLastModifiedTime(p, longAgo);
        }

        files.removeLeftovers(3);

        try (Stream<Path> left = Files.list(epoch)) {
            assertEquals(List.of("_proofs-live", "tree.json"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
        files.removeLeftovers(4); // an epoch without a folder: nothing to do
    }
}

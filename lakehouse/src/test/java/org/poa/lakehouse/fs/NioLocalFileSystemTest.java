package org.poa.lakehouse.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.SparkTestBase;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/**
 * The local file system without child processes: installed in local sessions, the same permissions
 * and statuses as Hadoop's own, and a Delta table written and read without one chmod or readlink.
 */
class NioLocalFileSystemTest extends SparkTestBase {

    @Test
    void localSessionsUseItForBothHadoopApis() throws Exception {
        Configuration conf = spark.sessionState().newHadoopConf();
        assertInstanceOf(NioLocalFileSystem.class, FileSystem.get(workDir.toUri(), conf));
        assertInstanceOf(NioLocalFs.class, FileContext.getFileContext(workDir.toUri(), conf).getDefaultFileSystem());
    }

    @Test
    void setsThePermissionsHadoopSetsAndGivesTheStatusHadoopGives() throws Exception {
        Configuration conf = new Configuration();
        RawLocalFileSystem hadoop = new RawLocalFileSystem();
        hadoop.initialize(java.net.URI.create("file:///"), conf);
        NioLocalFileSystem.Raw nio = new NioLocalFileSystem.Raw();
        nio.initialize(java.net.URI.create("file:///"), conf);
        Path ours = Files.createDirectories(workDir.resolve("modes/ours"));
        Path theirs = Files.createDirectories(workDir.resolve("modes/theirs"));
        for (short mode : new short[] {0755, 0644, 0700, 0750, 0600, 0000, 0777, 0640, 0501, 01777}) {
            for (String kind : List.of("file", "dir")) {
                Path a = ours.resolve(kind + Integer.toOctalString(mode));
                Path b = theirs.resolve(kind + Integer.toOctalString(mode));
                if (kind.equals("dir")) {
                    Files.createDirectory(a);
                    Files.createDirectory(b);
                } else {
                    Files.writeString(a, "x");
                    Files.writeString(b, "x");
                }
                nio.setPermission(hadoopPath(a), new FsPermission(mode));
                hadoop.setPermission(hadoopPath(b), new FsPermission(mode));
                assertEquals(hadoop.getFileStatus(hadoopPath(b)).getPermission(), nio.getFileStatus(hadoopPath(a)).getPermission(),
                        kind + " " + Integer.toOctalString(mode));
                assertEquals(Files.getPosixFilePermissions(b), Files.getPosixFilePermissions(a), kind + " " + Integer.toOctalString(mode));
                // Readable again, so the folder can be deleted.
                hadoop.setPermission(hadoopPath(b), new FsPermission((short) 0755));
                nio.setPermission(hadoopPath(a), new FsPermission((short) 0755));
            }
        }

        Path file = Files.writeString(workDir.resolve("status.txt"), "twelve bytes");
        // A link goes to Hadoop's own code (which, as of 3.5, reports the target's status for it).
        Path link = Files.createSymbolicLink(workDir.resolve("status.link"), file);
        for (Path path : List.of(file, workDir.resolve("modes"), link)) {
            FileStatus want = hadoop.getFileLinkStatus(hadoopPath(path));
            FileStatus got = nio.getFileLinkStatus(hadoopPath(path));
            assertEquals(want, got, path.toString());
            assertEquals(want.isSymlink(), got.isSymlink(), path.toString());
            assertEquals(want.getLen(), got.getLen(), path.toString());
            assertEquals(want.isDirectory(), got.isDirectory(), path.toString());
            assertEquals(want.getModificationTime(), got.getModificationTime(), path.toString());
            assertEquals(want.getPermission(), got.getPermission(), path.toString());
        }
        org.junit.jupiter.api.Assertions.assertThrows(java.io.FileNotFoundException.class,
                () -> nio.getFileLinkStatus(hadoopPath(workDir.resolve("absent"))));
    }

    /** What the class is for: Delta commits and Parquet files with no chmod or readlink process (JFR sees every start). */
    @Test
    void aDeltaTableIsWrittenAndReadWithoutAChildProcess() throws Exception {
        Lakehouse lakehouse = newLakehouse("no-processes");
        Path dump = workDir.resolve("processes.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ProcessStart").withStackTrace();
            recording.start();
            lakehouse.ensure(Tables.DATANETS);
            spark.sql("SELECT 'd1' AS datanet_id").count();
            lakehouse.read(Tables.DATANETS).count();
            org.poa.lakehouse.catalog.TableWrites.replaceAll(lakehouse, Tables.DATANETS,
                    lakehouse.read(Tables.DATANETS), "test");
            recording.stop();
            recording.dump(dump);
        }
        List<String> commands = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(dump)) {
            commands.add(event.getString("command"));
        }
        assertTrue(commands.stream().noneMatch(c -> c.startsWith("chmod") || c.startsWith("readlink")),
                "child processes: " + commands);
        assertTrue(Files.isDirectory(Path.of(lakehouse.path(Tables.DATANETS), "_delta_log")));
    }

    private static org.apache.hadoop.fs.Path hadoopPath(Path path) {
        return new org.apache.hadoop.fs.Path(path.toUri());
    }
}

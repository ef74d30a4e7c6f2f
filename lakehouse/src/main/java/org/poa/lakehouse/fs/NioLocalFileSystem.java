package org.poa.lakehouse.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}) without a child process per file operation.
 *
 * <p>Without Hadoop's native library (libhadoop, which no Maven artifact ships), Hadoop's
 * {@link RawLocalFileSystem} runs {@code chmod} as a child process for every directory it makes and
 * every file it creates, and {@code readlink} twice per path for every link status it is asked for;
 * Delta asks for two on every commit (its log store renames through a {@code FileContext}). A
 * test's epoch step spawned some 2,300 processes in 200 s, each costing the JVM about 2.5 ms of fork
 * and exec (measured). This class does the same two things with {@code java.nio.file}, in-process:
 * <ul>
 *   <li>{@link #setPermission}: the same POSIX bits through {@link Files#setPosixFilePermissions}
 *       (Hadoop's own way is kept for what NIO cannot set: the sticky bit, or a file system without
 *       POSIX attributes);</li>
 *   <li>{@link #getFileLinkStatus}: the file's status when it is not a symbolic link, which is what
 *       Hadoop returns then too; links still go to Hadoop.</li>
 * </ul>
 * Everything else, checksums included, is Hadoop's. {@code SparkSessions}
 * installs it (and {@link NioLocalFs}, the same for {@code FileContext}) on local masters, where the
 * driver is the only JVM that needs the class.
 */
public class NioLocalFileSystem extends LocalFileSystem {

    /** The {@code fs.file.impl} setting that installs this class. */
    public static final String FILE_SYSTEM_KEY = "fs.file.impl";

    public NioLocalFileSystem() {
        super(new Raw());
    }

    /** The raw (checksum-free) file system both {@code fs.file.impl} and {@code fs.AbstractFileSystem.file.impl} wrap. */
    public static class Raw extends RawLocalFileSystem {

        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            Set<PosixFilePermission> bits = posix(permission);
            java.nio.file.Path file = pathToFile(path).toPath();
            if (bits == null || !Files.getFileStore(file).supportsFileAttributeView("posix")) {
                super.setPermission(path, permission);
                return;
            }
            Files.setPosixFilePermissions(file, bits);
        }

        @Override
        public FileStatus getFileLinkStatus(Path path) throws IOException {
            if (Files.isSymbolicLink(pathToFile(path).toPath())) {
                return super.getFileLinkStatus(path);
            }
            return getFileStatus(path);
        }

        /** The permission as NIO's POSIX bits ("rwxr-x---" both ways); null when it has a bit NIO cannot set (sticky). */
        static Set<PosixFilePermission> posix(FsPermission permission) {
            return permission.getStickyBit() ? null : PosixFilePermissions.fromString(permission.toString());
        }
    }
}

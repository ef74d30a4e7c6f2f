package org.poa.lakehouse.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The files an ingest reads: one file, or every file of a folder (not recursive; names starting
 * with '.' or '_' are skipped as hidden). Sorted by path so the result never depends on listing order.
 */
public final class InputFiles {

    /** One input file with its fully qualified path and format. */
    public record InputFile(String path, InputFormat format) {
    }

    private InputFiles() {
    }

    /** Whether the file or folder exists at all. */
    public static boolean exists(SparkSession spark, String location) {
        try {
            Path path = new Path(location);
            return path.getFileSystem(spark.sessionState().newHadoopConf()).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input " + location + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code location} is a file, or a folder holding at least one file an ingest would read. */
    public static boolean present(SparkSession spark, String location) {
        try {
            Path path = new Path(location);
            FileSystem fs = path.getFileSystem(spark.sessionState().newHadoopConf());
            if (!fs.exists(path)) {
                return false;
            }
            if (fs.getFileStatus(path).isFile()) {
                return true;
            }
            for (FileStatus child : fs.listStatus(path)) {
                String name = child.getPath().getName();
                if (!child.isDirectory() && !name.startsWith(".") && !name.startsWith("_")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input " + location + ": " + e.getMessage(), e);
        }
    }

    public static List<InputFile> list(SparkSession spark, String location) {
        try {
            Path path = new Path(location);
            FileSystem fs = path.getFileSystem(spark.sessionState().newHadoopConf());
            if (!fs.exists(path)) {
                throw new IllegalArgumentException("input " + location + " does not exist");
            }
            FileStatus status = fs.getFileStatus(path);
            List<InputFile> files = new ArrayList<>();
            if (status.isFile()) {
                files.add(classify(status, true));
            } else {
                for (FileStatus child : fs.listStatus(path)) {
                    String name = child.getPath().getName();
                    if (child.isDirectory() || name.startsWith(".") || name.startsWith("_")) {
                        continue;
                    }
                    files.add(classify(child, false));
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("input " + location + " holds no .jsonl, .csv or .parquet file");
            }
            files.sort(Comparator.comparing(InputFile::path));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input " + location + ": " + e.getMessage(), e);
        }
    }

    private static InputFile classify(FileStatus status, boolean named) {
        InputFormat format = InputFormat.of(status.getPath().getName());
        if (format == null) {
            if (named) {
                throw new IllegalArgumentException("input " + status.getPath()
                        + " is not .jsonl/.ndjson/.json, .csv or .parquet");
            }
            throw new IllegalArgumentException("input folder holds " + status.getPath().getName()
                    + ", which is not .jsonl/.ndjson/.json, .csv or .parquet");
        }
        return new InputFile(status.getPath().toUri().toString(), format);
    }
}

package org.poa.jobs.merkle;

import org.poa.core.merkle.PayoutTree;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where an epoch's tree dump lives, {@code <lakehouse>/epochs/<N>/tree.json}, read and written
 * through Hadoop's file system API so it works the same on a local folder and on {@code s3a://}.
 * Writes go to a temporary name first, so a reader never finds half a dump.
 */
public final class TreeFiles {

    /** How old an interrupted run's temporary files must be before a later run removes them. */
    static final java.time.Duration LEFTOVER_AGE = java.time.Duration.ofHours(1);

    private final String root;
    private final Configuration conf;

    public TreeFiles(String lakehouseRoot, Configuration conf) {
        this.root = lakehouseRoot;
        this.conf = conf;
    }

    public Path epochFolder(long epoch) {
        return new Path(root + "/epochs/" + epoch);
    }

    public Path treePath(long epoch) {
        return new Path(epochFolder(epoch), "tree.json");
    }

    public Configuration conf() {
        return conf;
    }

    public void write(long epoch, PayoutTree tree) throws IOException {
        Path target = treePath(epoch);
        FileSystem fs = target.getFileSystem(conf);
        Path temporary = new Path(epochFolder(epoch), "_tree-" + UUID.randomUUID() + ".json.tmp");
        try (OutputStream out = fs.create(temporary, true)) {
            tree.writeDump(new java.io.BufferedOutputStream(out, 1 << 20));
        }
        fs.delete(target, false);
        if (!fs.rename(temporary, target)) {
            fs.delete(temporary, false);
            throw new IOException("could not move the tree dump into place at " + target);
        }
    }

    /**
     * Removes what an interrupted run left in the epoch's folder (temporary dumps, proof staging) once
     * it is {@link #LEFTOVER_AGE} old: a younger one may belong to a run of the same epoch still
     * writing (staging 10 million proofs takes under a minute), whose files must not vanish under it.
     */
    public void removeLeftovers(long epoch) throws IOException {
        long cutoff = System.currentTimeMillis() - LEFTOVER_AGE.toMillis();
        Path folder = epochFolder(epoch);
        FileSystem fs = folder.getFileSystem(conf);
        if (!fs.exists(folder)) {
            return;
        }
        for (var status : fs.listStatus(folder)) {
            String name = status.getPath().getName();
            if ((name.startsWith("_tree-") || name.startsWith("_proofs-")) && status.getModificationTime() < cutoff) {
                fs.delete(status.getPath(), true);
            }
        }
    }

    public boolean exists(long epoch) throws IOException {
        Path target = treePath(epoch);
        return target.getFileSystem(conf).exists(target);
    }

    public PayoutTree read(long epoch) throws IOException {
        Path target = treePath(epoch);
        try (InputStream in = target.getFileSystem(conf).open(target)) {
            return PayoutTree.load(new java.io.BufferedInputStream(in, 1 << 20));
        } catch (FileNotFoundException e) {
            throw new IllegalStateException("epoch " + epoch + " has no tree at " + target + ": run poa merkle --epoch " + epoch + " first");
        }
    }
}

package org.poa.jobs.attribute;

import org.poa.lakehouse.catalog.Lakehouse;

/** Where the n-gram index keeps its shard files: beside the tables, never inside one. */
public final class ShardLocation {

    /** Folder under the lakehouse root; starts with '_' so no table listing mistakes it for a table. */
    public static final String FOLDER = "_ngram_shards";

    private ShardLocation() {
    }

    public static String folder(Lakehouse lakehouse) {
        return lakehouse.root() + "/" + FOLDER;
    }

    public static String file(String folder, String shard) {
        return folder + "/" + shard + ".bin";
    }
}

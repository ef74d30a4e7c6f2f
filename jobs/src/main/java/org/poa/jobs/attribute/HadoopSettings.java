package org.poa.jobs.attribute;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.poa.lakehouse.catalog.Lakehouse;

/**
 * The driver's Hadoop settings (including {@code spark.hadoop.*}, e.g. S3A endpoints and keys),
 * carried to executors so that tasks reading index shards see the same file systems.
 */
public final class HadoopSettings implements Serializable {

    private final Map<String, String> values = new HashMap<>();

    private HadoopSettings(Configuration conf) {
        conf.forEach(e -> values.put(e.getKey(), e.getValue()));
    }

    public static HadoopSettings of(Lakehouse lakehouse) {
        return new HadoopSettings(lakehouse.hadoopConf());
    }

    public Configuration configuration() {
        Configuration conf = new Configuration(false);
        values.forEach(conf::set);
        return conf;
    }
}

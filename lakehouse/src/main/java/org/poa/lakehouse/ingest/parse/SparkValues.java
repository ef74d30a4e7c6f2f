package org.poa.lakehouse.ingest.parse;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import scala.jdk.javaapi.CollectionConverters;

/** Java values in the shapes Spark's Row encoder wants for arrays and maps. */
public final class SparkValues {

    private SparkValues() {
    }

    public static <T> scala.collection.immutable.Seq<T> seq(List<T> values) {
        return CollectionConverters.asScala(values).toSeq();
    }

    /** Keys sorted, so equal maps serialize equally. */
    public static <V> scala.collection.Map<String, V> map(Map<String, V> values) {
        return CollectionConverters.asScala(new TreeMap<>(values));
    }
}

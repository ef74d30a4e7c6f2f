package org.poa.lakehouse.catalog;

import java.util.Map;

/** Helpers of the control-row records. */
final class Rows {

    private Rows() {
    }

    /** Spark's Row holds maps as Scala maps. */
    static scala.collection.Map<String, Long> scalaMap(Map<String, Long> map) {
        return scala.jdk.javaapi.CollectionConverters.asScala(map);
    }
}

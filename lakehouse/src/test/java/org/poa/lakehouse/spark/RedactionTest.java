package org.poa.lakehouse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.util.Utils;
import org.junit.jupiter.api.Test;
import org.poa.lakehouse.SparkTestBase;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Keys that reach a session's conf (a cluster manager's driver environment is conf there) are
 * redacted by Spark's own redaction, as the UI's Environment tab and the event log apply it.
 */
class RedactionTest extends SparkTestBase {

    @Test
    void privateKeysAndKeystoresAreRedactedBySparkItself() {
        List<String> names = List.of("spark.yarn.appMasterEnv.POA_PRIVATE_KEY", "spark.kubernetes.driverEnv.POA_TREASURY_PRIVATE_KEY",
                "spark.executorEnv.poa_private-key", "spark.yarn.appMasterEnv.POA_KEYSTORE", "spark.hadoop.fs.s3a.secret.key");
        List<Tuple2<String, String>> entries = names.stream().map(n -> new Tuple2<>(n, "ac0974bec39a17e36ba4a6b4d2")).toList();
        var redacted = CollectionConverters.asJava(Utils.redact(spark.sparkContext().getConf(),
                CollectionConverters.asScala(entries).toSeq()));
        assertEquals(names.size(), redacted.size());
        for (Tuple2<String, String> entry : redacted) {
            assertTrue(!entry._2().contains("ac0974"), entry._1() + " is shown: " + entry._2());
        }
        var kept = CollectionConverters.asJava(Utils.redact(spark.sparkContext().getConf(),
                CollectionConverters.asScala(List.of(new Tuple2<>("spark.app.name", "poa-test"))).toSeq()));
        assertEquals("poa-test", kept.get(0)._2(), "other settings stay readable");
    }

    @Test
    void anOperatorsOwnRedactionPatternIsExtendedNotReplaced() {
        assertEquals("(?i)mine|" + SparkSessions.KEY_REDACTION, SparkSessions.redaction("(?i)mine"));
        String both = SparkSessions.redaction("(?i)mine");
        assertEquals(both, SparkSessions.redaction(both), "extended once");
    }
}

package org.poa.jobs.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.epoch.EpochClock;
import org.poa.core.ids.ContributionIds;
import org.poa.lakehouse.ingest.parse.SparkValues;
import org.poa.lakehouse.status.StatusRule;

/**
 * Writes a benchmark lakehouse directly (no ingest: that has its own benchmark): one datanet, one
 * n-gram model, {@code documents} approved contributions and {@code outputs} inferences of epoch 1,
 * generated inside tasks so the driver holds none of it.
 */
public final class BenchWorld {

    public static final String DATANET = "bench-corpus";
    public static final String MODEL = "bench-lm";
    private static final String OWNER = "0x" + "b".repeat(40);

    private BenchWorld() {
    }

    public static void write(Lakehouse lakehouse, BenchText text, long outputs, int outputTokens, double copied) {
        EpochClock clock = EpochClock.DEFAULT;
        Instant genesis = clock.genesis();
        Instant midEpoch = clock.start(1).plusSeconds(3600);
        var spark = lakehouse.spark();
        TableWrites.replaceAll(lakehouse, Tables.DATANETS, spark.createDataFrame(List.of(RowFactory.create(
                DATANET, "benchmark corpus", OWNER, RowFactory.create(true, true), 3, new BigDecimal("0.660000000000000000"),
                "bench", 1L)), Tables.DATANETS.schema()), "bench");
        TableWrites.replaceAll(lakehouse, Tables.MODELS, spark.createDataFrame(List.of(RowFactory.create(
                MODEL, OWNER, "lm", null, SparkValues.seq(List.of(DATANET)),
                RowFactory.create(new BigDecimal(1000), SparkValues.seq(List.of("commercial")),
                        RowFactory.create(1000, 2000, 1000, 6000)),
                SparkValues.map(Map.of("ngram", 1.0)), "bench", 1L, null)), Tables.MODELS.schema()), "bench");

        int docPartitions = (int) Math.max(2, text.documents() / 50_000);
        Dataset<Row> contributions = spark.range(0, text.documents(), 1, docPartitions).mapPartitions(
                (MapPartitionsFunction<Long, Row>) ids -> map(ids, d -> {
                    String content = String.join(" ", text.document(d));
                    return RowFactory.create(ContributionIds.of(DATANET, content), DATANET, contributor(d), content,
                            text.documentTokens(), genesis, null, null, "bench", d);
                }), Encoders.row(Tables.CONTRIBUTIONS.schema()));
        TableWrites.replaceAll(lakehouse, Tables.CONTRIBUTIONS, contributions, "bench");
        TableWrites.replaceAll(lakehouse, Tables.CONTRIBUTION_STATUS, lakehouse.read(Tables.CONTRIBUTIONS)
                .selectExpr("contribution_id", "datanet_id", "contributor", "'" + StatusRule.APPROVED + "' AS status",
                        "3 AS approvals", "0 AS rejections", "submitted_at AS valid_from", "CAST(NULL AS TIMESTAMP) AS valid_to"),
                "bench");

        int outPartitions = (int) Math.max(2, outputs / 50_000);
        Dataset<Row> inferences = spark.range(0, outputs, 1, outPartitions).mapPartitions(
                (MapPartitionsFunction<Long, Row>) ids -> map(ids, o -> RowFactory.create(1L,
                        String.format("bench-%09d", o), MODEL, OWNER, "commercial", new BigDecimal(1000), "prompt",
                        text.output(o, outputTokens, copied), midEpoch, null, "bench", o)),
                Encoders.row(Tables.INFERENCES.schema()));
        TableWrites.replaceAll(lakehouse, Tables.INFERENCES, inferences, "bench");
    }

    private static String contributor(long d) {
        return String.format("0x%040x", 1 + d % 5000);
    }

    private interface RowMaker {
        Row make(long id);
    }

    private static Iterator<Row> map(Iterator<Long> ids, RowMaker maker) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ids.hasNext();
            }

            @Override
            public Row next() {
                return maker.make(ids.next());
            }
        };
    }
}

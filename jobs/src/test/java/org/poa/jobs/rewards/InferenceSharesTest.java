package org.poa.jobs.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.poa.core.rewards.FeeSplit;
import org.poa.lakehouse.ingest.parse.SparkValues;

/** The sorted-stream split without Spark: against FeeSplit per inference, whatever the task's key limit. */
class InferenceSharesTest {

    static final String TREASURY = "0x00000000000000000000000000000000000000Aa";
    static final StructType SPLIT = new StructType().add("protocol", DataTypes.IntegerType).add("developer", DataTypes.IntegerType)
            .add("validators", DataTypes.IntegerType).add("data", DataTypes.IntegerType);
    static final StructType INPUT = new StructType()
            .add("inference_id", DataTypes.StringType).add("kind", DataTypes.IntegerType)
            .add("fee_wei", DataTypes.createDecimalType(38, 0)).add("model_id", DataTypes.StringType)
            .add("developer", DataTypes.StringType).add("split", SPLIT)
            .add("attribution", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
            .add("credit", InferenceShares.CREDIT).add("__h", DataTypes.LongType);

    static String address(int i) {
        return String.format("0x%040x", i);
    }

    @Test
    void summedPerTaskEqualsTheSplitOfEachInferenceForAnyKeyLimit() {
        Random random = new Random(9);
        List<Row> rows = new ArrayList<>();
        Map<String, BigInteger> expected = new TreeMap<>();
        Row split = new GenericRowWithSchema(new Object[] {1000, 2000, 1500, 5500}, SPLIT);
        Map<String, Double> methods = Map.of("ngram", 1.0, "gradient", 0.5);
        // A contribution's contributor and approvers are its own, whichever credit carries them (a
        // repeated address counts once): FeeSplit takes them from any one of its credits.
        Map<String, List<String>> approvers = new TreeMap<>();
        for (int c = 0; c < 50; c++) {
            List<String> validators = new ArrayList<>();
            for (int v = 0; v < random.nextInt(4); v++) {
                validators.add(address(500 + random.nextInt(20)));
            }
            approvers.put("c" + c, validators);
        }
        for (int i = 0; i < 300; i++) {
            String id = "inf-" + i;
            String model = "m" + (i % 3);
            String developer = address(1000 + i % 3);
            BigInteger fee = BigInteger.valueOf(1 + random.nextInt(1_000_000)).multiply(BigInteger.TEN.pow(12));
            boolean orphan = i % 17 == 0; // credits of an inference that is not in the epoch: they earn nothing
            if (!orphan) {
                rows.add(row(id, InferenceShares.INFERENCE, fee, model, developer, split, methods, null, i / 3));
            }
            List<FeeSplit.Credit> credits = new ArrayList<>();
            for (int c = 0; c < random.nextInt(6); c++) {
                int contribution = random.nextInt(50);
                List<String> validators = approvers.get("c" + contribution);
                FeeSplit.Credit credit = new FeeSplit.Credit(random.nextBoolean() ? "ngram" : "gradient", "c" + contribution,
                        address(contribution % 40), random.nextDouble(), validators);
                credits.add(credit);
                rows.add(row(id, InferenceShares.CREDIT_ROW, null, null, null, null, null,
                        new GenericRowWithSchema(new Object[] {credit.method(), credit.contributionId(), credit.contributor(),
                                credit.weight(), validators.isEmpty() ? null : SparkValues.seq(validators)}, InferenceShares.CREDIT),
                        i / 3));
            }
            if (orphan) {
                continue;
            }
            for (FeeSplit.Share share : FeeSplit.shares(fee, new FeeSplit.Split(1000, 2000, 1500, 5500), developer, TREASURY,
                    methods, credits)) {
                expected.merge(share.account() + " " + share.role() + " " + model, share.numerator(), BigInteger::add);
            }
        }
        // A sort by hash alone leaves the rows of one hash in any order: inference rows after their credits too.
        for (int from = 0; from < rows.size(); ) {
            int to = from;
            while (to < rows.size() && rows.get(to).getLong(8) == rows.get(from).getLong(8)) {
                to++;
            }
            java.util.Collections.shuffle(rows.subList(from, to), random);
            from = to;
        }
        for (int limit : new int[] {1, 7, 1_000_000}) {
            Map<String, BigInteger> got = new TreeMap<>();
            int emitted = 0;
            Iterator<Row> out = new InferenceShares(TREASURY, limit).call(rows.iterator());
            while (out.hasNext()) {
                Row r = out.next();
                BigInteger part = r.getDecimal(4).toBigIntegerExact();
                assertTrue(part.signum() >= 0 && part.compareTo(FeeSplit.DENOMINATOR) < 0, "part below one wei");
                got.merge(r.getString(0) + " " + r.getString(1) + " " + r.getString(2),
                        r.getDecimal(3).toBigIntegerExact().multiply(FeeSplit.DENOMINATOR).add(part), BigInteger::add);
                emitted++;
            }
            assertEquals(expected, got, "limit " + limit);
            if (limit == 1_000_000) {
                assertEquals(expected.size(), emitted, "one row per key when the limit is never reached");
            }
        }
    }

    /** {@code hash}: the sort key; the test gives three inferences each hash, as if their ids collided. */
    static Row row(String id, int kind, BigInteger fee, String model, String developer, Row split, Map<String, Double> methods,
                   Row credit, long hash) {
        return new GenericRowWithSchema(new Object[] {id, kind, fee == null ? null : new BigDecimal(fee), model, developer, split,
                methods == null ? null : scala.jdk.javaapi.CollectionConverters.asScala(methods), credit, hash}, INPUT);
    }
}

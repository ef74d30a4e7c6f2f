package org.poa.jobs.rewards;

import org.poa.core.rewards.FeeSplit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.poa.lakehouse.catalog.Tables;

/**
 * The epoch's shares from its inferences and their credits, sorted by a 64-bit hash of the inference
 * id ({@code __h}) alone, so that each inference's row ({@link #INFERENCE}: fee, model terms) and its
 * credits ({@link #CREDIT_ROW}: one {@link #CREDIT} each) arrive as one run of equal hashes; the run
 * is grouped by id here, so two ids with the same hash are still told apart, exactly. Credits
 * without an inference row earn nothing, as before (they are not of an accepted inference of the
 * epoch).
 *
 * <p>Why the hash alone: a sort on one long column is Spark's radix sort on the key prefix, with no
 * comparison of rows; sorting by (hash, id, kind) compared rows, ids byte by byte for every tie of an
 * inference's rows, in about an eighth of the step's samples. Shares are summed per (account, role, model) over the
 * task's rows and handed on as {@code whole} wei plus {@code part} of {@link FeeSplit#DENOMINATOR}:
 * summing both columns over an epoch stays exact in DECIMAL(38,0).
 *
 * <p>Summing here, in exact BigIntegers, leaves Spark a few rows per account instead of one per
 * share (about fifteen per inference), whose DECIMAL(38) sums were a fifth of the step. The sums are
 * handed on whenever they hold {@link #MAX_KEYS} keys, so a task's memory does not grow with the
 * number of accounts either.
 */
final class InferenceShares implements MapPartitionsFunction<Row, Row> {

    static final StructType RESULT = new StructType()
            .add("account", DataTypes.StringType, false)
            .add("role", DataTypes.StringType, false)
            .add("model_id", DataTypes.StringType, false)
            .add("whole", Tables.WEI, false)
            .add("part", Tables.WEI, false);

    /** One credit of an inference, with the validators who approved its contribution (null: none). */
    static final StructType CREDIT = new StructType()
            .add("method", DataTypes.StringType)
            .add("contribution_id", DataTypes.StringType)
            .add("contributor", DataTypes.StringType)
            .add("weight", DataTypes.DoubleType)
            .add("validators", DataTypes.createArrayType(DataTypes.StringType));

    /** Row kinds. */
    static final int INFERENCE = 0;
    static final int CREDIT_ROW = 1;

    /** Keys summed in a task before they are handed on. */
    static final int MAX_KEYS = 50_000;

    private record Key(String account, String role, String model) {
    }

    /** Where the input's columns are, looked up once per task rather than by name per row. */
    private static final class Fields {
        final int id;
        final int kind;
        final int fee;
        final int model;
        final int developer;
        final int split;
        final int attribution;
        final int credit;
        final int hash;

        Fields(StructType schema) {
            id = schema.fieldIndex("inference_id");
            kind = schema.fieldIndex("kind");
            fee = schema.fieldIndex("fee_wei");
            model = schema.fieldIndex("model_id");
            developer = schema.fieldIndex("developer");
            split = schema.fieldIndex("split");
            attribution = schema.fieldIndex("attribution");
            credit = schema.fieldIndex("credit");
            hash = schema.fieldIndex("__h");
        }
    }

    private final String treasury;
    private final int maxKeys;

    InferenceShares(String treasury) {
        this(treasury, MAX_KEYS);
    }

    InferenceShares(String treasury, int maxKeys) {
        this.treasury = treasury;
        this.maxKeys = maxKeys;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private final Map<Key, BigInteger> sums = new HashMap<>();
            private Iterator<Row> ready = java.util.Collections.emptyIterator();
            private Row pending; // the first row of the next inference
            private Fields at;

            @Override
            public boolean hasNext() {
                while (!ready.hasNext() && (pending != null || rows.hasNext())) {
                    while ((pending != null || rows.hasNext()) && sums.size() < maxKeys) {
                        Row first = pending != null ? pending : rows.next();
                        pending = null;
                        if (at == null) {
                            at = new Fields(first.schema());
                        }
                        long hash = first.getLong(at.hash);
                        List<Row> run = new ArrayList<>();
                        run.add(first);
                        while (rows.hasNext()) {
                            Row row = rows.next();
                            if (row.getLong(at.hash) != hash) {
                                pending = row;
                                break;
                            }
                            run.add(row);
                        }
                        addRun(run, at, sums);
                    }
                    ready = drain(sums);
                }
                return ready.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return ready.next();
            }
        };
    }

    /** One run of equal hashes: nearly always one inference's rows; grouped by id all the same. */
    private void addRun(List<Row> run, Fields at, Map<Key, BigInteger> sums) {
        Map<String, Row> inferences = new java.util.LinkedHashMap<>(2);
        Map<String, List<FeeSplit.Credit>> credits = new HashMap<>(2);
        for (Row row : run) {
            String id = row.getString(at.id);
            if (row.getInt(at.kind) == INFERENCE) {
                if (inferences.put(id, row) != null) {
                    throw new IllegalStateException("inference " + id + " is in the epoch twice");
                }
            } else {
                credits.computeIfAbsent(id, k -> new ArrayList<>()).add(credit(row.getStruct(at.credit)));
            }
        }
        for (Map.Entry<String, Row> inference : inferences.entrySet()) {
            add(inference.getValue(), at, credits.getOrDefault(inference.getKey(), List.of()), sums);
        }
    }

    private static FeeSplit.Credit credit(Row c) {
        int validatorsAt = c.fieldIndex("validators");
        return new FeeSplit.Credit(c.getAs("method"), c.getAs("contribution_id"), c.getAs("contributor"),
                c.<Double>getAs("weight"), c.isNullAt(validatorsAt) ? List.of() : c.<String>getList(validatorsAt));
    }

    private static Iterator<Row> drain(Map<Key, BigInteger> sums) {
        List<Row> out = new ArrayList<>(sums.size());
        for (Map.Entry<Key, BigInteger> e : sums.entrySet()) {
            BigInteger[] qr = e.getValue().divideAndRemainder(FeeSplit.DENOMINATOR);
            Key key = e.getKey();
            out.add(RowFactory.create(key.account(), key.role(), key.model(), new BigDecimal(qr[0]), new BigDecimal(qr[1])));
        }
        sums.clear();
        return out.iterator();
    }

    private void add(Row row, Fields at, List<FeeSplit.Credit> credits, Map<Key, BigInteger> sums) {
        String inference = row.getString(at.id);
        String model = row.getString(at.model);
        String developer = row.getString(at.developer);
        if (developer == null) {
            throw new IllegalStateException("inference " + inference + " names model " + model + ", which is not registered");
        }
        Row bps = row.getStruct(at.split);
        FeeSplit.Split split = new FeeSplit.Split(bps.getAs("protocol"), bps.getAs("developer"),
                bps.getAs("validators"), bps.getAs("data"));
        Map<String, Double> methods = row.getJavaMap(at.attribution);
        BigInteger fee = row.getDecimal(at.fee).toBigIntegerExact();
        for (FeeSplit.Share share : FeeSplit.shares(fee, split, developer, treasury, methods, credits)) {
            sums.merge(new Key(share.account(), share.role(), model), share.numerator(), BigInteger::add);
        }
    }
}

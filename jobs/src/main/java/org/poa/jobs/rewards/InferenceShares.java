package org.poa.jobs.rewards;

import org.poa.core.rewards.FeeSplit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.poa.lakehouse.catalog.Tables;

/**
 * Per inference row (fee, model terms, credits), its shares as {@code whole} wei plus {@code part}
 * of {@link FeeSplit#DENOMINATOR}: summing both columns over an epoch stays exact in DECIMAL(38,0).
 */
final class InferenceShares implements FlatMapFunction<Row, Row> {

    static final StructType RESULT = new StructType()
            .add("account", DataTypes.StringType, false)
            .add("role", DataTypes.StringType, false)
            .add("model_id", DataTypes.StringType, false)
            .add("whole", Tables.WEI, false)
            .add("part", Tables.WEI, false);

    private final String treasury;

    InferenceShares(String treasury) {
        this.treasury = treasury;
    }

    @Override
    public Iterator<Row> call(Row row) {
        String inference = row.getAs("inference_id");
        String model = row.getAs("model_id");
        String developer = row.getAs("developer");
        if (developer == null) {
            throw new IllegalStateException("inference " + inference + " names model " + model + ", which is not registered");
        }
        Row bps = row.getAs("split");
        FeeSplit.Split split = new FeeSplit.Split(bps.getAs("protocol"), bps.getAs("developer"),
                bps.getAs("validators"), bps.getAs("data"));
        Map<String, Double> methods = row.getJavaMap(row.fieldIndex("attribution"));
        List<FeeSplit.Credit> credits = new ArrayList<>();
        int creditsAt = row.fieldIndex("credits");
        if (!row.isNullAt(creditsAt)) {
            for (Row c : row.<Row>getList(creditsAt)) {
                int validatorsAt = c.fieldIndex("validators");
                credits.add(new FeeSplit.Credit(c.getAs("method"), c.getAs("contribution_id"), c.getAs("contributor"),
                        c.<Double>getAs("weight"), c.isNullAt(validatorsAt) ? List.of() : c.<String>getList(validatorsAt)));
            }
        }
        BigInteger fee = row.<BigDecimal>getAs("fee_wei").toBigIntegerExact();
        List<Row> out = new ArrayList<>();
        for (FeeSplit.Share share : FeeSplit.shares(fee, split, developer, treasury, methods, credits)) {
            BigInteger[] qr = share.numerator().divideAndRemainder(FeeSplit.DENOMINATOR);
            out.add(RowFactory.create(share.account(), share.role(), model, new BigDecimal(qr[0]), new BigDecimal(qr[1])));
        }
        return out.iterator();
    }
}

package org.poa.jobs.report;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.core.crypto.Eip55;
import org.poa.jobs.chain.DistributorContract;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/**
 * The numbers of a contributor's statement ({@code poa report --account ADDRESS}, docs/reports.md):
 * earnings per epoch by role and model, the cumulative amount in the latest root with its proof and
 * claim call data, what the chain says was claimed (when a chain is configured), and the inferences
 * that paid the account most with their matched spans. Everything read is the account's own rows.
 */
public final class AccountStatement {

    /** Inferences shown with their spans. */
    public static final int TOP_INFERENCES = 5;
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    private final Lakehouse lakehouse;
    private final String account;

    /** @param account any letter case; stored addresses are EIP-55 */
    public AccountStatement(Lakehouse lakehouse, String account) {
        if (account == null || !ADDRESS.matcher(account.strip()).matches()) {
            throw new IllegalArgumentException("--account: '" + account + "' is not an address (0x + 40 hex digits)");
        }
        this.lakehouse = lakehouse;
        this.account = Eip55.of(account.strip().toLowerCase(Locale.ROOT));
    }

    public String account() {
        return account;
    }

    /**
     * The page's data. {@code distributor}: the chain's distributor, read for what was claimed, or
     * null when no chain is configured ({@code chainNote} then says why nothing was read).
     */
    public ObjectNode data(DistributorContract distributor, String chainNote) {
        List<Row> earnings = lakehouse.read(Tables.REWARDS).where(col("account").equalTo(account))
                .groupBy("epoch", "role", "model_id").agg(sum("amount_wei").as("amount_wei"))
                .orderBy("epoch", "role", "model_id").collectAsList();
        List<Row> balances = lakehouse.read(Tables.BALANCES).where(col("account").equalTo(account))
                .select("epoch", "cumulative_wei").orderBy("epoch").collectAsList();
        if (earnings.isEmpty() && balances.isEmpty()) {
            throw new IllegalArgumentException("account " + account + " has no rewards and no balance in this lakehouse ("
                    + lakehouse.root() + ")");
        }
        ObjectNode data = JsonRows.JSON.objectNode();
        data.put("kind", "account");
        data.put("account", account);
        data.put("lakehouse", lakehouse.root());
        data.set("earnings", JsonRows.of(earnings));
        data.set("balances", JsonRows.of(balances));
        ObjectNode latest = latestRoot(data);
        data.set("chain", chain(distributor, chainNote, latest));
        data.set("topInferences", topInferences());
        return data;
    }

    /** The latest root's leaf of this account: amount, proof and the claim call data; absent when it has none. */
    private ObjectNode latestRoot(ObjectNode data) {
        Row last = lakehouse.read(Tables.MERKLE_ROOTS).agg(max("epoch")).head();
        ObjectNode latest = data.putObject("latest");
        if (last.isNullAt(0)) {
            latest.putNull("epoch");
            return latest;
        }
        long epoch = last.getLong(0);
        latest.put("epoch", epoch);
        latest.put("root", lakehouse.read(Tables.MERKLE_ROOTS).where(col("epoch").equalTo(epoch)).select("root").head().getString(0));
        List<Row> leaf = lakehouse.read(Tables.MERKLE_PROOFS)
                .where(col("epoch").equalTo(epoch).and(col("account").equalTo(account)))
                .select("cumulative_wei", "proof").collectAsList();
        if (leaf.isEmpty()) {
            latest.putNull("cumulative_wei");
            return latest;
        }
        BigInteger amount = leaf.get(0).getDecimal(0).toBigIntegerExact();
        List<String> proof = leaf.get(0).getList(1);
        latest.put("cumulative_wei", amount.toString());
        latest.set("proof", JsonRows.value(proof));
        latest.put("claim_calldata", DistributorContract.claim(account, amount, proof));
        return latest;
    }

    private ObjectNode chain(DistributorContract distributor, String note, ObjectNode latest) {
        ObjectNode chain = JsonRows.JSON.objectNode();
        if (distributor == null) {
            chain.put("read", false);
            chain.put("note", note);
            return chain;
        }
        BigInteger claimed = distributor.claimed(account);
        chain.put("read", true);
        chain.put("contract", distributor.address());
        chain.put("latest_epoch", distributor.latestEpoch());
        chain.put("active_epoch", distributor.activeEpoch());
        chain.put("claimed_wei", claimed.toString());
        if (latest.hasNonNull("cumulative_wei")) {
            BigInteger left = new BigInteger(latest.get("cumulative_wei").asText()).subtract(claimed);
            chain.put("claimable_wei", left.max(BigInteger.ZERO).toString());
        }
        return chain;
    }

    /**
     * The inferences that paid the account most as a contributor, ranked by fee × the account's
     * attribution weight (summed over methods), each with what {@code poa explain} shows.
     */
    private ArrayNode topInferences() {
        Dataset<Row> credited = lakehouse.read(Tables.ATTRIBUTIONS).where(col("contributor").equalTo(account))
                .groupBy("epoch", "inference_id", "model_id")
                .agg(sum("weight").as("weight"), array_sort(collect_set("method")).as("methods"));
        Dataset<Row> fees = lakehouse.read(Tables.INFERENCES).select("epoch", "inference_id", "fee_wei");
        List<Row> top = credited.join(fees, new String[] {"epoch", "inference_id"}).withColumn("rank",
                        col("fee_wei").cast("double").multiply(col("weight")))
                .orderBy(desc("rank"), col("epoch"), col("inference_id")).limit(TOP_INFERENCES)
                .select("epoch", "inference_id", "model_id", "fee_wei", "weight", "methods").collectAsList();
        ArrayNode out = JsonRows.of(top);
        for (int i = 0; i < top.size(); i++) {
            ((ObjectNode) out.get(i)).put("explanation", Explanation.of(lakehouse, top.get(i).getString(1), top.get(i).getLong(0), 60));
        }
        return out;
    }
}

package org.poa.jobs.chain;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.SettlementRow;
import org.web3j.crypto.Keys;

/**
 * One distributor per lakehouse. A leaf is (account, cumulative wei) with no contract address in
 * it, and {@code settle} funds a distributor up to its own {@code cumulativeTotal − totalClaimed};
 * so a second distributor settled from the same lakehouse would pay every balance a second time.
 * The first settlement binds the lakehouse to its chain and contract ({@code settlements} records
 * it); settling anywhere else is refused. Moving to another distributor needs a migration that
 * gives the new one each account's already-claimed baseline, which this project does not have yet
 * (docs/security.md).
 */
public final class DistributorBinding {

    /** The distributor a lakehouse settles on. */
    public record Bound(long chainId, String contract) {
    }

    private DistributorBinding() {
    }

    /** The distributor {@code settlements} records, if any settlement was made. */
    public static Optional<Bound> of(Lakehouse lakehouse) {
        List<Row> rows = lakehouse.read(SettlementRow.TABLE).select(col("chain_id"), col("contract")).distinct()
                .orderBy(col("chain_id"), col("contract")).limit(2).collectAsList();
        if (rows.size() > 1) {
            throw new ChainException("settlements records more than one distributor (" + rows.get(0).getString(1) + " on chain "
                    + rows.get(0).getLong(0) + ", " + rows.get(1).getString(1) + " on chain " + rows.get(1).getLong(0)
                    + "): a lakehouse pays out through one distributor only; see docs/security.md");
        }
        return rows.stream().findFirst().map(r -> new Bound(r.getLong(0), r.getString(1)));
    }

    /** Refuses {@code contract} on {@code chainId} when the lakehouse already settles on another distributor. */
    public static void require(Lakehouse lakehouse, long chainId, String contract) {
        Optional<Bound> bound = of(lakehouse);
        String address = Keys.toChecksumAddress(contract);
        if (bound.isPresent() && (bound.get().chainId() != chainId || !bound.get().contract().equals(address))) {
            throw new ChainException("this lakehouse settles on the distributor " + bound.get().contract() + " on chain "
                    + bound.get().chainId() + " (settlements): refusing to settle on " + address + " on chain " + chainId
                    + ", which would pay every balance again; see docs/security.md");
        }
    }
}

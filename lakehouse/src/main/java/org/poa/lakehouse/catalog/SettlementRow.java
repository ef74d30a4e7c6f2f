package org.poa.lakehouse.catalog;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** One row of {@link Tables#SETTLEMENTS}: the transaction that put an epoch's root on a chain's distributor. */
public record SettlementRow(long epoch, String root, long chainId, String contract, String txHash, Long blockNumber, String status,
                            Long gasUsed) {

    public static final TableDef TABLE = Tables.SETTLEMENTS;

    /** The only status written: the transaction has its confirmations (or was found on chain). */
    public static final String CONFIRMED = "confirmed";

    public static SettlementRow fromRow(Row r) {
        return new SettlementRow(r.getLong(0), r.getString(1), r.getLong(2), r.getString(3), r.getString(4),
                r.isNullAt(5) ? null : r.getLong(5), r.getString(6), r.isNullAt(7) ? null : r.getLong(7));
    }

    public Row toRow() {
        return RowFactory.create(epoch, root, chainId, contract, txHash, blockNumber, status, gasUsed);
    }
}

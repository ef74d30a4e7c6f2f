package org.poa.lakehouse.status;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;

/** Reads of the status timeline. */
public final class ContributionStatus {

    private ContributionStatus() {
    }

    /**
     * The segments in force just before {@code end}: the state made by every vote cast strictly
     * before it. For an epoch, {@code end} is the epoch's exclusive end, so re-running an old epoch
     * sees the old state.
     */
    public static Dataset<Row> asOf(Lakehouse lakehouse, Instant end) {
        return lakehouse.read(Tables.CONTRIBUTION_STATUS)
                .where(col("valid_from").lt(lit(end))
                        .and(col("valid_to").isNull().or(col("valid_to").geq(lit(end)))));
    }

    /** The contributions approved as of {@code end}. */
    public static Dataset<Row> approvedAsOf(Lakehouse lakehouse, Instant end) {
        return asOf(lakehouse, end).where(col("status").equalTo(StatusRule.APPROVED));
    }

    /** The status in force now. */
    public static Dataset<Row> current(Lakehouse lakehouse) {
        return lakehouse.read(Tables.CONTRIBUTION_STATUS).where(col("valid_to").isNull());
    }
}

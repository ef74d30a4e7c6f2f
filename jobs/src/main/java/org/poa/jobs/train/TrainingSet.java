package org.poa.jobs.train;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.spark.Columns;
import org.poa.lakehouse.status.StatusRule;

/**
 * A classifier's training data: the approved, labelled contributions of its datanets in one
 * snapshot (the Delta versions of contributions and contribution_status), so training and every
 * later attribution read exactly the same examples.
 */
public final class TrainingSet {

    private TrainingSet() {
    }

    /** contribution_id, contributor, datanet_id, content, label at the given table versions. */
    public static Dataset<Row> of(Lakehouse lakehouse, List<String> datanets, long contributionsVersion, long statusVersion) {
        Dataset<Row> approved = lakehouse.readAtVersion(Tables.CONTRIBUTION_STATUS, statusVersion)
                .where(col("valid_to").isNull().and(col("status").equalTo(StatusRule.APPROVED)))
                .select("contribution_id");
        return lakehouse.readAtVersion(Tables.CONTRIBUTIONS, contributionsVersion)
                .where(col("datanet_id").isin(datanets.toArray()).and(col("label").isNotNull()))
                .join(approved, Columns.using("contribution_id"))
                .select("contribution_id", "contributor", "datanet_id", "content", "label");
    }
}

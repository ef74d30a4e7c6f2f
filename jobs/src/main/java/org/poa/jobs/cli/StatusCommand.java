package org.poa.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.status.ContributionStatus;
import org.poa.lakehouse.status.ContributionStatusBuilder;
import org.poa.lakehouse.status.StatusRule;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Contribution status per datanet (approved / rejected / pending) from the latest vote of each",
            "validator, the datanet's quorum and approval threshold; now, at an epoch's end, or at a time."})
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    static final class When {
        @Option(names = "--epoch", paramLabel = "N", description = "As of the end of epoch N (votes before it).")
        Long epoch;

        @Option(names = "--as-of", paramLabel = "TIME", description = "As of an ISO-8601 UTC time (votes before it).")
        String asOf;
    }

    @ArgGroup(exclusive = true)
    When when;

    @Option(names = "--rebuild", description = "Rebuild contribution_status from contributions and votes first.")
    boolean rebuild;

    @Override
    public Integer call() {
        PoaContext context = PoaCommand.root(spec).context();
        if (rebuild) {
            Progress.step("rebuilding contribution_status");
            ContributionStatusBuilder.rebuild(context.lakehouse());
        }
        print(context, when);
        return 0;
    }

    /** Prints the per-datanet status counts now, or as of {@code when}. */
    static void print(PoaContext context, When when) {
        Lakehouse lakehouse = context.lakehouse();
        Dataset<Row> status;
        String label;
        if (when != null && when.epoch != null) {
            Instant end = context.clock().end(when.epoch);
            status = ContributionStatus.asOf(lakehouse, end);
            label = "as of the end of epoch " + when.epoch + " (" + end + ")";
        } else if (when != null && when.asOf != null) {
            Instant at = PoaContext.parseInstant(when.asOf);
            status = ContributionStatus.asOf(lakehouse, at);
            label = "as of " + at;
        } else {
            status = ContributionStatus.current(lakehouse);
            label = "now";
        }
        // One row per datanet: a registry-sized result.
        List<Row> rows = status.groupBy("datanet_id").agg(
                        count(lit(1)).as("contributions"),
                        sum(when(col("status").equalTo(StatusRule.APPROVED), 1).otherwise(0)).as("approved"),
                        sum(when(col("status").equalTo(StatusRule.REJECTED), 1).otherwise(0)).as("rejected"),
                        sum(when(col("status").equalTo(StatusRule.PENDING), 1).otherwise(0)).as("pending"))
                .orderBy("datanet_id").collectAsList();
        System.out.println("contribution status " + label + ":");
        System.out.printf("%-24s %13s %9s %9s %9s%n", "datanet", "contributions", "approved", "rejected", "pending");
        for (Row r : rows) {
            System.out.printf("%-24s %13d %9d %9d %9d%n", r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
        }
    }
}

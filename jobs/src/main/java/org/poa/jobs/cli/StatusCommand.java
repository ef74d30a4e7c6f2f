package org.poa.jobs.cli;

import java.time.Instant;
import java.util.concurrent.Callable;
import org.poa.core.epoch.EpochClock;
import org.poa.jobs.report.ReviewCounts;
import org.poa.jobs.report.StatusCounts;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.status.ContributionStatus;
import org.poa.lakehouse.status.ContributionStatusBuilder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Contribution status per datanet (approved / rejected / pending) from the latest vote of each",
            "validator, the datanet's quorum and approval threshold; now, at an epoch's end, or at a time. Now, also the",
            "review queue's size per datanet and signal (poa review)."})
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
        Lakehouse lakehouse = context.lakehouse();
        if (rebuild) {
            context.progress().step("rebuilding contribution_status");
            ContributionStatusBuilder.rebuild(lakehouse);
        }
        if (when != null && when.epoch != null) {
            Instant end = context.clock().end(when.epoch);
            StatusCounts.print(context.out(), ContributionStatus.asOf(lakehouse, end),
                    "as of the end of epoch " + when.epoch + " (" + end + ")");
        } else if (when != null && when.asOf != null) {
            Instant at = EpochClock.parseInstant(when.asOf);
            StatusCounts.print(context.out(), ContributionStatus.asOf(lakehouse, at), "as of " + at);
        } else {
            StatusCounts.print(context.out(), ContributionStatus.current(lakehouse), "now");
            ReviewCounts.print(context.out(), lakehouse);
        }
        return 0;
    }
}

package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.attribution.ngram.NgramParams;
import org.poa.jobs.review.ReviewAction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "review", mixinStandardHelpOptions = true,
        description = {"Builds the validators' review queue (table review_queue): the pending or approved contributions",
            "that a signal flags, ranked within their datanet. self_influence (labelled datanets of classifiers",
            "trained here): each contribution's influence on its own loss, the top share flagged; a mislabelled",
            "example ranks high. copied_spans (every datanet): the share of a contribution's tokens in spans of at",
            "least --min-span tokens found in an earlier contribution of another contributor, with the earliest",
            "source named. Prints each datanet's counts and the top of its queue. Writes nothing when the queue",
            "is unchanged. See docs/review.md."})
final class ReviewCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--datanet", paramLabel = "ID", description = "Only this datanet's queue (default: every datanet).")
    String datanet;

    @Option(names = "--top", paramLabel = "K", description = "Flagged rows printed per datanet and signal. Default: ${DEFAULT-VALUE}.")
    int top = 5;

    @Option(names = "--self-influence-share", paramLabel = "F",
            description = "Share of a datanet's scored contributions flagged by self-influence, highest first. Default: ${DEFAULT-VALUE}.")
    double selfInfluenceShare = ReviewAction.DEFAULT_SELF_INFLUENCE_SHARE;

    @Option(names = "--copy-threshold", paramLabel = "F",
            description = "Copied share of its tokens at which a contribution is flagged. Default: ${DEFAULT-VALUE}.")
    double copyThreshold = ReviewAction.DEFAULT_COPY_THRESHOLD;

    @Option(names = "--min-span", paramLabel = "TOKENS",
            description = "Shortest copied span counted, in tokens (the n-gram default). Default: ${DEFAULT-VALUE}.")
    int minSpan = NgramParams.DEFAULT_MIN_SPAN;

    @Override
    public Integer call() {
        PoaContext context = PoaCommand.root(spec).context();
        context.actions().review().datanet(datanet).top(top).selfInfluenceShare(selfInfluenceShare).copyThreshold(copyThreshold)
                .minSpan(minSpan).execute().lines().forEach(context.out()::println);
        return 0;
    }
}

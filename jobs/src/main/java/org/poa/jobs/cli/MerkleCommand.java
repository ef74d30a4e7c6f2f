package org.poa.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.poa.jobs.merkle.EpochMerkle;
import org.poa.jobs.merkle.PayoutFile;
import org.poa.jobs.merkle.PayoutTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "merkle", mixinStandardHelpOptions = true,
        description = {"Builds the epoch's OpenZeppelin-standard Merkle tree of (account, cumulative wei): writes",
            "<lakehouse>/epochs/<N>/tree.json (standard-v1), the proofs to merkle_proofs and the root with",
            "the input table versions to merkle_roots. Needs poa rewards for the epoch first."},
        subcommands = MerkleCommand.Build.class)
final class MerkleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    // Not required by picocli, so that `merkle build` parses without it.
    @Option(names = "--epoch", paramLabel = "N", description = "The epoch (1 = the first after genesis).")
    Long epoch;

    @Override
    public Integer call() {
        if (epoch == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--epoch=N'");
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("--epoch must be 1 or more, got " + epoch);
        }
        EpochMerkle.Result r = EpochMerkle.run(PoaCommand.root(spec).context().lakehouse(), epoch, Progress::step);
        System.out.printf("epoch %d: root %s over %d accounts, %s wei cumulative%s%n", r.epoch(), r.root(), r.leaves(),
                r.totalCumulativeWei(), r.written() ? "" : " (unchanged: nothing written)");
        return 0;
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Builds the same tree from a plain payout file, without Spark or a lakehouse: CSV with a",
                "header naming account and amount, or JSON Lines {\"account\": ..., \"amount\": ...} (.jsonl).",
                "Prints the root; the dump loads with StandardMerkleTree.load of @openzeppelin/merkle-tree."})
    static final class Build implements Callable<Integer> {

        @Option(names = "--input", required = true, paramLabel = "FILE", description = "The payouts (.csv or .jsonl).")
        Path input;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the standard-v1 tree dump.")
        Path out;

        @Option(names = "--proofs", paramLabel = "FILE", description = "Also write every proof here, one JSON line per account.")
        Path proofs;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(input)) {
                throw new IllegalArgumentException("no payout file at " + input);
            }
            var values = PayoutFile.read(input);
            Progress.step("read " + values.size() + " payouts from " + input);
            PayoutTree tree = PayoutTree.of(values);
            Progress.step("built the tree: root " + tree.rootHex());
            // The dump and the proofs are independent: write them side by side.
            java.util.concurrent.CompletableFuture<Void> proofsWritten = proofs == null
                    ? java.util.concurrent.CompletableFuture.completedFuture(null)
                    : java.util.concurrent.CompletableFuture.runAsync(() -> {
                        try {
                            PayoutFile.writeProofs(tree, proofs);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException("writing " + proofs + ": " + e.getMessage(), e);
                        }
                    });
            try (var stream = new java.io.BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
                tree.writeDump(stream);
            }
            Progress.step("wrote " + out);
            try {
                proofsWritten.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            if (proofs != null) {
                Progress.step("wrote " + proofs);
            }
            System.out.println(tree.rootHex());
            return 0;
        }
    }
}

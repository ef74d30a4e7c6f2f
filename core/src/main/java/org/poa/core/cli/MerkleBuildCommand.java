package org.poa.core.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.poa.core.merkle.PayoutFile;
import org.poa.core.merkle.PayoutLeaves;
import org.poa.core.merkle.PayoutTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code merkle build}: the epoch tree of a plain payout file, with no Spark and no lakehouse. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Builds the same tree from a plain payout file, without Spark or a lakehouse: CSV with a",
            "header naming account and amount, or JSON Lines {\"account\": ..., \"amount\": ...} (.jsonl).",
            "Prints the root; the dump loads with StandardMerkleTree.load of @openzeppelin/merkle-tree."})
public final class MerkleBuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

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
        Progress progress = new Progress(spec.commandLine().getErr());
        PayoutLeaves values = PayoutFile.read(input);
        progress.step("read " + values.size() + " payouts from " + input);
        PayoutTree tree = PayoutTree.of(values);
        progress.step("built the tree: root " + tree.rootHex());
        // The dump and the proofs are independent: write them side by side.
        CompletableFuture<Void> proofsWritten = proofs == null
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> {
                    try {
                        PayoutFile.writeProofs(tree, proofs);
                    } catch (IOException e) {
                        throw new UncheckedIOException("writing " + proofs + ": " + e.getMessage(), e);
                    }
                });
        try (var stream = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            tree.writeDump(stream);
        }
        progress.step("wrote " + out);
        try {
            proofsWritten.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        if (proofs != null) {
            progress.step("wrote " + proofs);
        }
        spec.commandLine().getOut().println(tree.rootHex());
        return 0;
    }
}

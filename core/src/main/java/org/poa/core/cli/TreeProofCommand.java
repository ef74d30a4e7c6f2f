package org.poa.core.cli;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.poa.core.merkle.PayoutTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code proof --tree FILE}: an account's claim out of any standard-v1 tree dump, for auditors and contributors. */
@Command(name = "proof", mixinStandardHelpOptions = true,
        description = {"Prints an account's claim as JSON {root, account, amount, proof}, read from a standard-v1",
            "tree dump (an epoch's tree.json, or what merkle build wrote). The amount is the cumulative wei."})
public final class TreeProofCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tree", required = true, paramLabel = "FILE", description = "The tree dump (tree.json).")
    Path tree;

    @Option(names = "--account", required = true, paramLabel = "ADDRESS", description = "The account (any letter case).")
    String account;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(tree)) {
            throw new IllegalArgumentException("no tree dump at " + tree);
        }
        PayoutTree loaded;
        try (InputStream in = Files.newInputStream(tree)) {
            loaded = PayoutTree.load(in);
        }
        spec.commandLine().getOut().println(ClaimJson.of(loaded, account, null));
        return 0;
    }
}

package org.poa.jobs.bench;

import org.poa.jobs.tools.NodePackages;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.poa.jobs.tools.Processes;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.poa.core.crypto.Hex;
import org.poa.core.merkle.PayoutLeaves;
import org.poa.core.merkle.PayoutTree;

/**
 * {@code poa bench merkle}: (1) in this JVM, the tree of N random accounts, its root and every
 * proof, then the standard-v1 dump; (2) for M accounts, {@code poa merkle build} and
 * {@code @openzeppelin/merkle-tree} (node) as separate processes doing the same work on the same
 * CSV (tree, root, every proof, dump), each process start included, with their outputs compared.
 */
public final class MerkleBench {

    /** Sizes and seed. */
    public record Options(int accounts, int compareAccounts, long seed, boolean reference, int repeats) {
    }

    private MerkleBench() {
    }

    public static Map<String, Object> run(Options options, Path scratch, Consumer<String> progress) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", MachineInfo.describe());
        Files.createDirectories(scratch);

        progress.accept("generating " + options.accounts() + " random accounts");
        PayoutLeaves leaves = randomLeaves(options.accounts(), options.seed());
        System.gc();
        long start = System.nanoTime();
        PayoutTree tree = PayoutTree.of(leaves);
        double treeSeconds = seconds(start);
        start = System.nanoTime();
        byte[] buffer = new byte[32 * 64];
        long proofHashes = 0;
        long checksum = 0;
        for (int i = 0; i < tree.size(); i++) {
            int count = tree.proof(i, buffer);
            proofHashes += count;
            checksum += buffer[0];
        }
        double proofSeconds = seconds(start);
        report.put("accounts", options.accounts());
        report.put("root", tree.rootHex());
        report.put("tree_seconds", treeSeconds);
        report.put("all_proofs_seconds", proofSeconds);
        report.put("root_and_every_proof_seconds", treeSeconds + proofSeconds);
        report.put("proof_hashes", proofHashes);
        report.put("proof_checksum", checksum);
        progress.accept(String.format("tree of %d accounts in %.2f s, every proof in %.2f s", tree.size(), treeSeconds, proofSeconds));
        Path dump = scratch.resolve("bench-tree.json");
        start = System.nanoTime();
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(dump), 1 << 20)) {
            tree.writeDump(out);
        }
        report.put("dump_seconds", seconds(start));
        report.put("dump_mb", Files.size(dump) >> 20);
        Files.delete(dump);
        report.put("peak_rss_mb", MachineInfo.peakRssMb());
        tree = null;
        leaves = null;

        if (options.reference()) {
            System.gc();
            report.putAll(compare(options.compareAccounts(), options.seed(), options.repeats(), scratch, progress));
        }
        return report;
    }

    /** Both tools as processes on the same CSV: tree, root, every proof, dump. */
    private static Map<String, Object> compare(int accounts, long seed, int repeats, Path scratch, Consumer<String> progress)
            throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        NodePackages node = NodePackages.locate();
        node.install();
        Path csv = scratch.resolve("payouts.csv");
        PayoutLeaves leaves = randomLeaves(accounts, seed + 1);
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("account,amount\n");
            for (int i = 0; i < leaves.size(); i++) {
                w.write(leaves.address(i) + "," + leaves.amount(i) + "\n");
            }
        }
        Path poa = node.folder().getParent().resolve("bin/poa");
        // Alternate the two tools, several times each, and compare medians: the machine is noisy.
        List<Double> poaRuns = new java.util.ArrayList<>();
        List<Double> nodeRuns = new java.util.ArrayList<>();
        String ours = null;
        String theirs = null;
        List<String> outputs = List.of("poa-tree.json", "poa-proofs.jsonl", "oz-tree.json", "oz-proofs.jsonl");
        for (int r = 0; r < repeats; r++) {
            // Each run writes new files: rewriting a file in place makes ext4 flush it on close
            // (auto_da_alloc), which would time the disk rather than the tool.
            for (String f : outputs) {
                Files.deleteIfExists(scratch.resolve(f));
            }
            progress.accept("run " + (r + 1) + "/" + repeats + ": poa merkle build of " + accounts + " accounts (a new JVM)");
            long start = System.nanoTime();
            ours = run(List.of(poa.toString(), "merkle", "build", "--input", csv.toString(),
                    "--out", scratch.resolve("poa-tree.json").toString(), "--proofs", scratch.resolve("poa-proofs.jsonl").toString())).strip();
            poaRuns.add(seconds(start));
            progress.accept("run " + (r + 1) + "/" + repeats + ": @openzeppelin/merkle-tree of the same file (node)");
            start = System.nanoTime();
            theirs = node.node("oz-tree.js", List.of("build", csv.toString(), scratch.resolve("oz-tree.json").toString(),
                    scratch.resolve("oz-proofs.jsonl").toString())).strip();
            nodeRuns.add(seconds(start));
        }
        double poaSeconds = median(poaRuns);
        double nodeSeconds = median(nodeRuns);
        out.put("repeats", repeats);
        out.put("poa_process_runs_seconds", poaRuns);
        out.put("openzeppelin_node_runs_seconds", nodeRuns);
        out.put("compare_accounts", accounts);
        out.put("poa_process_median_seconds", poaSeconds);
        out.put("openzeppelin_node_median_seconds", nodeSeconds);
        out.put("speedup_vs_openzeppelin", nodeSeconds / poaSeconds);
        out.put("same_root", ours.equals(theirs));
        out.put("same_tree_json_bytes", sameBytes(scratch.resolve("poa-tree.json"), scratch.resolve("oz-tree.json")));
        out.put("same_proofs_bytes", sameBytes(scratch.resolve("poa-proofs.jsonl"), scratch.resolve("oz-proofs.jsonl")));
        for (String f : List.of("payouts.csv", "poa-tree.json", "poa-proofs.jsonl", "oz-tree.json", "oz-proofs.jsonl")) {
            Files.deleteIfExists(scratch.resolve(f));
        }
        return out;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static PayoutLeaves randomLeaves(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        PayoutLeaves leaves = new PayoutLeaves(n);
        byte[] address = new byte[20];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 20; k += 8) {
                long r = random.nextLong();
                for (int b = 0; b < 8 && k + b < 20; b++) {
                    address[k + b] = (byte) (r >>> (8 * b));
                }
            }
            // Amounts like real balances: up to about 10^24 wei.
            BigInteger amount = BigInteger.valueOf(random.nextLong(1, Long.MAX_VALUE)).multiply(BigInteger.valueOf(random.nextInt(1, 100_000)));
            leaves.add(Hex.of(address), amount);
        }
        return leaves;
    }

    private static boolean sameBytes(Path a, Path b) throws IOException {
        return Files.mismatch(a, b) == -1;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        return Processes.output(command, null, 1800);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

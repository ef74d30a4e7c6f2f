package org.poa.jobs.merkle;

import org.poa.core.merkle.PayoutLeaves;

import org.poa.core.merkle.PayoutTree;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.action.StepRows;
import org.poa.jobs.rewards.EpochLedger;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.MerkleRootRow;
import org.poa.lakehouse.catalog.RewardEpochRow;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;

/**
 * {@code poa merkle --epoch N}: the OpenZeppelin-standard tree of the epoch's cumulative balances.
 * Reads the balances at the version the rewards step recorded, streams them to the driver in
 * account order into flat arrays (the tree needs every leaf; about 130 bytes per account, so ten
 * million accounts take some 1.3 GB), then writes {@code epochs/<N>/tree.json}, the proofs to
 * {@code merkle_proofs}, and last the root with every input version to {@code merkle_roots}.
 * The root depends only on the set of (account, balance) pairs, never on partitioning or order.
 */
public final class EpochMerkle {

    /** What a run did. */
    public record Result(long epoch, String root, long leaves, BigInteger totalCumulativeWei, boolean written,
                         double treeSeconds) implements StepResult {
        @Override
        public StepRows rows() {
            return new StepRows(leaves, "accounts", leaves, "proofs");
        }

        @Override
        public List<String> lines() {
            return List.of(String.format("epoch %d: root %s over %d accounts, %s wei cumulative%s", epoch, root, leaves,
                    totalCumulativeWei, written ? "" : " (unchanged: nothing written)"));
        }
    }

    private EpochMerkle() {
    }

    static Result run(Lakehouse lakehouse, long epoch, Consumer<String> progress) {
        RewardEpochRow entry = new EpochLedger(lakehouse).require(epoch);
        Map<String, Long> versions = entry.pinnedVersions();
        if (entry.accounts() == 0) {
            throw new IllegalStateException("epoch " + epoch + " has no account with a balance: there is no tree to build");
        }
        progress.accept("merkle tree of epoch " + epoch + ": " + entry.accounts() + " balances (balances v" + entry.balancesVersion() + ")");
        long started = System.nanoTime();
        PayoutTree tree = tree(lakehouse.readAtVersion(Tables.BALANCES, entry.balancesVersion()).where(col("epoch").equalTo(epoch)),
                entry.accounts());
        BigInteger total = tree.values().total();
        if (!total.equals(entry.totalCumulativeWei().toBigIntegerExact()) || tree.size() != entry.accounts()) {
            throw new IllegalStateException("epoch " + epoch + ": balances v" + entry.balancesVersion() + " hold " + tree.size()
                    + " accounts and " + total + " wei, but reward_epochs recorded " + entry.accounts() + " and "
                    + entry.totalCumulativeWei() + "; re-run poa rewards --epoch " + epoch);
        }
        double treeSeconds = (System.nanoTime() - started) / 1e9;
        String root = tree.rootHex();
        progress.accept("root " + root + " over " + tree.size() + " accounts (" + String.format("%.1f", treeSeconds) + " s)");

        TreeFiles files = new TreeFiles(lakehouse.root(), lakehouse.hadoopConf());
        try {
            if (unchanged(lakehouse, files, epoch, root, versions, tree.size())) {
                progress.accept("epoch " + epoch + " already has this root, tree and proofs: nothing written");
                return new Result(epoch, root, tree.size(), total, false, treeSeconds);
            }
            files.removeLeftovers(epoch);
            files.write(epoch, tree);
            progress.accept("wrote " + files.treePath(epoch));
            Path staging = ProofStaging.write(tree, files.epochFolder(epoch), files.conf());
            try {
                Dataset<Row> proofs = lakehouse.spark().read().schema("account string, cumulative_wei string, proof string")
                        .parquet(ProofStaging.files(staging, files.conf()).toArray(String[]::new))
                        .select(lit(epoch).as("epoch"), col("account"), col("cumulative_wei").cast(Tables.WEI).as("cumulative_wei"),
                                when(col("proof").equalTo(""), array().cast("array<string>")).otherwise(split(col("proof"), ",")).as("proof"));
                TableWrites.replaceWhere(lakehouse, Tables.MERKLE_PROOFS, proofs, "epoch = " + epoch);
            } finally {
                ProofStaging.delete(staging, files.conf());
            }
            progress.accept("wrote " + tree.size() + " proofs to merkle_proofs");
            MerkleRootRow row = new MerkleRootRow(epoch, root, tree.size(), new BigDecimal(total), versions);
            TableWrites.upsert(lakehouse, MerkleRootRow.TABLE,
                    lakehouse.spark().createDataFrame(List.of(row.toRow()), MerkleRootRow.TABLE.schema()));
            return new Result(epoch, root, tree.size(), total, true, treeSeconds);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the tree of epoch " + epoch + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tree of (account, cumulative_wei) rows, streamed to the driver in account order (so the
     * dump's value order is fixed too). {@code expected} sizes the arrays; more rows are fine.
     */
    public static PayoutTree tree(Dataset<Row> balances, long expected) {
        Dataset<Row> ordered = balances.select("account", "cumulative_wei").orderBy(lower(col("account")));
        PayoutLeaves leaves = new PayoutLeaves(Math.toIntExact(Math.max(1, expected)));
        for (Iterator<Row> it = ordered.toLocalIterator(); it.hasNext(); ) {
            Row r = it.next();
            leaves.add(r.getString(0), r.getDecimal(1).toBigIntegerExact());
        }
        return PayoutTree.of(leaves);
    }

    /** The stored root row of an epoch. */
    public static Optional<MerkleRootRow> storedRoot(Lakehouse lakehouse, long epoch) {
        return lakehouse.read(MerkleRootRow.TABLE).where(col("epoch").equalTo(epoch)).collectAsList().stream()
                .findFirst().map(MerkleRootRow::fromRow);
    }

    private static boolean unchanged(Lakehouse lakehouse, TreeFiles files, long epoch, String root, Map<String, Long> versions,
                                     long leaves) throws IOException {
        Optional<MerkleRootRow> stored = storedRoot(lakehouse, epoch);
        if (stored.isEmpty() || !root.equals(stored.get().root()) || !versions.equals(stored.get().inputVersions())) {
            return false;
        }
        TableDef proofs = Tables.MERKLE_PROOFS;
        return files.exists(epoch) && lakehouse.read(proofs).where(col("epoch").equalTo(epoch)).count() == leaves;
    }
}

package org.poa.jobs.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.poa.jobs.action.EpochAction;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.action.StepRows;
import org.poa.jobs.chain.DistributorContract;
import org.poa.jobs.chain.EpochSettlement;
import org.poa.jobs.chain.JsonRpc;
import org.poa.jobs.merkle.EpochMerkle;
import org.poa.core.merkle.PayoutTree;
import org.poa.jobs.merkle.TreeFiles;
import org.poa.jobs.rewards.EpochLedger;
import org.poa.jobs.rewards.EpochRewards;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.MerkleRootRow;
import org.poa.lakehouse.catalog.RewardEpochRow;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.epoch.EpochClock;

/**
 * The audit step ({@code poa audit --epoch N}): recomputes the epoch from its inputs as they were (Delta time travel
 * to the versions {@code merkle_roots} recorded) and checks, one by one, that the stored rewards,
 * balances, root, tree.json and the root on chain are what the inputs give. Nothing is written.
 */
public final class AuditAction extends EpochAction<AuditAction.Result> {

    /** One check and its verdict. */
    public record Check(String name, boolean passed, String detail) {
        @Override
        public String toString() {
            return (passed ? "PASS " : "FAIL ") + name + ": " + detail;
        }
    }

    /**
     * Every check made, in order, how many inferences the recomputation read, and the root of the
     * recomputed balances (null when the epoch could not be recomputed at all).
     */
    public record Result(long epoch, List<Check> checks, long inferences, String recomputedRoot) implements StepResult {

        public List<Check> failed() {
            return checks.stream().filter(c -> !c.passed()).toList();
        }

        @Override
        public StepRows rows() {
            return new StepRows(inferences, "inferences", checks.size() - failed().size(), "checks passed");
        }

        /** The summary line (each check is printed as it is decided, through {@link AuditAction#onCheck}). */
        @Override
        public List<String> lines() {
            return List.of(String.format("audit of epoch %d: %d checks, %d failed", epoch, checks.size(), failed().size()));
        }
    }

    private final EpochClock clock;
    private final long epoch;
    private JsonRpc rpc;
    private Consumer<Check> each = c -> { };

    public AuditAction(Lakehouse lakehouse, EpochClock clock, long epoch, Consumer<String> progress) {
        super("audit", lakehouse, progress);
        this.clock = clock;
        this.epoch = epoch;
    }

    /** The chain to compare the root with; without one (offline) the chain is left unchecked. */
    public AuditAction chain(JsonRpc rpc) {
        this.rpc = rpc;
        return this;
    }

    /** Receives each check as it is decided. */
    public AuditAction onCheck(Consumer<Check> each) {
        this.each = each;
        return this;
    }

    @Override
    protected String describe() {
        return "audit --epoch " + epoch + (rpc == null ? " --offline" : "");
    }

    @Override
    protected Result doExecute() {
        List<Check> checks = new ArrayList<>();
        long[] inferenceCount = {0};
        String[] recomputed = {null};
        Consumer<Check> add = c -> {
            checks.add(c);
            each.accept(c);
        };
        audit(add, inferenceCount, recomputed);
        return new Result(epoch, List.copyOf(checks), inferenceCount[0], recomputed[0]);
    }

    private void audit(Consumer<Check> add, long[] inferenceCount, String[] recomputed) {
        Optional<MerkleRootRow> storedRoot = EpochMerkle.storedRoot(lakehouse, epoch);
        if (storedRoot.isEmpty()) {
            add.accept(new Check("merkle_roots", false, "no root recorded for epoch " + epoch));
            return;
        }
        MerkleRootRow stored = storedRoot.get();
        String root = stored.root();
        Map<String, Long> versions = stored.inputVersions();
        add.accept(new Check("merkle_roots", true, "root " + root + " pinned to " + versions));

        EpochLedger ledger = new EpochLedger(lakehouse);
        Optional<RewardEpochRow> entry = ledger.entry(epoch);
        if (entry.isEmpty()) {
            add.accept(new Check("reward_epochs", false, "no ledger row for epoch " + epoch));
            return;
        }
        Map<String, Long> ledgerVersions = entry.get().pinnedVersions();
        add.accept(new Check("reward_epochs", ledgerVersions.equals(versions),
                ledgerVersions.equals(versions) ? "the rewards step read and wrote the versions merkle_roots pins"
                        : "the rewards step recorded " + ledgerVersions + ", merkle_roots " + versions));
        Optional<Long> previous = epoch > 1 ? ledger.entry(epoch - 1).map(RewardEpochRow::balancesVersion) : Optional.empty();

        progress.accept("recomputing epoch " + epoch + " from inferences v" + versions.get("inferences") + ", attributions v"
                + versions.get("attributions") + ", models v" + versions.get("models") + ", votes v" + versions.get("votes"));
        try (EpochRewards.Recomputed fresh = EpochRewards.recompute(lakehouse, clock, epoch, entry.get().treasury(), versions, previous)) {
            add.accept(compare(Tables.REWARDS, fresh.rewards(), lakehouse, versions.get("rewards"), epoch));
            Row inferences = lakehouse.readAtVersion(Tables.INFERENCES, versions.get("inferences")).where(col("epoch").equalTo(epoch))
                    .agg(count(lit(1)), sum("fee_wei")).head();
            inferenceCount[0] = inferences.getLong(0);
            BigInteger fees = inferences.isNullAt(1) ? BigInteger.ZERO : inferences.getDecimal(1).toBigIntegerExact();
            BigInteger rewarded = sumOf(fresh.rewards(), "amount_wei");
            add.accept(new Check("fees = rewards", fees.equals(rewarded), "accepted fees " + fees + " wei, recomputed rewards " + rewarded + " wei"));
            Dataset<Row> balances = fresh.balances().persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
            fresh.cached().add(balances);
            add.accept(compare(Tables.BALANCES, balances, lakehouse, versions.get("balances"), epoch));

            progress.accept("rebuilding the tree of the recomputed balances");
            PayoutTree tree = EpochMerkle.tree(balances, stored.leafCount());
            recomputed[0] = tree.rootHex();
            BigInteger total = stored.totalCumulativeWei().toBigIntegerExact();
            boolean sameRoot = tree.rootHex().equals(root) && tree.size() == stored.leafCount() && tree.values().total().equals(total);
            add.accept(new Check("root", sameRoot, "recomputed " + tree.rootHex() + " over " + tree.size() + " accounts, "
                    + tree.values().total() + " wei; merkle_roots " + root + " over " + stored.leafCount() + ", " + total));
            add.accept(treeFile(lakehouse, epoch, tree));
            if (rpc == null) {
                progress.accept("the root on chain is not checked (offline)");
            } else {
                add.accept(chain(lakehouse, rpc, epoch, root));
            }
        }
    }

    private static Check compare(TableDef table, Dataset<Row> fresh, Lakehouse lakehouse, Long version, long epoch) {
        if (version == null) {
            return new Check(table.name(), false, "no version of " + table.name() + " pinned");
        }
        Dataset<Row> stored = lakehouse.readAtVersion(table, version).where(col("epoch").equalTo(epoch));
        Dataset<Row> differences = TableWrites.differences(table, fresh, stored);
        long differing = differences.count();
        long rows = stored.count();
        if (differing == 0) {
            return new Check(table.name(), true, rows + " rows at v" + version + " equal the recomputation");
        }
        Row first = differences.orderBy(org.poa.lakehouse.spark.Columns.of(table.columns())).head();
        return new Check(table.name(), false, differing + " rows differ between v" + version + " and the recomputation, e.g. " + first);
    }

    private static Check treeFile(Lakehouse lakehouse, long epoch, PayoutTree tree) {
        TreeFiles files = new TreeFiles(lakehouse.root(), lakehouse.hadoopConf());
        try {
            MessageDigest expected = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), expected)) {
                tree.writeDump(out);
            }
            MessageDigest actual = MessageDigest.getInstance("SHA-256");
            org.apache.hadoop.fs.Path path = files.treePath(epoch);
            FileSystem fs = path.getFileSystem(files.conf());
            try (InputStream in = fs.open(path); OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), actual)) {
                in.transferTo(out);
            }
            boolean same = java.util.Arrays.equals(expected.digest(), actual.digest());
            return new Check("tree.json", same, same ? path + " is byte-identical to the recomputed tree's dump"
                    : path + " differs from the recomputed tree's dump");
        } catch (IOException e) {
            return new Check("tree.json", false, "cannot read " + files.treePath(epoch) + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Check chain(Lakehouse lakehouse, JsonRpc rpc, long epoch, String root) {
        try {
            rpc.requireChainId();
            DistributorContract distributor = new DistributorContract(rpc, rpc.settings().requireDistributor());
            distributor.requireCode();
            String onChain = distributor.epochRoot(epoch);
            boolean same = onChain.equalsIgnoreCase(root);
            String recorded = EpochSettlement.recorded(lakehouse, epoch, rpc.settings().chainId(), distributor.address())
                    .map(r -> "; settlements: " + r.txHash()).orElse("; not in settlements");
            return new Check("chain", same, "epochRoot(" + epoch + ") on chain " + rpc.settings().chainId() + " at "
                    + distributor.address() + " is " + onChain + recorded);
        } catch (RuntimeException e) {
            return new Check("chain", false, e.getMessage());
        }
    }

    private static BigInteger sumOf(Dataset<Row> rows, String column) {
        Row r = rows.agg(sum(column)).head();
        return r.isNullAt(0) ? BigInteger.ZERO : r.getDecimal(0).toBigIntegerExact();
    }
}

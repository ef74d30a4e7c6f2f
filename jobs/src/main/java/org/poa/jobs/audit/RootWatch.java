package org.poa.jobs.audit;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.poa.jobs.chain.DistributorContract;
import org.poa.jobs.chain.JsonRpc;
import org.poa.jobs.chain.RootRevocation;
import org.web3j.crypto.Credentials;

/**
 * One look of an auditor's watcher ({@code poa watch}): the distributor's pending root, if any, is
 * recomputed from the watcher's own lakehouse reader with {@link AuditAction}'s checks, and revoked
 * when the recomputation gives another root.
 *
 * <p>It revokes only on a positive mismatch: a root the lakehouse cannot recompute (the epoch is not
 * there yet, its pinned versions are gone) is reported as unconfirmed and left alone, because revoking
 * every root a lagging watcher has not seen would stop all payouts. Unconfirmed roots are what the
 * watcher's operator must look at before they activate.
 */
public final class RootWatch {

    /** What the look found. */
    public enum Verdict {
        /** No root on chain, or the latest one is already active. */
        NOTHING_PENDING,
        /** The pending root is the recomputed one. */
        CONFIRMED,
        /** The pending root differed from the recomputation and was revoked (or would be, without revoking). */
        REVOKED,
        /** The pending root could not be recomputed here; nothing was sent. */
        UNCONFIRMED
    }

    /** The verdict on the latest epoch, with the roots compared and a one-line reason. */
    public record Outcome(Verdict verdict, long epoch, String chainRoot, String recomputedRoot, String detail) {

        public String line() {
            return (epoch > 0 ? "epoch " + epoch + ": " : "") + verdict.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + ": " + detail;
        }
    }

    private final JsonRpc rpc;
    private final LongFunction<AuditAction> audits;
    private final Credentials auditor;
    private final Consumer<String> progress;
    /** "epoch:root" of pending roots already confirmed: a watcher looking every minute recomputes each root once. */
    private final Set<String> confirmed = new HashSet<>();

    /**
     * @param audits  the audit action for an epoch, on the watcher's lakehouse
     * @param auditor the AUDITOR_ROLE key that signs a revocation; null to report only
     */
    public RootWatch(JsonRpc rpc, LongFunction<AuditAction> audits, Credentials auditor, Consumer<String> progress) {
        this.rpc = rpc;
        this.audits = audits;
        this.auditor = auditor;
        this.progress = progress;
    }

    /** One look at the latest epoch. */
    public Outcome look() {
        rpc.requireChainId();
        DistributorContract distributor = new DistributorContract(rpc, rpc.settings().requireDistributor());
        distributor.requireCode();
        long latest = distributor.latestEpoch();
        if (latest == 0) {
            return new Outcome(Verdict.NOTHING_PENDING, 0, null, null, "no root on chain at " + distributor.address());
        }
        DistributorContract.EpochInfo info = distributor.epochInfo(latest);
        long now = RootRevocation.chainTime(rpc);
        String activates = Instant.ofEpochSecond(info.activatesAt()).toString();
        if (info.activatesAt() <= now) {
            return new Outcome(Verdict.NOTHING_PENDING, latest, info.root(), null, "root " + info.root() + " active since " + activates);
        }
        String key = latest + ":" + info.root().toLowerCase(java.util.Locale.ROOT);
        if (confirmed.contains(key)) {
            return new Outcome(Verdict.CONFIRMED, latest, info.root(), info.root(), "root " + info.root() + " is the recomputed one"
                    + " (confirmed earlier); it activates at " + activates);
        }
        progress.accept("epoch " + latest + "'s root " + info.root() + " is pending until " + activates + ": recomputing it");
        AuditAction.Result audit = audits.apply(latest).chain(rpc).execute();
        String recomputed = audit.recomputedRoot();
        if (recomputed == null) {
            String why = audit.failed().isEmpty() ? "no recomputation" : audit.failed().get(0).toString();
            return new Outcome(Verdict.UNCONFIRMED, latest, info.root(), null, "root " + info.root() + " cannot be recomputed from this"
                    + " lakehouse (" + why + "); it activates at " + activates + " unless someone revokes it");
        }
        if (recomputed.equalsIgnoreCase(info.root())) {
            confirmed.add(key);
            return new Outcome(Verdict.CONFIRMED, latest, info.root(), recomputed, "root " + info.root() + " is the recomputed one ("
                    + audit.checks().size() + " checks, " + audit.failed().size() + " failed)");
        }
        String mismatch = "root " + info.root() + " on chain, recomputed " + recomputed;
        if (auditor == null) {
            return new Outcome(Verdict.UNCONFIRMED, latest, info.root(), recomputed, mismatch + "; not revoked (--report-only)");
        }
        RootRevocation.Result revoked = RootRevocation.revoke(rpc, latest, info.root(), auditor, progress);
        if (!revoked.sent()) {
            return new Outcome(Verdict.NOTHING_PENDING, latest, info.root(), recomputed, mismatch + "; meanwhile the epoch "
                    + revoked.why() + ": nothing sent");
        }
        return new Outcome(Verdict.REVOKED, latest, info.root(), recomputed, mismatch + ": revoked in " + revoked.txHash());
    }
}

package org.poa.jobs.pipeline;

import java.util.function.Consumer;
import org.poa.core.epoch.EpochClock;
import org.poa.jobs.attribute.AttributeAction;
import org.poa.jobs.attribute.IndexAction;
import org.poa.jobs.audit.AuditAction;
import org.poa.jobs.chain.JsonRpc;
import org.poa.jobs.chain.SettleAction;
import org.poa.jobs.ingest.IngestAction;
import org.poa.jobs.merkle.MerkleAction;
import org.poa.jobs.rewards.RewardsAction;
import org.poa.jobs.review.ReviewAction;
import org.poa.jobs.train.TrainAction;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.config.IngestOptions;
import org.web3j.crypto.Credentials;

/**
 * The factory of the epoch's actions (as Iceberg's {@code SparkActions}): one lakehouse, one epoch
 * calendar, one progress sink; each method returns a fresh action to configure and execute.
 */
public final class EpochActions {

    private final Lakehouse lakehouse;
    private final EpochClock clock;
    private final Consumer<String> progress;

    private EpochActions(Lakehouse lakehouse, EpochClock clock, Consumer<String> progress) {
        this.lakehouse = lakehouse;
        this.clock = clock;
        this.progress = progress;
    }

    public static EpochActions of(Lakehouse lakehouse, EpochClock clock, Consumer<String> progress) {
        return new EpochActions(lakehouse, clock, progress);
    }

    public Lakehouse lakehouse() {
        return lakehouse;
    }

    public EpochClock clock() {
        return clock;
    }

    public IngestAction ingest(IngestOptions options) {
        return new IngestAction(lakehouse, options, progress);
    }

    public TrainAction train() {
        return new TrainAction(lakehouse, progress);
    }

    public ReviewAction review() {
        return new ReviewAction(lakehouse, progress);
    }

    public IndexAction index() {
        return new IndexAction(lakehouse, progress);
    }

    public AttributeAction attribute(long epoch) {
        return new AttributeAction(lakehouse, clock, epoch, progress);
    }

    public RewardsAction rewards(long epoch) {
        return new RewardsAction(lakehouse, clock, epoch, progress);
    }

    public MerkleAction merkle(long epoch) {
        return new MerkleAction(lakehouse, epoch, progress);
    }

    public SettleAction settle(long epoch, JsonRpc rpc, Credentials settler) {
        return new SettleAction(lakehouse, epoch, rpc, settler, progress);
    }

    public AuditAction audit(long epoch) {
        return new AuditAction(lakehouse, clock, epoch, progress);
    }
}

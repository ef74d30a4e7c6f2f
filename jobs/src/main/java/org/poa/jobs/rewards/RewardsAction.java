package org.poa.jobs.rewards;

import java.util.function.Consumer;
import org.poa.core.epoch.EpochClock;
import org.poa.jobs.action.EpochAction;
import org.poa.lakehouse.catalog.Lakehouse;

/**
 * The rewards step: every accepted fee of an epoch split into exact integer-wei rewards and added to
 * the cumulative balances of the epoch before ({@link EpochRewards} says how).
 */
public final class RewardsAction extends EpochAction<EpochRewards.Result> {

    private final EpochClock clock;
    private final long epoch;
    private String treasury;

    public RewardsAction(Lakehouse lakehouse, EpochClock clock, long epoch, Consumer<String> progress) {
        super("rewards", lakehouse, progress);
        this.clock = clock;
        this.epoch = epoch;
    }

    /** The protocol treasury: gets the protocol share and what no one else can. */
    public RewardsAction treasury(String address) {
        this.treasury = address;
        return this;
    }

    @Override
    protected String describe() {
        return "rewards --epoch " + epoch;
    }

    @Override
    protected EpochRewards.Result doExecute() {
        return EpochRewards.run(lakehouse, clock, epoch, treasury, progress);
    }

    /** The treasury in EIP-55 form, or a one-line error: callers check it before starting Spark. */
    public static String treasuryAddress(String text) {
        return EpochRewards.treasury(text);
    }
}

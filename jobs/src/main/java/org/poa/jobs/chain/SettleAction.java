package org.poa.jobs.chain;

import java.util.function.Consumer;
import org.poa.jobs.action.EpochAction;
import org.poa.lakehouse.catalog.Lakehouse;
import org.web3j.crypto.Credentials;

/** The settle step: the epoch's root on chain, once ({@link EpochSettlement} says in which order it checks what). */
public final class SettleAction extends EpochAction<EpochSettlement.Result> {

    private final long epoch;
    private final JsonRpc rpc;
    private final Credentials settler;
    private Credentials treasury;

    public SettleAction(Lakehouse lakehouse, long epoch, JsonRpc rpc, Credentials settler, Consumer<String> progress) {
        super("settle", lakehouse, progress);
        this.epoch = epoch;
        this.rpc = rpc;
        this.settler = settler;
    }

    /** A key holding the distributor's token, to top it up; without one the funding is only checked. */
    public SettleAction treasuryKey(Credentials key) {
        this.treasury = key;
        return this;
    }

    @Override
    protected String describe() {
        return "settle --epoch " + epoch;
    }

    @Override
    protected EpochSettlement.Result doExecute() {
        return EpochSettlement.run(lakehouse, rpc, epoch, settler, treasury, progress);
    }
}

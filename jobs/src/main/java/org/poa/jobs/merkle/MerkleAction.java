package org.poa.jobs.merkle;

import java.util.function.Consumer;
import org.poa.jobs.action.EpochAction;
import org.poa.lakehouse.catalog.Lakehouse;

/** The merkle step: the epoch's OpenZeppelin-standard tree, its dump, its proofs and its root ({@link EpochMerkle}). */
public final class MerkleAction extends EpochAction<EpochMerkle.Result> {

    private final long epoch;

    public MerkleAction(Lakehouse lakehouse, long epoch, Consumer<String> progress) {
        super("merkle", lakehouse, progress);
        this.epoch = epoch;
    }

    @Override
    protected String describe() {
        return "merkle --epoch " + epoch;
    }

    @Override
    protected EpochMerkle.Result doExecute() {
        return EpochMerkle.run(lakehouse, epoch, progress);
    }
}

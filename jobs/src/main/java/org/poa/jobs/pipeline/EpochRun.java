package org.poa.jobs.pipeline;

import java.util.function.Consumer;
import org.poa.jobs.audit.AuditAction;
import org.poa.jobs.chain.JsonRpc;
import org.poa.lakehouse.config.IngestOptions;
import org.web3j.crypto.Credentials;

/**
 * What one run of the pipeline needs beyond the lakehouse: the epoch, and for the steps that use
 * them the batch folder (ingest), the treasury (rewards), the chain (settle, audit).
 *
 * @param input     the epoch's batch folder (ingest), or null when the run starts after ingest
 * @param treasury  the protocol treasury address (rewards), or null when the run does not reward
 * @param chain     the chain and keys (settle; audit unless offline), or null
 * @param onCheck   receives each audit check as it is decided
 */
public record EpochRun(long epoch, String input, boolean missingOk, IngestOptions ingestOptions, String treasury, Chain chain,
                       boolean offline, Consumer<AuditAction.Check> onCheck) {

    /** The distributor's chain and who signs: the settler, and the treasury that tops the distributor up (optional). */
    public record Chain(JsonRpc rpc, Credentials settler, Credentials treasury) {
    }

    public EpochRun {
        if (epoch < 1) {
            throw new IllegalArgumentException("--epoch must be 1 or more, got " + epoch);
        }
    }
}

package org.poa.jobs.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.audit.AuditAction;

/**
 * The steps of an epoch, in the one order they run: every user of the pipeline (the {@code epoch}
 * and {@code demo} commands, {@code bench epoch}, the tests) takes it from here, and the Airflow
 * DAG's tasks are checked against it.
 */
public enum EpochStep {

    INGEST {
        @Override
        StepResult run(EpochActions actions, EpochRun run) {
            return actions.ingest(run.ingestOptions()).batch(run.input()).missingOk(run.missingOk()).execute();
        }

        @Override
        void check(EpochRun run) {
            if (run.input() == null) {
                throw new IllegalArgumentException("the ingest step needs the epoch's batch folder: pass --input BATCH (or start --from train)");
            }
        }
    },
    TRAIN {
        @Override
        StepResult run(EpochActions actions, EpochRun run) {
            return actions.train().execute();
        }
    },
    INDEX {
        @Override
        StepResult run(EpochActions actions, EpochRun run) {
            return actions.index().execute();
        }
    },
    ATTRIBUTE {
        @Override
        StepResult run(EpochActions actions, EpochRun run) {
            return actions.attribute(run.epoch()).execute();
        }
    },
    REWARDS {
        @Override
        StepResult run(EpochActions actions, EpochRun run) {
            return actions.rewards(run.epoch()).treasury(run.treasury()).execute();
        }

        @Override
        void check(EpochRun run) {
            if (run.treasury() == null) {
                throw new IllegalArgumentException("the rewards step needs the protocol treasury: pass --treasury ADDRESS or set POA_TREASURY");
            }
        }
    },
    MERKLE {
        @Override
        StepResult run(EpochActions actions, EpochRun run) {
            return actions.merkle(run.epoch()).execute();
        }
    },
    SETTLE {
        @Override
        StepResult run(EpochActions actions, EpochRun run) {
            return actions.settle(run.epoch(), run.chain().rpc(), run.chain().settler()).treasuryKey(run.chain().treasury()).execute();
        }

        @Override
        void check(EpochRun run) {
            if (run.chain() == null || run.chain().settler() == null) {
                throw new IllegalArgumentException("the settle step needs a chain and the settler's key: pass --rpc-url, --chain-id and"
                        + " --distributor (or POA_RPC_URL, POA_CHAIN_ID, POA_DISTRIBUTOR) and POA_PRIVATE_KEY or --keystore,"
                        + " or stop --to merkle");
            }
        }
    },
    AUDIT {
        @Override
        StepResult run(EpochActions actions, EpochRun run) {
            AuditAction.Result result = actions.audit(run.epoch()).chain(run.chain() == null ? null : run.chain().rpc())
                    .onCheck(run.onCheck()).execute();
            if (!result.failed().isEmpty()) {
                throw new IllegalStateException("the audit of epoch " + run.epoch() + " failed: " + result.failed().get(0));
            }
            return result;
        }

        @Override
        void check(EpochRun run) {
            if (run.chain() == null && !run.offline()) {
                throw new IllegalArgumentException("the audit step checks the root on chain: pass --rpc-url (or set POA_RPC_URL),"
                        + " or --offline to check the lakehouse only");
            }
        }
    };

    /** Runs the step for the epoch. */
    abstract StepResult run(EpochActions actions, EpochRun run);

    /** Fails, before any step runs, when the run lacks what this step needs. */
    void check(EpochRun run) {
    }

    /** The step's name: {@code ingest}, {@code train}, ... (also its command and its Spark job group). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EpochStep of(String code) {
        for (EpochStep step : values()) {
            if (step.code().equals(code)) {
                return step;
            }
        }
        throw new IllegalArgumentException("unknown step '" + code + "': expected one of " + Arrays.stream(values()).map(EpochStep::code).toList());
    }

    /** The steps from {@code from} to {@code to}, both included, in order. */
    public static List<EpochStep> range(EpochStep from, EpochStep to) {
        if (from.compareTo(to) > 0) {
            throw new IllegalArgumentException("--from " + from.code() + " comes after --to " + to.code()
                    + ": the steps run in the order " + Arrays.stream(values()).map(EpochStep::code).toList());
        }
        return Arrays.asList(values()).subList(from.ordinal(), to.ordinal() + 1);
    }
}

package org.poa.jobs.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.poa.jobs.action.EpochAction;
import org.poa.jobs.action.StepResult;
import org.poa.jobs.action.StepRows;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.IngestReport;
import org.poa.lakehouse.ingest.InputFiles;
import org.poa.lakehouse.ingest.InputKind;
import org.poa.lakehouse.ingest.TableIngest;
import org.poa.lakehouse.status.ContributionStatusBuilder;

/**
 * The ingest step: input files validated into their tables, rejected rows to the quarantine. Either
 * one kind from a file or folder, or a batch folder: its sub-folders {@code datanets/},
 * {@code contributions/}, {@code votes/}, {@code models/}, {@code inferences/} and {@code gradients/},
 * in that order (each one that is there), as a scheduler delivers an epoch's inputs.
 */
public final class IngestAction extends EpochAction<IngestAction.Result> {

    /** A kind with nothing to ingest at its location. */
    public record Absent(InputKind kind, String location) {
    }

    /** The report of every kind ingested, and the kinds that were not there. */
    public record Result(List<IngestReport> reports, List<Absent> absent) implements StepResult {
        @Override
        public StepRows rows() {
            return new StepRows(reports.stream().mapToLong(IngestReport::read).sum(), "lines",
                    reports.stream().mapToLong(IngestReport::accepted).sum(), "rows");
        }

        @Override
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            reports.forEach(r -> lines.add(r.summary()));
            absent.forEach(a -> lines.add(a.kind().code() + ": nothing to ingest at " + a.location()));
            return lines;
        }
    }

    private final IngestOptions options;
    private String batch;
    private InputKind kind;
    private String location;
    private boolean missingOk;

    public IngestAction(Lakehouse lakehouse, IngestOptions options, Consumer<String> progress) {
        super("ingest", lakehouse, progress);
        this.options = options;
    }

    /** Ingests a batch folder's kinds. */
    public IngestAction batch(String folder) {
        this.batch = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
        return this;
    }

    /** Ingests one kind from a file or a folder of files. */
    public IngestAction kind(InputKind kind, String location) {
        this.kind = kind;
        this.location = location;
        return this;
    }

    /**
     * A missing input, or a folder without data files, is nothing to ingest instead of an error; for
     * a batch, the folder itself must still exist (a scheduled run must not settle an epoch whose
     * inputs it never read), and a batch without any kind is an error unless this is set.
     */
    public IngestAction missingOk(boolean missingOk) {
        this.missingOk = missingOk;
        return this;
    }

    @Override
    protected String describe() {
        return batch != null ? "ingest all --input " + batch : "ingest " + (kind == null ? "?" : kind.code()) + " --input " + location;
    }

    @Override
    protected Result doExecute() {
        List<IngestReport> reports = new ArrayList<>();
        List<Absent> absent = new ArrayList<>();
        if (batch == null) {
            if (kind == null) {
                throw new IllegalStateException("ingest needs a batch folder or a kind and its input");
            }
            ingestIfPresent(kind, location, missingOk, reports, absent);
            return new Result(reports, absent);
        }
        if (!InputFiles.exists(lakehouse.spark(), batch)) {
            throw new IllegalArgumentException("input " + batch + " does not exist");
        }
        boolean statusDeferred = false;
        for (InputKind each : InputKind.values()) {
            statusDeferred |= ingestIfPresent(each, batch + "/" + each.code(), true, reports, absent);
        }
        // Once for the batch, not after contributions and again after votes (see deferStatusRefresh).
        // A run that fails before this leaves the status as it was; its re-run brings it up to date.
        if (statusDeferred) {
            progress.accept("refreshing contribution_status");
            ContributionStatusBuilder.refreshIfStale(lakehouse);
        }
        if (reports.isEmpty() && !missingOk) {
            throw new IllegalArgumentException("input " + batch + " holds none of datanets/, contributions/, votes/, models/,"
                    + " inferences/, gradients/ with data files");
        }
        return new Result(reports, absent);
    }

    /** Ingests the kind if its input is there; returns whether it left a status refresh to this action. */
    private boolean ingestIfPresent(InputKind each, String input, boolean lenient, List<IngestReport> reports, List<Absent> absent) {
        if (lenient && !InputFiles.present(lakehouse.spark(), input)) {
            absent.add(new Absent(each, input));
            return false;
        }
        progress.accept("ingesting " + each.code() + " from " + input);
        TableIngest ingest = each.ingest(lakehouse, options);
        if (batch != null) {
            ingest.deferStatusRefresh();
        }
        reports.add(ingest.run(input));
        return ingest.statusRefreshDeferred();
    }
}

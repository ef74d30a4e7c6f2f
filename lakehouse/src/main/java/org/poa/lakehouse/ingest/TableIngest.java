package org.poa.lakehouse.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.storage.StorageLevel;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.config.IngestOptions;
import org.poa.lakehouse.ingest.InputFiles.InputFile;
import org.poa.lakehouse.ingest.parse.RecordParser;
import org.poa.lakehouse.ingest.parse.RecordParsing;
import org.poa.lakehouse.status.ContributionStatusBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * One ingest of input files into one table: read, parse, classify every row (accepted, duplicate,
 * quarantined), check that nothing was lost, write the quarantine and the table. Each subclass says
 * how its rows are classified and written.
 */
public abstract class TableIngest {

    private static final Logger LOG = LoggerFactory.getLogger(TableIngest.class);

    protected final Lakehouse lakehouse;
    protected final IngestOptions options;
    private boolean statusRefresh = true;
    private boolean statusRefreshDeferred;

    private static final String CACHE_COMPRESSED = "spark.sql.inMemoryColumnarStorage.compressed";

    protected TableIngest(Lakehouse lakehouse, IngestOptions options) {
        this.lakehouse = lakehouse;
        this.options = options;
    }

    protected abstract RecordParser parser();

    /** Decides every undecided row of {@link Classify#start}'s output. */
    protected abstract Dataset<Row> classify(Dataset<Row> rows);

    /** Writes the rows this run accepted. Only called when there are some. */
    protected abstract void writeAccepted(Dataset<Row> classified);

    /**
     * Brings derived tables (status, lineage) up to date with the table. Runs after every ingest, also
     * when nothing was accepted, so re-running an ingest that died between its writes repairs them;
     * writes nothing when they are up to date.
     */
    protected void reconcile(Dataset<Row> classified) {
    }

    public final TableDef table() {
        return parser().table();
    }

    /**
     * Leaves {@code contribution_status} to the caller, who refreshes it once after several kinds
     * ({@link ContributionStatusBuilder#refreshIfStale}): a batch of contributions and votes then
     * rebuilds it once, not after each. Until the caller has, the status is the one before the batch.
     */
    public final TableIngest deferStatusRefresh() {
        this.statusRefresh = false;
        return this;
    }

    /** Whether a run of this ingest left the status refresh to its caller ({@link #deferStatusRefresh}). */
    public final boolean statusRefreshDeferred() {
        return statusRefreshDeferred;
    }

    /** For the kinds {@code contribution_status} is built from: refreshes it, unless deferred. */
    protected final void refreshStatus() {
        if (statusRefresh) {
            ContributionStatusBuilder.refreshIfStale(lakehouse);
        } else {
            statusRefreshDeferred = true;
        }
    }

    public final IngestReport run(String input) {
        List<InputFile> files = InputFiles.list(lakehouse.spark(), input);
        LOG.info("{}: reading {} file(s) from {}", table().name(), files.size(), input);
        RuntimeConfig conf = lakehouse.spark().conf();
        String compressed = conf.get(CACHE_COMPRESSED, null);
        // The two caches below hold every input line twice (its raw text and its parsed values):
        // nearly all distinct strings, which the cache's dictionary and run-length encodings cannot
        // shrink (+10% on disk without them), but whose statistics cost about a sixth of the
        // executors' CPU samples in building them (1M inferences: 124 s of task CPU with, 109 s
        // without; docs/BENCHMARKS.md).
        conf.set(CACHE_COMPRESSED, "false");
        try {
            return ingest(files);
        } finally {
            if (compressed == null) {
                conf.unset(CACHE_COMPRESSED);
            } else {
                conf.set(CACHE_COMPRESSED, compressed);
            }
        }
    }

    private IngestReport ingest(List<InputFile> files) {
        // On disk, not in the heap: inputs may be far larger than the driver's memory, and the
        // Parquet writers of the MERGE that follows need what heap there is.
        Dataset<Row> parsed = Classify.start(RecordParsing.parse(SourceReader.read(lakehouse.spark(), files), parser(),
                options.maxRecordChars()))
                .persist(StorageLevel.DISK_ONLY());
        Dataset<Row> classified = classify(parsed).persist(StorageLevel.DISK_ONLY());
        try {
            IngestReport report = count(parsed.count(), classified).check();
            LOG.info("{}: classified {} rows; writing", table().name(), report.read());
            if (report.quarantined() + report.duplicates() + report.displaced() > 0) {
                LOG.info("{}: writing quarantine", table().name());
                writeQuarantine(classified);
            }
            if (report.accepted() > 0) {
                LOG.info("{}: writing {} accepted rows", table().name(), report.accepted());
                writeAccepted(classified);
            }
            reconcile(classified);
            LOG.info("{}: done", table().name());
            return report;
        } finally {
            classified.unpersist();
            parsed.unpersist();
        }
    }

    /** Counts by disposition; {@code read} is counted on the input, so a lost or doubled row fails the check. */
    private IngestReport count(long read, Dataset<Row> classified) {
        List<Row> groups = classified.groupBy(col(Classify.DISPOSITION), col("reason")).count().collectAsList();
        Map<String, Long> byDisposition = new HashMap<>();
        Map<String, Long> quarantineReasons = new HashMap<>();
        Map<String, Long> duplicateReasons = new HashMap<>();
        for (Row group : groups) {
            String disposition = group.getString(0);
            if (disposition == null) {
                throw new IllegalStateException("ingest " + table().name() + " left rows undecided");
            }
            String reason = group.isNullAt(1) ? null : group.getString(1);
            long n = group.getLong(2);
            byDisposition.merge(disposition, n, Long::sum);
            if (disposition.equals(Disposition.QUARANTINED.code())) {
                quarantineReasons.merge(reason, n, Long::sum);
            } else if (disposition.equals(Disposition.DUPLICATE.code())) {
                duplicateReasons.merge(reason == null ? "already_ingested" : reason, n, Long::sum);
            }
        }
        long accepted = 0;
        for (Disposition d : Disposition.values()) {
            if (d.countsAsAccepted()) {
                accepted += byDisposition.getOrDefault(d.code(), 0L);
            }
        }
        return new IngestReport(table().name(), read, accepted,
                byDisposition.getOrDefault(Disposition.DUPLICATE.code(), 0L),
                byDisposition.getOrDefault(Disposition.QUARANTINED.code(), 0L),
                byDisposition.getOrDefault(Disposition.UPDATED.code(), 0L),
                byDisposition.getOrDefault(Disposition.VIOLATION.code(), 0L),
                byDisposition.getOrDefault(Disposition.DISPLACED.code(), 0L),
                quarantineReasons, duplicateReasons);
    }

    /** Every row with a reason (rejections and recorded duplicates) goes to the quarantine, once. */
    private void writeQuarantine(Dataset<Row> classified) {
        Dataset<Row> rows = classified.where(col("reason").isNotNull())
                .select(lit(table().name()).as("table"), col("source_file").as("source"), col("source_line").as("line"), col("reason"),
                        col("detail"), col("raw"));
        TableWrites.insertNew(lakehouse, Tables.QUARANTINE, rows);
    }

    /** The rows of one disposition; {@link TableWrites} keeps the table's columns. */
    protected static Dataset<Row> tableRows(Dataset<Row> classified, Disposition disposition) {
        return classified.where(col(Classify.DISPOSITION).equalTo(disposition.code()));
    }

}

package org.poa.lakehouse.status;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.struct;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.spark.Columns;

/**
 * Rebuilds {@code contribution_status} from contributions, datanets and votes: per contribution a
 * timeline of segments [valid_from, valid_to) with the status and vote counts in force. A segment
 * starts at submission and a new one at each vote time that changes status or counts. A vote cast
 * before the submission time takes effect at submission (the latest of them, by the time it was
 * cast, counts). Votes of one validator at the same instant are ordered approve before reject, so
 * the reject is the one that counts (the cautious choice).
 */
public final class ContributionStatusBuilder {

    private ContributionStatusBuilder() {
    }

    /** Rebuilds the status when contributions, datanets or votes changed since it was last built. */
    public static boolean refreshIfStale(Lakehouse lakehouse) {
        Map<String, Long> inputs = inputVersions(lakehouse);
        if (fingerprint(inputs).equals(builtFrom(lakehouse))) {
            return false;
        }
        rebuild(lakehouse, inputs);
        return true;
    }

    /** Rebuilds the status from the current contributions, datanets and votes. */
    public static void rebuild(Lakehouse lakehouse) {
        rebuild(lakehouse, inputVersions(lakehouse));
    }

    private static void rebuild(Lakehouse lakehouse, Map<String, Long> inputs) {
        // Read at the versions recorded in the fingerprint, so the status is exactly what it claims.
        Dataset<Row> votes = lakehouse.readAtVersion(Tables.VOTES, inputs.get(Tables.VOTES.name()))
                .groupBy("contribution_id")
                .agg(collect_list(struct(col("validator"), col("verdict"), col("voted_at"))).as("votes"));
        Dataset<Row> input = lakehouse.readAtVersion(Tables.CONTRIBUTIONS, inputs.get(Tables.CONTRIBUTIONS.name()))
                .select("contribution_id", "datanet_id", "contributor", "submitted_at")
                .join(lakehouse.readAtVersion(Tables.DATANETS, inputs.get(Tables.DATANETS.name()))
                        .select("datanet_id", "quorum", "approval_threshold"), "datanet_id")
                .join(votes, Columns.using("contribution_id"), "left")
                .select("contribution_id", "datanet_id", "contributor", "submitted_at", "quorum", "approval_threshold", "votes");
        FlatMapFunction<Row, Row> timeline = row -> segments(row).iterator();
        Dataset<Row> status = input.flatMap(timeline, Encoders.row(Tables.CONTRIBUTION_STATUS.schema()));
        TableWrites.replaceAll(lakehouse, Tables.CONTRIBUTION_STATUS, status, fingerprint(inputs));
    }

    private static Map<String, Long> inputVersions(Lakehouse lakehouse) {
        Map<String, Long> versions = new TreeMap<>();
        for (TableDef table : List.of(Tables.CONTRIBUTIONS, Tables.DATANETS, Tables.VOTES)) {
            versions.put(table.name(), lakehouse.version(table));
        }
        return versions;
    }

    /** What the status commit records as its inputs, e.g. "built from contributions@3 datanets@1 votes@2". */
    private static String fingerprint(Map<String, Long> inputs) {
        StringBuilder out = new StringBuilder("built from");
        inputs.forEach((name, version) -> out.append(' ').append(name).append('@').append(version));
        return out.toString();
    }

    private static String builtFrom(Lakehouse lakehouse) {
        Row last = lakehouse.ensure(Tables.CONTRIBUTION_STATUS).history(1).select("userMetadata").head();
        return last.isNullAt(0) ? "" : last.getString(0);
    }

    /** A vote as cast ({@code cast}) and when it takes effect ({@code at}: not before the submission). */
    private record Vote(String validator, String verdict, Instant cast, Instant at) {
    }

    static List<Row> segments(Row row) {
        String id = row.getString(0);
        String datanet = row.getString(1);
        String contributor = row.getString(2);
        Instant submitted = row.getAs(3);
        int quorum = row.getInt(4);
        java.math.BigDecimal threshold = row.getDecimal(5);
        List<Vote> votes = new ArrayList<>();
        if (!row.isNullAt(6)) {
            for (Row v : row.<Row>getList(6)) {
                Instant at = v.getAs(2);
                votes.add(new Vote(v.getString(0), v.getString(1), at, at.isBefore(submitted) ? submitted : at));
            }
        }
        // In the order cast, so a validator's latest vote is applied last even when several take
        // effect together at the submission time.
        votes.sort(Comparator.comparing(Vote::cast).thenComparing(Vote::verdict).thenComparing(Vote::validator));

        List<Row> out = new ArrayList<>();
        Map<String, String> latest = new HashMap<>();
        Instant from = submitted;
        int approvals = 0;
        int rejections = 0;
        String status = StatusRule.PENDING;
        int i = 0;
        while (i < votes.size()) {
            Instant at = votes.get(i).at();
            while (i < votes.size() && votes.get(i).at().equals(at)) {
                latest.put(votes.get(i).validator(), votes.get(i).verdict());
                i++;
            }
            int a = (int) latest.values().stream().filter("approve"::equals).count();
            int r = latest.size() - a;
            String s = StatusRule.status(a, r, quorum, threshold);
            if (a != approvals || r != rejections || !s.equals(status)) {
                if (at.isAfter(from)) {
                    out.add(RowFactory.create(id, datanet, contributor, status, approvals, rejections, from, at));
                }
                from = at;
                approvals = a;
                rejections = r;
                status = s;
            }
        }
        out.add(RowFactory.create(id, datanet, contributor, status, approvals, rejections, from, null));
        return out;
    }
}

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
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.lakehouse.spark.Columns;

/**
 * Rebuilds {@code contribution_status} from contributions, datanets and votes: per contribution a
 * timeline of segments [valid_from, valid_to) with the status and vote counts in force. A segment
 * starts at submission and a new one at each vote time that changes status or counts. A vote cast
 * before the submission time takes effect at submission. Votes of one validator at the same instant
 * are ordered approve before reject, so the reject is the one that counts (the cautious choice).
 */
public final class ContributionStatusBuilder {

    private ContributionStatusBuilder() {
    }

    public static void rebuild(Lakehouse lakehouse) {
        Dataset<Row> votes = lakehouse.read(Tables.VOTES)
                .groupBy("contribution_id")
                .agg(collect_list(struct(col("validator"), col("verdict"), col("voted_at"))).as("votes"));
        Dataset<Row> input = lakehouse.read(Tables.CONTRIBUTIONS)
                .select("contribution_id", "datanet_id", "contributor", "submitted_at")
                .join(lakehouse.read(Tables.DATANETS).select("datanet_id", "quorum", "approval_threshold"), "datanet_id")
                .join(votes, Columns.using("contribution_id"), "left")
                .select("contribution_id", "datanet_id", "contributor", "submitted_at", "quorum", "approval_threshold", "votes");
        FlatMapFunction<Row, Row> timeline = row -> segments(row).iterator();
        Dataset<Row> status = input.flatMap(timeline, Encoders.row(Tables.CONTRIBUTION_STATUS.schema()));
        TableWrites.replaceAll(lakehouse, Tables.CONTRIBUTION_STATUS, status);
    }

    private record Vote(String validator, String verdict, Instant at) {
    }

    static List<Row> segments(Row row) {
        String id = row.getString(0);
        String datanet = row.getString(1);
        String contributor = row.getString(2);
        Instant submitted = row.getAs(3);
        int quorum = row.getInt(4);
        double threshold = row.getDouble(5);
        List<Vote> votes = new ArrayList<>();
        if (!row.isNullAt(6)) {
            for (Row v : row.<Row>getList(6)) {
                Instant at = v.getAs(2);
                votes.add(new Vote(v.getString(0), v.getString(1), at.isBefore(submitted) ? submitted : at));
            }
        }
        votes.sort(Comparator.comparing(Vote::at).thenComparing(Vote::verdict).thenComparing(Vote::validator));

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

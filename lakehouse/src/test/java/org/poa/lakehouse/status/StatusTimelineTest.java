package org.poa.lakehouse.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** The status timeline of one contribution, without Spark. */
class StatusTimelineTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Row vote(String validator, String verdict, long minutes) {
        return RowFactory.create(validator, verdict, T0.plusSeconds(60 * minutes));
    }

    static List<Row> timeline(int quorum, double threshold, Row... votes) {
        return timeline(quorum, new BigDecimal(Double.toString(threshold)), votes);
    }

    static List<Row> timeline(int quorum, BigDecimal threshold, Row... votes) {
        Row input = RowFactory.create("0xc", "d", "0xa", T0, quorum, threshold,
                votes.length == 0 ? null : CollectionConverters.asScala(List.of(votes)).toSeq());
        return ContributionStatusBuilder.segments(input);
    }

    static String describe(List<Row> segments) {
        StringBuilder out = new StringBuilder();
        for (Row s : segments) {
            out.append(s.getString(3)).append(' ').append(s.getInt(4)).append('/').append(s.getInt(5))
                    .append(" from ").append(((Instant) s.get(6)).getEpochSecond() / 60 - T0.getEpochSecond() / 60)
                    .append(s.isNullAt(7) ? "" : " to " + (((Instant) s.get(7)).getEpochSecond() / 60 - T0.getEpochSecond() / 60))
                    .append("; ");
        }
        return out.toString();
    }

    @Test
    void pendingUntilQuorumThenByExactShare() {
        // 2 of 3 = 0.666.. >= 0.66: approved; exact comparison, not floating point.
        assertEquals("pending 0/0 from 0 to 10; pending 1/0 from 10 to 20; pending 2/0 from 20 to 30; approved 2/1 from 30; ",
                describe(timeline(3, 0.66, vote("v1", "approve", 10), vote("v2", "approve", 20), vote("v3", "reject", 30))));
        // 2 of 3 < 0.67: rejected.
        assertEquals("rejected", last(timeline(3, 0.67, vote("v1", "approve", 1), vote("v2", "approve", 2), vote("v3", "reject", 3))));
        // Exactly at the threshold counts: 1 of 2 >= 0.5.
        assertEquals("approved", last(timeline(2, 0.5, vote("v1", "approve", 1), vote("v2", "reject", 2))));
    }

    @Test
    void aValidatorsLatestVoteCounts() {
        List<Row> segments = timeline(2, 0.5, vote("v1", "reject", 1), vote("v2", "reject", 2), vote("v1", "approve", 3));
        assertEquals("pending 0/0 from 0 to 1; pending 0/1 from 1 to 2; rejected 0/2 from 2 to 3; approved 1/1 from 3; ",
                describe(segments));
    }

    @Test
    void votesBeforeSubmissionCountAtSubmissionAndTiesRejectLast() {
        List<Row> segments = timeline(1, 1.0, vote("v1", "approve", -5));
        assertEquals("approved 1/0 from 0; ", describe(segments));
        // Both cast before the submission: they take effect together, the later one (approve) counts.
        assertEquals("approved", last(timeline(1, 1.0, vote("v1", "reject", -60), vote("v1", "approve", -30))));
        // The same validator approves and rejects at the same instant: the reject is the later one.
        assertEquals("rejected", last(timeline(1, 1.0, vote("v1", "reject", 4), vote("v1", "approve", 4))));
    }

    @Test
    void theThresholdIsExactToItsLastDigit() {
        // 2/3 = 0.666...6 (repeating) is below 0.66666666666666667 although a double would round them equal.
        BigDecimal threshold = new BigDecimal("0.666666666666666670");
        assertEquals("rejected", last(timeline(3, threshold, vote("v1", "approve", 1), vote("v2", "approve", 2),
                vote("v3", "reject", 3))));
        assertEquals("approved", last(timeline(3, new BigDecimal("0.666666666666666666"), vote("v1", "approve", 1),
                vote("v2", "approve", 2), vote("v3", "reject", 3))));
    }

    @Test
    void noVotesIsPendingForever() {
        assertEquals("pending 0/0 from 0; ", describe(timeline(3, 0.66)));
    }

    static String last(List<Row> segments) {
        return segments.get(segments.size() - 1).getString(3);
    }
}

package org.poa.lakehouse.status;

import java.math.BigDecimal;

/**
 * DESIGN.md: a contribution is approved when at least {@code quorum} validators voted and the
 * approve share is at least {@code approval_threshold}; rejected when the quorum is reached and the
 * share is lower; pending otherwise. The share is compared exactly, never in floating point.
 */
public final class StatusRule {

    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String PENDING = "pending";

    private StatusRule() {
    }

    public static String status(int approvals, int rejections, int quorum, BigDecimal threshold) {
        int votes = approvals + rejections;
        if (votes < quorum || votes == 0) {
            return PENDING;
        }
        BigDecimal needed = threshold.multiply(BigDecimal.valueOf(votes));
        return BigDecimal.valueOf(approvals).compareTo(needed) >= 0 ? APPROVED : REJECTED;
    }
}

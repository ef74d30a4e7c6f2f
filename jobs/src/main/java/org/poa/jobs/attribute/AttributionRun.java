package org.poa.jobs.attribute;

import org.poa.jobs.attribute.AttributionMethod.ReportColumns;

/** What one method found for one model in an epoch: inferences scored, those credited, credit rows, and the method's own figures. */
public record AttributionRun(String method, String modelId, long inferences, long credited, long credits, double seconds,
                             ReportColumns details) {

    /** The method's own figures as their record type. */
    public <T extends ReportColumns> T details(Class<T> type) {
        return type.cast(details);
    }
}

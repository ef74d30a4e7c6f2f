package org.poa.lakehouse.ingest;

import java.util.Locale;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.config.IngestOptions;

/** What {@code poa ingest KIND} accepts, in the order a world is loaded. */
public enum InputKind {
    DATANETS, CONTRIBUTIONS, VOTES, MODELS, INFERENCES, GRADIENTS;

    /** The five kinds that make a world (gradients are an optional import for models trained elsewhere). */
    public static java.util.List<InputKind> world() {
        return java.util.List.of(DATANETS, CONTRIBUTIONS, VOTES, MODELS, INFERENCES);
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public TableIngest ingest(Lakehouse lakehouse, IngestOptions options) {
        return switch (this) {
            case DATANETS -> new IngestDatanets(lakehouse, options);
            case CONTRIBUTIONS -> new IngestContributions(lakehouse, options);
            case VOTES -> new IngestVotes(lakehouse, options);
            case MODELS -> new IngestModels(lakehouse, options);
            case INFERENCES -> new IngestInferences(lakehouse, options);
            case GRADIENTS -> new IngestGradients(lakehouse, options);
        };
    }

    public static InputKind of(String code) {
        for (InputKind kind : values()) {
            if (kind.code().equals(code)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown input kind '" + code
                + "': expected datanets, contributions, votes, models, inferences or gradients");
    }
}

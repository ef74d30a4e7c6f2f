package org.poa.lakehouse.registry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.poa.core.crypto.Hex;
import org.poa.core.crypto.Keccak;

/**
 * The hash of one lineage event: keccak256 of the UTF-8 bytes of its fields joined by newlines
 * (model_id, seq, event, recorded_at in ISO-8601, details, prev_hash). The first event of a model
 * has {@link #GENESIS} as prev_hash.
 */
public final class LineageHash {

    public static final String GENESIS = "0x" + "0".repeat(64);

    private LineageHash() {
    }

    public static String of(String modelId, long seq, String event, Instant recordedAt, String details, String prevHash) {
        String text = String.join("\n", modelId, Long.toString(seq), event, recordedAt.toString(), details, prevHash);
        return Hex.of(Keccak.hash(text.getBytes(StandardCharsets.UTF_8)));
    }
}

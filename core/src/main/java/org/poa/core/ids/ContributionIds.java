package org.poa.core.ids;

import java.nio.charset.StandardCharsets;
import org.poa.core.crypto.Hex;
import org.poa.core.crypto.Keccak;
import org.poa.core.text.TextNormalizer;

/**
 * contribution_id = 0x + hex keccak256 of the UTF-8 bytes of {@code datanet_id + "\n" + normalized
 * content} (DESIGN.md). The same normalized content in the same datanet has the same id.
 */
public final class ContributionIds {

    private ContributionIds() {
    }

    /** From the already normalized content (tokens joined by single spaces). */
    public static String of(String datanetId, String normalizedContent) {
        byte[] bytes = (datanetId + "\n" + normalizedContent).getBytes(StandardCharsets.UTF_8);
        return Hex.of(Keccak.hash(bytes));
    }

    /** From raw content. */
    public static String ofContent(String datanetId, String content) {
        return of(datanetId, TextNormalizer.normalize(content));
    }
}

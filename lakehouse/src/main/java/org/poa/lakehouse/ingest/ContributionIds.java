package org.poa.lakehouse.ingest;

import java.nio.charset.StandardCharsets;
import org.poa.attribution.text.TextNormalizer;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

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
        return Numeric.toHexString(Hash.sha3(bytes));
    }

    /** From raw content. */
    public static String ofContent(String datanetId, String content) {
        return of(datanetId, TextNormalizer.normalize(content));
    }
}

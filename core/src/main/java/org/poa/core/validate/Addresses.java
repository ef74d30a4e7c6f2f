package org.poa.core.validate;

import java.util.regex.Pattern;
import org.poa.core.crypto.Eip55;

/**
 * Ethereum addresses: 0x + 40 hex digits. All-lowercase and all-uppercase are accepted as they are;
 * mixed case must pass EIP-55. Stored in EIP-55 form, so one account has exactly one spelling.
 */
public final class Addresses {

    private static final Pattern SHAPE = Pattern.compile("0x[0-9a-fA-F]{40}");

    private Addresses() {
    }

    public static String canonical(String field, String text) throws Rejection {
        if (text == null || !SHAPE.matcher(text).matches()) {
            throw new Rejection(Reason.BAD_ADDRESS, field + ": '" + abbreviate(text) + "' is not 0x + 40 hex digits");
        }
        String hex = text.substring(2);
        String checksummed = Eip55.of(text);
        boolean mixed = !hex.equals(hex.toLowerCase(java.util.Locale.ROOT))
                && !hex.equals(hex.toUpperCase(java.util.Locale.ROOT));
        if (mixed && !checksummed.equals(text)) {
            throw new Rejection(Reason.BAD_CHECKSUM, field + ": " + text + " fails its EIP-55 checksum");
        }
        return checksummed;
    }

    /** The zero address: what an unset address decodes to; nobody holds its key, so nothing paid to it can be claimed. */
    public static final String ZERO = "0x0000000000000000000000000000000000000000";

    /** A canonical address that may receive rewards: refuses the zero address. */
    public static String payee(String field, String canonical) throws Rejection {
        if (canonical.equals(ZERO)) {
            throw new Rejection(Reason.ZERO_ADDRESS, field + " is the zero address: rewards paid to it could never be claimed");
        }
        return canonical;
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}

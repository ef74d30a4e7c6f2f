package org.poa.core.validate;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Wei amounts: decimal integer strings, 0 <= x < 10^38 (stored as DECIMAL(38,0)). */
public final class Wei {

    public static final BigInteger LIMIT = BigInteger.TEN.pow(38);

    private Wei() {
    }

    public static BigDecimal parse(String field, String text) throws Rejection {
        if (text == null || text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Rejection(Reason.BAD_WEI, field + ": '" + Addresses.abbreviate(text)
                    + "' is not a non-negative decimal integer");
        }
        int first = 0;
        while (first < text.length() - 1 && text.charAt(first) == '0') {
            first++;
        }
        String digits = text.substring(first);
        if (digits.length() > 38) {
            throw new Rejection(Reason.WEI_OUT_OF_RANGE, field + ": " + Addresses.abbreviate(text) + " is not below 10^38");
        }
        return new BigDecimal(new BigInteger(digits));
    }
}

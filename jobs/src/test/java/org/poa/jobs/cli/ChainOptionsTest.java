package org.poa.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ChainOptionsTest {

    @Test
    void feeCapsAreWeiOrGwei() {
        BigInteger fallback = BigInteger.ONE;
        assertEquals(fallback, ChainOptions.weiPerGas("--max-fee-per-gas", null, fallback));
        assertEquals(new BigInteger("30000000000"), ChainOptions.weiPerGas("--max-fee-per-gas", "30gwei", fallback));
        assertEquals(new BigInteger("1500000000"), ChainOptions.weiPerGas("--max-fee-per-gas", " 1.5 GWEI ", fallback));
        assertEquals(new BigInteger("123"), ChainOptions.weiPerGas("--max-fee-per-gas", "123", fallback));
        for (String bad : new String[] {"-1", "1.5", "0.0000000001gwei", "1e999999999gwei", "lots", "9".repeat(31)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ChainOptions.weiPerGas("--max-fee-per-gas", bad, fallback), bad);
            assertEquals("--max-fee-per-gas '" + bad + "' is not wei (digits) or gwei (e.g. 30gwei)", e.getMessage());
        }
    }
}

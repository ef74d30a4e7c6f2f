package org.poa.core.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

    /** The mixed-case examples of EIP-55 itself. */
    @ParameterizedTest
    @ValueSource(strings = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"})
    void acceptsEip55Addresses(String address) throws Rejection {
        assertEquals(address, Addresses.canonical("a", address));
        assertEquals(address, Addresses.canonical("a", address.toLowerCase()));
        assertEquals(address, Addresses.canonical("a", "0x" + address.substring(2).toUpperCase()));
    }

    @Test
    void rejectsBrokenChecksumsAndShapes() {
        String flipped = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
        assertEquals(Reason.BAD_CHECKSUM, assertThrows(Rejection.class, () -> Addresses.canonical("a", flipped)).reason());
        for (String bad : new String[] {"0x123", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", "0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", ""}) {
            assertEquals(Reason.BAD_ADDRESS, assertThrows(Rejection.class, () -> Addresses.canonical("a", bad)).reason(), bad);
        }
    }

    @Test
    void weiIsADecimalIntegerBelowTenToThe38() throws Rejection {
        assertEquals(new BigDecimal("0"), Wei.parse("w", "0"));
        String max = "9".repeat(38);
        assertEquals(new BigDecimal(max), Wei.parse("w", max));
        assertEquals(Reason.WEI_OUT_OF_RANGE, assertThrows(Rejection.class, () -> Wei.parse("w", "1" + "0".repeat(38))).reason());
        assertEquals(new BigDecimal("0"), Wei.parse("w", "0".repeat(81)));
        assertEquals(new BigDecimal("5"), Wei.parse("w", "0".repeat(50) + "5"));
        assertEquals(Reason.WEI_OUT_OF_RANGE, assertThrows(Rejection.class, () -> Wei.parse("w", "7".repeat(100))).reason());
        for (String bad : new String[] {"-1", "1.5", "1e18", " 1", "+1", "", "0x10"}) {
            assertEquals(Reason.BAD_WEI, assertThrows(Rejection.class, () -> Wei.parse("w", bad)).reason(), bad);
        }
    }

    @Test
    void weiFromJsonNumbersOnlyWhenExactIntegers() throws Exception {
        assertEquals(new BigDecimal("1000000000000000000000"),
                new Fields(Json.parseObject("{\"w\":1000000000000000000000}")).wei("w"));
        assertEquals(Reason.BAD_WEI, assertThrows(Rejection.class,
                () -> new Fields(Json.parseObject("{\"w\":1.5}")).wei("w")).reason());
        assertEquals(Reason.BAD_WEI, assertThrows(Rejection.class,
                () -> new Fields(Json.parseObject("{\"w\":-5.0}")).wei("w")).reason());
        assertEquals(new BigDecimal("1000"), new Fields(Json.parseObject("{\"w\":1e3}")).wei("w"));
        // Whole but astronomically large: refused without expanding 200,001 digits.
        assertEquals(Reason.WEI_OUT_OF_RANGE, assertThrows(Rejection.class,
                () -> new Fields(Json.parseObject("{\"w\":1e200000}")).wei("w")).reason());
    }

    @Test
    void timestampsAreIso8601InUtc() throws Exception {
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"),
                new Fields(Json.parseObject("{\"t\":\"2026-01-01T00:00:00Z\"}")).timestamp("t"));
        assertEquals(Instant.parse("2026-01-01T00:00:00.123456Z"),
                new Fields(Json.parseObject("{\"t\":\"2026-01-01T00:00:00.123456+00:00\"}")).timestamp("t"));
        for (String bad : new String[] {"2026-01-01T01:00:00+01:00", "2026-01-01", "yesterday", "2026-01-01T00:00:00"}) {
            assertEquals(Reason.BAD_TIMESTAMP, assertThrows(Rejection.class,
                    () -> new Fields(Json.parseObject("{\"t\":\"" + bad + "\"}")).timestamp("t")).reason(), bad);
        }
    }

    @Test
    void jsonMustBeOneObjectWithoutDuplicateKeys() {
        for (String bad : new String[] {"[1]", "{\"a\":1", "{\"a\":1,\"a\":2}", "{\"a\":1} {}", "42", "nul"}) {
            assertEquals(Reason.MALFORMED_JSON, assertThrows(Rejection.class, () -> Json.parseObject(bad)).reason(), bad);
        }
    }

    /** Numbers whose plain form is a billion digits are refused, never expanded (expanding one exhausts the heap). */
    @Test
    void decimalsAreBoundedBeforeAnyoneExpandsThem() throws Rejection {
        for (String hostile : new String[] {"1e999999999", "-1e999999999", "1e-999999999", "\"1e999999999\"", "\"1E+2147483647\"",
            "1" + "1".repeat(Fields.MAX_DECIMAL_DIGITS)}) {
            Rejection rejection = assertThrows(Rejection.class,
                    () -> new Fields(Json.parseObject("{\"x\":" + hostile + "}")).decimal("x", null), hostile);
            assertEquals(Reason.BAD_VALUE, rejection.reason(), hostile);
            assertTrue(rejection.detail().length() < 200, rejection.detail());
        }
        assertEquals(new BigDecimal("0.66"), new Fields(Json.parseObject("{\"x\":0.66}")).decimal("x", null));
        assertEquals(new BigDecimal("1E+40"), new Fields(Json.parseObject("{\"x\":\"1e40\"}")).decimal("x", null));
        assertEquals(BigDecimal.ZERO, new Fields(Json.parseObject("{\"x\":0e-999999999}")).decimal("x", null));
        // Jackson's own limits: a 100k-digit number and 100k-deep nesting are malformed JSON, not a crash.
        assertEquals(Reason.MALFORMED_JSON, assertThrows(Rejection.class,
                () -> Json.parseObject("{\"x\":" + "9".repeat(100_000) + "}")).reason());
        assertEquals(Reason.MALFORMED_JSON, assertThrows(Rejection.class,
                () -> Json.parseObject("{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")).reason());
    }

    @Test
    void payeesAreNeverTheZeroAddress() throws Rejection {
        Fields zero = new Fields(Json.parseObject("{\"a\":\"0x0000000000000000000000000000000000000000\"}"));
        assertEquals(Addresses.ZERO, zero.address("a"), "an address it is");
        assertEquals(Reason.ZERO_ADDRESS, assertThrows(Rejection.class, () -> zero.payee("a")).reason());
        assertEquals("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                new Fields(Json.parseObject("{\"a\":\"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\"}")).payee("a"));
    }

    @Test
    void identifiersFitInAFileName() throws Rejection {
        for (String good : new String[] {"fa-poetry", "en_prose.v2", "a", "9", "x".repeat(Identifiers.MAX_LENGTH)}) {
            assertEquals(good, Identifiers.check("datanet_id", good));
        }
        for (String bad : new String[] {"x".repeat(Identifiers.MAX_LENGTH + 1), "x".repeat(400), "a/b", "..", ".hidden", "-x", "a b",
            "nul\u0000", "tab\t", "é", "a\\b", ""}) {
            assertEquals(Reason.BAD_ID, assertThrows(Rejection.class, () -> Identifiers.check("datanet_id", bad)).reason(), bad);
        }
    }

    @Test
    void uint256TextIsCheckedBeforeItIsConverted() {
        String max = Uint256.LIMIT.subtract(java.math.BigInteger.ONE).toString();
        assertEquals(Uint256.MAX_DIGITS, max.length());
        assertEquals(Uint256.LIMIT.subtract(java.math.BigInteger.ONE), Uint256.parse("amount", max));
        assertEquals(java.math.BigInteger.ZERO, Uint256.parse("amount", "0"));
        String million = "1".repeat(1_000_000);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> Uint256.parse("amount", million));
        assertTrue(tooLong.getMessage().length() < 200 && tooLong.getMessage().contains("1000000 characters"), tooLong.getMessage());
        for (String bad : new String[] {Uint256.LIMIT.toString(), "0" + max, "-1", "1e3", "", " 1", "0x10"}) {
            assertThrows(IllegalArgumentException.class, () -> Uint256.parse("amount", bad), bad);
        }
    }
}

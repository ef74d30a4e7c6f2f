package org.poa.jobs.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the jobs refuse to trust an RPC endpoint with: plain http off loopback, fees above the caps, secrets in messages. */
class ChainSettingsTest {

    static final BigInteger GWEI = BigInteger.valueOf(1_000_000_000L);

    static ChainSettings settings(String url, BigInteger maxFee, BigInteger maxTip) {
        return new ChainSettings(url, 1, null, 1, 1, Duration.ofMillis(1), Duration.ofSeconds(1), maxFee, maxTip);
    }

    @Test
    void plainHttpIsRefusedExceptOnLoopbackAndOnlyHttpSchemesAreAccepted() {
        for (String ok : new String[] {"https://rpc.example.org/v3/KEY", "http://127.0.0.1:8545", "http://localhost:8545",
                "http://[::1]:8545", "http://127.8.9.10"}) {
            ChainSettings.of(ok, 1, null);
        }
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> ChainSettings.of("http://rpc.example.org/v3/SECRETKEY", 1, null));
        assertEquals("refusing plain http to http://rpc.example.org: use https (plain http is allowed only on loopback, e.g. a local"
                + " node or an SSH tunnel)", plain.getMessage());
        for (String bad : new String[] {"ws://127.0.0.1:8545", "file:///etc/passwd", "127.0.0.1:8545", "http://127.0.0.1.evil.org/"}) {
            assertThrows(IllegalArgumentException.class, () -> ChainSettings.of(bad, 1, null), bad);
        }
    }

    @Test
    void messagesShowTheEndpointWithoutPathQueryOrUser() {
        ChainSettings s = ChainSettings.of("https://user:pw@rpc.example.org:8443/v3/SECRETKEY?apikey=SECRET2", 7, "0xabc");
        assertEquals("https://rpc.example.org:8443", s.endpoint());
        assertFalse(s.toString().contains("SECRET"), s.toString());
        assertFalse(s.toString().contains("pw"), s.toString());
    }

    @Test
    void feesAboveTheCapsAreRefusedAndTheMaxFeeIsClamped() {
        ChainSettings s = settings("http://127.0.0.1:8545", GWEI.multiply(BigInteger.valueOf(100)), GWEI.multiply(BigInteger.TWO));
        // 2 x base + tip, under the cap
        assertEquals(GWEI.multiply(BigInteger.valueOf(21)), TransactionSender.priced("x", GWEI.multiply(BigInteger.TEN), GWEI, s));
        // 2 x 60 + 1 = 121 gwei: clamped to the 100 gwei cap, which still covers base + tip
        assertEquals(GWEI.multiply(BigInteger.valueOf(100)),
                TransactionSender.priced("x", GWEI.multiply(BigInteger.valueOf(60)), GWEI, s));
        ChainException tip = assertThrows(ChainException.class, () -> TransactionSender.priced("submitRoot", GWEI, GWEI.multiply(BigInteger.valueOf(3)), s));
        assertTrue(tip.getMessage().startsWith("not sending submitRoot: the chain asks a priority fee of 3000000000 wei/gas, above the cap"),
                tip.getMessage());
        ChainException base = assertThrows(ChainException.class,
                () -> TransactionSender.priced("submitRoot", GWEI.multiply(BigInteger.valueOf(99)), GWEI.multiply(BigInteger.TWO), s));
        assertTrue(base.getMessage().contains("is above the cap of 100000000000 (--max-fee-per-gas or POA_MAX_FEE_PER_GAS)"), base.getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings("http://127.0.0.1:8545", GWEI, GWEI.multiply(BigInteger.TWO)),
                "a tip cap above the fee cap is a configuration error");
    }
}

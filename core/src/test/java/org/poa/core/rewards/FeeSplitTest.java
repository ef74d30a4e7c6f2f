package org.poa.core.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.poa.core.rewards.FeeSplit.Credit;
import org.poa.core.rewards.FeeSplit.Share;
import org.poa.core.rewards.FeeSplit.Split;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * One inference's fee split against an independent computation of the documented rule in exact
 * rational arithmetic, on random inputs (conservation to the 1/DENOMINATOR wei, order independence,
 * quantization error bounds) and on hand-made cases (ties, no evidence, no validators, method mixes).
 */
class FeeSplitTest {

    private static final BigInteger UNITS = BigInteger.valueOf(FeeSplit.UNITS);
    private static final BigInteger DENOMINATOR = FeeSplit.DENOMINATOR;
    private static final BigInteger WEI_LIMIT = BigInteger.TEN.pow(38);
    private static final List<String> METHODS = List.of("ngram", "gradient", "tracin");

    private static final String TREASURY = fixed('7');
    private static final String DEVELOPER = fixed('d');

    // ---------------------------------------------------------------- exact rationals

    /** An exact fraction num/den with den > 0, kept reduced. */
    record Q(BigInteger num, BigInteger den) implements Comparable<Q> {
        static final Q ZERO = new Q(BigInteger.ZERO, BigInteger.ONE);

        Q {
            if (den.signum() <= 0) {
                throw new IllegalArgumentException("denominator " + den);
            }
            BigInteger g = num.gcd(den);
            if (g.signum() > 0 && !g.equals(BigInteger.ONE)) {
                num = num.divide(g);
                den = den.divide(g);
            }
        }

        static Q of(BigInteger n) {
            return new Q(n, BigInteger.ONE);
        }

        /** The double's exact binary value. */
        static Q of(double d) {
            BigDecimal b = new BigDecimal(d);
            return b.scale() >= 0 ? new Q(b.unscaledValue(), BigInteger.TEN.pow(b.scale()))
                    : new Q(b.unscaledValue().multiply(BigInteger.TEN.pow(-b.scale())), BigInteger.ONE);
        }

        Q add(Q o) {
            return new Q(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
        }

        Q subtract(Q o) {
            return add(new Q(o.num.negate(), o.den));
        }

        Q multiply(Q o) {
            return new Q(num.multiply(o.num), den.multiply(o.den));
        }

        Q multiply(BigInteger o) {
            return new Q(num.multiply(o), den);
        }

        Q divide(Q o) {
            BigInteger n = num.multiply(o.den);
            BigInteger d = den.multiply(o.num);
            return d.signum() < 0 ? new Q(n.negate(), d.negate()) : new Q(n, d);
        }

        Q divide(BigInteger o) {
            return divide(of(o));
        }

        Q abs() {
            return new Q(num.abs(), den);
        }

        @Override
        public int compareTo(Q o) {
            return num.multiply(o.den).compareTo(o.num.multiply(den));
        }

        @Override
        public String toString() {
            return new BigDecimal(num).divide(new BigDecimal(den), java.math.MathContext.DECIMAL64).toPlainString();
        }
    }

    /** What the rule gives one (account, role): its exact numerator and how far quantization may move it. */
    static final class Expected {
        Q exact = Q.ZERO;
        /** Allowed |actual - exact|, as a numerator (before the safety margin for double arithmetic). */
        BigInteger tolerance = BigInteger.ZERO;
    }

    /**
     * The documented rule computed exactly: protocol/developer by bps; data by the credit mix (methods
     * with a positive model weight and a positive credit, model weights renormalized over methods with
     * evidence, each method's credits normalized); validators per contribution, equally among its
     * distinct approvers; nothing to go to goes to the treasury as unattributed.
     */
    static Map<String, Expected> exact(BigInteger fee, Split split, String developer, String treasury,
                                       Map<String, Double> methodWeights, List<Credit> credits) {
        Map<String, Expected> out = new TreeMap<>();
        BigInteger dataPart = fee.multiply(BigInteger.valueOf(split.data()));
        BigInteger validatorsPart = fee.multiply(BigInteger.valueOf(split.validators()));
        expect(out, treasury, FeeSplit.PROTOCOL, Q.of(fee.multiply(BigInteger.valueOf(split.protocol())).multiply(UNITS)), BigInteger.ZERO);
        expect(out, developer, FeeSplit.DEVELOPER, Q.of(fee.multiply(BigInteger.valueOf(split.developer())).multiply(UNITS)), BigInteger.ZERO);

        List<Credit> valid = new ArrayList<>();
        for (Credit c : credits) {
            Double mw = methodWeights.get(c.method());
            if (c.weight() > 0 && mw != null && mw > 0) {
                valid.add(c);
            }
        }
        if (valid.isEmpty()) {
            expect(out, treasury, FeeSplit.UNATTRIBUTED, Q.of(dataPart.add(validatorsPart).multiply(UNITS)), BigInteger.ZERO);
            return out;
        }
        Map<String, Q> methodTotals = new TreeMap<>();
        for (Credit c : valid) {
            methodTotals.merge(c.method(), Q.of(c.weight()), Q::add);
        }
        Q mix = Q.ZERO;
        for (String m : methodTotals.keySet()) {
            mix = mix.add(Q.of(methodWeights.get(m)));
        }
        Map<String, Q> combined = new TreeMap<>();
        Map<String, Credit> holder = new TreeMap<>();
        for (Credit c : valid) {
            Q w = Q.of(methodWeights.get(c.method())).divide(mix).multiply(Q.of(c.weight()).divide(methodTotals.get(c.method())));
            combined.merge(c.contributionId(), w, Q::add);
            holder.putIfAbsent(c.contributionId(), c);
        }
        Q sum = combined.values().stream().reduce(Q.ZERO, Q::add);
        assertEquals(0, sum.compareTo(Q.of(BigInteger.ONE)), "the exact credit mix sums to 1");
        for (Map.Entry<String, Q> e : combined.entrySet()) {
            Q units = e.getValue().multiply(UNITS);
            Credit c = holder.get(e.getKey());
            // Quantizing to whole units moves a contribution by less than one unit.
            expect(out, c.contributor(), FeeSplit.DATA, units.multiply(dataPart), dataPart);
            Set<String> validators = new TreeSet<>(c.validators() == null ? List.of() : c.validators());
            if (validators.isEmpty()) {
                expect(out, treasury, FeeSplit.UNATTRIBUTED, units.multiply(validatorsPart), validatorsPart);
            } else {
                Q each = units.multiply(validatorsPart).divide(BigInteger.valueOf(validators.size()));
                for (String v : validators) {
                    // Less than one unit from quantizing the contribution, less than one from sharing it out.
                    expect(out, v, FeeSplit.VALIDATOR, each, validatorsPart.shiftLeft(1));
                }
            }
        }
        return out;
    }

    private static void expect(Map<String, Expected> out, String account, String role, Q amount, BigInteger tolerance) {
        Expected e = out.computeIfAbsent(account + " " + role, k -> new Expected());
        e.exact = e.exact.add(amount);
        e.tolerance = e.tolerance.add(tolerance);
    }

    // ---------------------------------------------------------------- random inputs

    /** One random inference's inputs. */
    record Case(BigInteger fee, Split split, String developer, String treasury, Map<String, Double> methodWeights,
                List<Credit> credits) {
        List<Share> shares() {
            return FeeSplit.shares(fee, split, developer, treasury, methodWeights, credits);
        }
    }

    static Case randomCase(Random r, List<String> accounts) {
        BigInteger fee = switch (r.nextInt(6)) {
            case 0 -> BigInteger.valueOf(r.nextInt(3));
            case 1 -> BigInteger.valueOf(1 + r.nextInt(10_000));
            case 2 -> WEI_LIMIT.subtract(BigInteger.ONE);
            default -> new BigInteger(1 + r.nextInt(127), r).mod(WEI_LIMIT);
        };
        Split split = randomSplit(r);
        Map<String, Double> methodWeights = new LinkedHashMap<>();
        List<String> listed = new ArrayList<>(METHODS);
        Collections.shuffle(listed, r);
        for (String m : listed.subList(0, 1 + r.nextInt(3))) {
            double w = switch (r.nextInt(7)) {
                case 0 -> 0.0;
                case 1 -> -r.nextDouble();
                case 2 -> 1.0;
                case 3 -> 0.25;
                default -> r.nextDouble() * (r.nextBoolean() ? 1 : 1000);
            };
            methodWeights.put(m, w);
        }
        // A pool of contributions, each with one contributor and one set of approvers (duplicates allowed).
        int pool = 1 + r.nextInt(12);
        List<String> ids = new ArrayList<>();
        Map<String, String> contributor = new LinkedHashMap<>();
        Map<String, List<String>> approvers = new LinkedHashMap<>();
        for (int i = 0; i < pool; i++) {
            String id = "0x" + String.format("%064x", new BigInteger(256, r));
            ids.add(id);
            contributor.put(id, accounts.get(r.nextInt(6)));
            List<String> vs = new ArrayList<>();
            int n = r.nextInt(6);
            for (int v = 0; v < n; v++) {
                vs.add(accounts.get(6 + r.nextInt(6)));
            }
            if (n > 0 && r.nextInt(4) == 0) {
                vs.add(vs.get(0));
            }
            approvers.put(id, vs);
        }
        int count = r.nextInt(21);
        Set<String> seen = new HashSet<>();
        List<Credit> credits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String method = METHODS.get(r.nextInt(METHODS.size()));
            String id = ids.get(r.nextInt(ids.size()));
            if (!seen.add(method + id)) {
                continue;
            }
            double weight = switch (r.nextInt(8)) {
                case 0 -> 0.0;
                case 1 -> -r.nextDouble();
                case 2 -> 1e-9 * (1 + r.nextDouble());
                default -> r.nextDouble() * (r.nextBoolean() ? 1 : 100);
            };
            List<String> vs = new ArrayList<>(approvers.get(id));
            Collections.shuffle(vs, r);
            credits.add(new Credit(method, id, contributor.get(id), weight, r.nextInt(10) == 0 && vs.isEmpty() ? null : vs));
        }
        String developer = r.nextInt(5) == 0 ? TREASURY : DEVELOPER;
        return new Case(fee, split, developer, TREASURY, methodWeights, credits);
    }

    static Split randomSplit(Random r) {
        if (r.nextInt(5) == 0) {
            int[] bps = new int[4];
            bps[r.nextInt(4)] = 10_000;
            return new Split(bps[0], bps[1], bps[2], bps[3]);
        }
        int[] cuts = new int[3];
        for (int i = 0; i < 3; i++) {
            cuts[i] = r.nextInt(4) == 0 ? (r.nextBoolean() ? 0 : 10_000) : r.nextInt(10_001);
        }
        java.util.Arrays.sort(cuts);
        return new Split(cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], 10_000 - cuts[2]);
    }

    static List<String> accounts(Random r, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] raw = new byte[20];
            r.nextBytes(raw);
            out.add(Keys.toChecksumAddress(Numeric.toHexString(raw)));
        }
        return out;
    }

    @Test
    void randomInferencesConserveTheFeeAgreeWithTheExactRuleAndIgnoreCreditOrder() {
        Random r = new Random(20260101);
        List<String> accounts = accounts(r, 12);
        int withEvidence = 0;
        int withoutEvidence = 0;
        int largeFees = 0;
        for (int iteration = 0; iteration < 3000; iteration++) {
            Case c = randomCase(r, accounts);
            String label = "case " + iteration + ": " + c;
            List<Share> shares = c.shares();

            BigInteger total = BigInteger.ZERO;
            Set<String> keys = new HashSet<>();
            for (Share s : shares) {
                assertTrue(s.numerator().signum() > 0, label + ": non-positive share " + s);
                assertTrue(keys.add(s.account() + " " + s.role()), label + ": (account, role) twice: " + s);
                total = total.add(s.numerator());
            }
            assertEquals(c.fee().multiply(DENOMINATOR), total, label + ": shares must sum to fee * DENOMINATOR");

            // Same result whatever the order of the credits (and of each credit's validators).
            List<Credit> shuffled = new ArrayList<>();
            for (Credit credit : c.credits()) {
                List<String> vs = credit.validators() == null ? null : new ArrayList<>(credit.validators());
                if (vs != null) {
                    Collections.shuffle(vs, r);
                }
                shuffled.add(new Credit(credit.method(), credit.contributionId(), credit.contributor(), credit.weight(), vs));
            }
            Collections.shuffle(shuffled, r);
            assertEquals(shares, FeeSplit.shares(c.fee(), c.split(), c.developer(), c.treasury(), c.methodWeights(), shuffled),
                    label + ": order of credits changed the result");

            // Each share within quantization of the exact rule (a 5% margin on the bound for double arithmetic).
            Map<String, Expected> expected = exact(c.fee(), c.split(), c.developer(), c.treasury(), c.methodWeights(), c.credits());
            Map<String, BigInteger> actual = new TreeMap<>();
            shares.forEach(s -> actual.put(s.account() + " " + s.role(), s.numerator()));
            Set<String> all = new TreeSet<>(expected.keySet());
            all.addAll(actual.keySet());
            for (String key : all) {
                Expected e = expected.getOrDefault(key, new Expected());
                Q got = Q.of(actual.getOrDefault(key, BigInteger.ZERO));
                Q error = got.subtract(e.exact).abs();
                Q bound = Q.of(e.tolerance).multiply(new Q(BigInteger.valueOf(21), BigInteger.valueOf(20)));
                assertTrue(error.compareTo(bound) <= 0, label + ": " + key + " got " + got + ", exact " + e.exact
                        + ", off by " + error + " > " + bound);
                if (key.endsWith(FeeSplit.PROTOCOL) || key.endsWith(FeeSplit.DEVELOPER)) {
                    assertEquals(0, error.compareTo(Q.ZERO), label + ": " + key + " is exact by bps");
                }
            }

            // Parts are exact in total: data = fee*data bps, validators + unattributed = the rest beyond protocol/developer.
            BigInteger data = sum(shares, FeeSplit.DATA);
            BigInteger validators = sum(shares, FeeSplit.VALIDATOR);
            BigInteger unattributed = sum(shares, FeeSplit.UNATTRIBUTED);
            BigInteger dataPart = c.fee().multiply(BigInteger.valueOf(c.split().data())).multiply(UNITS);
            BigInteger validatorsPart = c.fee().multiply(BigInteger.valueOf(c.split().validators())).multiply(UNITS);
            boolean evidence = expected.keySet().stream().anyMatch(k -> k.endsWith(" " + FeeSplit.DATA));
            if (evidence) {
                withEvidence++;
                assertEquals(dataPart, data, label + ": data part");
                assertEquals(validatorsPart, validators.add(unattributed), label + ": validators part");
            } else {
                withoutEvidence++;
                assertEquals(BigInteger.ZERO, data.add(validators), label + ": no evidence pays no data or validator");
                assertEquals(dataPart.add(validatorsPart), unattributed, label + ": no evidence goes to the treasury");
            }
            if (c.fee().bitLength() > 100) {
                largeFees++;
            }
        }
        assertTrue(withEvidence > 500 && withoutEvidence > 200 && largeFees > 500,
                "the random cases must cover both rules and large fees: " + withEvidence + "/" + withoutEvidence + "/" + largeFees);
    }

    @Test
    void creditUnitsAreTheLargestRemainderQuantizationOfTheMix() {
        Random r = new Random(77);
        for (int iteration = 0; iteration < 2000; iteration++) {
            List<Credit> credits = new ArrayList<>();
            int n = 1 + r.nextInt(15);
            for (int i = 0; i < n; i++) {
                // Small integer weights: many exact ties and exact quotients.
                double w = r.nextBoolean() ? 1 + r.nextInt(5) : r.nextDouble();
                credits.add(new Credit(r.nextBoolean() ? "ngram" : "gradient", String.format("0x%04x", i), fixed('a'), w, List.of()));
            }
            Map<String, Double> mix = Map.of("ngram", 1.0 + r.nextInt(3), "gradient", 1.0 + r.nextInt(3));
            Map<String, Long> units = FeeSplit.creditUnits(mix, credits);
            assertEquals(FeeSplit.UNITS, units.values().stream().mapToLong(Long::longValue).sum(), "units sum to UNITS");

            // Exact mix, per contribution.
            Map<String, Q> methodTotals = new TreeMap<>();
            credits.forEach(c -> methodTotals.merge(c.method(), Q.of(c.weight()), Q::add));
            Q mixTotal = methodTotals.keySet().stream().map(m -> Q.of(mix.get(m))).reduce(Q.ZERO, Q::add);
            Map<String, Q> exact = new TreeMap<>();
            for (Credit c : credits) {
                exact.merge(c.contributionId(), Q.of(mix.get(c.method())).divide(mixTotal)
                        .multiply(Q.of(c.weight()).divide(methodTotals.get(c.method()))).multiply(UNITS), Q::add);
            }
            Q slack = new Q(BigInteger.ONE, BigInteger.valueOf(1000));
            List<Q> upRemainders = new ArrayList<>();
            List<Q> downRemainders = new ArrayList<>();
            for (Map.Entry<String, Q> e : exact.entrySet()) {
                BigInteger floor = e.getValue().num().divide(e.getValue().den());
                Q remainder = e.getValue().subtract(Q.of(floor));
                long got = units.getOrDefault(e.getKey(), 0L);
                assertTrue(Q.of(BigInteger.valueOf(got)).subtract(e.getValue()).abs().compareTo(Q.of(BigInteger.ONE).add(slack)) < 0,
                        "iteration " + iteration + ": " + e.getKey() + " got " + got + " units, exact " + e.getValue());
                if (BigInteger.valueOf(got).compareTo(floor) > 0) {
                    upRemainders.add(remainder);
                } else {
                    downRemainders.add(remainder);
                }
            }
            // Largest remainder: no contribution rounded down had a (clearly) larger remainder than one rounded up.
            for (Q up : upRemainders) {
                for (Q down : downRemainders) {
                    assertTrue(up.add(slack).compareTo(down) >= 0, "iteration " + iteration + ": remainder " + down
                            + " rounded down while " + up + " rounded up");
                }
            }
        }
    }

    // ---------------------------------------------------------------- hand-made cases

    @Test
    void equalCreditsGiveTheLeftoverUnitToTheSmallestContributionId() {
        String a = fixed('1');
        String b = fixed('2');
        String c = fixed('3');
        List<Credit> credits = List.of(
                new Credit("ngram", "0x03", c, 1.0, List.of()),
                new Credit("ngram", "0x01", a, 1.0, List.of()),
                new Credit("ngram", "0x02", b, 1.0, List.of()));
        List<Share> shares = FeeSplit.shares(BigInteger.ONE, new Split(0, 0, 0, 10_000), DEVELOPER, TREASURY,
                Map.of("ngram", 1.0), credits);
        BigInteger third = BigInteger.valueOf(10_000L * (FeeSplit.UNITS / 3));
        assertEquals(List.of(
                new Share(a, FeeSplit.DATA, third.add(BigInteger.valueOf(10_000))),
                new Share(b, FeeSplit.DATA, third),
                new Share(c, FeeSplit.DATA, third)), sorted(shares));
    }

    @Test
    void approversShareTheirContributionsUnitsEquallyWithTheRemainderToTheSmallestAddresses() {
        String v1 = fixed('1');
        String v2 = fixed('2');
        String v3 = fixed('3');
        String contributor = fixed('c');
        // Duplicated approver v1: counts once.
        Credit credit = new Credit("ngram", "0x01", contributor, 0.5, List.of(v3, v1, v2, v1));
        List<Share> shares = FeeSplit.shares(BigInteger.valueOf(7), new Split(1_000, 1_000, 5_000, 3_000), DEVELOPER, TREASURY,
                Map.of("ngram", 1.0), List.of(credit));
        long each = FeeSplit.UNITS / 3;
        BigInteger perUnit = BigInteger.valueOf(7 * 5_000);
        Map<String, BigInteger> byKey = byKey(shares);
        assertEquals(perUnit.multiply(BigInteger.valueOf(each + 1)), byKey.get(v1 + " validator"));
        assertEquals(perUnit.multiply(BigInteger.valueOf(each)), byKey.get(v2 + " validator"));
        assertEquals(perUnit.multiply(BigInteger.valueOf(each)), byKey.get(v3 + " validator"));
        assertEquals(BigInteger.valueOf(7 * 3_000).multiply(UNITS), byKey.get(contributor + " data"));
        assertEquals(BigInteger.valueOf(7 * 1_000).multiply(UNITS), byKey.get(TREASURY + " protocol"));
        assertEquals(BigInteger.valueOf(7 * 1_000).multiply(UNITS), byKey.get(DEVELOPER + " developer"));
        assertEquals(6, shares.size(), shares.toString());

        // "Smallest" is numeric: EIP-55 0xaAaA... is below 0xCcCC... though it sorts after it as a string.
        String low = org.web3j.crypto.Keys.toChecksumAddress("aa".repeat(20));
        String high = org.web3j.crypto.Keys.toChecksumAddress("cc".repeat(20));
        assertTrue(low.compareTo(high) > 0, "the case this checks: string order differs from numeric order");
        String middle = org.web3j.crypto.Keys.toChecksumAddress("bb".repeat(20));
        Credit three = new Credit("ngram", "0x01", contributor, 1.0, List.of(high, middle, low));
        Map<String, BigInteger> split = byKey(FeeSplit.shares(BigInteger.ONE, new Split(0, 0, 10_000, 0), DEVELOPER, TREASURY,
                Map.of("ngram", 1.0), List.of(three)));
        BigInteger third = BigInteger.valueOf(10_000).multiply(BigInteger.valueOf(FeeSplit.UNITS / 3));
        assertEquals(1, FeeSplit.UNITS % 3, "one unit left over");
        assertEquals(third.add(BigInteger.valueOf(10_000)), split.get(low + " validator"), split.toString());
        assertEquals(third, split.get(middle + " validator"), split.toString());
        assertEquals(third, split.get(high + " validator"), split.toString());
    }

    @Test
    void withoutEvidenceTheDataAndValidatorPartsGoToTheTreasuryAsUnattributed() {
        BigInteger fee = new BigInteger("123456789012345678901234567890");
        Split split = new Split(1_500, 2_500, 1_000, 5_000);
        Map<String, Double> methods = new LinkedHashMap<>();
        methods.put("ngram", 1.0);
        methods.put("gradient", 0.0);
        methods.put("tracin", -2.0);
        String contributor = fixed('c');
        List<List<Credit>> noEvidence = List.of(
                List.of(),
                List.of(new Credit("ngram", "0x01", contributor, 0.0, List.of(fixed('1')))),
                List.of(new Credit("ngram", "0x01", contributor, -1.0, List.of(fixed('1')))),
                List.of(new Credit("gradient", "0x01", contributor, 1.0, List.of(fixed('1')))),
                List.of(new Credit("tracin", "0x01", contributor, 1.0, List.of(fixed('1')))),
                List.of(new Credit("unlisted", "0x01", contributor, 1.0, List.of(fixed('1')))));
        for (List<Credit> credits : noEvidence) {
            Map<String, BigInteger> byKey = byKey(FeeSplit.shares(fee, split, DEVELOPER, TREASURY, methods, credits));
            Map<String, BigInteger> expected = new TreeMap<>();
            expected.put(TREASURY + " protocol", fee.multiply(BigInteger.valueOf(1_500)).multiply(UNITS));
            expected.put(DEVELOPER + " developer", fee.multiply(BigInteger.valueOf(2_500)).multiply(UNITS));
            expected.put(TREASURY + " unattributed", fee.multiply(BigInteger.valueOf(6_000)).multiply(UNITS));
            assertEquals(expected, byKey, "credits " + credits);
        }
    }

    @Test
    void aCreditedContributionWithoutApproversSendsItsValidatorPartToTheTreasury() {
        BigInteger fee = BigInteger.valueOf(1_000_003);
        Split split = new Split(0, 0, 4_000, 6_000);
        String v1 = fixed('1');
        String c1 = fixed('a');
        String c2 = fixed('b');
        List<Credit> credits = List.of(
                new Credit("ngram", "0x01", c1, 0.5, List.of(v1)),
                new Credit("ngram", "0x02", c2, 0.5, List.of()));
        Map<String, BigInteger> byKey = byKey(FeeSplit.shares(fee, split, DEVELOPER, TREASURY, Map.of("ngram", 1.0), credits));
        BigInteger half = UNITS.shiftRight(1);
        Map<String, BigInteger> expected = new TreeMap<>();
        expected.put(c1 + " data", fee.multiply(BigInteger.valueOf(6_000)).multiply(half));
        expected.put(c2 + " data", fee.multiply(BigInteger.valueOf(6_000)).multiply(half));
        expected.put(v1 + " validator", fee.multiply(BigInteger.valueOf(4_000)).multiply(half));
        expected.put(TREASURY + " unattributed", fee.multiply(BigInteger.valueOf(4_000)).multiply(half));
        assertEquals(expected, byKey);

        // A null validator list is the same as an empty one.
        List<Credit> nullValidators = List.of(
                new Credit("ngram", "0x01", c1, 0.5, List.of(v1)),
                new Credit("ngram", "0x02", c2, 0.5, null));
        assertEquals(expected, byKey(FeeSplit.shares(fee, split, DEVELOPER, TREASURY, Map.of("ngram", 1.0), nullValidators)));
    }

    @Test
    void methodWeightsAreRenormalizedOverTheMethodsWithEvidence() {
        BigInteger fee = BigInteger.TEN.pow(20);
        Split split = new Split(0, 0, 0, 10_000);
        Map<String, Double> methods = Map.of("ngram", 0.75, "gradient", 0.25);
        String c1 = fixed('a');
        String c2 = fixed('b');
        BigInteger perUnit = fee.multiply(BigInteger.valueOf(10_000));

        // Only n-gram evidence: n-gram gets all of the data part, split by its weights.
        Map<String, BigInteger> onlyNgram = byKey(FeeSplit.shares(fee, split, DEVELOPER, TREASURY, methods, List.of(
                new Credit("ngram", "0x01", c1, 0.6, List.of()),
                new Credit("ngram", "0x02", c2, 0.4, List.of()),
                new Credit("gradient", "0x03", fixed('e'), 0.0, List.of()))));
        assertEquals(Map.of(
                c1 + " data", perUnit.multiply(BigInteger.valueOf(600_000_000_000L)),
                c2 + " data", perUnit.multiply(BigInteger.valueOf(400_000_000_000L))), onlyNgram);

        // Both methods: 0.75 / 0.25 of the data part.
        Map<String, BigInteger> both = byKey(FeeSplit.shares(fee, split, DEVELOPER, TREASURY, methods, List.of(
                new Credit("ngram", "0x01", c1, 0.2, List.of()),
                new Credit("gradient", "0x02", c2, 0.9, List.of()))));
        assertEquals(Map.of(
                c1 + " data", perUnit.multiply(BigInteger.valueOf(750_000_000_000L)),
                c2 + " data", perUnit.multiply(BigInteger.valueOf(250_000_000_000L))), both);

        // One contribution credited by both methods: its parts add up.
        Map<String, BigInteger> shared = byKey(FeeSplit.shares(fee, split, DEVELOPER, TREASURY, methods, List.of(
                new Credit("ngram", "0x01", c1, 0.5, List.of()),
                new Credit("ngram", "0x02", c2, 0.5, List.of()),
                new Credit("gradient", "0x01", c1, 1.0, List.of()))));
        assertEquals(Map.of(
                c1 + " data", perUnit.multiply(BigInteger.valueOf(625_000_000_000L)),
                c2 + " data", perUnit.multiply(BigInteger.valueOf(375_000_000_000L))), shared);
    }

    @Test
    void negativeAndZeroWeightsEarnNothing() {
        BigInteger fee = BigInteger.valueOf(999);
        Split split = new Split(0, 0, 0, 10_000);
        Map<String, Double> methods = new LinkedHashMap<>();
        methods.put("ngram", 1.0);
        methods.put("gradient", 0.0);
        methods.put("tracin", -1.0);
        String winner = fixed('a');
        List<Credit> credits = List.of(
                new Credit("ngram", "0x01", fixed('b'), -0.5, List.of(fixed('1'))),
                new Credit("ngram", "0x02", fixed('c'), 0.0, List.of(fixed('2'))),
                new Credit("ngram", "0x05", winner, 0.25, List.of()),
                new Credit("gradient", "0x03", fixed('d'), 1.0, List.of(fixed('3'))),
                new Credit("tracin", "0x04", fixed('e'), 1.0, List.of(fixed('4'))),
                new Credit("ngram", "0x06", fixed('f'), Double.NaN, List.of(fixed('5'))));
        assertEquals(Map.of(winner + " data", fee.multiply(BigInteger.valueOf(10_000)).multiply(UNITS)),
                byKey(FeeSplit.shares(fee, split, DEVELOPER, TREASURY, methods, credits)));
    }

    @Test
    void addressesCompareAsTheirLowercaseHex() {
        java.util.Random random = new java.util.Random(5);
        String digits = "0123456789abcdefABCDEF";
        for (int trial = 0; trial < 20_000; trial++) {
            String[] pair = new String[2];
            for (int p = 0; p < 2; p++) {
                StringBuilder a = new StringBuilder("0x");
                for (int i = 0; i < 40; i++) {
                    // Mostly shared prefixes, so that later characters decide too.
                    a.append(i < trial % 41 && p == 1 ? pair[0].charAt(2 + i) : digits.charAt(random.nextInt(digits.length())));
                }
                pair[p] = a.toString();
            }
            int lowercase = Integer.signum(pair[0].toLowerCase(java.util.Locale.ROOT).compareTo(pair[1].toLowerCase(java.util.Locale.ROOT)));
            assertEquals(lowercase, Integer.signum(FeeSplit.BY_ADDRESS.compare(pair[0], pair[1])), pair[0] + " vs " + pair[1]);
        }
    }

    @Test
    void aSplitThatDoesNotSumTo10000IsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Split(5_000, 5_000, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Split(2_500, 2_500, 2_500, 2_499));
        assertThrows(IllegalArgumentException.class, () -> new Split(-1, 5_000, 5_000, 1));
        assertThrows(IllegalArgumentException.class, () -> new Split(0, 0, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Split(10_000, 10_000, -10_000, 0));
        assertTrue(e.getMessage().contains("10000"), e.getMessage());
        new Split(10_000, 0, 0, 0);
        new Split(0, 0, 0, 10_000);
        assertFalse(FeeSplit.shares(BigInteger.TWO, new Split(10_000, 0, 0, 0), DEVELOPER, TREASURY, Map.of(), List.of()).isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    private static String fixed(char digit) {
        return Keys.toChecksumAddress("0x" + String.valueOf(digit).repeat(40));
    }

    private static BigInteger sum(List<Share> shares, String role) {
        return shares.stream().filter(s -> s.role().equals(role)).map(Share::numerator).reduce(BigInteger.ZERO, BigInteger::add);
    }

    private static Map<String, BigInteger> byKey(List<Share> shares) {
        Map<String, BigInteger> out = new TreeMap<>();
        for (Share s : shares) {
            assertEquals(null, out.put(s.account() + " " + s.role(), s.numerator()), "(account, role) twice");
        }
        return out;
    }

    private static List<Share> sorted(List<Share> shares) {
        List<Share> out = new ArrayList<>(shares);
        out.sort(java.util.Comparator.comparing(Share::account).thenComparing(Share::role));
        return out;
    }
}

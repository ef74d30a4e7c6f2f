package org.poa.core.rewards;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one inference's fee is shared, as exact fractions of a wei with one common denominator
 * {@link #DENOMINATOR} for every inference, so that an epoch's shares can be summed exactly and
 * rounded once (see {@link EpochRewards}).
 *
 * <p>The fee goes by the model's {@code split_bps} to the protocol treasury, the developer, the
 * validators and the data. The data part follows the inference's credit: for each attribution
 * method the model lists with a positive weight and that credited something, its per-inference
 * weights; methods are mixed by the model's method weights, renormalized over the methods with
 * evidence. The credit is quantized to {@link #UNITS} integer units per inference (largest
 * remainder, ties by contribution id), so everything after it is integer arithmetic. The
 * validators' part follows the same units, each credited contribution's units shared equally by
 * the validators who approved it (remainder units to the smallest addresses, compared as numbers). What has no one to go
 * to (an inference with no evidence: its data and validators parts; a credited contribution no
 * validator approved: its validators part) goes to the treasury as {@code unattributed}.
 */
public final class FeeSplit {

    public static final String PROTOCOL = "protocol";
    public static final String DEVELOPER = "developer";
    public static final String VALIDATOR = "validator";
    public static final String DATA = "data";
    public static final String UNATTRIBUTED = "unattributed";

    /** Credit units per inference: resolution 10^-12 of the data part. */
    public static final long UNITS = 1_000_000_000_000L;
    /** Basis points times units: every share is numerator / DENOMINATOR wei. */
    public static final BigInteger DENOMINATOR = BigInteger.valueOf(10_000L).multiply(BigInteger.valueOf(UNITS));

    /** One credited contribution of one method, with the validators who approved it. */
    public record Credit(String method, String contributionId, String contributor, double weight, List<String> validators) {
    }

    /** {@code numerator / DENOMINATOR} wei to {@code account} in {@code role}. */
    public record Share(String account, String role, BigInteger numerator) {
    }

    /** The model's split in basis points (summing to 10000). */
    public record Split(int protocol, int developer, int validators, int data) {
        public Split {
            if (protocol < 0 || developer < 0 || validators < 0 || data < 0
                    || protocol + developer + validators + data != 10_000) {
                throw new IllegalArgumentException("split_bps must be non-negative and sum to 10000, got "
                        + protocol + "/" + developer + "/" + validators + "/" + data);
            }
        }
    }

    /**
     * Addresses in numeric order: EIP-55 spellings compared as lowercase hex. For ASCII,
     * {@link String#CASE_INSENSITIVE_ORDER} returns the difference of the first differing characters
     * lowercased, which is that order, without a lowercase copy of both strings per comparison (the
     * copies were a tenth of the rewards step: validators are sorted for every credit).
     */
    public static final Comparator<String> BY_ADDRESS = String.CASE_INSENSITIVE_ORDER;

    private FeeSplit() {
    }

    /**
     * The shares of one inference, summing to exactly {@code fee * DENOMINATOR}. Shares of the same
     * account and role are merged; the result is in a fixed order whatever the order of
     * {@code credits}.
     */
    public static List<Share> shares(BigInteger fee, Split split, String developer, String treasury,
                                     Map<String, Double> methodWeights, List<Credit> credits) {
        Map<String, BigInteger> merged = new TreeMap<>();
        BigInteger units = BigInteger.valueOf(UNITS);
        add(merged, treasury, PROTOCOL, fee.multiply(BigInteger.valueOf(split.protocol())).multiply(units));
        add(merged, developer, DEVELOPER, fee.multiply(BigInteger.valueOf(split.developer())).multiply(units));
        BigInteger dataPerUnit = fee.multiply(BigInteger.valueOf(split.data()));
        BigInteger validatorsPerUnit = fee.multiply(BigInteger.valueOf(split.validators()));

        Map<String, Long> contributionUnits = creditUnits(methodWeights, credits);
        if (contributionUnits.isEmpty()) {
            add(merged, treasury, UNATTRIBUTED, dataPerUnit.add(validatorsPerUnit).multiply(units));
        } else {
            Map<String, Credit> byContribution = new TreeMap<>();
            for (Credit c : credits) {
                byContribution.putIfAbsent(c.contributionId(), c);
            }
            for (Map.Entry<String, Long> e : contributionUnits.entrySet()) {
                Credit credit = byContribution.get(e.getKey());
                long u = e.getValue();
                add(merged, credit.contributor(), DATA, dataPerUnit.multiply(BigInteger.valueOf(u)));
                List<String> validators = credit.validators() == null ? List.of()
                        : credit.validators().stream().distinct().sorted(BY_ADDRESS).toList();
                if (validators.isEmpty()) {
                    add(merged, treasury, UNATTRIBUTED, validatorsPerUnit.multiply(BigInteger.valueOf(u)));
                    continue;
                }
                long each = u / validators.size();
                long extra = u % validators.size();
                for (int v = 0; v < validators.size(); v++) {
                    long share = each + (v < extra ? 1 : 0);
                    add(merged, validators.get(v), VALIDATOR, validatorsPerUnit.multiply(BigInteger.valueOf(share)));
                }
            }
        }
        List<Share> out = new ArrayList<>(merged.size());
        for (Map.Entry<String, BigInteger> e : merged.entrySet()) {
            if (e.getValue().signum() != 0) {
                int cut = e.getKey().indexOf('\n');
                out.add(new Share(e.getKey().substring(0, cut), e.getKey().substring(cut + 1), e.getValue()));
            }
        }
        return out;
    }

    /**
     * Integer credit units per contribution summing to {@link #UNITS}, or empty when no listed
     * method credited anything.
     */
    static Map<String, Long> creditUnits(Map<String, Double> methodWeights, List<Credit> credits) {
        List<Credit> sorted = new ArrayList<>(credits);
        sorted.removeIf(c -> !(c.weight() > 0) || !(methodWeights.getOrDefault(c.method(), 0.0) > 0));
        sorted.sort(Comparator.comparing(Credit::method).thenComparing(Credit::contributionId));
        Map<String, Double> methodTotals = new TreeMap<>();
        for (Credit c : sorted) {
            methodTotals.merge(c.method(), c.weight(), Double::sum);
        }
        double mix = 0;
        for (String method : methodTotals.keySet()) {
            mix += methodWeights.get(method);
        }
        Map<String, Double> combined = new TreeMap<>();
        for (Credit c : sorted) {
            double w = methodWeights.get(c.method()) / mix * (c.weight() / methodTotals.get(c.method()));
            combined.merge(c.contributionId(), w, Double::sum);
        }
        if (combined.isEmpty()) {
            return Map.of();
        }
        double total = 0;
        for (double w : combined.values()) {
            total += w;
        }
        List<String> ids = new ArrayList<>(combined.keySet());
        long[] floors = new long[ids.size()];
        double[] remainders = new double[ids.size()];
        long assigned = 0;
        for (int i = 0; i < ids.size(); i++) {
            double exact = combined.get(ids.get(i)) / total * UNITS;
            floors[i] = (long) Math.floor(exact);
            remainders[i] = exact - floors[i];
            assigned += floors[i];
        }
        long left = UNITS - assigned;
        Integer[] byRemainder = new Integer[ids.size()];
        for (int i = 0; i < byRemainder.length; i++) {
            byRemainder[i] = i;
        }
        // Largest remainder first; ties by contribution id (the ids are already sorted).
        java.util.Arrays.sort(byRemainder, (a, b) -> remainders[a] != remainders[b]
                ? Double.compare(remainders[b], remainders[a]) : Integer.compare(a, b));
        for (int k = 0; left > 0; k = (k + 1) % byRemainder.length, left--) {
            floors[byRemainder[k]]++;
        }
        for (int k = byRemainder.length - 1; left < 0; k = (k - 1 + byRemainder.length) % byRemainder.length) {
            // Only when rounding error pushed the floors past UNITS: take back from the smallest remainders.
            if (floors[byRemainder[k]] > 0) {
                floors[byRemainder[k]]--;
                left++;
            }
        }
        Map<String, Long> units = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            if (floors[i] > 0) {
                units.put(ids.get(i), floors[i]);
            }
        }
        return units;
    }

    private static void add(Map<String, BigInteger> merged, String account, String role, BigInteger numerator) {
        if (numerator.signum() != 0) {
            merged.merge(account + "\n" + role, numerator, BigInteger::add);
        }
    }
}

package org.poa.jobs.rewards;

import org.poa.core.rewards.FeeSplit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.poa.lakehouse.catalog.Lakehouse;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.TableWrites;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.epoch.EpochClock;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * A small generated world for the rewards and merkle jobs, written straight into the input tables
 * (inferences, models, attributions, votes), with an independent computation of the expected
 * rewards and balances in plain Java: latest vote before the epoch end, credits per inference,
 * {@link FeeSplit#shares} summed exactly per (account, role, model), one largest-remainder rounding
 * per epoch with ties by account, role and model.
 *
 * <p>Besides random votes, one "hot" contribution is credited by a large inference in every epoch and
 * voted on by six validators with scripted histories around the end of epoch 1 (see the fields).
 */
public final class RewardsWorld {

    public static final EpochClock CLOCK = EpochClock.DEFAULT;

    /** A registered model. */
    public record Model(String id, String developer, FeeSplit.Split split, Map<String, Double> attribution) {
    }

    /** An accepted inference. */
    public record Inference(long epoch, String id, String model, BigInteger fee, Instant ts) {
    }

    /** One attribution row. */
    public record Attribution(long epoch, String inference, String model, String method, String contribution,
                              String contributor, String datanet, double weight) {
    }

    /** One vote. */
    public record Vote(String contribution, String validator, String verdict, Instant at) {
    }

    public final String treasury;
    public final List<Model> models;
    public final List<Inference> inferences;
    public final List<Attribution> attributions;
    public final List<Vote> votes;
    /** Contribution credited in every epoch by a large m-ngram inference. */
    /** Every contribution id → its contributor. */
    public final Map<String, String> contributors;
    public final String hot;
    /** Hot's second credit per epoch (a different contributor), weight 0.5: changing it changes rewards. */
    public final Map<Long, Attribution> hotPartner;
    /** Approves hot before genesis: counts in every epoch. */
    public final String steady;
    /** Approves hot one hour after the end of epoch 1: counts from epoch 2. */
    public final String late;
    /** Approves hot exactly at the end of epoch 1 (the end is exclusive): counts from epoch 2. */
    public final String atEnd;
    /** Approves hot, then rejects it one hour before the end of epoch 1: never counts. */
    public final String switched;
    /** Approves hot, then rejects it three hours after the end of epoch 1: counts in epoch 1 only. */
    public final String rejectedAfter;
    /** Rejects hot, then approves it two hours before the end of epoch 1: counts in every epoch. */
    public final String flipped;

    private RewardsWorld(String treasury, List<Model> models, List<Inference> inferences, List<Attribution> attributions,
                         List<Vote> votes, Map<String, String> contributors, String hot, Map<Long, Attribution> hotPartner,
                         List<String> special) {
        this.treasury = treasury;
        this.contributors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contributors));
        this.models = List.copyOf(models);
        this.inferences = List.copyOf(inferences);
        this.attributions = List.copyOf(attributions);
        this.votes = List.copyOf(votes);
        this.hot = hot;
        this.hotPartner = Map.copyOf(hotPartner);
        this.steady = special.get(0);
        this.late = special.get(1);
        this.atEnd = special.get(2);
        this.switched = special.get(3);
        this.rejectedAfter = special.get(4);
        this.flipped = special.get(5);
    }

    private List<String> special() {
        return List.of(steady, late, atEnd, switched, rejectedAfter, flipped);
    }

    public static String address(Random random) {
        byte[] raw = new byte[20];
        random.nextBytes(raw);
        return Keys.toChecksumAddress(Numeric.toHexString(raw));
    }

    /**
     * Three models (n-gram only; a mix of n-gram, gradient and a zero-weight method; one that is never
     * attributed), ten contributors over sixteen contributions, six scripted and four random
     * validators, {@code inferenceCount} inferences over epochs 1..3 with fees from 1 wei to ~10^30.
     */
    public static RewardsWorld generate(long seed, int inferenceCount) {
        Random r = new Random(seed);
        String treasury = address(r);
        List<String> developers = List.of(address(r), address(r), address(r));
        Map<String, Double> mix = new LinkedHashMap<>();
        mix.put("ngram", 0.7);
        mix.put("gradient", 0.3);
        mix.put("legacy", 0.0);
        List<Model> models = List.of(
                new Model("m-ngram", developers.get(0), new FeeSplit.Split(1_000, 2_000, 1_500, 5_500), Map.of("ngram", 1.0)),
                new Model("m-mix", developers.get(1), new FeeSplit.Split(500, 1_500, 2_000, 6_000), mix),
                new Model("m-none", developers.get(2), new FeeSplit.Split(2_000, 3_000, 0, 5_000), Map.of("ngram", 1.0)));

        List<String> contributors = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            contributors.add(address(r));
        }
        List<String> contributionIds = new ArrayList<>();
        Map<String, String> contributorOf = new LinkedHashMap<>();
        Map<String, String> datanetOf = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            String id = "0x" + String.format("%064x", new BigInteger(256, r));
            contributionIds.add(id);
            contributorOf.put(id, i < contributors.size() ? contributors.get(i) : contributors.get(r.nextInt(contributors.size())));
            datanetOf.put(id, r.nextBoolean() ? "net-a" : "net-b");
        }
        String hot = contributionIds.get(0);

        // Votes: the scripted six on the hot contribution, random histories of four others elsewhere.
        List<String> special = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            special.add(address(r));
        }
        Instant genesis = CLOCK.genesis();
        Instant end1 = CLOCK.end(1);
        Duration hour = Duration.ofHours(1);
        List<Vote> votes = new ArrayList<>(List.of(
                new Vote(hot, special.get(0), "approve", genesis.minus(Duration.ofDays(1))),
                new Vote(hot, special.get(1), "approve", end1.plus(hour)),
                new Vote(hot, special.get(2), "approve", end1),
                new Vote(hot, special.get(3), "approve", genesis.plus(hour)),
                new Vote(hot, special.get(3), "reject", end1.minus(hour)),
                new Vote(hot, special.get(4), "approve", genesis.plus(hour.multipliedBy(2))),
                new Vote(hot, special.get(4), "reject", end1.plus(hour.multipliedBy(3))),
                new Vote(hot, special.get(5), "reject", genesis.plus(hour)),
                new Vote(hot, special.get(5), "approve", end1.minus(hour.multipliedBy(2)))));
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(address(r));
        }
        long span = Duration.between(genesis.minus(Duration.ofDays(1)), CLOCK.end(3).plus(Duration.ofDays(1))).toMinutes();
        for (String id : contributionIds.subList(1, contributionIds.size())) {
            for (String validator : others) {
                int count = r.nextInt(4);
                Set<Long> minutes = new HashSet<>();
                for (int k = 0; k < count; k++) {
                    long minute = r.nextLong(span);
                    if (minutes.add(minute)) {
                        votes.add(new Vote(id, validator, r.nextInt(3) == 0 ? "reject" : "approve",
                                genesis.minus(Duration.ofDays(1)).plus(Duration.ofMinutes(minute))));
                    }
                }
            }
        }

        List<Inference> inferences = new ArrayList<>();
        List<Attribution> attributions = new ArrayList<>();
        Map<Long, Attribution> hotPartner = new TreeMap<>();
        int counter = 0;
        for (long epoch = 1; epoch <= 3; epoch++) {
            // The hot inference of the epoch: m-ngram, 10^20 wei, crediting hot and a partner.
            String id = String.format("inf-%d-%05d", epoch, counter++);
            inferences.add(new Inference(epoch, id, "m-ngram", BigInteger.TEN.pow(20), CLOCK.start(epoch).plus(hour)));
            attributions.add(new Attribution(epoch, id, "m-ngram", "ngram", hot, contributorOf.get(hot), datanetOf.get(hot), 1.0));
            String partner = contributionIds.get(1 + r.nextInt(contributionIds.size() - 1));
            while (contributorOf.get(partner).equals(contributorOf.get(hot))) {
                partner = contributionIds.get(1 + r.nextInt(contributionIds.size() - 1));
            }
            Attribution p = new Attribution(epoch, id, "m-ngram", "ngram", partner, contributorOf.get(partner), datanetOf.get(partner), 0.5);
            attributions.add(p);
            hotPartner.put(epoch, p);
        }
        long epochMillis = CLOCK.length().toMillis();
        for (int i = 0; i < inferenceCount - 3; i++) {
            long epoch = 1 + r.nextInt(3);
            Model model = models.get(r.nextInt(models.size()));
            String id = String.format("inf-%d-%05d", epoch, counter++);
            Instant ts = CLOCK.start(epoch).plusMillis(r.nextLong(epochMillis));
            inferences.add(new Inference(epoch, id, model.id(), fee(r), ts));
            List<String> methods = switch (model.id()) {
                case "m-ngram" -> List.of("ngram");
                case "m-mix" -> List.of("ngram", "gradient", "legacy");
                default -> List.of();
            };
            for (String method : methods) {
                int credited = r.nextInt(method.equals("legacy") ? 2 : 5);
                List<String> pool = new ArrayList<>(contributionIds);
                Collections.shuffle(pool, r);
                for (String c : pool.subList(0, credited)) {
                    double weight = r.nextInt(12) == 0 ? 0.0 : r.nextDouble();
                    attributions.add(new Attribution(epoch, id, model.id(), method, c, contributorOf.get(c), datanetOf.get(c), weight));
                }
            }
        }
        return new RewardsWorld(treasury, models, inferences, attributions, votes, contributorOf, hot, hotPartner, special);
    }

    private static BigInteger fee(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> BigInteger.ONE;
            case 1, 2 -> BigInteger.valueOf(1 + r.nextInt(1_000_000));
            case 3, 4, 5 -> new BigInteger(60, r).add(BigInteger.TEN.pow(17));
            case 6, 7 -> new BigInteger(100, r);
            default -> new BigInteger(1 + r.nextInt(84), r);
        };
    }

    // ---------------------------------------------------------------- variations

    /** The same world with another treasury. */
    public RewardsWorld withTreasury(String other) {
        return new RewardsWorld(other, models, inferences, attributions, votes, contributors, hot, hotPartner, special());
    }

    /** The same world with one attribution's weight changed. */
    public RewardsWorld withWeight(Attribution which, double weight) {
        List<Attribution> changed = new ArrayList<>();
        Attribution replacement = null;
        for (Attribution a : attributions) {
            if (a.equals(which)) {
                replacement = new Attribution(a.epoch(), a.inference(), a.model(), a.method(), a.contribution(), a.contributor(),
                        a.datanet(), weight);
                changed.add(replacement);
            } else {
                changed.add(a);
            }
        }
        if (replacement == null) {
            throw new IllegalArgumentException("no such attribution " + which);
        }
        Map<Long, Attribution> partners = new TreeMap<>(hotPartner);
        for (Map.Entry<Long, Attribution> e : hotPartner.entrySet()) {
            if (e.getValue().equals(which)) {
                partners.put(e.getKey(), replacement);
            }
        }
        return new RewardsWorld(treasury, models, inferences, changed, votes, contributors, hot, partners, special());
    }

    /** The same world with one more inference (of a model that may not exist). */
    public RewardsWorld withInference(Inference extra) {
        List<Inference> more = new ArrayList<>(inferences);
        more.add(extra);
        return new RewardsWorld(treasury, models, more, attributions, votes, contributors, hot, hotPartner, special());
    }

    /** The same world with more attribution rows. */
    public RewardsWorld withAttributions(List<Attribution> extra) {
        List<Attribution> more = new ArrayList<>(attributions);
        more.addAll(extra);
        return new RewardsWorld(treasury, models, inferences, more, votes, contributors, hot, hotPartner, special());
    }

    /** Only the inferences (and their attributions) of these epochs. */
    public RewardsWorld onlyEpochs(Set<Long> epochs) {
        return new RewardsWorld(treasury, models, inferences.stream().filter(i -> epochs.contains(i.epoch())).toList(),
                attributions.stream().filter(a -> epochs.contains(a.epoch())).toList(), votes, contributors, hot, hotPartner, special());
    }

    /** Inferences, attributions and votes moved {@code days} epochs later. */
    public RewardsWorld shiftedBy(long days) {
        Duration d = Duration.ofDays(days);
        return new RewardsWorld(treasury, models,
                inferences.stream().map(i -> new Inference(i.epoch() + days, i.id(), i.model(), i.fee(), i.ts().plus(d))).toList(),
                attributions.stream().map(a -> new Attribution(a.epoch() + days, a.inference(), a.model(), a.method(), a.contribution(),
                        a.contributor(), a.datanet(), a.weight())).toList(),
                votes.stream().map(v -> new Vote(v.contribution(), v.validator(), v.verdict(), v.at().plus(d))).toList(),
                contributors, hot, hotPartner, special());
    }

    // ---------------------------------------------------------------- rows

    public List<Row> inferenceRows() {
        List<Row> rows = new ArrayList<>();
        long line = 1;
        for (Inference i : inferences) {
            rows.add(RowFactory.create(i.epoch(), i.id(), i.model(), "0x00000000000000000000000000000000000000aa", "chat",
                    new BigDecimal(i.fee()), "prompt " + i.id(), "output " + i.id(), i.ts(), null, "inferences.jsonl", line++));
        }
        return rows;
    }

    public List<Row> modelRows() {
        List<Row> rows = new ArrayList<>();
        long line = 1;
        for (Model m : models) {
            Row split = RowFactory.create(m.split().protocol(), m.split().developer(), m.split().validators(), m.split().data());
            Row license = RowFactory.create(new BigDecimal(1000), List.of("chat", "research"), split);
            rows.add(RowFactory.create(m.id(), m.developer(), "lm", null, List.of("net-a", "net-b"), license, m.attribution(),
                    "models.jsonl", line++, null));
        }
        return rows;
    }

    public List<Row> attributionRows() {
        List<Row> rows = new ArrayList<>();
        for (Attribution a : attributions) {
            rows.add(RowFactory.create(a.epoch(), a.inference(), a.model(), a.method(), a.contribution(), a.contributor(),
                    a.datanet(), a.weight() * 3.5, a.weight()));
        }
        return rows;
    }

    public List<Row> voteRows() {
        List<Row> rows = new ArrayList<>();
        long line = 1;
        for (Vote v : votes) {
            rows.add(RowFactory.create(v.contribution(), v.validator(), v.verdict(), v.at(), "votes.jsonl", line++));
        }
        return rows;
    }

    /** How the input tables are written. */
    public record Layout(Long shuffleSeed, int chunks, int partitions, boolean replace) {
        /** One overwrite per table, rows in generation order. */
        public static final Layout PLAIN = new Layout(null, 1, 0, true);

        /** Rows shuffled, written in {@code chunks} inserts, each repartitioned into {@code partitions} files. */
        public static Layout shuffled(long seed, int chunks, int partitions) {
            return new Layout(seed, chunks, partitions, false);
        }

        /** Rows shuffled, written by one overwrite repartitioned into {@code partitions} files. */
        public static Layout replaced(long seed, int partitions) {
            return new Layout(seed, 1, partitions, true);
        }
    }

    /** Writes the four input tables. */
    public void write(Lakehouse lakehouse, Layout layout) {
        write(lakehouse, Tables.MODELS, modelRows(), layout);
        write(lakehouse, Tables.VOTES, voteRows(), layout);
        write(lakehouse, Tables.INFERENCES, inferenceRows(), layout);
        write(lakehouse, Tables.ATTRIBUTIONS, attributionRows(), layout);
    }

    public static void write(Lakehouse lakehouse, TableDef table, List<Row> all, Layout layout) {
        SparkSession spark = lakehouse.spark();
        List<Row> rows = new ArrayList<>(all);
        if (layout.shuffleSeed() != null) {
            Collections.shuffle(rows, new Random(layout.shuffleSeed() + table.name().hashCode()));
        }
        if (layout.replace()) {
            TableWrites.replaceAll(lakehouse, table, frame(spark, table, rows, layout.partitions()), "test input");
            return;
        }
        for (int c = 0; c < layout.chunks(); c++) {
            List<Row> chunk = rows.subList(c * rows.size() / layout.chunks(), (c + 1) * rows.size() / layout.chunks());
            if (!chunk.isEmpty()) {
                TableWrites.insertNew(lakehouse, table, frame(spark, table, chunk, layout.partitions()));
            }
        }
    }

    private static Dataset<Row> frame(SparkSession spark, TableDef table, List<Row> rows, int partitions) {
        Dataset<Row> df = spark.createDataFrame(rows, table.schema());
        return partitions > 0 ? df.repartition(partitions) : df;
    }

    // ---------------------------------------------------------------- the expected answer

    /** The validators whose latest vote on each contribution before the end of the epoch is approve. */
    public Map<String, List<String>> approvers(long epoch) {
        Instant end = CLOCK.end(epoch);
        Map<String, Vote> latest = new TreeMap<>();
        for (Vote v : votes) {
            if (v.at().isBefore(end)) {
                latest.merge(v.contribution() + " " + v.validator(), v, (a, b) -> b.at().isAfter(a.at()) ? b : a);
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        for (Vote v : latest.values()) {
            if (v.verdict().equals("approve")) {
                out.computeIfAbsent(v.contribution(), k -> new ArrayList<>()).add(v.validator());
            }
        }
        return out;
    }

    /** The rewards of an epoch, (account, role, model) → wei, positive amounts only. */
    public Map<List<String>, BigInteger> expectedRewards(long epoch, String treasuryAccount) {
        Map<String, Model> byId = new TreeMap<>();
        models.forEach(m -> byId.put(m.id(), m));
        Map<String, List<String>> approvers = approvers(epoch);
        Map<String, List<FeeSplit.Credit>> credits = new TreeMap<>();
        for (Attribution a : attributions) {
            if (a.epoch() == epoch && a.weight() > 0) {
                credits.computeIfAbsent(a.inference(), k -> new ArrayList<>()).add(new FeeSplit.Credit(a.method(), a.contribution(),
                        a.contributor(), a.weight(), approvers.getOrDefault(a.contribution(), List.of())));
            }
        }
        Map<List<String>, BigInteger> numerators = new TreeMap<>(KEY_ORDER);
        BigInteger fees = BigInteger.ZERO;
        for (Inference i : inferences) {
            if (i.epoch() != epoch) {
                continue;
            }
            Model m = byId.get(i.model());
            fees = fees.add(i.fee());
            for (FeeSplit.Share s : FeeSplit.shares(i.fee(), m.split(), m.developer(), treasuryAccount, m.attribution(),
                    credits.getOrDefault(i.id(), List.of()))) {
                numerators.merge(List.of(s.account(), s.role(), i.model()), s.numerator(), BigInteger::add);
            }
        }
        // Round once: floors, then the leftover wei to the largest remainders (ties by account, role, model).
        Map<List<String>, BigInteger> amounts = new TreeMap<>(KEY_ORDER);
        Map<List<String>, BigInteger> remainders = new TreeMap<>(KEY_ORDER);
        BigInteger floors = BigInteger.ZERO;
        for (Map.Entry<List<String>, BigInteger> e : numerators.entrySet()) {
            BigInteger[] qr = e.getValue().divideAndRemainder(FeeSplit.DENOMINATOR);
            amounts.put(e.getKey(), qr[0]);
            remainders.put(e.getKey(), qr[1]);
            floors = floors.add(qr[0]);
        }
        long leftover = fees.subtract(floors).longValueExact();
        List<List<String>> order = new ArrayList<>(remainders.keySet());
        order.sort(Comparator.<List<String>, BigInteger>comparing(remainders::get).reversed().thenComparing(KEY_ORDER));
        if (leftover < 0 || leftover > order.size()) {
            throw new IllegalStateException("leftover " + leftover + " of " + order.size() + " rows");
        }
        for (int k = 0; k < leftover; k++) {
            amounts.merge(order.get(k), BigInteger.ONE, BigInteger::add);
        }
        amounts.values().removeIf(v -> v.signum() == 0);
        return amounts;
    }

    /** Sum of the fees of an epoch. */
    public BigInteger fees(long epoch) {
        return inferences.stream().filter(i -> i.epoch() == epoch).map(Inference::fee).reduce(BigInteger.ZERO, BigInteger::add);
    }

    /** Cumulative balances after each of epochs 1..last (positive only), from the expected rewards. */
    public Map<Long, Map<String, BigInteger>> expectedBalances(long last, String treasuryAccount) {
        Map<Long, Map<String, BigInteger>> out = new TreeMap<>();
        Map<String, BigInteger> running = new TreeMap<>();
        for (long epoch = 1; epoch <= last; epoch++) {
            for (Map.Entry<List<String>, BigInteger> e : expectedRewards(epoch, treasuryAccount).entrySet()) {
                running.merge(e.getKey().get(0), e.getValue(), BigInteger::add);
            }
            Map<String, BigInteger> copy = new TreeMap<>(running);
            copy.values().removeIf(v -> v.signum() == 0);
            out.put(epoch, copy);
        }
        return out;
    }

    /** (account, role, model) in Spark's string order (the same as Java's for ASCII). */
    public static final Comparator<List<String>> KEY_ORDER = Comparator.<List<String>, String>comparing(k -> k.get(0).toLowerCase(java.util.Locale.ROOT))
            .thenComparing(k -> k.get(1)).thenComparing(k -> k.get(2));

    // ---------------------------------------------------------------- reading the job's output

    /** The rewards table's rows of every epoch: epoch → (account, role, model) → wei. */
    public static Map<Long, Map<List<String>, BigInteger>> allRewards(Lakehouse lakehouse) {
        Map<Long, Map<List<String>, BigInteger>> out = new TreeMap<>();
        for (Row r : lakehouse.read(Tables.REWARDS).collectAsList()) {
            long epoch = r.getAs("epoch");
            List<String> key = List.of(r.getAs("account"), r.getAs("role"), r.getAs("model_id"));
            BigInteger amount = r.<BigDecimal>getAs("amount_wei").toBigIntegerExact();
            if (out.computeIfAbsent(epoch, k -> new TreeMap<>(KEY_ORDER)).put(key, amount) != null) {
                throw new AssertionError("rewards of epoch " + epoch + " hold " + key + " twice");
            }
        }
        return out;
    }

    /** The balances table's rows of every epoch: epoch → account → wei. */
    public static Map<Long, Map<String, BigInteger>> allBalances(Lakehouse lakehouse) {
        Map<Long, Map<String, BigInteger>> out = new TreeMap<>();
        for (Row r : lakehouse.read(Tables.BALANCES).collectAsList()) {
            long epoch = r.getAs("epoch");
            if (out.computeIfAbsent(epoch, k -> new TreeMap<>()).put(r.getAs("account"),
                    r.<BigDecimal>getAs("cumulative_wei").toBigIntegerExact()) != null) {
                throw new AssertionError("balances of epoch " + epoch + " hold " + r.getAs("account") + " twice");
            }
        }
        return out;
    }

    /** The rewards table's rows of an epoch as (account, role, model) → wei. */
    public static Map<List<String>, BigInteger> rewards(Lakehouse lakehouse, long epoch) {
        Map<List<String>, BigInteger> out = new TreeMap<>(KEY_ORDER);
        for (Row r : lakehouse.read(Tables.REWARDS).where(org.apache.spark.sql.functions.col("epoch").equalTo(epoch)).collectAsList()) {
            List<String> key = List.of(r.getAs("account"), r.getAs("role"), r.getAs("model_id"));
            BigInteger amount = r.<BigDecimal>getAs("amount_wei").toBigIntegerExact();
            if (out.put(key, amount) != null) {
                throw new AssertionError("rewards of epoch " + epoch + " hold " + key + " twice");
            }
        }
        return out;
    }

    /** The balances table's rows of an epoch as account → wei. */
    public static Map<String, BigInteger> balances(Lakehouse lakehouse, long epoch) {
        Map<String, BigInteger> out = new TreeMap<>();
        for (Row r : lakehouse.read(Tables.BALANCES).where(org.apache.spark.sql.functions.col("epoch").equalTo(epoch)).collectAsList()) {
            if (out.put(r.getAs("account"), r.<BigDecimal>getAs("cumulative_wei").toBigIntegerExact()) != null) {
                throw new AssertionError("balances of epoch " + epoch + " hold " + r.getAs("account") + " twice");
            }
        }
        return out;
    }

    /** Every row of a table as sorted strings: for comparing whole tables. */
    public static List<String> rowStrings(Lakehouse lakehouse, TableDef table) {
        List<String> out = new ArrayList<>();
        for (Row r : lakehouse.read(table).collectAsList()) {
            out.add(r.toString());
        }
        Collections.sort(out);
        return out;
    }

    /** Sum of the values of a map. */
    public static <K> BigInteger total(Map<K, BigInteger> amounts) {
        return amounts.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
    }

    /** Groups a map by a function of its keys. */
    public static <K> Map<String, BigInteger> sumBy(Map<K, BigInteger> amounts, Function<K, String> by) {
        Map<String, BigInteger> out = new TreeMap<>();
        amounts.forEach((k, v) -> out.merge(by.apply(k), v, BigInteger::add));
        return out;
    }
}

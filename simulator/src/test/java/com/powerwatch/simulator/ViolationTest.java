package com.powerwatch.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static com.powerwatch.simulator.EnterpriseModel.EPT;
import static com.powerwatch.simulator.EnterpriseModel.IA;
import static com.powerwatch.simulator.EnterpriseModel.PF;
import static com.powerwatch.simulator.EnterpriseModel.PT;
import static com.powerwatch.simulator.EnterpriseModel.UA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The violation plan and what the frames show: every record of a plan is replayed through the enterprise model
 * and packet factory (no network, no timing) and checked against what it claims was injected.
 */
class ViolationTest {

    /** A Monday 00:00. */
    static final LocalDateTime START = LocalDateTime.of(2026, 11, 23, 0, 0);

    static FleetConfig config(long seed, int loggers, double rate) {
        return FleetConfig.builder("127.0.0.1", 9212).seed(seed).loggers(loggers).simulatedStart(START)
                .interval(Duration.ofSeconds(60)).violations(rate).build();
    }

    /** One simulated sample: readings (as sent) and the real-time frame's items. */
    record Sample(LocalDateTime t, double[][] r, Map<String, String> items) {
    }

    /** Steps logger {@code index}'s model with the plan's effects minute by minute over [from, to). */
    static List<Sample> simulate(FleetConfig config, ViolationPlan plan, int index, LocalDateTime from,
                                 LocalDateTime to, boolean withEffects) {
        EnterpriseModel model = new EnterpriseModel(config.seed(), index);
        if (withEffects) {
            model.effects(plan.effects(index));
        }
        FactorFamily family = config.family().forLogger(index);
        PacketFactory factory = new PacketFactory(family, model.meters(), "32", "123456", "SIM", 9999);
        List<Sample> out = new ArrayList<>();
        boolean first = true;
        for (LocalDateTime t = from; t.isBefore(to); t = t.plusMinutes(1)) {
            double[][] r = model.step(t, first ? 0 : 60);
            first = false;
            Map<String, String> items = new HashMap<>();
            for (PacketFactory.Group g : factory.realtime(r)) {
                for (int i = 0; i < g.keys().size(); i++) {
                    items.put(g.keys().get(i), g.values().get(i));
                }
            }
            out.add(new Sample(t, r, items));
        }
        return out;
    }

    static int meterIndex(FleetConfig config, int index, String code) {
        FactorFamily family = config.family().forLogger(index);
        EnterpriseModel model = new EnterpriseModel(config.seed(), index);
        for (int m = 0; m < model.meters(); m++) {
            if (PacketFactory.meterCode(family, m).equals(code)) {
                return m;
            }
        }
        throw new AssertionError("no meter " + code);
    }

    static List<Integer> meterIndexes(FleetConfig config, int index, Object codes) {
        List<Integer> out = new ArrayList<>();
        for (Object c : (List<?>) codes) {
            out.add(meterIndex(config, index, (String) c));
        }
        return out;
    }

    static List<Sample> in(List<Sample> samples, LocalDateTime from, LocalDateTime to) {
        return samples.stream().filter(s -> !s.t.isBefore(from) && s.t.isBefore(to)).toList();
    }

    static double sumP(Sample s, List<Integer> meters) {
        double sum = 0;
        for (int m : meters) {
            sum += s.r[m][PT];
        }
        return sum;
    }

    static long count(List<Sample> samples, Predicate<Sample> p) {
        return samples.stream().filter(p).count();
    }

    // ------------------------------------------------------------------------------------------ the plan

    @Test
    void defaultConfigPlansAndInjectsNothing() {
        FleetConfig c = FleetConfig.builder("127.0.0.1", 9212).simulatedStart(START).build();
        assertFalse(c.violationsEnabled());
        ViolationPlan plan = ViolationPlan.plan(c);
        assertTrue(plan.violations().isEmpty());
        assertTrue(plan.orders().isEmpty());
        assertTrue(plan.effects(0).isEmpty());
        // the old 30-argument constructor still builds a config without violations
        FleetConfig old = new FleetConfig("h", 1, 1, 1, Duration.ofSeconds(60), 1, null, FactorFamily.A,
                com.powerwatch.hj212.Hj212Version.V2017, "32", "123456", true, Duration.ofSeconds(10), 3, 1024, false,
                Duration.ofMinutes(10), false, 0, null, false, 0, true, 180, 1000, Duration.ofSeconds(1),
                Duration.ofSeconds(30), 1, null, "SIM");
        assertFalse(old.violationsEnabled());
        assertEquals(0, old.violationRate());
    }

    @Test
    void planNeedsAStartAndIsDeterministic() {
        FleetConfig noStart = config(3, 50, 0.3).toBuilder().simulatedStart(null).build();
        try {
            ViolationPlan.plan(noStart);
            throw new AssertionError("expected an exception");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("start"));
        }
        List<String> a = lines(ViolationPlan.plan(config(3, 50, 0.3)));
        List<String> b = lines(ViolationPlan.plan(config(3, 50, 0.3)));
        List<String> c = lines(ViolationPlan.plan(config(4, 50, 0.3)));
        assertEquals(a, b, "same seed, same plan");
        assertNotEquals(a, c, "another seed, another plan");
        assertFalse(a.isEmpty());
        // the fleet's effects are the plan's: copies, equal each time
        ViolationPlan p = ViolationPlan.plan(config(3, 50, 0.3));
        assertEquals(p.effects(7).toString(), p.effects(7).toString());
    }

    private static List<String> lines(ViolationPlan plan) {
        List<String> out = new ArrayList<>();
        plan.violations().forEach(v -> out.add(v.toJson()));
        plan.orders().forEach(o -> out.add(o.toJson()));
        return out;
    }

    @Test
    void everyTypeAndEveryNegativeAppearAndNothingOverlaps() {
        FleetConfig config = config(11, 200, 0.3);
        ViolationPlan plan = ViolationPlan.plan(config);
        Set<ViolationType> positives = EnumSet.noneOf(ViolationType.class);
        Set<String> negatives = new HashSet<>();
        for (Violation v : plan.violations()) {
            if (v.expected()) {
                positives.add(v.type());
            } else {
                negatives.add(String.valueOf(v.params().get("variant")));
            }
            assertTrue(v.start().isBefore(v.end()), () -> "empty window " + v.toJson());
            if (!"WEEKEND_SHUTDOWN".equals(v.params().get("variant"))) {
                assertFalse(v.start().isBefore(START.plus(ViolationPlan.WARM_UP)), () -> "in the warm-up " + v.toJson());
            }
            assertFalse(v.end().isAfter(START.plusDays(7)), () -> "beyond the horizon " + v.toJson());
        }
        assertEquals(EnumSet.allOf(ViolationType.class), positives);
        Set<String> expectedNegatives = new HashSet<>();
        for (ViolationPlan.Negative n : ViolationPlan.Negative.values()) {
            expectedNegatives.add(n.name());
        }
        expectedNegatives.add("WEEKEND_SHUTDOWN");
        assertEquals(expectedNegatives, negatives);
        // about as many of each type: rotation, not chance
        Map<ViolationType, Integer> counts = new HashMap<>();
        plan.positives().forEach(v -> counts.merge(v.type(), 1, Integer::sum));
        int max = counts.values().stream().mapToInt(i -> i).max().orElseThrow();
        int min = counts.values().stream().mapToInt(i -> i).min().orElseThrow();
        assertTrue(min * 3 >= max, () -> "balanced types: " + counts);

        // no two records of one enterprise overlap (so none on one facility), and their effects never overlap per meter
        Map<Integer, List<Violation>> byEnterprise = new HashMap<>();
        plan.violations().forEach(v -> byEnterprise.computeIfAbsent(v.enterpriseIndex(), k -> new ArrayList<>()).add(v));
        for (List<Violation> list : byEnterprise.values()) {
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    Violation x = list.get(i);
                    Violation y = list.get(j);
                    assertFalse(x.start().isBefore(y.end()) && y.start().isBefore(x.end()),
                            () -> "overlap:\n" + x.toJson() + "\n" + y.toJson());
                }
            }
        }
        for (int i = 0; i < config.loggers(); i++) {
            List<Effect> effects = plan.effects(i);
            for (int a = 0; a < effects.size(); a++) {
                for (int b = a + 1; b < effects.size(); b++) {
                    Effect x = effects.get(a);
                    Effect y = effects.get(b);
                    if (x.meter == y.meter || x.meter < 0 || y.meter < 0) {
                        assertFalse(x.from < y.to && y.from < x.to, () -> "effects overlap: " + x + " " + y);
                    }
                }
            }
        }
        // every order has its record (kept ones as negatives), and records of orders name their order
        for (ProductionOrder o : plan.orders()) {
            assertTrue(plan.violations().stream().anyMatch(v -> v.mn().equals(o.mn()) && !v.start().isBefore(o.from())
                    && !v.end().isAfter(o.to()) && (v.type() == ViolationType.PRODUCTION_DURING_STOP
                    || v.type() == ViolationType.LIMIT_NOT_KEPT)), () -> "order without record " + o.toJson());
            assertTrue(o.baselineKw() > 0 && o.baselineDailyKwh() > 0);
            assertEquals("simulator", o.source());
            assertNull(o.lines());
            if (o.kind() == ProductionOrder.Kind.LIMIT) {
                assertTrue(o.limitPercent() == 30 || o.limitPercent() == 50);
            }
        }
    }

    @Test
    void ownHistoryViolationsComeAfterEnoughOrdinaryDays() {
        // the platform's ratio and pattern models compare an enterprise with its own days, leaving out days under an
        // order: a violation planned with fewer ordinary days before it could not be found by design
        FleetConfig config = config(11, 400, 0.3);
        ViolationPlan plan = ViolationPlan.plan(config);
        int checked = 0;
        for (Violation v : plan.positives()) {
            if (v.type() != ViolationType.PATTERN_ANOMALY && v.type() != ViolationType.TREATMENT_RATIO_DROP) {
                continue;
            }
            EnterpriseModel model = new EnterpriseModel(config.seed(), v.enterpriseIndex());
            int ordinary = 0;
            for (LocalDate d = START.toLocalDate(); d.isBefore(v.start().toLocalDate()); d = d.plusDays(1)) {
                LocalDate day = d;
                boolean ordered = plan.orders().stream().anyMatch(o -> o.enterpriseIndex() == v.enterpriseIndex()
                        && o.from().toLocalDate().equals(day));
                if (model.works(day) && !ordered) {
                    ordinary++;
                }
            }
            int n = ordinary;
            assertTrue(n >= ViolationPlan.HISTORY_DAYS, () -> n + " ordinary days before " + v.toJson());
            checked++;
        }
        assertTrue(checked >= 10, "the plan has ratio and pattern violations: " + checked);
    }

    // ------------------------------------------------------------------------------------------ what the frames show

    @Test
    void everyRecordIsVisibleInTheFrames() {
        Set<String> checked = new HashSet<>();
        for (long seed : Long.getLong("violationSeeds", 0) > 0 ? java.util.stream.LongStream.rangeClosed(1,
                Long.getLong("violationSeeds", 0)).toArray() : new long[]{5, 6}) {
            FleetConfig config = config(seed, 60, 0.35).toBuilder().family(seed % 2 == 0 ? FactorFamily.MIXED
                    : FactorFamily.B).build();
            ViolationPlan plan = ViolationPlan.plan(config);
            for (Violation v : plan.violations()) {
                check(config, plan, v);
                checked.add(v.type() + (v.expected() ? "" : "/" + v.params().get("variant")));
            }
        }
        for (ViolationType t : ViolationType.values()) {
            assertTrue(checked.contains(t.name()), "checked " + t);
        }
        assertTrue(checked.size() >= ViolationType.values().length + 5, () -> "negatives checked too: " + checked);
    }

    private static void check(FleetConfig config, ViolationPlan plan, Violation v) {
        int e = v.enterpriseIndex();
        EnterpriseModel model = new EnterpriseModel(config.seed(), e);
        String what = v.toJson();
        List<Sample> all = simulate(config, plan, e, v.start().minusMinutes(60), v.end().plusMinutes(60), true);
        List<Sample> during = in(all, v.start(), v.end());
        assertFalse(during.isEmpty(), what);
        Integer meter = v.meterCode() == null ? null : meterIndex(config, e, v.meterCode());
        List<Integer> production = model.meters(FacilityKind.PRODUCTION);
        List<Integer> treatments = model.meters(FacilityKind.TREATMENT);
        String variant = String.valueOf(v.params().get("variant"));
        switch (v.type()) {
            case TREATMENT_NOT_STARTED -> {
                List<Integer> served = meterIndexes(config, e, v.params().get("servedProduction"));
                assertTrue(during.stream().allMatch(s -> s.r[meter][PT] == 0), what);
                assertTrue(in(all, v.start().minusMinutes(30), v.start()).stream().allMatch(s -> s.r[meter][PT] == 0),
                        "not even before production: " + what);
                long producing = count(during, s -> served.stream().anyMatch(p -> s.r[p][PT] > 0.1 * model.ratedKw(p)));
                assertTrue(producing > during.size() * 0.8, what);
            }
            case TREATMENT_STOPPED, TREATMENT_ABNORMAL -> {
                List<Integer> served = meterIndexes(config, e, v.params().get("servedProduction"));
                double normal = model.normalKw(meter);
                for (Sample s : during) {
                    for (int p : served) {
                        assertTrue(s.r[p][PT] > 0.3 * model.ratedKw(p), () -> "production runs at " + s.t + ": " + what);
                    }
                    if (v.type() == ViolationType.TREATMENT_STOPPED) {
                        assertEquals(0, s.r[meter][PT], what);
                    } else {
                        assertTrue(s.r[meter][PT] > 0.1 * model.ratedKw(meter) && s.r[meter][PT] < 0.4 * normal,
                                () -> "low but running at " + s.t + " " + s.r[meter][PT] + ": " + what);
                    }
                }
                for (Sample s : in(all, v.start().minusMinutes(20), v.start())) {
                    assertTrue(s.r[meter][PT] > 0.8 * normal, () -> "normal before " + s.t + ": " + what);
                }
                for (Sample s : in(all, v.end(), v.end().plusMinutes(20))) {
                    assertTrue(s.r[meter][PT] > 0.8 * normal, () -> "normal after " + s.t + ": " + what);
                }
            }
            case START_STOP_ORDER -> {
                List<Integer> served = meterIndexes(config, e, v.params().get("servedProduction"));
                long minutes = Duration.between(v.start(), v.end()).toMinutes();
                boolean late = variant.contains("LATE_START");
                boolean early = variant.contains("EARLY_STOP");
                long tolerance = late ? ViolationPlan.LEAD_TOLERANCE.toMinutes() : ViolationPlan.LAG_TOLERANCE.toMinutes();
                assertEquals(tolerance, ((Number) v.params().get(late ? "leadToleranceMin" : "lagToleranceMin")).longValue());
                if (late || early) {
                    assertTrue(during.stream().allMatch(s -> s.r[meter][PT] == 0), "treatment off: " + what);
                    // production runs (after its ramp) during the whole gap
                    for (Sample s : in(all, v.start().plusMinutes(late ? 2 : 0), v.end())) {
                        assertTrue(served.stream().anyMatch(p -> s.r[p][PT] > 0.1 * model.ratedKw(p)),
                                () -> "production on at " + s.t + ": " + what);
                    }
                    Sample edge = late ? in(all, v.end(), v.end().plusMinutes(1)).get(0)
                            : in(all, v.start().minusMinutes(1), v.start()).get(0);
                    assertTrue(edge.r[meter][PT] > 0, "treatment runs outside the gap: " + what);
                    if (v.expected()) {
                        assertTrue(minutes > tolerance + 10, "clearly beyond tolerance: " + what);
                    } else {
                        assertTrue(minutes <= 10 && minutes < tolerance, "clearly within tolerance: " + what);
                    }
                } else {
                    // NORMAL_RUNDOWN: production is off, treatment runs on for at most the usual lag, then stops
                    assertFalse(v.expected());
                    for (Sample s : during) {
                        assertEquals(0, sumP(s, served), what);
                        assertTrue(s.r[meter][PT] > 0, what);
                    }
                    assertTrue(minutes <= 30, what);
                    assertEquals(0, in(all, v.end(), v.end().plusMinutes(1)).get(0).r[meter][PT], what);
                }
            }
            case TREATMENT_RATIO_DROP -> {
                List<Sample> normal = in(simulate(config, plan, e, v.start(), v.end(), false), v.start(), v.end());
                double ratio = ratio(during, treatments, production);
                double usual = ratio(normal, treatments, production);
                assertTrue(ratio < 0.5 * usual, () -> "ratio " + ratio + " vs usual " + usual + ": " + what);
                for (int t : treatments) {
                    // still "running" (above a 10 % start/stop threshold) apart from its start-up ramp
                    long on = count(during, s -> s.r[t][PT] > 0);
                    long running = count(during, s -> s.r[t][PT] > 0.1 * model.ratedKw(t));
                    assertTrue(running >= on - 3 && running > 0, "still running: " + what);
                }
            }
            case PRODUCTION_DURING_STOP, LIMIT_NOT_KEPT -> {
                ProductionOrder order = plan.orders().stream().filter(o -> o.mn().equals(v.mn())
                        && !o.from().isAfter(v.start()) && !o.to().isBefore(v.end())).findFirst().orElseThrow();
                assertEquals(v.type() == ViolationType.PRODUCTION_DURING_STOP ? ProductionOrder.Kind.STOP
                        : ProductionOrder.Kind.LIMIT, order.kind());
                double mean = during.stream().mapToDouble(s -> sumP(s, production)).average().orElseThrow();
                if (v.expected()) {
                    assertTrue(mean > order.allowedKw() * 1.15 + 1, () -> "mean " + mean + " vs allowed " + order.allowedKw() + ": " + what);
                    long producing = count(during, s -> sumP(s, production) > 0.3 * order.baselineKw());
                    assertTrue(producing > during.size() * 0.7, what);
                } else if (order.kind() == ProductionOrder.Kind.STOP) {
                    assertTrue(during.stream().allMatch(s -> sumP(s, production) == 0), "kept stop: " + what);
                    double total = during.stream().mapToDouble(s -> s.r[0][PT]).sum() / 60;
                    assertTrue(total < 0.25 * order.baselineDailyKwh(), "total " + total + " under 25 % of baseline " + order.baselineDailyKwh() + " " + model.shift() + " treat " + treatments + ": " + what);
                } else {
                    // every clock hour's mean stays under the allowed level
                    for (int h = 0; h < 24; h++) {
                        int hour = h;
                        double hourly = during.stream().filter(s -> s.t.getHour() == hour)
                                .mapToDouble(s -> sumP(s, production)).average().orElse(0);
                        assertTrue(hourly < order.allowedKw(), () -> "hour " + hour + " " + hourly + ": " + what);
                    }
                }
            }
            case OVER_CAPACITY -> {
                for (Sample s : during) {
                    assertTrue(s.r[meter][PT] > 1.2 * model.ratedKw(meter), "far above rated: " + what);
                }
            }
            case LOGGER_OFFLINE -> {
                EnterpriseModel m = new EnterpriseModel(config.seed(), e);
                m.effects(plan.effects(e));
                assertTrue(m.loggerOfflineUntil(v.start()) >= 0, what);
                assertTrue(m.loggerOfflineUntil(v.end().minusMinutes(1)) >= 0, what);
                assertEquals(-1, m.loggerOfflineUntil(v.end()), what);
                assertEquals(-1, m.loggerOfflineUntil(v.start().minusMinutes(1)), what);
                assertTrue(Duration.between(v.start(), v.end()).toMinutes() >= 20);
            }
            case METER_OFFLINE -> {
                List<String> keys = PacketFactory.realtimeKeys(config.family().forLogger(e), meter);
                for (Sample s : all) {
                    boolean inside = v.covers(s.t);
                    for (String k : keys) {
                        assertEquals(!inside, s.items.containsKey(k), () -> k + " at " + s.t + ": " + what);
                    }
                    assertTrue(s.items.keySet().containsAll(PacketFactory.realtimeKeys(config.family().forLogger(e),
                            meter == 0 ? 1 : 0)), "the other meters still send");
                }
                assertTrue(Duration.between(v.start(), v.end()).toMinutes() >= 20);
            }
            case INVALID_DATA -> {
                String flag = (String) v.params().get("flag");
                assertTrue(flag.equals("D") || flag.equals("F"));
                for (Sample s : all) {
                    String expected = v.covers(s.t) ? flag : "N";
                    for (String k : PacketFactory.realtimeKeys(config.family().forLogger(e), meter)) {
                        if (k.endsWith("-Flag")) {
                            assertEquals(expected, s.items.get(k), () -> k + " at " + s.t + ": " + what);
                        }
                    }
                }
            }
            case METER_POWER_LOSS -> {
                double ept = during.get(0).r[meter][EPT];
                for (Sample s : during) {
                    for (int p = 0; p < 3; p++) {
                        assertTrue(s.r[meter][UA + p] < 0.5, what);
                    }
                    assertEquals(0, s.r[meter][PT]);
                    assertEquals(0, s.r[meter][IA]);
                    assertEquals(ept, s.r[meter][EPT], "register stands still: " + what);
                }
                assertTrue(in(all, v.end(), v.end().plusMinutes(1)).get(0).r[meter][UA] > 198, "back after: " + what);
            }
            case PHASE_LOSS -> {
                int phase = "ABC".indexOf((String) v.params().get("phase"));
                for (Sample s : during) {
                    for (int p = 0; p < 3; p++) {
                        double u = s.r[meter][UA + p];
                        assertTrue(p == phase ? u < 0.5 : u > 198 && u < 242, "phase " + p + " " + u + ": " + what);
                    }
                }
            }
            case FROZEN_VALUE -> {
                double[] first = during.get(0).r[meter];
                assertTrue(first[PT] > 0, "frozen while running (P ≠ 0): " + what);
                for (Sample s : during) {
                    for (int f = 0; f < EnterpriseModel.FIELDS; f++) {
                        assertEquals(first[f], s.r[meter][f], "field " + f + " frozen at " + s.t + ": " + what);
                    }
                }
                assertTrue(during.size() >= 12, "at least 12 samples: " + what);
                double[] after = in(all, v.end(), v.end().plusMinutes(1)).get(0).r[meter];
                assertNotEquals(first[PT], after[PT], "moves again after: " + what);
                assertTrue(after[EPT] - first[EPT] < after[PT] / 60 * 1.01 + 0.01 + first[PT] / 60,
                        "no catch-up jump of the register: " + what);
            }
            case IMPOSSIBLE_READING -> {
                if (v.expected()) {
                    for (int i = 1; i < during.size(); i++) {
                        double[] r = during.get(i).r[meter];
                        double[] prev = during.get(i - 1).r[meter];
                        double p3 = (r[UA] * r[IA] + r[UA + 1] * r[IA + 1] + r[UA + 2] * r[IA + 2]) * r[PF] / 1000;
                        if (variant.equals("ENERGY_FASTER_THAN_POWER")) {
                            double integral = (prev[PT] + r[PT]) / 2 / 60;
                            assertTrue(r[EPT] - prev[EPT] > 5 * integral, what);
                        } else {
                            assertTrue(Math.abs(r[PT] - p3) > 0.5 * p3 && p3 > 0, () -> "P " + r[PT] + " vs " + p3 + ": " + what);
                        }
                    }
                } else {
                    // COUNTER_RESET: the register restarts near 0 and counts on; the readings are otherwise normal
                    assertTrue(in(all, v.start().minusMinutes(1), v.start()).get(0).r[meter][EPT] > 100, what);
                    assertTrue(during.get(0).r[meter][EPT] < 5, what);
                    for (int i = 1; i < during.size(); i++) {
                        assertTrue(during.get(i).r[meter][EPT] >= during.get(i - 1).r[meter][EPT], what);
                    }
                }
            }
            case PATTERN_ANOMALY -> {
                List<Sample> usual = simulate(config, plan, e, v.start(), v.end(), false);
                if (v.expected()) {
                    LocalDateTime from = (LocalDateTime) v.params().get("productionFrom");
                    LocalDateTime to = (LocalDateTime) v.params().get("productionTo");
                    double base = in(usual, from, to).stream().mapToDouble(s -> s.r[0][PT]).max().orElseThrow();
                    double night = in(during, from.plusMinutes(15), to).stream().mapToDouble(s -> s.r[0][PT]).min().orElseThrow();
                    assertTrue(night > base + 0.3 * production.stream().mapToDouble(model::normalKw).sum(),
                            () -> "night use " + night + " vs usual " + base + ": " + what);
                    assertTrue(during.stream().allMatch(s -> sumP(s, production) == 0
                            || treatments.stream().allMatch(t -> s.r[t][PT] > 0)), "treatment runs with it: " + what);
                } else {
                    // WEEKEND_SHUTDOWN: nothing runs all day
                    for (Sample s : during) {
                        assertEquals(0, sumP(s, production), what);
                        assertEquals(0, sumP(s, treatments), what);
                    }
                }
            }
        }
    }

    private static double ratio(List<Sample> samples, List<Integer> treatments, List<Integer> production) {
        double t = samples.stream().mapToDouble(s -> sumP(s, treatments)).sum();
        double p = samples.stream().mapToDouble(s -> sumP(s, production)).sum();
        return t / p;
    }

    // ------------------------------------------------------------------------------------------ normal behaviour

    @Test
    void normalNoiseNeverLooksLikeAViolation() {
        FleetConfig config = config(2, 24, 0);
        for (int e = 0; e < config.loggers(); e++) {
            EnterpriseModel model = new EnterpriseModel(config.seed(), e);
            List<Sample> week = simulate(config, ViolationPlan.empty(), e, START, START.plusDays(7), false);
            List<Integer> production = model.meters(FacilityKind.PRODUCTION);
            List<Integer> treatments = model.meters(FacilityKind.TREATMENT);
            int[] same = new int[model.meters()];
            for (int i = 0; i < week.size(); i++) {
                Sample s = week.get(i);
                for (int p : production) {
                    assertTrue(s.r[p][PT] <= model.ratedKw(p), "production within rated");
                }
                for (int t : treatments) {
                    boolean producing = model.serves(t).stream().anyMatch(p -> s.r[p][PT] > 0.1 * model.ratedKw(p));
                    if (producing) {
                        int tm = t;
                        assertTrue(s.r[t][PT] > 0.7 * model.normalKw(t),
                                () -> "treatment " + s.r[tm][PT] + " of normal " + model.normalKw(tm) + " at " + s.t);
                    }
                }
                for (int m = 0; m < model.meters(); m++) {
                    for (int p = 0; p < 3; p++) {
                        assertTrue(s.r[m][UA + p] > 198 && s.r[m][UA + p] < 242);
                    }
                    if (i > 0) {
                        assertTrue(s.r[m][EPT] >= week.get(i - 1).r[m][EPT], "no register drop");
                        same[m] = s.r[m][PT] != 0 && s.r[m][PT] == week.get(i - 1).r[m][PT] ? same[m] + 1 : 0;
                        assertTrue(same[m] < 3, "no constant power");
                    }
                }
            }
        }
    }

    @Test
    void treatmentGroupsCoverEveryLine() {
        for (int e = 0; e < 200; e++) {
            EnterpriseModel model = new EnterpriseModel(9, e);
            List<Integer> production = model.meters(FacilityKind.PRODUCTION);
            List<Integer> treatments = model.meters(FacilityKind.TREATMENT);
            assertTrue(production.size() >= 1 && production.size() <= 3);
            assertTrue(treatments.size() >= 1 && treatments.size() <= 3);
            Set<Integer> served = new HashSet<>();
            for (int t : treatments) {
                assertFalse(model.serves(t).isEmpty(), "each treatment serves a line");
                served.addAll(model.serves(t));
                assertTrue(model.treatmentOn(t) < model.groupOn(t) || model.continuous(), "treatment leads");
                assertTrue(model.treatmentOff(t) > model.groupOff(t) || model.continuous()
                        || model.treatmentOff(t) == 24 * 60, "treatment lags");
            }
            assertEquals(new HashSet<>(production), served, "each line is treated");
        }
        Set<ShiftPattern> shifts = EnumSet.noneOf(ShiftPattern.class);
        for (int e = 0; e < 100; e++) {
            shifts.add(new EnterpriseModel(9, e).shift());
        }
        assertEquals(EnumSet.allOf(ShiftPattern.class), shifts);
    }

    // ------------------------------------------------------------------------------------------ files and CLI

    @Test
    void planOnlyWritesTheFilesAsJsonLines(@TempDir Path dir) throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        Path orders = dir.resolve("orders.jsonl");
        SimulatorMain.Parsed parsed = SimulatorMain.parse(new String[]{"--plan-only", "--loggers", "40", "--seed", "8",
                "--start", "2026-11-23T00:00", "--violations", "0.3", "--negatives", "0.2", "--violation-days", "5",
                "--violations-file", truth.toString(), "--orders-file", orders.toString()});
        assertTrue(parsed.planOnly());
        FleetConfig c = parsed.config();
        assertEquals(0.3, c.violationRate());
        assertEquals(0.2, c.negativeRate());
        assertEquals(5, c.violationDays());
        ViolationPlan plan = SimulatorMain.planOnly(c);
        List<String> truthLines = Files.readAllLines(truth, StandardCharsets.UTF_8);
        List<String> orderLines = Files.readAllLines(orders, StandardCharsets.UTF_8);
        assertEquals(plan.violations().size(), truthLines.size());
        assertEquals(plan.orders().size(), orderLines.size());
        assertFalse(orderLines.isEmpty());
        String line = truthLines.get(0);
        assertTrue(line.matches("\\{\"type\":\"[A-Z_]+\",\"expected\":(true|false),\"mn\":\"SIM\\d+\",\"enterpriseIndex\":\\d+,"
                + "\"meterCode\":(null|\"\\w+\"),\"facility\":(null|\".+?\"),\"facilityKind\":(null|\"[A-Z]+\"),"
                + "\"start\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\",\"end\":\"[-0-9T:]{19}\",\"params\":\\{.*}}"), line);
        assertTrue(orderLines.get(0).matches("\\{\"mn\":\"SIM\\d+\",\"enterpriseIndex\":\\d+,\"kind\":\"(STOP|LIMIT)\","
                + "\"limitPercent\":(null|30|50),\"baselineKw\":[0-9.]+,\"baselineDailyKwh\":[0-9.]+,\"allowedKw\":[0-9.]+,"
                + "\"from\":\"[-0-9T:]{19}\",\"to\":\"[-0-9T:]{19}\",\"lines\":null,\"source\":\"simulator\"}"), orderLines.get(0));
        assertTrue(truthLines.stream().anyMatch(l -> l.contains("\"leadToleranceMin\":15") && l.contains("\"lagToleranceMin\":30")));
        // the same options without --plan-only give the same plan
        assertEquals(plan.violations(), ViolationPlan.plan(c).violations());
    }

    @Test
    void meterInfoNamesTheTreatmentGroups() {
        FleetConfig c = config(1, 6, 0);
        EnterpriseModel model = new EnterpriseModel(1, 0);
        assertNotNull(model);
        MeterInfo m = new MeterInfo("100001", "x", FacilityKind.PRODUCTION, 10, List.of("100001-Pt"));
        assertTrue(m.serves().isEmpty(), "the old constructor still works");
        assertEquals(0, c.violationRate());
    }
}

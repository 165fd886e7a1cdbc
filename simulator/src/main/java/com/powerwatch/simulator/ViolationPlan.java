package com.powerwatch.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;

/**
 * The violations, legitimate look-alikes and production orders of a fleet, computed from its configuration alone
 * (seed, loggers, start, interval, rates, days): {@link #plan(FleetConfig)} gives the same plan a {@link Fleet}
 * started with that configuration injects, without opening a connection, so an evaluation can register the orders
 * in the platform before the data flows.
 *
 * <p>Scheduling rules (see docs/simulator.md): each simulated day, each enterprise that works that day draws one
 * number; below {@code violationRate} it gets one violation, below {@code violationRate + negativeRate} one
 * negative, otherwise nothing. So an enterprise has at most one planned episode per day, and episodes never
 * overlap on any facility. Types rotate through {@link ViolationType} (skipping those the enterprise cannot
 * have that day), so a large fleet gets every type in about equal numbers. Nothing starts before
 * {@link #WARM_UP} after the simulated start; ratio and pattern anomalies wait for {@link #HISTORY_DAYS} ordinary days
 * of the enterprise (working days without a stop or limit order, which the platform's own-history models leave out),
 * orders for one day, so the platform has some history.
 */
public final class ViolationPlan {

    /** Treatment may start at most this long after production (beyond it: START_STOP_ORDER). */
    public static final Duration LEAD_TOLERANCE = Duration.ofMinutes(15);
    /** Treatment may stop at most this long before production (beyond it: START_STOP_ORDER). */
    public static final Duration LAG_TOLERANCE = Duration.ofMinutes(30);
    /** Production may run this long after an ordered stop begins (run-down). */
    public static final Duration RUNDOWN_TOLERANCE = Duration.ofMinutes(15);
    /** Nothing is injected in the first two simulated hours. */
    public static final Duration WARM_UP = Duration.ofHours(2);
    /** Ratio and pattern anomalies come only after this many ordinary days of the enterprise (no order, a working day). */
    public static final int HISTORY_DAYS = 2;

    /** The legitimate look-alikes, by variant. */
    enum Negative {
        LATE_START_WITHIN_TOLERANCE, EARLY_STOP_WITHIN_TOLERANCE, NORMAL_RUNDOWN, COUNTER_RESET, STOP_KEPT, LIMIT_KEPT
    }

    private final List<Violation> records;
    private final List<ProductionOrder> orders;
    private final Map<Integer, List<Effect>> effects;

    private ViolationPlan(List<Violation> records, List<ProductionOrder> orders, Map<Integer, List<Effect>> effects) {
        this.records = List.copyOf(records);
        this.orders = List.copyOf(orders);
        this.effects = effects;
    }

    /** A plan with nothing in it (violations off). */
    public static ViolationPlan empty() {
        return new ViolationPlan(List.of(), List.of(), Map.of());
    }

    /**
     * The plan of a configuration; needs {@link FleetConfig#simulatedStart()} when violations or negatives are on
     * (a fleet started at "now" cannot be planned in advance).
     */
    public static ViolationPlan plan(FleetConfig config) {
        if (!config.violationsEnabled()) {
            return empty();
        }
        if (config.simulatedStart() == null) {
            throw new IllegalArgumentException("a violation plan needs a simulated start (--start)");
        }
        return plan(config, config.simulatedStart());
    }

    /** The plan of a configuration for a fleet whose simulated time begins at {@code start}. */
    public static ViolationPlan plan(FleetConfig config, LocalDateTime start) {
        if (!config.violationsEnabled()) {
            return empty();
        }
        return new Planner(config, start).run();
    }

    /** Every ground-truth record, violations and negatives, ordered by start. */
    public List<Violation> violations() {
        return records;
    }

    /** The violations only ({@code expected = true}). */
    public List<Violation> positives() {
        return records.stream().filter(Violation::expected).toList();
    }

    /** The legitimate look-alikes only ({@code expected = false}). */
    public List<Violation> negatives() {
        return records.stream().filter(v -> !v.expected()).toList();
    }

    public List<ProductionOrder> orders() {
        return orders;
    }

    /** Fresh copies of the effects injected into logger {@code index}. */
    List<Effect> effects(int index) {
        List<Effect> list = effects.get(index);
        if (list == null) {
            return List.of();
        }
        List<Effect> out = new ArrayList<>(list.size());
        for (Effect e : list) {
            out.add(e.copy());
        }
        return out;
    }

    /** Writes the ground truth and the orders as JSON lines; a null path is skipped. */
    public void write(Path violationsFile, Path ordersFile) {
        try {
            if (violationsFile != null) {
                try (BufferedWriter w = Files.newBufferedWriter(violationsFile, StandardCharsets.UTF_8)) {
                    for (Violation v : records) {
                        w.write(v.toJson());
                        w.newLine();
                    }
                }
            }
            if (ordersFile != null) {
                try (BufferedWriter w = Files.newBufferedWriter(ordersFile, StandardCharsets.UTF_8)) {
                    for (ProductionOrder o : orders) {
                        w.write(o.toJson());
                        w.newLine();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the violation plan", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ planning

    private static final class Planner {
        final FleetConfig config;
        final LocalDateTime start;
        final LocalDateTime earliest;
        final LocalDateTime horizon;
        final int intervalMin;
        final List<Violation> records = new ArrayList<>();
        final List<ProductionOrder> orders = new ArrayList<>();
        final Map<Integer, List<Effect>> effects = new HashMap<>();
        // the enterprise being planned
        int index;
        EnterpriseModel model;
        String mn;
        String[] codes;
        LocalDate date;
        int dayIndex;
        Random r;

        Planner(FleetConfig config, LocalDateTime start) {
            this.config = config;
            this.start = start.truncatedTo(ChronoUnit.MINUTES);
            this.earliest = this.start.plus(WARM_UP);
            this.horizon = this.start.plusDays(config.violationDays());
            this.intervalMin = (int) Math.max(1, (config.interval().toSeconds() + 59) / 60);
        }

        ViolationPlan run() {
            ViolationType[] kinds = ViolationType.values();
            Negative[] negatives = Negative.values();
            Random draw = new Random(config.seed() * 0x2545F4914F6CDD1DL + 0x5851F42D4C957F2DL);
            int kindCursor = Math.floorMod(config.seed(), kinds.length);
            int negativeCursor = Math.floorMod(config.seed(), negatives.length);
            EnterpriseModel[] models = new EnterpriseModel[config.loggers()];
            for (int i = 0; i < models.length; i++) {
                models[i] = new EnterpriseModel(config.seed(), i);
            }
            int days = (int) ChronoUnit.DAYS.between(start.toLocalDate(), horizon.toLocalDate()) + 1;
            for (dayIndex = 0; dayIndex < days; dayIndex++) {
                date = start.toLocalDate().plusDays(dayIndex);
                for (index = 0; index < models.length; index++) {
                    model = models[index];
                    double u = draw.nextDouble();
                    if (!model.works(date)) {
                        weekendShutdown();
                        continue;
                    }
                    mn = SimLogger.mn(config, index);
                    FactorFamily family = config.family().forLogger(index);
                    codes = new String[model.meters()];
                    for (int m = 0; m < codes.length; m++) {
                        codes[m] = PacketFactory.meterCode(family, m);
                    }
                    r = new Random(config.seed() * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L
                            + dayIndex * 0x94D049BB133111EBL + 3);
                    if (u < config.violationRate()) {
                        for (int k = 0; k < kinds.length; k++) {
                            ViolationType kind = kinds[(kindCursor + k) % kinds.length];
                            if (violation(kind)) {
                                kindCursor = (kindCursor + k + 1) % kinds.length;
                                break;
                            }
                        }
                    } else if (u < config.violationRate() + config.negativeRate()) {
                        for (int k = 0; k < negatives.length; k++) {
                            Negative kind = negatives[(negativeCursor + k) % negatives.length];
                            if (negative(kind)) {
                                negativeCursor = (negativeCursor + k + 1) % negatives.length;
                                break;
                            }
                        }
                    }
                }
            }
            records.sort(Comparator.comparing(Violation::start).thenComparing(Violation::enterpriseIndex));
            orders.sort(Comparator.comparing(ProductionOrder::from).thenComparing(ProductionOrder::enterpriseIndex));
            return new ViolationPlan(records, orders, effects);
        }

        // ---------------------------------------------------------------- helpers

        LocalDateTime at(int minute) {
            return date.atStartOfDay().plusMinutes(minute);
        }

        /** First minute of {@link #date} an episode may begin at. */
        int lowerBound() {
            if (date.isBefore(earliest.toLocalDate())) {
                return Integer.MAX_VALUE;
            }
            if (date.equals(earliest.toLocalDate())) {
                return earliest.getHour() * 60 + earliest.getMinute();
            }
            return 0;
        }

        /** Last minute of {@link #date} an episode may end at. */
        int upperBound() {
            if (date.isAfter(horizon.toLocalDate())) {
                return Integer.MIN_VALUE;
            }
            if (date.equals(horizon.toLocalDate())) {
                return horizon.getHour() * 60 + horizon.getMinute();
            }
            return 24 * 60;
        }

        boolean fits(int from, int to) {
            return from >= lowerBound() && to <= upperBound() && from < to;
        }

        /** Whether the whole day is inside the plannable range. */
        boolean wholeDay() {
            return fits(0, 24 * 60);
        }

        /**
         * A window [a, b) of minDur..maxDur minutes inside one of the segments, {@code margin} minutes from its ends
         * and within the plannable range; null if none.
         */
        int[] window(List<int[]> segments, int margin, int minDur, int maxDur) {
            List<int[]> feasible = new ArrayList<>();
            for (int[] s : segments) {
                int lo = Math.max(s[0] + margin, lowerBound());
                int hi = Math.min(s[1] - margin, upperBound());
                if (hi - lo >= minDur) {
                    feasible.add(new int[]{lo, hi});
                }
            }
            if (feasible.isEmpty()) {
                return null;
            }
            int[] s = feasible.get(r.nextInt(feasible.size()));
            int dur = minDur + r.nextInt(Math.min(maxDur, s[1] - s[0]) - minDur + 1);
            int a = s[0] + r.nextInt(s[1] - s[0] - dur + 1);
            return new int[]{a, a + dur};
        }

        List<int[]> wholeDaySegment() {
            return List.of(new int[]{0, 24 * 60});
        }

        /** The segments during which a facility meter draws its steady running power. */
        List<int[]> steady(int meter) {
            if (model.kind(meter) == FacilityKind.PRODUCTION) {
                return model.runningSegments(List.of(meter));
            }
            if (model.continuous()) {
                return wholeDaySegment();
            }
            return List.of(new int[]{model.treatmentOn(meter) + 5, model.treatmentOff(meter)});
        }

        <T> T pick(List<T> list) {
            return list.get(r.nextInt(list.size()));
        }

        void effect(Effect.Op op, int meter, LocalDateTime from, LocalDateTime to, double value) {
            effects.computeIfAbsent(index, k -> new ArrayList<>()).add(new Effect(op, meter, from, to, value));
        }

        Map<String, Object> params(Object... kv) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                m.put((String) kv[i], kv[i + 1]);
            }
            return m;
        }

        List<String> codesOf(List<Integer> meters) {
            List<String> out = new ArrayList<>();
            for (int m : meters) {
                out.add(codes[m]);
            }
            return out;
        }

        void record(ViolationType type, boolean expected, Integer meter, FacilityKind kind, LocalDateTime from,
                    LocalDateTime to, Map<String, Object> params) {
            records.add(new Violation(type, expected, mn, index, meter == null ? null : codes[meter],
                    meter == null ? null : model.facility(meter), meter == null ? kind : model.kind(meter), from, to,
                    params));
        }

        static double round(double v) {
            return Numbers.round(v, 3);
        }

        double baselineKw() {
            double kw = 0;
            for (int p : model.meters(FacilityKind.PRODUCTION)) {
                kw += model.normalKw(p);
            }
            return Numbers.round(kw, 2);
        }

        double baselineDailyKwh() {
            double kwh = 0;
            for (int p : model.meters(FacilityKind.PRODUCTION)) {
                double minutes = 0;
                for (int[] s : model.runningSegments(List.of(p))) {
                    minutes += s[1] - s[0];
                }
                kwh += model.normalKw(p) * minutes / 60;
            }
            return Numbers.round(kwh, 1);
        }

        int firstProductionOn() {
            int on = 24 * 60;
            for (int p : model.meters(FacilityKind.PRODUCTION)) {
                on = Math.min(on, model.productionOn(p));
            }
            return on;
        }

        int lastProductionOff() {
            int off = 0;
            for (int p : model.meters(FacilityKind.PRODUCTION)) {
                off = Math.max(off, model.productionOff(p));
            }
            return off;
        }

        /** The production line of a treatment's group that starts first (or stops last). */
        int line(int treatment, boolean first) {
            int best = -1;
            for (int p : model.serves(treatment)) {
                if (best < 0 || (first ? model.productionOn(p) < model.productionOn(best)
                        : model.productionOff(p) > model.productionOff(best))) {
                    best = p;
                }
            }
            return best;
        }

        // ---------------------------------------------------------------- violations

        boolean violation(ViolationType type) {
            List<Integer> treatments = model.meters(FacilityKind.TREATMENT);
            List<Integer> production = model.meters(FacilityKind.PRODUCTION);
            List<Integer> facilities = new ArrayList<>(production);
            facilities.addAll(treatments);
            switch (type) {
                case TREATMENT_NOT_STARTED -> {
                    if (model.continuous()) {
                        return false;
                    }
                    int t = pick(treatments);
                    int on = model.treatmentOn(t);
                    int off = model.treatmentOff(t);
                    if (!fits(on, off)) {
                        return false;
                    }
                    effect(Effect.Op.OFF, t, at(on), at(off), 0);
                    record(type, true, t, null, at(model.groupOn(t)), at(model.groupOff(t)), params(
                            "servedProduction", codesOf(model.serves(t)),
                            "treatmentNormalOn", at(on), "treatmentNormalOff", at(off),
                            "normalKw", model.normalKw(t),
                            "mayAlsoRaise", List.of("START_STOP_ORDER", "TREATMENT_RATIO_DROP")));
                    return true;
                }
                case TREATMENT_STOPPED, TREATMENT_ABNORMAL -> {
                    int t = pick(treatments);
                    int[] w = window(model.runningSegments(model.serves(t)), 30, 30, 180);
                    if (w == null) {
                        return false;
                    }
                    Map<String, Object> p = params("servedProduction", codesOf(model.serves(t)),
                            "normalKw", model.normalKw(t));
                    if (type == ViolationType.TREATMENT_STOPPED) {
                        effect(Effect.Op.OFF, t, at(w[0]), at(w[1]), 0);
                        p.put("injectedKw", 0.0);
                    } else {
                        double lo = Math.max(0.20, 0.15 / model.runLevel(t));
                        double f = round(lo + r.nextDouble() * (0.33 - lo));
                        effect(Effect.Op.SCALE, t, at(w[0]), at(w[1]), f);
                        p.put("fraction", f);
                        p.put("injectedKw", Numbers.round(model.normalKw(t) * f, 2));
                    }
                    record(type, true, t, null, at(w[0]), at(w[1]), p);
                    return true;
                }
                case START_STOP_ORDER -> {
                    if (model.continuous()) {
                        return false;
                    }
                    int t = pick(treatments);
                    boolean late = r.nextBoolean();
                    // clearly beyond the tolerance: 15 + 15..45 min late, or 30 + 15..45 min early
                    int minutes = (int) (late ? LEAD_TOLERANCE : LAG_TOLERANCE).toMinutes() + 15 + r.nextInt(31);
                    Map<String, Object> p = params("servedProduction", codesOf(model.serves(t)),
                            "leadToleranceMin", LEAD_TOLERANCE.toMinutes(), "lagToleranceMin", LAG_TOLERANCE.toMinutes());
                    if (late) {
                        int prodOn = model.groupOn(t);
                        int[] firstSegment = model.runningSegments(List.of(line(t, true))).get(0);
                        if (firstSegment[1] < prodOn + minutes + 15 || !fits(model.treatmentOn(t), prodOn + minutes)) {
                            return false;
                        }
                        effect(Effect.Op.OFF, t, at(model.treatmentOn(t)), at(prodOn + minutes), 0);
                        p.put("variant", "LATE_START");
                        p.put("productionStart", at(prodOn));
                        p.put("treatmentStart", at(prodOn + minutes));
                        p.put("delayMin", minutes);
                        p.put("mayAlsoRaise", List.of("TREATMENT_NOT_STARTED"));
                        record(type, true, t, null, at(prodOn), at(prodOn + minutes), p);
                    } else {
                        int prodOff = model.groupOff(t);
                        List<int[]> segments = model.runningSegments(List.of(line(t, false)));
                        int[] lastSegment = segments.get(segments.size() - 1);
                        if (lastSegment[0] > prodOff - minutes - 15 || !fits(prodOff - minutes, model.treatmentOff(t))) {
                            return false;
                        }
                        effect(Effect.Op.OFF, t, at(prodOff - minutes), at(model.treatmentOff(t)), 0);
                        p.put("variant", "EARLY_STOP");
                        p.put("productionStop", at(prodOff));
                        p.put("treatmentStop", at(prodOff - minutes));
                        p.put("advanceMin", minutes);
                        p.put("mayAlsoRaise", List.of("TREATMENT_STOPPED"));
                        record(type, true, t, null, at(prodOff - minutes), at(prodOff), p);
                    }
                    return true;
                }
                case TREATMENT_RATIO_DROP -> {
                    if (ordinaryDaysBefore() < HISTORY_DAYS) {
                        return false;
                    }
                    int from = 24 * 60;
                    int to = 0;
                    for (int t : treatments) {
                        from = Math.min(from, model.treatmentOn(t));
                        to = Math.max(to, model.treatmentOff(t));
                    }
                    if (!fits(from, to)) {
                        return false;
                    }
                    double f = round(0.40 + r.nextDouble() * 0.06);
                    for (int t : treatments) {
                        effect(Effect.Op.SCALE, t, at(model.treatmentOn(t)), at(model.treatmentOff(t)), f);
                    }
                    record(type, true, null, FacilityKind.TREATMENT, at(from), at(to), params(
                            "treatmentMeters", codesOf(treatments), "productionMeters", codesOf(production),
                            "fraction", f, "historyDays", ordinaryDaysBefore(),
                            "mayAlsoRaise", List.of("TREATMENT_ABNORMAL")));
                    return true;
                }
                case PRODUCTION_DURING_STOP, LIMIT_NOT_KEPT -> {
                    if (dayIndex < 1 || !wholeDay()) {
                        return false;
                    }
                    boolean stop = type == ViolationType.PRODUCTION_DURING_STOP;
                    ProductionOrder order = order(stop);
                    int from = model.continuous() ? 0 : firstProductionOn();
                    int to = model.continuous() ? 24 * 60 : lastProductionOff();
                    Map<String, Object> p = params("orderKind", order.kind(), "orderFrom", order.from(),
                            "orderTo", order.to(), "limitPercent", order.limitPercent(), "baselineKw", order.baselineKw(),
                            "allowedKw", order.allowedKw(), "productionMeters", codesOf(production),
                            "rundownToleranceMin", RUNDOWN_TOLERANCE.toMinutes(), "productionScale", 1.0);
                    record(type, true, null, FacilityKind.PRODUCTION, at(from), at(to), p);
                    return true;
                }
                case OVER_CAPACITY -> {
                    int m = pick(production);
                    // at least the engine's 60-min persistence plus three 10-min samples: a shorter overload cannot
                    // be told from the wrong one the detection allows
                    int[] w = window(model.runningSegments(List.of(m)), 20, 90, 180);
                    if (w == null) {
                        return false;
                    }
                    double f = round(1.35 + r.nextDouble() * 0.2); // with its 3 σ noise never below 1.22 × rated
                    effect(Effect.Op.LEVEL, m, at(w[0]), at(w[1]), f);
                    record(type, true, m, null, at(w[0]), at(w[1]), params("ratedKw", model.ratedKw(m),
                            "normalKw", model.normalKw(m), "factorOfRated", f,
                            "injectedKw", Numbers.round(model.ratedKw(m) * f, 2),
                            "mayAlsoRaise", List.of("PATTERN_ANOMALY")));
                    return true;
                }
                case LOGGER_OFFLINE -> {
                    int[] w = window(wholeDaySegment(), 0, 20, 180);
                    if (w == null) {
                        return false;
                    }
                    effect(Effect.Op.LOGGER_OFFLINE, -1, at(w[0]), at(w[1]), 0);
                    record(type, true, null, null, at(w[0]), at(w[1]), params(
                            "mayAlsoRaise", List.of("METER_OFFLINE")));
                    return true;
                }
                case METER_OFFLINE, INVALID_DATA -> {
                    int m = r.nextInt(model.meters());
                    int[] w = window(wholeDaySegment(), 0, 20, 180);
                    if (w == null) {
                        return false;
                    }
                    Map<String, Object> p = params();
                    if (type == ViolationType.METER_OFFLINE) {
                        effect(Effect.Op.OMIT, m, at(w[0]), at(w[1]), 0);
                    } else {
                        char flag = r.nextBoolean() ? 'D' : 'F';
                        effect(Effect.Op.FLAG, m, at(w[0]), at(w[1]), flag);
                        p.put("flag", String.valueOf(flag));
                    }
                    record(type, true, m, null, at(w[0]), at(w[1]), p);
                    return true;
                }
                case METER_POWER_LOSS -> {
                    int m = pick(facilities);
                    int[] w = window(wholeDaySegment(), 0, 20, 180);
                    if (w == null) {
                        return false;
                    }
                    effect(Effect.Op.POWER_LOSS, m, at(w[0]), at(w[1]), 0);
                    record(type, true, m, null, at(w[0]), at(w[1]), params("voltageBelowV", 0.5));
                    return true;
                }
                case PHASE_LOSS -> {
                    int m = pick(production);
                    int[] w = window(wholeDaySegment(), 0, 20, 180);
                    if (w == null) {
                        return false;
                    }
                    int phase = r.nextInt(3);
                    effect(Effect.Op.PHASE_LOSS, m, at(w[0]), at(w[1]), phase);
                    record(type, true, m, null, at(w[0]), at(w[1]), params("phase", "ABC".substring(phase, phase + 1),
                            "voltageBelowV", 0.5));
                    return true;
                }
                case FROZEN_VALUE -> {
                    int m = pick(facilities);
                    int minDur = Math.max(30, 15 * intervalMin);
                    int[] w = window(steady(m), 10, minDur, Math.max(minDur, 180));
                    if (w == null) {
                        return false;
                    }
                    effect(Effect.Op.FROZEN, m, at(w[0]), at(w[1]), 0);
                    record(type, true, m, null, at(w[0]), at(w[1]), params("samplesAtInterval",
                            (w[1] - w[0]) * 60L / Math.max(1, config.interval().toSeconds())));
                    return true;
                }
                case IMPOSSIBLE_READING -> {
                    int t = pick(treatments);
                    int[] w = window(model.runningSegments(model.serves(t)), 20, 30, 120);
                    if (w == null) {
                        return false;
                    }
                    int variant = r.nextInt(3);
                    Map<String, Object> p = params();
                    if (variant == 0) {
                        effect(Effect.Op.UNIT_W, t, at(w[0]), at(w[1]), 1000);
                        p.put("variant", "UNIT_W_INSTEAD_OF_KW");
                        p.put("factor", 1000.0);
                    } else if (variant == 1) {
                        double f = round(1.6 + r.nextDouble() * 0.4);
                        effect(Effect.Op.P_MISMATCH, t, at(w[0]), at(w[1]), f);
                        p.put("variant", "P_NOT_3UI_PF");
                        p.put("factor", f);
                    } else {
                        double f = round(10 + r.nextDouble() * 10);
                        effect(Effect.Op.ENERGY_RUNAWAY, t, at(w[0]), at(w[1]), f);
                        p.put("variant", "ENERGY_FASTER_THAN_POWER");
                        p.put("factor", f);
                    }
                    record(type, true, t, null, at(w[0]), at(w[1]), p);
                    return true;
                }
                case PATTERN_ANOMALY -> {
                    if (model.continuous() || ordinaryDaysBefore() < HISTORY_DAYS) {
                        return false;
                    }
                    int a = 60 + r.nextInt(61);
                    int b = a + 120 + r.nextInt(61);
                    int from = a;
                    int to = b;
                    for (int t : treatments) {
                        from = Math.min(from, a - model.leadMin(t));
                        to = Math.max(to, b + model.lagMin(t));
                    }
                    if (!fits(from, to)) {
                        return false;
                    }
                    for (int p : production) {
                        effect(Effect.Op.RUN, p, at(a), at(b), 0);
                    }
                    for (int t : treatments) {
                        effect(Effect.Op.RUN, t, at(a - model.leadMin(t)), at(b + model.lagMin(t)), 0);
                    }
                    record(type, true, 0, null, at(from), at(to), params("variant", "NIGHT_RUN",
                            "productionFrom", at(a), "productionTo", at(b), "usualFirstStart", at(firstProductionOn())));
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }

        /**
         * The current enterprise's earlier working days without a stop or limit order: the history the platform's
         * own-history models (ratio, pattern) compare with — a day under an order is not its usual operation.
         */
        int ordinaryDaysBefore() {
            Set<LocalDate> ordered = new HashSet<>();
            for (ProductionOrder o : orders) {
                if (o.enterpriseIndex() == index) {
                    ordered.add(o.from().toLocalDate());
                }
            }
            int n = 0;
            for (int d = 0; d < dayIndex; d++) {
                LocalDate day = start.toLocalDate().plusDays(d);
                if (model.works(day) && !ordered.contains(day)) {
                    n++;
                }
            }
            return n;
        }

        /** Adds a whole-day order for the current enterprise and date. */
        ProductionOrder order(boolean stop) {
            Integer percent = stop ? null : (r.nextBoolean() ? 30 : 50);
            ProductionOrder o = new ProductionOrder(mn, index, stop ? ProductionOrder.Kind.STOP : ProductionOrder.Kind.LIMIT,
                    percent, baselineKw(), baselineDailyKwh(), at(0), at(24 * 60), null, "simulator");
            orders.add(o);
            return o;
        }

        // ---------------------------------------------------------------- negatives

        boolean negative(Negative kind) {
            List<Integer> treatments = model.meters(FacilityKind.TREATMENT);
            List<Integer> production = model.meters(FacilityKind.PRODUCTION);
            switch (kind) {
                case LATE_START_WITHIN_TOLERANCE, EARLY_STOP_WITHIN_TOLERANCE, NORMAL_RUNDOWN -> {
                    if (model.continuous()) {
                        return false;
                    }
                    int t = pick(treatments);
                    int minutes = 3 + r.nextInt(6);
                    Map<String, Object> p = params("variant", kind.name(), "servedProduction", codesOf(model.serves(t)),
                            "leadToleranceMin", LEAD_TOLERANCE.toMinutes(), "lagToleranceMin", LAG_TOLERANCE.toMinutes());
                    if (kind == Negative.LATE_START_WITHIN_TOLERANCE) {
                        int prodOn = model.groupOn(t);
                        if (!fits(model.treatmentOn(t), prodOn + minutes)) {
                            return false;
                        }
                        effect(Effect.Op.OFF, t, at(model.treatmentOn(t)), at(prodOn + minutes), 0);
                        p.put("productionStart", at(prodOn));
                        p.put("treatmentStart", at(prodOn + minutes));
                        p.put("delayMin", minutes);
                        p.put("alsoNotExpected", List.of("TREATMENT_NOT_STARTED"));
                        record(ViolationType.START_STOP_ORDER, false, t, null, at(prodOn), at(prodOn + minutes), p);
                    } else if (kind == Negative.EARLY_STOP_WITHIN_TOLERANCE) {
                        int prodOff = model.groupOff(t);
                        if (!fits(prodOff - minutes, model.treatmentOff(t))) {
                            return false;
                        }
                        effect(Effect.Op.OFF, t, at(prodOff - minutes), at(model.treatmentOff(t)), 0);
                        p.put("productionStop", at(prodOff));
                        p.put("treatmentStop", at(prodOff - minutes));
                        p.put("advanceMin", minutes);
                        p.put("alsoNotExpected", List.of("TREATMENT_STOPPED"));
                        record(ViolationType.START_STOP_ORDER, false, t, null, at(prodOff - minutes), at(prodOff), p);
                    } else {
                        int prodOff = model.groupOff(t);
                        int off = model.treatmentOff(t);
                        if (!fits(prodOff, off)) {
                            return false;
                        }
                        p.put("productionStop", at(prodOff));
                        p.put("treatmentStop", at(off));
                        p.put("lagMin", off - prodOff);
                        p.put("alsoNotExpected", List.of("TREATMENT_STOPPED"));
                        record(ViolationType.START_STOP_ORDER, false, t, null, at(prodOff), at(off), p);
                    }
                    return true;
                }
                case COUNTER_RESET -> {
                    int m = r.nextInt(model.meters());
                    int[] w = window(wholeDaySegment(), 0, 60, 60);
                    if (w == null) {
                        return false;
                    }
                    effect(Effect.Op.RESET, m, at(w[0]), at(w[1]), 0);
                    record(ViolationType.IMPOSSIBLE_READING, false, m, null, at(w[0]), at(w[1]),
                            params("variant", "COUNTER_RESET", "registerAfterKwh", 0.0));
                    return true;
                }
                case STOP_KEPT, LIMIT_KEPT -> {
                    if (dayIndex < 1 || !wholeDay()) {
                        return false;
                    }
                    boolean stop = kind == Negative.STOP_KEPT;
                    ProductionOrder order = order(stop);
                    double scale = stop ? 0 : round(0.8 * (1 - order.limitPercent() / 100.0));
                    for (int p : production) {
                        if (stop) {
                            effect(Effect.Op.OFF, p, order.from(), order.to(), 0);
                        } else {
                            effect(Effect.Op.SCALE, p, order.from(), order.to(), scale);
                        }
                    }
                    if (stop) {
                        for (int t : treatments) {
                            // treatment follows production: it stops after its lag, restarts its lead before the end
                            effect(Effect.Op.OFF, t, order.from().plusMinutes(model.lagMin(t)),
                                    order.to().minusMinutes(model.leadMin(t)), 0);
                        }
                    }
                    record(stop ? ViolationType.PRODUCTION_DURING_STOP : ViolationType.LIMIT_NOT_KEPT, false, null,
                            FacilityKind.PRODUCTION, order.from(), order.to(), params("variant", kind.name(),
                                    "orderKind", order.kind(), "limitPercent", order.limitPercent(),
                                    "baselineKw", order.baselineKw(), "allowedKw", order.allowedKw(),
                                    "productionScale", scale, "productionMeters", codesOf(production),
                                    "alsoNotExpected", List.of("PATTERN_ANOMALY")));
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }

        /** A day off of a weekend-off enterprise: recorded (nothing injected) when the whole day is in range. */
        void weekendShutdown() {
            if (model.shift() != ShiftPattern.DAY && model.shift() != ShiftPattern.DAY_WEEKDAYS) {
                return;
            }
            if (!wholeDay()) {
                return;
            }
            mn = SimLogger.mn(config, index);
            FactorFamily family = config.family().forLogger(index);
            codes = new String[model.meters()];
            for (int m = 0; m < codes.length; m++) {
                codes[m] = PacketFactory.meterCode(family, m);
            }
            record(ViolationType.PATTERN_ANOMALY, false, 0, null, at(0), at(24 * 60), params(
                    "variant", "WEEKEND_SHUTDOWN", "dayOfWeek", date.getDayOfWeek().name(),
                    "shift", model.shift().name(),
                    "alsoNotExpected", List.of("TREATMENT_NOT_STARTED", "TREATMENT_STOPPED", "START_STOP_ORDER")));
        }
    }
}

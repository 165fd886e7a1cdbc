package com.powerwatch.simulator;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The electricity of one simulated enterprise: a total meter plus 1–3 production lines and 1–3 treatment
 * facilities grouped into 治理线组 (a treatment serves one line, several lines, or sits in series with another
 * on one line), following domain-notes §3. Shifts with start-up ramps and breaks (day shift with Sundays or whole
 * weekends off, two shifts, continuous), treatment that starts 2–10 min before the first line it serves and stops
 * 5–30 min after the last, near-constant treatment fans, slowly wandering production load, three-phase values with
 * P = Σ U_ph·I_ph·PF and energy integrated from power (trapezoid).
 *
 * <p>Normal behaviour never crosses an alarm threshold by accident: noise is clipped at 3 σ, production stays
 * ≤ {@value #NORMAL_CAP} × rated, treatment never falls below 0.85 × its normal running power once its ramp is
 * over. Every schedule time is a whole minute, so that injected {@link Effect}s and the ground truth line up with
 * the samples exactly.
 *
 * <p>Deterministic: the same seed, index, effects and sequence of step times give the same values. Not thread-safe.
 */
final class EnterpriseModel {

    static final int IA = 0, IB = 1, IC = 2, UA = 3, UB = 4, UC = 5, PT = 6, QT = 7, PF = 8, EPT = 9;
    static final int FIELDS = 10;
    /** Extra column of every reading (not sent as a value): {@link Effect#STATE_NORMAL}, omitted, or a Flag char. */
    static final int STATE = FIELDS;
    /** Decimals each field is sent with; values are rounded to these before anything is derived from them. */
    static final int[] DECIMALS = {3, 3, 3, 1, 1, 1, 4, 4, 3, 3};
    /** Normal production never exceeds this share of rated power before noise (with its 3 σ noise: below 0.99). */
    static final double NORMAL_CAP = 0.9;
    /** Largest relative wander of production load around its running level. */
    static final double WALK_LIMIT = 0.25;

    private record Catalog(String name, double minKw, double maxKw) {
    }

    private static final Catalog[] PRODUCTION = {
            new Catalog("喷涂线", 40, 120), new Catalog("注塑机", 15, 60), new Catalog("破碎机", 30, 110),
            new Catalog("烘干炉", 20, 80), new Catalog("混料机", 10, 40), new Catalog("打磨机", 8, 30)};
    private static final Catalog[] TREATMENT = {
            new Catalog("RTO", 30, 90), new Catalog("活性炭吸附风机", 11, 45), new Catalog("布袋除尘", 15, 75),
            new Catalog("喷淋塔", 7.5, 30), new Catalog("UV光氧", 1, 3)};

    /** One metered facility and its operating habits (minutes are simulated minutes, whole). */
    private static final class Device {
        final String name;
        final FacilityKind kind;
        final double ratedKw;
        final int startDelayMin;      // production: after shift start
        final int stopAdvanceMin;     // production: before shift end
        final int leadMin;            // treatment: before the first production start
        final int lagMin;             // treatment: after the last production stop
        final double rampMin;
        final double runLevel;        // share of rated power when running
        final double idleLevel;       // share during breaks (空转)
        final double noise;           // relative noise per sample (σ; clipped at 3 σ)
        final double pfFull;
        final double pfLight;
        final double[] imbalance = new double[3];
        final List<Integer> serves = new ArrayList<>(); // treatment: meter numbers of the production lines
        double walk;                  // AR(1) load variation of production
        double ept;                   // kWh, exact
        double lastPt = Double.NaN;

        Device(String name, FacilityKind kind, double ratedKw, Random r) {
            this.name = name;
            this.kind = kind;
            this.ratedKw = ratedKw;
            this.startDelayMin = r.nextInt(16);
            this.stopAdvanceMin = r.nextInt(16);
            this.leadMin = 2 + r.nextInt(9);
            this.lagMin = 5 + r.nextInt(26);
            this.rampMin = kind == FacilityKind.PRODUCTION ? 3 + r.nextDouble() * 7 : 1 + r.nextDouble() * 2;
            this.runLevel = kind == FacilityKind.PRODUCTION ? 0.55 + r.nextDouble() * 0.3 : 0.6 + r.nextDouble() * 0.3;
            this.idleLevel = 0.08 + r.nextDouble() * 0.07;
            this.noise = kind == FacilityKind.PRODUCTION ? 0.03 : 0.02 + r.nextDouble() * 0.03;
            this.pfFull = 0.88 + r.nextDouble() * 0.09;
            this.pfLight = 0.45 + r.nextDouble() * 0.15;
            double a = (r.nextDouble() - 0.5) * 0.06;
            double b = (r.nextDouble() - 0.5) * 0.06;
            imbalance[0] = 1 + a;
            imbalance[1] = 1 + b;
            imbalance[2] = 1 - a - b;
            this.ept = 1_000 + r.nextDouble() * 200_000;
        }
    }

    private final Random random;
    private final ShiftPattern shift;
    private final int shiftStartMin;
    private final int shiftEndMin;
    private final int[][] breaks;
    private final List<Device> devices = new ArrayList<>();
    private final double baseKw;
    private final double busVoltage;
    private final double[] phaseOffset = new double[3];
    private final double[] totalImbalance = {1, 1, 1};
    private double totalEpt;
    private double totalLastPt = Double.NaN;
    private Effect[] effects = new Effect[0];

    EnterpriseModel(long seed, int index) {
        // One stream per logger: adding loggers never changes the values of the existing ones.
        this.random = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 17);
        Random r = random;
        double u = r.nextDouble();
        shift = u < 0.3 ? ShiftPattern.DAY : u < 0.45 ? ShiftPattern.DAY_WEEKDAYS
                : u < 0.75 ? ShiftPattern.TWO_SHIFTS : ShiftPattern.CONTINUOUS;
        int jitter = (int) Math.round((r.nextDouble() - 0.5) * 40);
        switch (shift) {
            case DAY, DAY_WEEKDAYS -> {
                shiftStartMin = 8 * 60 + jitter;
                shiftEndMin = 20 * 60 + jitter;
                breaks = new int[][]{{12 * 60 + jitter, 13 * 60 + jitter}};
            }
            case TWO_SHIFTS -> {
                shiftStartMin = 7 * 60 + jitter / 2;
                shiftEndMin = 23 * 60 + 30;
                breaks = new int[][]{{11 * 60 + 30, 12 * 60}, {17 * 60 + 30, 18 * 60}};
            }
            default -> {
                shiftStartMin = 0;
                shiftEndMin = 24 * 60;
                breaks = new int[0][];
            }
        }
        int production = 1 + r.nextInt(3);
        for (int i = 0; i < production; i++) {
            Catalog c = PRODUCTION[r.nextInt(PRODUCTION.length)];
            devices.add(new Device((i + 1) + "#" + c.name, FacilityKind.PRODUCTION,
                    Numbers.round(c.minKw + r.nextDouble() * (c.maxKw - c.minKw), 1), r));
        }
        int treatment = 1 + r.nextInt(3);
        // 治理线组: line i is treated by treatment i mod T; an extra treatment sits in series on a random line;
        // sometimes the first treatment is a shared main fan serving every line.
        List<List<Integer>> groups = new ArrayList<>();
        boolean shared = production > 1 && r.nextDouble() < 0.3;
        for (int j = 0; j < treatment; j++) {
            List<Integer> serves = new ArrayList<>();
            if (treatment == 1 || (j == 0 && shared)) {
                for (int i = 0; i < production; i++) {
                    serves.add(i + 1);
                }
            } else if (j >= production) {
                serves.add(1 + r.nextInt(production));
            } else {
                for (int i = j; i < production; i += treatment) {
                    serves.add(i + 1);
                }
            }
            groups.add(serves);
        }
        int first = r.nextInt(TREATMENT.length);
        for (int j = 0; j < treatment; j++) {
            Catalog c = TREATMENT[(first + j) % TREATMENT.length];
            // sized to the lines it serves (15–50 % of their rated power), within what such a unit draws
            double served = 0;
            for (int p : groups.get(j)) {
                served += devices.get(p - 1).ratedKw;
            }
            double kw = Math.min(c.maxKw, served * (0.15 + r.nextDouble() * 0.35));
            Device t = new Device(c.name, FacilityKind.TREATMENT, Numbers.round(Math.max(1, kw), 1), r);
            t.serves.addAll(groups.get(j));
            devices.add(t);
        }
        double rated = ratedSum();
        // small against production, so that a plant under an ordered stop stays far below 25 % of its baseline energy
        double productionRated = 0;
        for (Device d : devices) {
            productionRated += d.kind == FacilityKind.PRODUCTION ? d.ratedKw : 0;
        }
        baseKw = 0.3 + productionRated * (0.02 + r.nextDouble() * 0.02);
        busVoltage = 222 + r.nextDouble() * 10;
        for (int p = 0; p < 3; p++) {
            phaseOffset[p] = (r.nextDouble() - 0.5) * 3;
            totalImbalance[p] = 1 + (r.nextDouble() - 0.5) * 0.02;
        }
        totalEpt = devices.stream().mapToDouble(d -> d.ept).sum() * (1.05 + r.nextDouble() * 0.1);
    }

    // ---------------------------------------------------------------- structure

    ShiftPattern shift() {
        return shift;
    }

    /** Number of meters: the total first, then one per facility. */
    int meters() {
        return devices.size() + 1;
    }

    String facility(int meter) {
        return meter == 0 ? "企业总电" : devices.get(meter - 1).name;
    }

    FacilityKind kind(int meter) {
        return meter == 0 ? FacilityKind.TOTAL : devices.get(meter - 1).kind;
    }

    double ratedKw(int meter) {
        return meter == 0 ? Numbers.round(ratedSum(), 1) : devices.get(meter - 1).ratedKw;
    }

    private double ratedSum() {
        return devices.stream().mapToDouble(d -> d.ratedKw).sum();
    }

    /** Meter numbers of the facilities of one kind, in order. */
    List<Integer> meters(FacilityKind kind) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            if (devices.get(i).kind == kind) {
                out.add(i + 1);
            }
        }
        return out;
    }

    /** The production meters a treatment meter serves (empty for other meters). */
    List<Integer> serves(int meter) {
        return meter == 0 ? List.of() : List.copyOf(devices.get(meter - 1).serves);
    }

    /** The facility's normal running power, kW (rated × running level; for production before its wander). */
    double normalKw(int meter) {
        Device d = devices.get(meter - 1);
        return Numbers.round(d.ratedKw * d.runLevel, 2);
    }

    double runLevel(int meter) {
        return devices.get(meter - 1).runLevel;
    }

    int leadMin(int meter) {
        return devices.get(meter - 1).leadMin;
    }

    int lagMin(int meter) {
        return devices.get(meter - 1).lagMin;
    }

    /** Whether production runs on that date at all. */
    boolean works(LocalDate date) {
        DayOfWeek day = date.getDayOfWeek();
        return switch (shift) {
            case DAY -> day != DayOfWeek.SUNDAY;
            case DAY_WEEKDAYS -> day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
            default -> true;
        };
    }

    boolean continuous() {
        return shift == ShiftPattern.CONTINUOUS;
    }

    /** Minute of a working day a production line starts (0 for continuous plants). */
    int productionOn(int meter) {
        return continuous() ? 0 : shiftStartMin + devices.get(meter - 1).startDelayMin;
    }

    /** Minute of a working day a production line stops (1440 for continuous plants). */
    int productionOff(int meter) {
        return continuous() ? 24 * 60 : shiftEndMin - devices.get(meter - 1).stopAdvanceMin;
    }

    /** First start among the lines a treatment serves. */
    int groupOn(int treatmentMeter) {
        int on = Integer.MAX_VALUE;
        for (int p : devices.get(treatmentMeter - 1).serves) {
            on = Math.min(on, productionOn(p));
        }
        return on;
    }

    /** Last stop among the lines a treatment serves. */
    int groupOff(int treatmentMeter) {
        int off = 0;
        for (int p : devices.get(treatmentMeter - 1).serves) {
            off = Math.max(off, productionOff(p));
        }
        return off;
    }

    /** Minute of a working day a treatment starts: lead minutes before its first line. */
    int treatmentOn(int meter) {
        return continuous() ? 0 : groupOn(meter) - devices.get(meter - 1).leadMin;
    }

    /** Minute of a working day a treatment stops: lag minutes after its last line (at most midnight). */
    int treatmentOff(int meter) {
        return continuous() ? 24 * 60 : Math.min(24 * 60, groupOff(meter) + devices.get(meter - 1).lagMin);
    }

    /**
     * The stretches of a working day, in minutes [from, to), during which every listed production line runs at
     * its working level (after its start, before its stop, outside breaks). Continuous plants: the whole day.
     */
    List<int[]> runningSegments(List<Integer> productionMeters) {
        int from = 0;
        int to = 24 * 60;
        for (int p : productionMeters) {
            from = Math.max(from, productionOn(p));
            to = Math.min(to, productionOff(p));
        }
        List<int[]> out = new ArrayList<>();
        int cursor = from;
        for (int[] b : breaks) {
            if (b[0] > cursor) {
                out.add(new int[]{cursor, Math.min(b[0], to)});
            }
            cursor = Math.max(cursor, b[1]);
        }
        if (cursor < to) {
            out.add(new int[]{cursor, to});
        }
        out.removeIf(s -> s[1] <= s[0]);
        return out;
    }

    /** Shut for maintenance (停产检修): every facility draws nothing from now on; the total meter keeps the base load. */
    void shutDown() {
        List<Effect> list = new ArrayList<>(List.of(effects));
        LocalDateTime from = LocalDateTime.of(2000, 1, 1, 0, 0);
        LocalDateTime to = LocalDateTime.of(2100, 1, 1, 0, 0);
        for (int meter = 1; meter <= devices.size(); meter++) {
            list.add(new Effect(Effect.Op.OFF, meter, from, to, 0));
        }
        effects(list);
    }

    /** Replaces the injected effects (each model needs its own copies). */
    void effects(List<Effect> list) {
        this.effects = list.toArray(new Effect[0]);
    }

    /** End (epoch second of local time) of the logger-offline window containing {@code t}, or -1. */
    long loggerOfflineUntil(LocalDateTime t) {
        long s = Effect.seconds(t);
        for (Effect e : effects) {
            if (e.op == Effect.Op.LOGGER_OFFLINE && e.active(s)) {
                return e.to;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- values

    private double gauss3() {
        return Math.max(-3, Math.min(3, random.nextGaussian()));
    }

    /**
     * The readings at simulated time {@code t}, rounded as sent: [meter][field], plus the {@link #STATE} column.
     * Energy is integrated over the time since the previous step, capped at {@code maxStepSeconds} so that a
     * clock jump (1012) cannot create or destroy energy.
     */
    double[][] step(LocalDateTime t, double stepSeconds) {
        long ts = Effect.seconds(t);
        double dtHours = Math.max(0, stepSeconds) / 3600.0;
        double minute = t.getHour() * 60 + t.getMinute() + t.getSecond() / 60.0;
        boolean working = works(t.toLocalDate());
        double[] bus = new double[3];
        double drift = Math.sin(minute / 1440 * 2 * Math.PI) * 1.5; // evening peak lowers the grid voltage a little
        for (int p = 0; p < 3; p++) {
            bus[p] = busVoltage + phaseOffset[p] - drift + random.nextGaussian() * 0.4;
        }
        double[][] out = new double[meters()][FIELDS + 1];
        double sumP = 0;
        double sumQ = 0;
        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            int meter = i + 1;
            double level = d.kind == FacilityKind.PRODUCTION ? productionLevel(d, minute, working)
                    : treatmentLevel(d, minute, working);
            boolean off = false;
            boolean fixed = false;
            double scale = 1;
            Effect measure = null;
            for (Effect e : effects) {
                if (e.meter != meter || !e.active(ts)) {
                    continue;
                }
                switch (e.op) {
                    case OFF -> off = true;
                    case SCALE -> scale *= e.value;
                    case LEVEL -> {
                        level = e.value;
                        fixed = true;
                    }
                    case RUN -> {
                        if (level == 0) {
                            double since = (ts - e.from) / 60.0;
                            level = d.runLevel * Math.min(1, (d.kind == FacilityKind.PRODUCTION ? 0.15 : 0.2)
                                    + since / d.rampMin);
                        }
                    }
                    default -> measure = e;
                }
            }
            if (off) {
                level = 0;
            }
            double p = 0;
            if (level > 0) {
                if (d.kind == FacilityKind.PRODUCTION && !fixed) {
                    d.walk = 0.95 * d.walk + Math.sqrt(1 - 0.95 * 0.95) * 0.12 * random.nextGaussian();
                    level *= 1 + Math.max(-WALK_LIMIT, Math.min(WALK_LIMIT, d.walk));
                    level = Math.min(NORMAL_CAP, level);
                }
                level *= scale;
                p = d.ratedKw * level * (1 + gauss3() * d.noise);
                p = Math.max(0.05, p);
            }
            double load = p / d.ratedKw;
            double pf = p <= 0 ? 1 : d.pfFull - (d.pfFull - d.pfLight) * Math.pow(1 - Math.min(1, load), 2);
            double[] m = out[i + 1];
            fill(m, p, pf, bus, d.imbalance, 0.15);
            sumP += m[PT]; // the total meter sees what the facility really draws
            sumQ += m[QT];
            measure(d, m, measure, dtHours);
        }
        // Unmetered base load (lighting, offices, compressors): higher in the day.
        boolean daytime = minute >= 8 * 60 && minute < 18 * 60;
        double base = baseKw * (daytime ? 1.0 : 0.6) * (1 + gauss3() * 0.03);
        double totalP = sumP + base;
        double totalQ = sumQ + base * 0.484; // base load at PF 0.9
        double totalPf = totalP / Math.hypot(totalP, totalQ);
        double[] m = out[0];
        fill(m, totalP, totalPf, bus, totalImbalance, 0.05);
        for (Effect e : effects) {
            if (e.meter == 0 && e.active(ts)) {
                if (e.op == Effect.Op.RESET && !e.applied) {
                    totalEpt = 0;
                    e.applied = true;
                } else {
                    transport(m, e);
                }
            }
        }
        totalEpt += integrate(totalLastPt, m[PT], dtHours);
        totalLastPt = m[PT];
        m[EPT] = Numbers.round(totalEpt, DECIMALS[EPT]);
        return out;
    }

    /** Applies a measurement or transport effect to a facility meter and advances its register. */
    private void measure(Device d, double[] m, Effect e, double dtHours) {
        Effect.Op op = e == null ? null : e.op;
        if (op == Effect.Op.FROZEN && e.snapshot != null) {
            System.arraycopy(e.snapshot, 0, m, 0, FIELDS); // the register stands still too
            d.lastPt = m[PT];
            return;
        }
        if (op == Effect.Op.POWER_LOSS) {
            for (int p = 0; p < 3; p++) {
                m[UA + p] = Numbers.round(0.1 + random.nextDouble() * 0.2, DECIMALS[UA]);
                m[IA + p] = 0;
            }
            m[PT] = m[QT] = m[PF] = 0;
            d.lastPt = 0;
            m[EPT] = Numbers.round(d.ept, DECIMALS[EPT]);
            return;
        }
        if (op == Effect.Op.PHASE_LOSS) {
            int ph = (int) e.value;
            m[UA + ph] = Numbers.round(0.1 + random.nextDouble() * 0.1, DECIMALS[UA]);
            double p3 = 0;
            for (int p = 0; p < 3; p++) {
                p3 += m[UA + p] * m[IA + p];
            }
            m[PT] = Numbers.round(p3 * m[PF] / 1000, DECIMALS[PT]);
            m[QT] = m[PF] >= 1 ? 0 : Numbers.round(m[PT] * Math.tan(Math.acos(m[PF])), DECIMALS[QT]);
        }
        if (op == Effect.Op.RESET && !e.applied) {
            d.ept = 0;
            e.applied = true;
        }
        double energy = integrate(d.lastPt, m[PT], dtHours);
        d.ept += op == Effect.Op.ENERGY_RUNAWAY ? energy * e.value : energy;
        d.lastPt = m[PT];
        m[EPT] = Numbers.round(d.ept, DECIMALS[EPT]);
        if (op == null) {
            return;
        }
        switch (op) {
            case FROZEN -> e.snapshot = m.clone();
            case UNIT_W -> {
                m[PT] = Numbers.round(m[PT] * 1000, DECIMALS[PT]);
                m[QT] = Numbers.round(m[QT] * 1000, DECIMALS[QT]);
            }
            case P_MISMATCH -> m[PT] = Numbers.round(m[PT] * e.value, DECIMALS[PT]);
            default -> transport(m, e);
        }
    }

    private static void transport(double[] m, Effect e) {
        if (e.op == Effect.Op.OMIT) {
            m[STATE] = Effect.STATE_OMIT;
        } else if (e.op == Effect.Op.FLAG) {
            m[STATE] = e.value;
        }
    }

    private static double integrate(double lastPt, double pt, double dtHours) {
        return Double.isNaN(lastPt) ? 0 : (lastPt + pt) / 2 * dtHours;
    }

    /** Phase values for a meter drawing {@code pKw} at power factor {@code pf}; P is recomputed from what is sent. */
    private void fill(double[] m, double pKw, double pf, double[] bus, double[] imbalance, double meterError) {
        double uSum = 0;
        for (int p = 0; p < 3; p++) {
            m[UA + p] = Numbers.round(bus[p] + random.nextGaussian() * meterError, DECIMALS[UA]);
            uSum += m[UA + p];
        }
        if (pKw <= 0) {
            m[IA] = m[IB] = m[IC] = 0;
            m[PT] = m[QT] = 0;
            m[PF] = 1;
            return;
        }
        double pfSent = Numbers.round(Math.min(1, pf), DECIMALS[PF]);
        double current = pKw * 1000 / (uSum * pfSent);
        double p3 = 0;
        for (int p = 0; p < 3; p++) {
            m[IA + p] = Numbers.round(current * imbalance[p], DECIMALS[IA]);
            p3 += m[UA + p] * m[IA + p];
        }
        m[PF] = pfSent;
        m[PT] = Numbers.round(p3 * pfSent / 1000, DECIMALS[PT]);
        m[QT] = Numbers.round(m[PT] * Math.tan(Math.acos(pfSent)), DECIMALS[QT]);
    }

    private double productionLevel(Device d, double minute, boolean working) {
        if (shift == ShiftPattern.CONTINUOUS) {
            return d.runLevel;
        }
        if (!working) {
            return 0;
        }
        double on = shiftStartMin + d.startDelayMin;
        double off = shiftEndMin - d.stopAdvanceMin;
        if (minute < on || minute >= off) {
            return 0;
        }
        for (int[] b : breaks) {
            if (minute >= b[0] && minute < b[1]) {
                return d.idleLevel;
            }
        }
        // Start-up ramp; motors draw some power from the first minute.
        return d.runLevel * Math.min(1, 0.15 + (minute - on) / d.rampMin);
    }

    private double treatmentLevel(Device d, double minute, boolean working) {
        if (shift == ShiftPattern.CONTINUOUS) {
            return d.runLevel;
        }
        if (!working) {
            return 0;
        }
        int meter = devices.indexOf(d) + 1;
        double on = treatmentOn(meter);
        double off = treatmentOff(meter);
        if (minute < on || minute >= off) {
            return 0;
        }
        return d.runLevel * Math.min(1, 0.2 + (minute - on) / d.rampMin);
    }
}

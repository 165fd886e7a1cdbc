package com.powerwatch.simulator;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The electricity of one simulated enterprise: a total meter plus production and treatment facilities,
 * following domain-notes §3. Shifts with start-up ramps and breaks, treatment that starts 2–10 min before
 * production and stops 5–30 min after it, near-constant treatment fans, slowly wandering production load,
 * three-phase values with P = Σ U_ph·I_ph·PF and energy integrated from power (trapezoid).
 *
 * <p>Deterministic: the same seed, index and sequence of step times give the same values. Not thread-safe.
 */
final class EnterpriseModel {

    static final int IA = 0, IB = 1, IC = 2, UA = 3, UB = 4, UC = 5, PT = 6, QT = 7, PF = 8, EPT = 9;
    static final int FIELDS = 10;
    /** Decimals each field is sent with; values are rounded to these before anything is derived from them. */
    static final int[] DECIMALS = {3, 3, 3, 1, 1, 1, 4, 4, 3, 3};

    private record Catalog(String name, double minKw, double maxKw) {
    }

    private static final Catalog[] PRODUCTION = {
            new Catalog("喷涂线", 40, 120), new Catalog("注塑机", 15, 60), new Catalog("破碎机", 30, 110),
            new Catalog("烘干炉", 20, 80), new Catalog("混料机", 10, 40), new Catalog("打磨机", 8, 30)};
    private static final Catalog[] TREATMENT = {
            new Catalog("RTO", 30, 90), new Catalog("活性炭吸附风机", 11, 45), new Catalog("布袋除尘", 15, 75),
            new Catalog("喷淋塔", 7.5, 30), new Catalog("UV光氧", 1, 3)};

    /** One metered facility and its operating habits (minutes are simulated minutes). */
    private static final class Device {
        final String name;
        final FacilityKind kind;
        final double ratedKw;
        final double startDelayMin;   // production: after shift start
        final double stopAdvanceMin;  // production: before shift end
        final double leadMin;         // treatment: before the first production start
        final double lagMin;          // treatment: after the last production stop
        final double rampMin;
        final double runLevel;        // share of rated power when running
        final double idleLevel;       // share during breaks (空转)
        final double noise;           // relative noise per sample
        final double pfFull;
        final double pfLight;
        final double[] imbalance = new double[3];
        double walk;                  // AR(1) load variation of production
        double ept;                   // kWh, exact
        double lastPt = Double.NaN;

        Device(String name, FacilityKind kind, double ratedKw, Random r) {
            this.name = name;
            this.kind = kind;
            this.ratedKw = ratedKw;
            this.startDelayMin = r.nextDouble() * 15;
            this.stopAdvanceMin = r.nextDouble() * 15;
            this.leadMin = 2 + r.nextDouble() * 8;
            this.lagMin = 5 + r.nextDouble() * 25;
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
    private final double shiftStartMin;
    private final double shiftEndMin;
    private final double[][] breaks;
    private final List<Device> devices = new ArrayList<>();
    private final double baseKw;
    private final double busVoltage;
    private final double[] phaseOffset = new double[3];
    private final double[] totalImbalance = {1, 1, 1};
    private double totalEpt;
    private double totalLastPt = Double.NaN;

    EnterpriseModel(long seed, int index) {
        // One stream per logger: adding loggers never changes the values of the existing ones.
        this.random = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 17);
        Random r = random;
        double u = r.nextDouble();
        shift = u < 0.45 ? ShiftPattern.DAY : u < 0.8 ? ShiftPattern.TWO_SHIFTS : ShiftPattern.CONTINUOUS;
        double jitter = (r.nextDouble() - 0.5) * 40;
        switch (shift) {
            case DAY -> {
                shiftStartMin = 8 * 60 + jitter;
                shiftEndMin = 20 * 60 + jitter;
                breaks = new double[][]{{12 * 60 + jitter, 13 * 60 + jitter}};
            }
            case TWO_SHIFTS -> {
                shiftStartMin = 7 * 60 + jitter / 2;
                shiftEndMin = 23 * 60 + 30;
                breaks = new double[][]{{11 * 60 + 30, 12 * 60}, {17 * 60 + 30, 18 * 60}};
            }
            default -> {
                shiftStartMin = 0;
                shiftEndMin = 24 * 60;
                breaks = new double[0][];
            }
        }
        int production = 2 + r.nextInt(3);
        for (int i = 0; i < production; i++) {
            Catalog c = PRODUCTION[r.nextInt(PRODUCTION.length)];
            devices.add(new Device((i + 1) + "#" + c.name, FacilityKind.PRODUCTION,
                    Numbers.round(c.minKw + r.nextDouble() * (c.maxKw - c.minKw), 1), r));
        }
        int treatment = 1 + r.nextInt(3);
        int first = r.nextInt(TREATMENT.length);
        for (int i = 0; i < treatment; i++) {
            Catalog c = TREATMENT[(first + i) % TREATMENT.length];
            devices.add(new Device(c.name, FacilityKind.TREATMENT,
                    Numbers.round(c.minKw + r.nextDouble() * (c.maxKw - c.minKw), 1), r));
        }
        double rated = ratedSum();
        baseKw = 5 + rated * (0.03 + r.nextDouble() * 0.03);
        busVoltage = 222 + r.nextDouble() * 10;
        for (int p = 0; p < 3; p++) {
            phaseOffset[p] = (r.nextDouble() - 0.5) * 3;
            totalImbalance[p] = 1 + (r.nextDouble() - 0.5) * 0.02;
        }
        totalEpt = devices.stream().mapToDouble(d -> d.ept).sum() * (1.05 + r.nextDouble() * 0.1);
    }

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

    /**
     * The readings at simulated time {@code t}, rounded as sent: [meter][field]. Energy is integrated over the
     * time since the previous step, capped at {@code maxStepSeconds} so that a clock jump (1012) cannot
     * create or destroy energy.
     */
    double[][] step(LocalDateTime t, double stepSeconds) {
        double dtHours = Math.max(0, stepSeconds) / 3600.0;
        double minute = t.getHour() * 60 + t.getMinute() + t.getSecond() / 60.0;
        boolean working = shift != ShiftPattern.DAY || t.getDayOfWeek() != DayOfWeek.SUNDAY;
        double[] bus = new double[3];
        double drift = Math.sin(minute / 1440 * 2 * Math.PI) * 1.5; // evening peak lowers the grid voltage a little
        for (int p = 0; p < 3; p++) {
            bus[p] = busVoltage + phaseOffset[p] - drift + random.nextGaussian() * 0.4;
        }
        double[][] out = new double[meters()][FIELDS];
        double sumP = 0;
        double sumQ = 0;
        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            double level = d.kind == FacilityKind.PRODUCTION ? productionLevel(d, minute, working)
                    : treatmentLevel(d, minute, working);
            double p = 0;
            if (level > 0) {
                if (d.kind == FacilityKind.PRODUCTION) {
                    d.walk = 0.95 * d.walk + Math.sqrt(1 - 0.95 * 0.95) * 0.12 * random.nextGaussian();
                    level *= 1 + Math.max(-0.35, Math.min(0.35, d.walk));
                }
                p = d.ratedKw * Math.min(1.05, level) * (1 + random.nextGaussian() * d.noise);
                p = Math.max(0.05, p);
            }
            double load = p / d.ratedKw;
            double pf = p <= 0 ? 1 : d.pfFull - (d.pfFull - d.pfLight) * Math.pow(1 - Math.min(1, load), 2);
            double[] m = out[i + 1];
            fill(m, p, pf, bus, d.imbalance, 0.15);
            d.ept += integrate(d.lastPt, m[PT], dtHours);
            d.lastPt = m[PT];
            m[EPT] = Numbers.round(d.ept, DECIMALS[EPT]);
            sumP += m[PT];
            sumQ += m[QT];
        }
        // Unmetered base load (lighting, offices, compressors): higher in the day.
        boolean daytime = minute >= 8 * 60 && minute < 18 * 60;
        double base = baseKw * (daytime ? 1.0 : 0.6) * (1 + random.nextGaussian() * 0.03);
        double totalP = sumP + base;
        double totalQ = sumQ + base * 0.484; // base load at PF 0.9
        double totalPf = totalP / Math.hypot(totalP, totalQ);
        double[] m = out[0];
        fill(m, totalP, totalPf, bus, totalImbalance, 0.05);
        totalEpt += integrate(totalLastPt, m[PT], dtHours);
        totalLastPt = m[PT];
        m[EPT] = Numbers.round(totalEpt, DECIMALS[EPT]);
        return out;
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
        for (double[] b : breaks) {
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
        double firstStart = Double.MAX_VALUE;
        double lastStop = 0;
        for (Device p : devices) {
            if (p.kind == FacilityKind.PRODUCTION) {
                firstStart = Math.min(firstStart, shiftStartMin + p.startDelayMin);
                lastStop = Math.max(lastStop, shiftEndMin - p.stopAdvanceMin);
            }
        }
        double on = firstStart - d.leadMin;
        double off = Math.min(24 * 60, lastStop + d.lagMin);
        if (minute < on || minute >= off) {
            return 0;
        }
        return d.runLevel * Math.min(1, 0.2 + (minute - on) / d.rampMin);
    }
}

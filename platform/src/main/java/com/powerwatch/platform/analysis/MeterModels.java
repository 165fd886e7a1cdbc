package com.powerwatch.platform.analysis;

import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.telemetry.MeterSupply;
import com.powerwatch.platform.telemetry.RegistrySnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static com.powerwatch.platform.analysis.AlarmEngine.FROZEN;
import static com.powerwatch.platform.analysis.AlarmEngine.IMPOSSIBLE;
import static com.powerwatch.platform.analysis.AlarmEngine.INVALID;
import static com.powerwatch.platform.analysis.AlarmEngine.MINUTE;
import static com.powerwatch.platform.analysis.AlarmEngine.PHASE_LOSS;
import static com.powerwatch.platform.analysis.AlarmEngine.POWER_LOSS;
import static com.powerwatch.platform.analysis.AlarmEngine.iso;
import static com.powerwatch.platform.analysis.AlarmEngine.num;
import static com.powerwatch.platform.analysis.AlarmEngine.round;

/**
 * The models of one meter's samples (docs/analysis-models.md §5): INVALID_DATA, METER_POWER_LOSS, PHASE_LOSS,
 * FROZEN_VALUE, IMPOSSIBLE_READING. Called by the engine, under its lock, for every new sample of a point.
 */
final class MeterModels {

    private final EngineRules rules;
    private final OpenAlarms alarms;

    MeterModels(EngineRules rules, OpenAlarms alarms) {
        this.rules = rules;
        this.alarms = alarms;
    }

    void evaluate(PointTrack p, RegistrySnapshot.Facility f, String subject, long ts) {
        invalidModel(p, f, subject, ts);
        faultModels(p, f, subject, ts);
        if (!p.invalid) {
            frozenModel(p, f, subject, ts);
            impossibleModel(p, f, subject, ts);
        }
    }

    private void invalidModel(PointTrack p, RegistrySnapshot.Facility f, String subject, long ts) {
        if (p.invalid) {
            if (p.invalidCount++ == 0) {
                p.invalidSince = ts;
            }
            AlarmRules.EffectiveRule r = rules.facility(INVALID, f.id());
            if (r != null && r.enabled() && p.invalidCount >= r.integer("persistSamples") && !alarms.isOpen(INVALID, subject)) {
                Map<String, Object> ev = p.evidence(ts);
                ev.put("message", "电表数据带无效标记 (Flag " + p.values.get("FLAG") + ")，连续 " + p.invalidCount
                        + " 个样本，首次异常时间：" + iso(p.invalidSince));
                ev.put("samples", p.invalidCount);
                ev.put("firstAbnormalAt", iso(p.invalidSince));
                alarms.raise(INVALID, subject, f, p.def, null, ts, ev);
            }
        } else {
            p.invalidCount = 0;
            alarms.clearIfOpen(INVALID, subject, ts, p.evidence(ts));
        }
    }

    /** Meter / supply faults: all phase voltages ≈ 0 (失电) or one or two ≈ 0 with the others live (缺相). */
    private void faultModels(PointTrack p, RegistrySnapshot.Facility f, String subject, long ts) {
        String fault = p.invalid ? p.fault : MeterSupply.fault(p.values, p.def.pt(), rules.supplyLimits(f.id()));
        if (!Objects.equals(fault, p.fault)) {
            p.faultSince = ts;
            p.fault = fault;
        }
        for (String type : List.of(POWER_LOSS, PHASE_LOSS)) {
            boolean holds = type.equals(POWER_LOSS) ? MeterSupply.POWER_LOSS.equals(fault) : MeterSupply.PHASE_LOSS.equals(fault);
            AlarmRules.EffectiveRule r = rules.facility(type, f.id());
            if (holds) {
                if (r != null && r.enabled() && ts - p.faultSince >= r.integer("persistMinutes") * MINUTE
                        && !alarms.isOpen(type, subject)) {
                    Map<String, Object> ev = p.evidence(ts);
                    ev.put("message", (type.equals(POWER_LOSS) ? "电表三相电压均≈0，表计失电或供电中断（非设施停运）"
                            : "电表缺相：一相电压≈0，其余相正常") + "，首次异常时间：" + iso(p.faultSince));
                    ev.put("zeroVoltageV", r.number("zeroVoltageV"));
                    ev.put("firstAbnormalAt", iso(p.faultSince));
                    alarms.raise(type, subject, f, p.def, null, ts, ev);
                }
            } else if (!p.invalid) {
                alarms.clearIfOpen(type, subject, ts, p.evidence(ts));
            }
        }
    }

    /** 功率为恒定值: P ≠ 0 and identical (with the register, when reported) for N samples and a minimum time. */
    private void frozenModel(PointTrack p, RegistrySnapshot.Facility f, String subject, long ts) {
        Double pw = num(p.values, "P");
        Double e = num(p.values, "E");
        boolean same = pw != null && pw != 0 && pw.equals(p.frozenP) && Objects.equals(e, p.frozenE);
        if (same) {
            p.frozenCount++;
            AlarmRules.EffectiveRule r = rules.facility(FROZEN, f.id());
            if (r != null && r.enabled() && p.frozenCount >= r.integer("identicalSamples")
                    && ts - p.frozenSince >= r.integer("minimumMinutes") * MINUTE && !alarms.isOpen(FROZEN, subject)) {
                Map<String, Object> ev = p.evidence(ts);
                ev.put("message", "功率恒为 " + pw + " kW，连续 " + p.frozenCount + " 个样本未变化，疑似数据造假或表计死机，首次异常时间："
                        + iso(p.frozenSince));
                ev.put("samples", p.frozenCount);
                ev.put("firstAbnormalAt", iso(p.frozenSince));
                alarms.raise(FROZEN, subject, f, p.def, null, ts, ev);
            }
        } else {
            p.frozenP = pw;
            p.frozenE = e;
            p.frozenCount = 1;
            p.frozenSince = ts;
            alarms.clearIfOpen(FROZEN, subject, ts, p.evidence(ts));
        }
    }

    /** 数据不合理: negative power, P far from Σ U·I·PF, voltage out of band, register faster than the power. */
    private void impossibleModel(PointTrack p, RegistrySnapshot.Facility f, String subject, long ts) {
        AlarmRules.EffectiveRule r = rules.facility(IMPOSSIBLE, f.id());
        if (r == null || !r.enabled()) {
            return;
        }
        List<String> reasons = impossible(p, r, ts);
        if (reasons == null) {
            return; // nothing could be checked
        }
        if (!reasons.isEmpty()) {
            if (p.impossibleCount++ == 0) {
                p.impossibleSince = ts;
            }
            if (p.impossibleCount >= r.integer("persistSamples") && !alarms.isOpen(IMPOSSIBLE, subject)) {
                Map<String, Object> ev = p.evidence(ts);
                ev.put("checks", reasons);
                ev.put("message", "数据不合理：" + String.join("；", reasons) + "，首次异常时间：" + iso(p.impossibleSince));
                ev.put("firstAbnormalAt", iso(p.impossibleSince));
                alarms.raise(IMPOSSIBLE, subject, f, p.def, null, ts, ev);
            }
        } else {
            p.impossibleCount = 0;
            alarms.clearIfOpen(IMPOSSIBLE, subject, ts, p.evidence(ts));
        }
    }

    /** The failed checks (empty: all passed), or null when no check applies to this sample. */
    static List<String> impossible(PointTrack p, AlarmRules.EffectiveRule r, long ts) {
        List<String> out = new ArrayList<>();
        boolean checked = false;
        Double pw = num(p.values, "P");
        if (pw != null) {
            checked = true;
            if (pw < -0.01) {
                out.add("功率为负值 " + round(pw) + " kW");
            }
        }
        Double pf = num(p.values, "PF");
        double tol = r.number("powerTolerance");
        if (pw != null && pf != null && pw >= 0.1) {
            double est = 0;
            int n = 0;
            for (String ph : new String[]{"A", "B", "C"}) {
                Double u = num(p.values, "U" + ph);
                Double i = num(p.values, "I" + ph);
                if (u != null && i != null) {
                    est += u * i;
                    n++;
                }
            }
            if (n == 3 && est > 0) {
                est = est * Math.abs(pf) / 1000;
                if (Math.abs(pw - est) / pw > tol) {
                    out.add("功率 " + round(pw) + " kW 与 3·U·I·PF = " + round(est) + " kW 不符");
                }
            }
        }
        if (p.def.pt() <= 1) {
            for (String q : new String[]{"UA", "UB", "UC"}) {
                Double u = num(p.values, q);
                if (u != null && u >= 50) { // ≈ 0 is a supply fault, reported as such
                    checked = true;
                    if (u < r.number("voltageMinV") || u > r.number("voltageMaxV")) {
                        out.add(q + " = " + round(u) + " V 超出 " + r.number("voltageMinV") + "–" + r.number("voltageMaxV") + " V");
                    }
                }
            }
        }
        Double e = num(p.values, "E");
        if (e != null && p.prevE != null && pw != null && p.prevP != null && p.prevTs > 0
                && ts - p.prevTs <= 15 * MINUTE && e >= p.prevE) {
            checked = true;
            double hours = (ts - p.prevTs) / 3_600_000.0;
            double expected = Math.max(0, (pw + p.prevP) / 2) * hours;
            double step = e - p.prevE;
            // a reset (register falls) or a rollover is not checked here (telemetry counts them)
            if (step > 2 * expected + 0.5) {
                out.add("电量增量 " + round(step) + " kWh 远大于功率积分 " + round(expected) + " kWh");
            }
        }
        return checked ? out : null;
    }
}

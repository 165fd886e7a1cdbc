package com.powerwatch.platform.emergency.report;

import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.Times;
import com.powerwatch.platform.emergency.board.MeasureEvaluator;
import com.powerwatch.platform.emergency.board.Rates;
import com.powerwatch.platform.emergency.board.Verdict;

import java.util.List;
import java.util.Map;

/** How the report says things in officers' words (shared by the PDF and the Excel workbook). */
final class Labels {

    static final Map<String, String> CHANGES = Map.of("START", "启动", "UPGRADE", "升级", "DOWNGRADE", "降级", "EXTEND", "延长",
            "SHORTEN", "提前结束", "LIFT", "解除", "END", "到期结束");
    static final Map<String, String> METHODS = Map.of("HISTORY_30D", "前30天历史", "RATED", "额定功率×负荷率", "MANUAL", "核定/人工");
    static final Map<String, String> HANDLING = Map.of("UNCONFIRMED", "未确认", "CONFIRMED", "已确认", "CANCELLED", "已取消", "HANDLED", "已处理");
    static final Map<String, String> WORKFLOW = Map.of("DISPATCHED", "已派发", "FEEDBACK", "已反馈", "VERIFIED", "已核查", "REVIEWED", "已审核");

    private Labels() {
    }

    static String change(String kind) {
        return CHANGES.getOrDefault(kind, kind);
    }

    static String changeDetail(ReportData.Change c) {
        String level = c.levelAfter() == null ? "" : EmergencyLevel.valueOf(c.levelAfter()).label() + "预警";
        return switch (c.kind()) {
            case "START" -> level + "，至 " + Times.shown(c.endsAfter());
            case "UPGRADE", "DOWNGRADE" -> EmergencyLevel.valueOf(c.levelBefore()).label() + " → " + level;
            case "EXTEND", "SHORTEN" -> "结束时间 " + Times.shown(c.endsBefore()) + " → " + Times.shown(c.endsAfter());
            case "LIFT" -> "于 " + Times.shown(c.effectiveAt()) + " 解除" + (c.reason() == null ? "" : "：" + c.reason());
            default -> "到期结束";
        };
    }

    static String measure(MeasureEvaluator.MeasureRow m) {
        String what = m.measure().label() + (m.limitPercent() == null ? "" : " " + trim(m.limitPercent()) + "%");
        return EmergencyLevel.valueOf(m.level()).label() + "：" + what + (m.facilityIds() == null ? "（整厂）" : "（" + m.facilityIds().size() + " 台设施）");
    }

    static String verdict(Verdict.Kind k) {
        return switch (k) {
            case COMPLIANT -> "达标";
            case NON_COMPLIANT -> "未达标";
            case UNDETERMINED -> "无法判断";
            case NOT_STARTED -> "未开始";
            case SELF -> "自主减排";
        };
    }

    static String method(String method, Integer days) {
        if (method == null) {
            return "";
        }
        return METHODS.getOrDefault(method, method) + ("HISTORY_30D".equals(method) && days != null ? "（" + days + "天）" : "");
    }

    static String grade(String grade) {
        return Rates.gradeName(grade);
    }

    /** The alarms during the warning: how many, how handled. */
    static String alarms(List<ReportData.AlarmLine> alarms) {
        if (alarms.isEmpty()) {
            return "无报警";
        }
        StringBuilder sb = new StringBuilder(alarms.size() + " 条：");
        for (int i = 0; i < Math.min(3, alarms.size()); i++) {
            ReportData.AlarmLine a = alarms.get(i);
            sb.append(i == 0 ? "" : "；").append(a.typeName()).append(" ").append(Times.shown(a.startedAt())).append(" ")
                    .append(HANDLING.getOrDefault(a.handling(), a.handling()))
                    .append(a.workflow() == null ? "" : "/" + WORKFLOW.getOrDefault(a.workflow(), a.workflow()));
        }
        return sb.append(alarms.size() > 3 ? " 等" : "").toString();
    }

    static String pct(Object rate) {
        return rate == null ? "—" : Math.round(((Number) rate).doubleValue() * 1000) / 10.0 + "%";
    }

    static String num(double v) {
        return String.format("%,.1f", v);
    }

    static String trim(double v) {
        return v == Math.floor(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}

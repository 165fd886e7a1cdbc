package com.powerwatch.platform.emergency.report;

import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.Sheets;
import com.powerwatch.platform.emergency.Times;
import com.powerwatch.platform.emergency.board.MeasureEvaluator;
import com.powerwatch.platform.emergency.board.Verdict;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The evaluation report as an Excel workbook: the same figures as the PDF, one sheet per section, every measure a row. */
final class ReportExcel {

    private ReportExcel() {
    }

    static byte[] write(ReportData d) {
        ReportData.Facts f = d.facts();
        EmergencyLevel level = EmergencyLevel.valueOf(f.level());
        List<List<Object>> facts = new ArrayList<>();
        facts.add(row("预警编号", f.id()));
        facts.add(row("预警级别", level.label() + "预警（" + level.response() + "响应）"));
        facts.add(row("开始时间", Times.shown(f.startsAt())));
        facts.add(row("结束时间", Times.shown(f.endsAt()) + (f.liftedAt() == null ? "" : "（提前解除）")));
        facts.add(row("发布文件", f.document()));
        facts.add(row("覆盖区县", String.join("、", f.districtNames())));
        facts.add(row("执行预案年度", f.planYear()));
        facts.add(row("报告生成时间", Times.shown(d.generatedAt())));
        facts.add(row("数据截至", Times.shown(d.at())));
        Map<String, Object> s = d.summary();
        facts.add(row("参与企业", d.enterprises().size()));
        facts.add(row("应执行（停产、限产）", s.get("obliged")));
        facts.add(row("达标", s.get("compliant")));
        facts.add(row("未达标", s.get("nonCompliant")));
        facts.add(row("无法判断", s.get("undetermined")));
        facts.add(row("自主减排", s.get("selfReduction")));
        facts.add(row("执行率", s.get("rate")));

        List<List<Object>> changes = new ArrayList<>();
        for (ReportData.Change c : f.changes()) {
            changes.add(row(Times.shown(c.effectiveAt()), Labels.change(c.kind()), Labels.changeDetail(c), c.document(), c.reason(), c.by()));
        }
        List<List<Object>> scope = new ArrayList<>();
        for (Object[] group : new Object[][]{{"区县", d.scopeByDistrict()}, {"行业", d.scopeByIndustry()}, {"绩效分级", d.scopeByGrade()}}) {
            @SuppressWarnings("unchecked")
            List<ReportData.Scope> rows = (List<ReportData.Scope>) group[1];
            for (ReportData.Scope r : rows) {
                scope.add(row(group[0], r.name(), r.enterprises(), r.stop(), r.limit(), r.self()));
            }
        }
        List<List<Object>> detail = new ArrayList<>();
        List<List<Object>> bad = new ArrayList<>();
        List<List<Object>> gaps = new ArrayList<>();
        for (ReportData.EnterpriseResult e : d.enterprises()) {
            for (ReportData.MeasureResult m : e.measures()) {
                MeasureEvaluator.Evaluation ev = m.evaluation();
                MeasureEvaluator.MeasureRow r = ev.measure();
                Verdict.Result v = ev.result();
                List<Object> line = row(e.name(), e.districtName(), e.industryName(), Labels.grade(e.grade()),
                        EmergencyLevel.valueOf(r.level()).label(), r.measure().label(), r.limitPercent(),
                        r.facilityIds() == null ? "整厂" : r.facilityIds().size() + " 台设施", Times.shown(r.validFrom()), Times.shown(r.validTo()),
                        r.baselineKw(), Labels.method(r.baselineMethod(), r.baselineDays()), m.actualKwh(), m.expectedKwh(),
                        v.reductionPercent(), Labels.verdict(v.kind()), v.reason(), v.coverage(),
                        ev.evidence().firstRunning() == null ? null : Times.shown(ev.evidence().firstRunning()), e.alarms().size(),
                        Labels.alarms(e.alarms()));
                detail.add(line);
                if (v.kind() == Verdict.Kind.NON_COMPLIANT) {
                    bad.add(line);
                }
                if (v.kind() == Verdict.Kind.UNDETERMINED || ev.evidence().covered() < ev.evidence().expected()) {
                    gaps.add(row(e.name(), e.districtName(), Labels.measure(r), ev.evidence().covered(), ev.evidence().expected(),
                            v.kind() == Verdict.Kind.UNDETERMINED ? v.reason() : "部分时段缺数"));
                }
            }
        }
        List<String> detailHeaders = List.of("企业", "区县", "行业", "绩效分级", "级别", "措施", "比例(%)", "限停对象", "执行开始", "执行结束",
                "基线(kW)", "基线方法", "实际用电(kWh)", "应有用电(kWh)", "削减(%)", "判定", "说明", "数据完整率", "首次运行", "报警数", "报警及处理");
        List<Integer> detailWidths = List.of(28, 10, 16, 8, 6, 8, 8, 10, 16, 16, 10, 14, 12, 12, 8, 9, 36, 10, 16, 7, 50);
        List<List<Object>> industries = new ArrayList<>();
        for (ReportData.IndustryReduction r : d.industries()) {
            industries.add(row(r.name(), r.enterprises(), r.expectedKwh(), r.actualKwh(), r.reductionPercent()));
        }
        List<List<Object>> method = List.of(row("用电削减比例 = 1 − 实际用电 ÷ 应有用电；应有用电 = 基线日电量 × 执行小时 ÷ 24（核定基线无日电量时取 基线功率 × 执行小时 × "
                + d.ratedHoursPerDay() + " ÷ 24）；污染物排放削减比例按与用电削减比例相同估算。"));
        List<String> hourHeaders = new ArrayList<>(List.of("企业", "区县", "基线(kW)"));
        int hours = d.enterprises().isEmpty() ? 0 : d.enterprises().get(0).hourlyKw().length;
        for (int h = 0; h < hours; h++) {
            hourHeaders.add(Times.shown(f.startsAt().truncatedTo(ChronoUnit.HOURS).plus(h, ChronoUnit.HOURS)).substring(5));
        }
        List<List<Object>> curves = new ArrayList<>();
        for (ReportData.EnterpriseResult e : d.enterprises()) {
            List<Object> line = row(e.name(), e.districtName(), e.last().evaluation().measure().baselineKw());
            for (double v : e.hourlyKw()) {
                line.add(Double.isNaN(v) ? null : v);
            }
            curves.add(line);
        }
        return Sheets.write(List.of(
                new Sheets.SheetData("概况", List.of("项目", "内容"), List.of(20, 60), facts),
                new Sheets.SheetData("变更记录", List.of("生效时间", "变更", "内容", "发布文件", "说明", "记录人"), List.of(16, 10, 40, 30, 30, 10), changes),
                new Sheets.SheetData("应急范围", List.of("维度", "名称", "企业", "停产", "限产", "自主减排"), List.of(10, 24, 8, 8, 8, 8), scope),
                new Sheets.SheetData("区县排名", List.of("名次", "区县", "应执行", "达标", "未达标", "无法判断", "执行率"), List.of(6, 14, 8, 8, 8, 8, 8),
                        ranked(d.byDistrict())),
                new Sheets.SheetData("绩效分级", List.of("名次", "绩效分级", "应执行", "达标", "未达标", "无法判断", "执行率"), List.of(6, 14, 8, 8, 8, 8, 8),
                        ranked(d.byGrade())),
                new Sheets.SheetData("企业明细", detailHeaders, detailWidths, detail),
                new Sheets.SheetData("未达标企业", detailHeaders, detailWidths, bad),
                new Sheets.SheetData("行业减排估算", List.of("行业", "企业", "应有用电(kWh)", "实际用电(kWh)", "估算排放削减(%)"), List.of(30, 8, 16, 16, 16),
                        industries),
                new Sheets.SheetData("估算方法", List.of("说明"), List.of(120), method),
                new Sheets.SheetData("数据缺失", List.of("企业", "区县", "措施", "完整时段", "应有时段", "说明"), List.of(28, 10, 24, 10, 10, 40), gaps),
                new Sheets.SheetData("逐时功率", hourHeaders, List.of(28, 10, 10), curves)));
    }

    private static List<List<Object>> ranked(List<Map<String, Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        int rank = 1;
        for (Map<String, Object> r : rows) {
            out.add(row(rank++, r.get("name"), r.get("obliged"), r.get("compliant"), r.get("nonCompliant"), r.get("undetermined"), r.get("rate")));
        }
        return out;
    }

    private static List<Object> row(Object... values) {
        List<Object> out = new ArrayList<>();
        java.util.Collections.addAll(out, values);
        return out;
    }
}

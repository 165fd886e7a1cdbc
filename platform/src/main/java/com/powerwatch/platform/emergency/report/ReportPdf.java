package com.powerwatch.platform.emergency.report;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;
import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.EmergencyProperties;
import com.powerwatch.platform.emergency.Measure;
import com.powerwatch.platform.emergency.Times;
import com.powerwatch.platform.emergency.board.MeasureEvaluator;
import com.powerwatch.platform.emergency.board.Verdict;
import org.springframework.stereotype.Component;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The evaluation report as PDF (A4, the CJK font embedded): facts and changes, scope, execution rates, non-compliant
 * enterprises with evidence and alarm handling, districts ranked, estimated reduction per industry, data gaps, and per
 * enterprise its measure, baseline, energy, reduction, verdict and a small curve with the baseline.
 */
@Component
class ReportPdf {

    static final Color RED = new Color(0xE0, 0x31, 0x31);
    static final Color GREEN = new Color(0x2F, 0x9E, 0x44);
    static final Color GREY = new Color(0x8B, 0x95, 0xA1);
    static final Color BLUE = new Color(0x1F, 0x6F, 0xEB);
    static final Color HEADER = new Color(0xEE, 0xF2, 0xF7);

    private final EmergencyProperties settings;
    private volatile BaseFont regular;
    private volatile BaseFont bold;

    ReportPdf(EmergencyProperties settings) {
        this.settings = settings;
    }

    private void fonts() {
        if (regular == null) {
            try {
                regular = BaseFont.createFont(settings.reportFont(), BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
                bold = BaseFont.createFont(settings.reportBoldFont(), BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
            } catch (DocumentException | IOException e) {
                throw new IllegalStateException("the CJK font for PDF reports cannot be read (powerwatch.emergency.report-font = "
                        + settings.reportFont() + "; install fonts-noto-cjk or point the setting at a CJK font): " + e.getMessage(), e);
            }
        }
    }

    byte[] write(ReportData d) {
        fonts();
        Font title = new Font(bold, 18);
        Font h1 = new Font(bold, 13);
        Font body = new Font(regular, 9.5f);
        Font small = new Font(regular, 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, 36, 36, 40, 40);
        PdfWriter writer = PdfWriter.getInstance(doc, out);
        writer.setPageEvent(new PdfPageEventHelper() {
            @Override
            public void onEndPage(PdfWriter w, Document document) {
                PdfContentByte cb = w.getDirectContent();
                cb.beginText();
                cb.setFontAndSize(regular, 8);
                cb.setColorFill(GREY);
                cb.showTextAligned(Element.ALIGN_CENTER, "重污染天气应急评估报告 · 预警 " + d.facts().id() + " · 第 " + w.getPageNumber() + " 页",
                        (document.left() + document.right()) / 2, 20, 0);
                cb.endText();
            }
        });
        doc.addTitle("重污染天气应急评估报告（预警 " + d.facts().id() + "）");
        doc.open();
        ReportData.Facts f = d.facts();
        EmergencyLevel level = EmergencyLevel.valueOf(f.level());
        Paragraph t = new Paragraph("重污染天气应急评估报告", title);
        t.setAlignment(Element.ALIGN_CENTER);
        doc.add(t);
        Paragraph sub = new Paragraph(level.label() + "预警（" + level.response() + "响应） · 预警编号 " + f.id()
                + (f.document() == null ? "" : " · " + f.document()), body);
        sub.setAlignment(Element.ALIGN_CENTER);
        doc.add(sub);
        Paragraph gen = new Paragraph("生成时间 " + Times.shown(d.generatedAt()) + "　数据截至 " + Times.shown(d.at())
                + ("ENDED".equals(f.status()) ? "　预警已结束" : "　预警进行中（阶段报告）"), small);
        gen.setAlignment(Element.ALIGN_CENTER);
        gen.setSpacingAfter(8);
        doc.add(gen);

        heading(doc, "一、预警概况", h1);
        doc.add(table(body, new float[]{1, 3}, List.of(
                row("预警级别", level.label() + "预警（" + level.response() + "响应）"),
                row("起止时间", Times.shown(f.startsAt()) + " 至 " + Times.shown(f.endsAt()) + (f.liftedAt() == null ? "" : "（提前解除）")),
                row("发布文件", nz(f.document())),
                row("覆盖区县", String.join("、", f.districtNames())),
                row("执行预案", f.planYear() + " 年企业应急减排清单")), false));
        doc.add(new Paragraph("预警变更记录", body));
        List<List<String>> changes = new ArrayList<>();
        for (ReportData.Change c : f.changes()) {
            changes.add(List.of(Times.shown(c.effectiveAt()), Labels.change(c.kind()), Labels.changeDetail(c), nz(c.document()), nz(c.by())));
        }
        doc.add(table(small, new float[]{1.3f, 0.8f, 2.4f, 1.6f, 0.8f}, withHeader(List.of("生效时间", "变更", "内容", "文件", "记录人"), changes), true));

        heading(doc, "二、应急范围", h1);
        Map<String, Object> s = d.summary();
        doc.add(new Paragraph("参与企业 " + d.enterprises().size() + " 家：停产 " + count(d, Measure.STOP) + " 家、限产 " + count(d, Measure.LIMIT)
                + " 家、自主减排 " + count(d, Measure.SELF) + " 家（按最后执行的措施计）。", body));
        doc.add(scopeTable("区县", d.scopeByDistrict(), small));
        doc.add(scopeTable("行业", d.scopeByIndustry(), small));
        doc.add(scopeTable("绩效分级", d.scopeByGrade(), small));

        heading(doc, "三、执行情况", h1);
        doc.add(new Paragraph("应执行（停产、限产）" + s.get("obliged") + " 家，达标 " + s.get("compliant") + " 家，未达标 " + s.get("nonCompliant")
                + " 家，无法判断 " + s.get("undetermined") + " 家；执行率（达标 ÷ 应执行）" + Labels.pct(s.get("rate"))
                + "。无法判断（数据缺失或无基线）不计为达标。", body));
        doc.add(new Paragraph("区县排名（执行率由低到高）", body));
        doc.add(rateTable("区县", d.byDistrict(), small));
        doc.add(new Paragraph("按绩效分级", body));
        doc.add(rateTable("绩效分级", d.byGrade(), small));

        heading(doc, "四、未达标企业", h1);
        List<List<String>> bad = new ArrayList<>();
        for (ReportData.EnterpriseResult e : d.enterprises()) {
            if (e.verdict() != Verdict.Kind.NON_COMPLIANT) {
                continue;
            }
            for (ReportData.MeasureResult m : e.measures()) {
                if (m.evaluation().result().kind() != Verdict.Kind.NON_COMPLIANT) {
                    continue;
                }
                MeasureEvaluator.Evaluation ev = m.evaluation();
                bad.add(List.of(e.name(), nz(e.districtName()), Labels.measure(ev.measure()), m.evaluation().result().reason()
                        + (ev.evidence().firstRunning() == null ? "" : "；首次运行 " + Times.shown(ev.evidence().firstRunning())),
                        Labels.alarms(e.alarms())));
            }
        }
        if (bad.isEmpty()) {
            doc.add(new Paragraph("无。", body));
        } else {
            doc.add(table(small, new float[]{2, 0.8f, 1.2f, 2.8f, 2.2f}, withHeader(List.of("企业", "区县", "要求措施", "证据", "报警及处理"), bad), true));
        }

        heading(doc, "五、减排效果估算", h1);
        doc.add(new Paragraph("方法：各企业按基线应有用电量 = 基线日电量 × 执行小时 ÷ 24（人工核定基线无日电量时取 基线功率 × 执行小时 × "
                + d.ratedHoursPerDay() + " ÷ 24），实际用电量取其限停对象生产设施的逐时电量之和；用电削减比例 = 1 − 实际 ÷ 应有。"
                + "按行业汇总（无基线或数据不全的企业不计入），污染物排放削减比例按与用电削减比例相同估算（用电与排放同比例，参照潍坊 2022 年冬奥保障期研究）。", small));
        List<List<String>> ind = new ArrayList<>();
        for (ReportData.IndustryReduction r : d.industries()) {
            ind.add(List.of(r.name(), String.valueOf(r.enterprises()), Labels.num(r.expectedKwh()), Labels.num(r.actualKwh()),
                    r.reductionPercent() == null ? "—" : r.reductionPercent() + "%"));
        }
        doc.add(table(small, new float[]{2.4f, 0.8f, 1.4f, 1.4f, 1.4f}, withHeader(List.of("行业", "企业", "应有用电(kWh)", "实际用电(kWh)",
                "估算排放削减"), ind), true));

        heading(doc, "六、数据缺失", h1);
        List<List<String>> gaps = new ArrayList<>();
        for (ReportData.EnterpriseResult e : d.enterprises()) {
            for (ReportData.MeasureResult m : e.measures()) {
                Verdict.Result r = m.evaluation().result();
                Verdict.Evidence ev = m.evaluation().evidence();
                if (r.kind() == Verdict.Kind.UNDETERMINED || ev.covered() < ev.expected()) {
                    gaps.add(List.of(e.name(), Labels.measure(m.evaluation().measure()), ev.covered() + " / " + ev.expected(),
                            r.kind() == Verdict.Kind.UNDETERMINED ? r.reason() : "部分时段缺数"));
                }
            }
        }
        if (gaps.isEmpty()) {
            doc.add(new Paragraph("无：全部企业在各自执行时段内均有完整数据。", body));
        } else {
            doc.add(new Paragraph("下列企业的数据不完整（完整的15分钟时段 / 应有时段）；数据缺失的企业判为“无法判断”，不计为达标。", small));
            doc.add(table(small, new float[]{2.4f, 1.2f, 1, 3}, withHeader(List.of("企业", "措施", "完整时段", "说明"), gaps), true));
        }

        heading(doc, "七、企业明细", h1);
        doc.add(new Paragraph("曲线：预警期间生产设施逐时功率（蓝）与基线（红色虚线）。", small));
        PdfPTable detail = new PdfPTable(new float[]{2.1f, 1.3f, 1.4f, 1.1f, 0.8f, 0.9f, 2.4f});
        detail.setWidthPercentage(100);
        detail.setSpacingBefore(4);
        detail.setHeaderRows(1);
        for (String h : List.of("企业", "措施", "基线(kW)/方法", "实际用电(kWh)", "削减", "判定", "逐时功率")) {
            detail.addCell(headerCell(h, small));
        }
        for (ReportData.EnterpriseResult e : d.enterprises()) {
            ReportData.MeasureResult last = e.last();
            MeasureEvaluator.MeasureRow m = last.evaluation().measure();
            detail.addCell(cell(e.name() + "\n" + nz(e.districtName()) + " · " + Labels.grade(e.grade()), small));
            detail.addCell(cell(String.join("\n", e.measures().stream().map(x -> Labels.measure(x.evaluation().measure())).toList()), small));
            detail.addCell(cell(m.baselineKw() == null ? "无" : Labels.num(m.baselineKw()) + "\n" + Labels.method(m.baselineMethod(), m.baselineDays()), small));
            detail.addCell(cell(Labels.num(e.actualKwh()), small));
            Double red = last.evaluation().result().reductionPercent();
            detail.addCell(cell(red == null ? "—" : red + "%", small));
            PdfPCell v = cell(Labels.verdict(e.verdict()), new Font(bold, 8, Font.NORMAL, color(e.verdict())));
            detail.addCell(v);
            detail.addCell(sparkline(writer, e.hourlyKw(), m.baselineKw()));
        }
        doc.add(detail);

        heading(doc, "附：判定方法", h1);
        doc.add(new Paragraph("停产：执行开始后留 " + settings.runDown().toMinutes() + " 分钟停机缓冲，此后任一15分钟时段有生产设施功率达到其运行阈值即为未达标；"
                + "数据完整时段不足 " + Math.round(settings.minCoverage() * 100) + "% 判为无法判断；生产平均功率超过基线的 "
                + Math.round(settings.stopBaselineShare() * 100) + "% 亦为未达标。限产：削减比例 = 1 − 运行时段平均生产功率 ÷ 基线，"
                + "不低于要求比例减 " + settings.limitTolerancePoints() + " 个百分点为达标；无基线或数据不足判为无法判断。"
                + "基线：企业前30天正常生产日运行时段的平均生产功率（历史不足时取额定功率×典型负荷率，或预案核定值）。", small));
        doc.close();
        return out.toByteArray();
    }

    private static long count(ReportData d, Measure m) {
        return d.enterprises().stream().filter(e -> e.last().evaluation().measure().measure() == m).count();
    }

    private static void heading(Document doc, String text, Font font) {
        Paragraph p = new Paragraph(text, font);
        p.setSpacingBefore(10);
        p.setSpacingAfter(4);
        doc.add(p);
    }

    private PdfPTable scopeTable(String label, List<ReportData.Scope> rows, Font font) {
        List<List<String>> data = new ArrayList<>();
        for (ReportData.Scope r : rows) {
            data.add(List.of(r.name(), String.valueOf(r.enterprises()), String.valueOf(r.stop()), String.valueOf(r.limit()), String.valueOf(r.self())));
        }
        return table(font, new float[]{2.4f, 1, 1, 1, 1}, withHeader(List.of(label, "企业", "停产", "限产", "自主减排"), data), true);
    }

    private PdfPTable rateTable(String label, List<Map<String, Object>> rows, Font font) {
        List<List<String>> data = new ArrayList<>();
        int rank = 1;
        for (Map<String, Object> r : rows) {
            data.add(List.of(String.valueOf(rank++), String.valueOf(r.get("name")), String.valueOf(r.get("obliged")), String.valueOf(r.get("compliant")),
                    String.valueOf(r.get("nonCompliant")), String.valueOf(r.get("undetermined")), Labels.pct(r.get("rate"))));
        }
        return table(font, new float[]{0.5f, 1.8f, 1, 1, 1, 1, 1}, withHeader(List.of("名次", label, "应执行", "达标", "未达标", "无法判断", "执行率"), data), true);
    }

    private static List<List<String>> withHeader(List<String> header, List<List<String>> rows) {
        List<List<String>> out = new ArrayList<>();
        out.add(header);
        out.addAll(rows);
        return out;
    }

    private static List<String> row(String... cells) {
        return List.of(cells);
    }

    private PdfPTable table(Font font, float[] widths, List<List<String>> rows, boolean header) {
        PdfPTable t = new PdfPTable(widths);
        t.setWidthPercentage(100);
        t.setSpacingBefore(3);
        t.setSpacingAfter(6);
        if (header) {
            t.setHeaderRows(1);
        }
        for (int i = 0; i < rows.size(); i++) {
            for (String c : rows.get(i)) {
                t.addCell(header && i == 0 ? headerCell(c, font) : cell(c, font));
            }
        }
        return t;
    }

    private PdfPCell headerCell(String text, Font font) {
        PdfPCell c = new PdfPCell(new Phrase(text, new Font(bold, font.getSize())));
        c.setBackgroundColor(HEADER);
        c.setPadding(3);
        return c;
    }

    private static PdfPCell cell(String text, Font font) {
        PdfPCell c = new PdfPCell(new Phrase(new Chunk(text == null ? "" : text, font)));
        c.setPadding(3);
        c.setVerticalAlignment(Element.ALIGN_MIDDLE);
        return c;
    }

    /** A small curve: hourly production kW (gaps where data is missing) and the baseline dashed. */
    private static PdfPCell sparkline(PdfWriter writer, double[] kw, Double baseline) {
        float w = 150;
        float h = 30;
        PdfTemplate tpl = writer.getDirectContent().createTemplate(w, h);
        double max = baseline == null ? 0 : baseline;
        for (double v : kw) {
            if (!Double.isNaN(v)) {
                max = Math.max(max, v);
            }
        }
        max = max <= 0 ? 1 : max * 1.1;
        tpl.setColorStroke(new Color(0xDD, 0xE3, 0xEA));
        tpl.setLineWidth(0.4f);
        tpl.rectangle(0.2f, 0.2f, w - 0.4f, h - 0.4f);
        tpl.stroke();
        if (baseline != null) {
            float y = (float) (2 + (h - 4) * baseline / max);
            tpl.setColorStroke(RED);
            tpl.setLineWidth(0.6f);
            tpl.setLineDash(2, 2, 0);
            tpl.moveTo(0, y);
            tpl.lineTo(w, y);
            tpl.stroke();
            tpl.setLineDash(0);
        }
        tpl.setColorStroke(BLUE);
        tpl.setLineWidth(0.8f);
        boolean drawing = false;
        for (int i = 0; i < kw.length; i++) {
            if (Double.isNaN(kw[i])) {
                drawing = false;
                continue;
            }
            float x = kw.length == 1 ? w / 2 : (float) (w * i / (kw.length - 1.0));
            float y = (float) (2 + (h - 4) * kw[i] / max);
            if (drawing) {
                tpl.lineTo(x, y);
            } else {
                tpl.moveTo(x, y);
                drawing = true;
            }
        }
        tpl.stroke();
        try {
            PdfPCell c = new PdfPCell(Image.getInstance(tpl), true); // scaled to the column
            c.setPadding(2);
            c.setBorder(Rectangle.BOX);
            return c;
        } catch (DocumentException e) {
            throw new IllegalStateException(e);
        }
    }

    static Color color(Verdict.Kind k) {
        return switch (k) {
            case COMPLIANT -> GREEN;
            case NON_COMPLIANT -> RED;
            default -> GREY;
        };
    }

    private static String nz(String s) {
        return s == null ? "—" : s;
    }
}

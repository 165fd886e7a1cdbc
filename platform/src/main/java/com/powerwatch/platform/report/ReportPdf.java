package com.powerwatch.platform.report;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfWriter;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A report as PDF (A4 landscape): the title and facts on top, each section with its key figures, the table (heading
 * repeated on every page, total row in bold) and notes; page numbers in the footer. The CJK font is loaded once and
 * embedded as a subset, so the file carries only the characters used and prints the same everywhere.
 */
final class ReportPdf {

    private static final Color HEADER_BG = new Color(0xE8, 0xEE, 0xF7);
    private static final Color TOTAL_BG = new Color(0xF4, 0xF4, 0xF4);

    private final BaseFont base;

    ReportPdf(String fontPath) {
        try {
            this.base = BaseFont.createFont(fontPath, BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
        } catch (DocumentException | IOException e) {
            throw new IllegalStateException("cannot load the report font " + fontPath
                    + " (install fonts-noto-cjk or set powerwatch.report.font): " + e.getMessage(), e);
        }
    }

    byte[] render(ReportDocument doc) {
        Font title = new Font(base, 16, Font.BOLD);
        Font heading = new Font(base, 12, Font.BOLD);
        Font text = new Font(base, 9);
        Font small = new Font(base, 7.5f);
        Font smallBold = new Font(base, 7.5f, Font.BOLD);
        Font muted = new Font(base, 8, Font.NORMAL, Color.DARK_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document d = new Document(PageSize.A4.rotate(), 28, 28, 32, 36);
        PdfWriter writer = PdfWriter.getInstance(d, out);
        writer.setPageEvent(new Footer(doc.title(), new Font(base, 8, Font.NORMAL, Color.GRAY)));
        d.addTitle(doc.title());
        d.addCreator("PowerWatch 固定污染源用电监控平台");
        d.open();
        Paragraph h = new Paragraph(doc.title(), title);
        h.setAlignment(Element.ALIGN_CENTER);
        d.add(h);
        Paragraph facts = new Paragraph("统计周期：" + doc.periodLabel() + "　区域：" + doc.regionLabel() + "　数据范围：" + doc.scopeLabel()
                + "　生成时间：" + ReportExcel.TIME.format(doc.generatedAt()) + "　生成人：" + doc.generatedBy(), muted);
        facts.setAlignment(Element.ALIGN_CENTER);
        facts.setSpacingAfter(8);
        d.add(facts);
        for (ReportTable t : doc.sections()) {
            if (doc.sections().size() > 1) {
                Paragraph sh = new Paragraph(t.title(), heading);
                sh.setSpacingBefore(8);
                sh.setSpacingAfter(4);
                d.add(sh);
            }
            if (!t.figures().isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<String, Object> f : t.figures().entrySet()) {
                    sb.append(sb.isEmpty() ? "" : "　　").append(f.getKey()).append("：").append(ReportFormat.text(f.getValue(), null));
                }
                Paragraph p = new Paragraph(sb.toString(), text);
                p.setSpacingAfter(4);
                d.add(p);
            }
            if (t.rows().isEmpty()) {
                d.add(new Paragraph("（本期无数据）", muted));
            } else {
                d.add(table(t, small, smallBold));
            }
            for (String note : t.notes()) {
                d.add(new Paragraph("注：" + note, muted));
            }
        }
        d.close();
        return out.toByteArray();
    }

    private static PdfPTable table(ReportTable t, Font font, Font bold) {
        PdfPTable table = new PdfPTable(t.columns().size());
        table.setWidthPercentage(100);
        float[] widths = new float[t.columns().size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(4, Math.min(t.columns().get(i).width(), 40));
        }
        table.setWidths(widths);
        table.setHeaderRows(1);
        table.setSpacingBefore(2);
        table.setSpacingAfter(4);
        for (ReportColumn c : t.columns()) {
            PdfPCell cell = new PdfPCell(new Phrase(c.title(), bold));
            cell.setBackgroundColor(HEADER_BG);
            cell.setHorizontalAlignment(Element.ALIGN_CENTER);
            cell.setVerticalAlignment(Element.ALIGN_MIDDLE);
            cell.setPadding(3);
            table.addCell(cell);
        }
        for (Map<String, Object> row : t.rows()) {
            cells(table, t, row, font, null);
        }
        if (t.total() != null) {
            cells(table, t, t.total(), bold, TOTAL_BG);
        }
        return table;
    }

    private static void cells(PdfPTable table, ReportTable t, Map<String, Object> row, Font font, Color bg) {
        for (ReportColumn c : t.columns()) {
            Object v = row.get(c.key());
            PdfPCell cell = new PdfPCell(new Phrase(v == null && bg != null ? "" : ReportFormat.text(v, c), font));
            cell.setHorizontalAlignment(c.numeric() ? Element.ALIGN_RIGHT : Element.ALIGN_LEFT);
            cell.setPadding(2.5f);
            if (bg != null) {
                cell.setBackgroundColor(bg);
            }
            table.addCell(cell);
        }
    }

    /** 第 n 页 and the report's title at the foot of every page. */
    private static final class Footer extends PdfPageEventHelper {
        private final String title;
        private final Font font;

        Footer(String title, Font font) {
            this.title = title;
            this.font = font;
        }

        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            Rectangle page = document.getPageSize();
            ColumnText.showTextAligned(writer.getDirectContent(), Element.ALIGN_LEFT, new Phrase(title, font),
                    document.left(), page.getBottom() + 18, 0);
            ColumnText.showTextAligned(writer.getDirectContent(), Element.ALIGN_RIGHT,
                    new Phrase("第 " + writer.getPageNumber() + " 页", font), document.right(), page.getBottom() + 18, 0);
        }
    }
}

package com.powerwatch.platform.report;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A report as an Excel workbook: one sheet per section, each starting with the report's title, period, region and
 * generation time, then the section's key figures, the table with a bold frozen heading, the total row and the notes.
 * Numbers stay numbers (percentages as 0.0"%"), so officers can sort and sum them.
 */
final class ReportExcel {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ReportQuery.CHINA);

    private ReportExcel() {
    }

    static byte[] render(ReportDocument doc) {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Styles st = new Styles(wb);
            Set<String> names = new HashSet<>();
            for (ReportTable t : doc.sections()) {
                Sheet sheet = wb.createSheet(sheetName(t.title(), names));
                int r = 0;
                r = line(sheet, r, doc.title() + (doc.sections().size() > 1 ? " — " + t.title() : ""), st.title);
                r = line(sheet, r, "统计周期：" + doc.periodLabel() + "    区域：" + doc.regionLabel() + "    数据范围：" + doc.scopeLabel(), null);
                r = line(sheet, r, "生成时间：" + TIME.format(doc.generatedAt()) + "    生成人：" + doc.generatedBy(), null);
                for (Map.Entry<String, Object> f : t.figures().entrySet()) {
                    Row row = sheet.createRow(r++);
                    Cell k = row.createCell(0);
                    k.setCellValue(f.getKey());
                    k.setCellStyle(st.bold);
                    value(row.createCell(1), f.getValue(), null, st);
                }
                r++;
                int headerRow = r;
                Row h = sheet.createRow(r++);
                for (int c = 0; c < t.columns().size(); c++) {
                    ReportColumn col = t.columns().get(c);
                    Cell cell = h.createCell(c);
                    cell.setCellValue(col.title());
                    cell.setCellStyle(st.header);
                    sheet.setColumnWidth(c, Math.min(255, Math.max(col.width(), 6)) * 256);
                }
                for (Map<String, Object> values : t.rows()) {
                    r = row(sheet, r, t, values, st, false);
                }
                if (t.total() != null) {
                    r = row(sheet, r, t, t.total(), st, true);
                }
                if (t.rows().isEmpty()) {
                    r = line(sheet, r, "（本期无数据）", null);
                }
                r++;
                for (String note : t.notes()) {
                    r = line(sheet, r, "注：" + note, null);
                }
                sheet.createFreezePane(0, headerRow + 1);
            }
            if (doc.sections().isEmpty()) {
                line(wb.createSheet(sheetName(doc.title(), names)), 0, doc.title() + "（无内容）", st.title);
            }
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the report workbook", e);
        }
    }

    private static int row(Sheet sheet, int r, ReportTable t, Map<String, Object> values, Styles st, boolean total) {
        Row row = sheet.createRow(r);
        for (int c = 0; c < t.columns().size(); c++) {
            ReportColumn col = t.columns().get(c);
            Cell cell = row.createCell(c);
            value(cell, values.get(col.key()), col, st);
            if (total && cell.getCellStyle().getIndex() == 0) {
                cell.setCellStyle(st.bold);
            }
        }
        return r + 1;
    }

    private static void value(Cell cell, Object v, ReportColumn col, Styles st) {
        if (v == null) {
            if (col != null && col.numeric()) {
                cell.setCellValue("—");
            }
            return;
        }
        if (v instanceof Number n) {
            cell.setCellValue(n.doubleValue());
            if (col != null && col.kind() == ReportColumn.Kind.PERCENT) {
                cell.setCellStyle(st.percent);
            } else if (col != null && col.kind() == ReportColumn.Kind.DECIMAL) {
                cell.setCellStyle(st.decimal);
            }
        } else {
            cell.setCellValue(v.toString());
        }
    }

    private static int line(Sheet sheet, int r, String text, CellStyle style) {
        Cell c = sheet.createRow(r).createCell(0);
        c.setCellValue(text);
        if (style != null) {
            c.setCellStyle(style);
        }
        return r + 1;
    }

    /** A legal, unique sheet name (31 characters, no []:*?/\). */
    static String sheetName(String title, Set<String> taken) {
        String base = WorkbookUtil.createSafeSheetName(title);
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            String suffix = "(" + i + ")";
            name = (base.length() + suffix.length() > 31 ? base.substring(0, 31 - suffix.length()) : base) + suffix;
        }
        return name;
    }

    private static final class Styles {
        final CellStyle title;
        final CellStyle bold;
        final CellStyle header;
        final CellStyle percent;
        final CellStyle decimal;

        Styles(XSSFWorkbook wb) {
            Font big = wb.createFont();
            big.setBold(true);
            big.setFontHeightInPoints((short) 14);
            title = wb.createCellStyle();
            title.setFont(big);
            Font b = wb.createFont();
            b.setBold(true);
            bold = wb.createCellStyle();
            bold.setFont(b);
            header = wb.createCellStyle();
            header.setFont(b);
            header.setWrapText(true);
            percent = wb.createCellStyle();
            percent.setDataFormat(wb.createDataFormat().getFormat("0.0\"%\""));
            decimal = wb.createCellStyle();
            decimal.setDataFormat(wb.createDataFormat().getFormat("#,##0.00"));
        }
    }
}

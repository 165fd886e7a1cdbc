package com.powerwatch.platform.emergency;

import com.powerwatch.platform.api.ApiException;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Excel sheets of the emergency module: written as header + rows, read back as cell texts by header. */
public final class Sheets {

    /** One data row of a sheet: its 1-based Excel row number and the cell texts by header (without the *). */
    public record SheetRow(int row, Map<String, String> cells) {
        public String get(String column) {
            String v = cells.get(column);
            return v == null || v.isBlank() ? null : v.trim();
        }
    }

    /** A sheet to write: name, column headers and widths (characters), rows of values (numbers stay numbers). */
    public record SheetData(String name, List<String> headers, List<Integer> widths, List<List<Object>> rows) {
    }

    private Sheets() {
    }

    /** A workbook of these sheets (streamed: thousands of rows stay small in memory). */
    public static byte[] write(List<SheetData> sheets) {
        SXSSFWorkbook wb = new SXSSFWorkbook(200);
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle header = wb.createCellStyle();
            Font bold = wb.createFont();
            bold.setBold(true);
            header.setFont(bold);
            for (SheetData data : sheets) {
                Sheet sheet = wb.createSheet(data.name());
                Row h = sheet.createRow(0);
                for (int c = 0; c < data.headers().size(); c++) {
                    Cell cell = h.createCell(c);
                    cell.setCellValue(data.headers().get(c));
                    cell.setCellStyle(header);
                    int width = c < data.widths().size() ? data.widths().get(c) : 14;
                    sheet.setColumnWidth(c, width * 256);
                }
                int r = 1;
                for (List<Object> values : data.rows()) {
                    Row row = sheet.createRow(r++);
                    for (int c = 0; c < values.size(); c++) {
                        Object v = values.get(c);
                        if (v instanceof Number n) {
                            row.createCell(c).setCellValue(n.doubleValue());
                        } else if (v != null && !v.toString().isEmpty()) {
                            row.createCell(c).setCellValue(v.toString());
                        }
                    }
                }
                if (!data.headers().isEmpty()) {
                    sheet.createFreezePane(0, 1);
                }
            }
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the workbook", e);
        } finally {
            wb.dispose();
        }
    }

    /**
     * The data rows of sheet {@code name} (the first sheet when there is none of that name); 400 on {@code file} when the
     * bytes are no workbook or it holds more than {@code maxRows} data rows.
     */
    public static List<SheetRow> read(InputStream in, String name, int maxRows) {
        try (Workbook wb = WorkbookFactory.create(in)) {
            Sheet sheet = wb.getSheet(name);
            if (sheet == null && wb.getNumberOfSheets() > 0) {
                sheet = wb.getSheetAt(0);
            }
            List<SheetRow> rows = new ArrayList<>();
            if (sheet == null || sheet.getRow(0) == null) {
                return rows;
            }
            DataFormatter fmt = new DataFormatter(Locale.ROOT);
            Map<Integer, String> columns = new HashMap<>();
            for (Cell c : sheet.getRow(0)) {
                String h = fmt.formatCellValue(c).trim().replace("*", "");
                if (!h.isEmpty()) {
                    columns.put(c.getColumnIndex(), h);
                }
            }
            for (int r = 1; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                if (row == null) {
                    continue;
                }
                Map<String, String> cells = new HashMap<>();
                for (Map.Entry<Integer, String> col : columns.entrySet()) {
                    String v = text(row.getCell(col.getKey()), fmt);
                    if (v != null && !v.isBlank()) {
                        cells.put(col.getValue(), v.trim());
                    }
                }
                if (!cells.isEmpty()) {
                    if (rows.size() >= maxRows) {
                        throw ApiException.badRequest("file", "工作表“" + sheet.getSheetName() + "”的数据超过 " + maxRows + " 行的上限，请分批导入");
                    }
                    rows.add(new SheetRow(r + 1, cells));
                }
            }
            return rows;
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("file", "无法读取该文件：请上传 Excel 工作簿（.xlsx 或 .xls）");
        }
    }

    /** Numbers as plain text (no "1.0E7", no grouping), dates as yyyy-MM-dd. */
    private static String text(Cell cell, DataFormatter fmt) {
        if (cell == null) {
            return null;
        }
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        if (type == CellType.NUMERIC) {
            if (DateUtil.isCellDateFormatted(cell)) {
                return cell.getLocalDateTimeCellValue().toLocalDate().toString();
            }
            return new java.math.BigDecimal(Double.toString(cell.getNumericCellValue())).stripTrailingZeros().toPlainString();
        }
        return fmt.formatCellValue(cell);
    }
}

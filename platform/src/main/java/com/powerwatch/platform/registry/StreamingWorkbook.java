package com.powerwatch.platform.registry;

import com.powerwatch.platform.api.ApiErrors;
import com.powerwatch.platform.api.ApiException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.poifs.filesystem.FileMagic;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.SharedStrings;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.poi.xssf.usermodel.XSSFRelation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the data rows of an .xlsx without building the workbook in memory: the zip is opened from a file (its entries
 * are inflated on demand) and each sheet's XML is parsed as a stream (POI's SAX event API). What one import can cost
 * is capped: data rows per sheet, and the bytes of XML unpacked in all (sheets, shared strings, styles).
 */
final class StreamingWorkbook {

    private static final Logger log = LoggerFactory.getLogger(StreamingWorkbook.class);

    /** One data row of a sheet: its 1-based Excel row number and the cell texts by header (without the *). */
    record SheetRow(String sheet, int row, Map<String, String> cells) {
        String get(String column) {
            String v = cells.get(column);
            return v == null || v.isBlank() ? null : v.trim();
        }
    }

    private final int maxRows;
    private final long maxUnpackedBytes;

    StreamingWorkbook(int maxRows, long maxUnpackedBytes) {
        this.maxRows = maxRows;
        this.maxUnpackedBytes = maxUnpackedBytes;
    }

    /** The rows of the named sheets (a missing sheet has none); a 400 naming {@code file} when a cap is passed. */
    Map<String, List<SheetRow>> read(Path file, Collection<String> sheets) {
        Map<String, List<SheetRow>> out = new HashMap<>();
        sheets.forEach(s -> out.put(s, new ArrayList<>()));
        refuseOldFormat(file);
        Budget budget = new Budget();
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            SharedStrings strings = sharedStrings(pkg, budget);
            StylesTable styles = styles(pkg, budget);
            XSSFReader.SheetIterator it = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (it.hasNext()) {
                try (InputStream sheet = it.next()) {
                    String name = it.getSheetName();
                    if (out.containsKey(name)) {
                        readSheet(name, budget.wrap(sheet), styles, strings, out.get(name));
                    }
                }
            }
        } catch (ApiException limit) {
            throw limit;
        } catch (Exception e) { // not a zip, not a workbook, broken XML, a zip bomb by POI's own ratio check
            log.info("not a readable workbook: {}", e.toString());
            throw ApiException.badRequest("file", "无法读取该文件：请上传 Excel 工作簿（.xlsx）");
        }
        return out;
    }

    private static void refuseOldFormat(Path file) {
        try (InputStream in = FileMagic.prepareToCheckMagic(Files.newInputStream(file))) {
            if (FileMagic.valueOf(in) == FileMagic.OLE2) {
                throw ApiException.badRequest("file", "这是旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 后再导入");
            }
        } catch (IOException e) {
            throw ApiException.badRequest("file", "无法读取该文件：请上传 Excel 工作簿（.xlsx）");
        }
    }

    private static SharedStrings sharedStrings(OPCPackage pkg, Budget budget) throws Exception {
        List<PackagePart> parts = pkg.getPartsByContentType(XSSFRelation.SHARED_STRINGS.getContentType());
        if (parts.isEmpty()) {
            return new ReadOnlySharedStringsTable(InputStream.nullInputStream());
        }
        try (InputStream in = budget.wrap(parts.get(0).getInputStream())) {
            return new ReadOnlySharedStringsTable(in);
        }
    }

    private static StylesTable styles(OPCPackage pkg, Budget budget) throws IOException {
        List<PackagePart> parts = pkg.getPartsByContentType(XSSFRelation.STYLES.getContentType());
        if (parts.isEmpty()) {
            return null;
        }
        try (InputStream in = budget.wrap(parts.get(0).getInputStream())) {
            return new StylesTable(in);
        }
    }

    private void readSheet(String name, InputStream xml, StylesTable styles, SharedStrings strings, List<SheetRow> rows)
            throws Exception {
        XMLReader parser = XMLHelper.newXMLReader();
        parser.setContentHandler(new XSSFSheetXMLHandler(styles, strings, new Rows(name, rows), new PlainFormatter(), false));
        parser.parse(new InputSource(xml));
    }

    /** Collects the data rows of one sheet by the headers of its first row; stops the parse past the row cap. */
    private final class Rows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final String sheet;
        private final List<SheetRow> rows;
        private final Map<Integer, String> headers = new HashMap<>();
        private Map<String, String> cells;
        private int row;
        private int nextColumn;

        Rows(String sheet, List<SheetRow> rows) {
            this.sheet = sheet;
            this.rows = rows;
        }

        @Override
        public void startRow(int rowNum) {
            cells = new HashMap<>();
            row = rowNum;
            nextColumn = 0;
        }

        @Override
        public void cell(String ref, String value, XSSFComment comment) {
            int column = ref == null ? nextColumn : new CellReference(ref).getCol();
            nextColumn = column + 1;
            if (value == null || value.isBlank()) {
                return;
            }
            if (row == 0) {
                String h = value.trim().replace("*", "");
                if (!h.isEmpty()) {
                    headers.put(column, h);
                }
                return;
            }
            String header = headers.get(column);
            if (header != null) {
                cells.put(header, value.trim());
            }
        }

        @Override
        public void endRow(int rowNum) {
            if (rowNum == 0 || cells.isEmpty()) {
                return;
            }
            rows.add(new SheetRow(sheet, rowNum + 1, cells));
            if (rows.size() > maxRows) {
                throw ApiException.badRequest("file", "工作表“" + sheet + "”超过 " + maxRows + " 行的上限（不含表头），请分批导入");
            }
        }
    }

    /** Numbers as plain text (no "1.0E7", no grouping), dates as yyyy-MM-dd: what the checks expect whatever the cell format. */
    private static final class PlainFormatter extends DataFormatter {
        PlainFormatter() {
            super(Locale.ROOT);
        }

        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904Windowing) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                return DateUtil.getLocalDateTime(value, use1904Windowing).toLocalDate().toString();
            }
            return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
        }
    }

    /** The unpacked bytes all parts of one workbook may use between them. */
    private final class Budget {
        private long used;

        InputStream wrap(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    count(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    count(Math.max(n, 0));
                    return n;
                }
            };
        }

        private void count(int n) {
            used += n;
            if (used > maxUnpackedBytes) {
                throw ApiException.badRequest("file", "文件解压后超过 " + ApiErrors.size(maxUnpackedBytes) + " 的上限，请分批导入");
            }
        }
    }
}

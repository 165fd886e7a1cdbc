package com.powerwatch.platform.registry;

import com.powerwatch.platform.api.ApiException;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The streaming reader on its own: caps on rows and on unpacked bytes, cell texts as the checks expect them. */
class StreamingWorkbookTest {

    @TempDir
    Path dir;

    private Path file(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(dir, "wb", ".xlsx"), bytes);
    }

    private Path file(Workbook wb) throws IOException {
        Path p = Files.createTempFile(dir, "wb", ".bin");
        try (wb; OutputStream out = Files.newOutputStream(p)) {
            wb.write(out);
        }
        return p;
    }

    private static ApiException refused(Runnable r) {
        ApiException e = assertThrows(ApiException.class, r::run);
        assertEquals("file", e.field());
        assertEquals(400, e.status().value());
        return e;
    }

    @Test
    void rowsAndUnpackedBytesAreCapped() throws IOException {
        Path p = file(RawWorkbook.of("企业", List.of("企业名称*", "区县代码*"), 2_000, i -> List.of("企业" + i, "610113")));
        assertEquals(2_000, new StreamingWorkbook(2_000, 1 << 20).read(p, List.of("企业")).get("企业").size(), "at the caps: read");
        assertEquals("工作表“企业”超过 1999 行的上限（不含表头），请分批导入",
                refused(() -> new StreamingWorkbook(1_999, 1 << 20).read(p, List.of("企业"))).getMessage());
        assertEquals("文件解压后超过 10 KB 的上限，请分批导入",
                refused(() -> new StreamingWorkbook(20_000, 10 * 1024).read(p, List.of("企业"))).getMessage());
    }

    @Test
    void cellsReadAsTextNumbersPlainDatesIsoAndRowsAsExcelNumbersThem() throws IOException {
        XSSFWorkbook wb = new XSSFWorkbook();
        Sheet s = wb.createSheet("监测点");
        Row h = s.createRow(0);
        List<String> headers = List.of("MN*", "CT变比", "联网日期", "通道");
        for (int i = 0; i < headers.size(); i++) {
            h.createCell(i).setCellValue(headers.get(i));
        }
        CellStyle date = wb.createCellStyle();
        date.setDataFormat(wb.createDataFormat().getFormat("yyyy/m/d"));
        Row r = s.createRow(2); // row 3 in Excel; row 2 is left empty
        r.createCell(0).setCellValue(10_000_000);
        r.createCell(1).setCellValue(0.5);
        r.createCell(2).setCellValue(LocalDate.of(2026, 3, 1));
        r.getCell(2).setCellStyle(date);
        r.createCell(3).setCellValue(" 100001 ");
        wb.createSheet("其他").createRow(0).createCell(0).setCellValue("ignored");
        Map<String, List<StreamingWorkbook.SheetRow>> read = new StreamingWorkbook(10, 1 << 20).read(file(wb), List.of("监测点", "企业"));
        assertEquals(List.of(), read.get("企业"), "a missing sheet has no rows");
        StreamingWorkbook.SheetRow row = read.get("监测点").get(0);
        assertEquals(3, row.row());
        assertEquals(Map.of("MN", "10000000", "CT变比", "0.5", "联网日期", "2026-03-01", "通道", "100001"), row.cells());
    }

    @Test
    void notAnXlsxIsRefusedPlainly() throws IOException {
        HSSFWorkbook xls = new HSSFWorkbook();
        xls.createSheet("企业");
        assertEquals("这是旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 后再导入",
                refused(() -> new StreamingWorkbook(10, 1 << 20).read(uncheck(() -> file(xls)), List.of("企业"))).getMessage());
        assertEquals("无法读取该文件：请上传 Excel 工作簿（.xlsx）",
                refused(() -> new StreamingWorkbook(10, 1 << 20).read(uncheck(() -> file("hello".getBytes())), List.of("企业"))).getMessage());
        byte[] broken = Arrays.copyOf(RawWorkbook.of("企业", List.of("企业名称"), 10, i -> List.of("x")), 300);
        assertEquals("无法读取该文件：请上传 Excel 工作簿（.xlsx）",
                refused(() -> new StreamingWorkbook(10, 1 << 20).read(uncheck(() -> file(broken)), List.of("企业"))).getMessage());
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T uncheck(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package com.powerwatch.platform.web;

import com.powerwatch.platform.auth.Role;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 运维 in Chromium: the Excel import's row report (all or nothing), the raw-message trace of a data logger, a logger's
 * access password and policy, and the device list paged by the server.
 */
class OpsBrowserTest extends AdminBrowserTestBase {

    @Test
    void anExcelImportWithABadRowShowsTheRowReportAndImportsNothing() throws IOException {
        enterprises();
        String operator = newUser(Role.OPERATOR, List.of(), null);
        String good = unique("导入正常企业");
        String bad = unique("导入错误企业");
        Path file = Files.createTempFile("registry-", ".xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            Sheet s = wb.createSheet("企业");
            row(s, 0, "企业名称*", "区县代码*", "行业代码");
            row(s, 1, good, "610113", "3011");
            row(s, 2, bad, "999999", "3011"); // no such district: row 3 as Excel numbers it
            wb.write(out);
        }
        int enterprisesBefore = jdbc.queryForObject("select count(*) from enterprise", Integer.class);

        signInAs(operator, GOOD_PASSWORD, "/ops/excel");
        // the file input is visually hidden behind its 选择 Excel 文件 button
        waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=excel-file]")), "the file input")
                .sendKeys(file.toAbsolutePath().toString());
        waitForText(".chosen", file.getFileName().toString());
        click("[data-test=excel-import]");
        find("[data-test=excel-failed]");
        String report = waitForText("[data-test=excel-errors]", "第 3 行").getText();
        assertTrue(report.contains("999999"), "the bad value is named: " + report);
        assertTrue(!report.contains("第 2 行"), "the good row is not reported: " + report);
        assertTrue(find("[data-test=excel-failed]").getText().contains("未导入任何数据"));

        assertEquals(enterprisesBefore, jdbc.queryForObject("select count(*) from enterprise", Integer.class),
                "all or nothing: not even the good row was written");
        assertEquals(0, jdbc.queryForObject("select count(*) from enterprise where name in (?, ?)", Integer.class, good, bad));
        Files.deleteIfExists(file);
    }

    @Test
    void aLoggersAccessPasswordIsGeneratedShownOnceAndItsPolicySet() {
        long enterprise = enterprises()[0];
        String mn = "WEBPW" + unique("mn").replace("-", "").toUpperCase().substring(0, 10);
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?)", mn, enterprise); // as before passwords: none, WARN
        String operator = newUser(Role.OPERATOR, List.of(), null);
        signInAs(operator, GOOD_PASSWORD, "/ops/loggers?enterprise=" + enterprise);
        waitForText("[data-test=loggers-table]", mn);
        assertTrue(find("[data-test=loggers-table]").getText().contains("未设置"));
        assertEquals("告警放行", find("[data-test=policy-" + mn + "]").getText());

        click("[data-test=logger-password-" + mn + "]");
        confirmBox();
        String password = waitUntil(d -> {
            String t = find("[data-test=password-value]").getText().trim();
            return t.length() == 9 ? t : null;
        }, "the generated password");
        screenshot("ops-logger-password");
        String hash = jdbc.queryForObject("select pw_hash from data_logger where mn = ?", String.class, mn);
        assertTrue(com.powerwatch.platform.device.DevicePassword.matches(password, hash), "the password shown is the one registered");
        click("[data-test=password-dialog] .el-dialog__footer .el-button--primary");
        waitForText("[data-test=loggers-table]", "已设置");

        click("[data-test=logger-policy-" + mn + "]");
        clickXpath("//div[@data-test='access-policy']//span[normalize-space(.)='拒收']");
        click("[data-test=access-save]");
        waitForText("[data-test=policy-" + mn + "]", "拒收");
        screenshot("ops-loggers");
        assertEquals("REJECT", jdbc.queryForObject("select access_policy from data_logger where mn = ?", String.class, mn));
    }

    @Test
    void theDeviceListIsPagedByTheServer() {
        String operator = newUser(Role.OPERATOR, List.of(), null);
        signInAs(operator, GOOD_PASSWORD, "/ops/devices");
        find("[data-test=devices-table]");
        waitUntil(d -> find("[data-test=devices-online]").getText().matches("\\d+") ? true : null, "the online count");
        Map<?, ?> page = get(loginToken(operator, GOOD_PASSWORD), "/api/ingest/devices?page=0&size=50").getBody();
        assertEquals(0, page.get("page"));
        assertTrue(page.containsKey("total") && page.containsKey("items"), page.toString());
    }

    private static void row(Sheet s, int index, String... values) {
        Row r = s.createRow(index);
        for (int i = 0; i < values.length; i++) {
            r.createCell(i).setCellValue(values[i]);
        }
    }

    @Test
    void theRawMessageTraceOfAnMnShowsItsFramesNewestFirstWithTheVerdictAndTheRawText() {
        String mn = "TRACE" + unique("mn").replace("-", "").toUpperCase();
        String other = mn + "X";
        OffsetDateTime now = OffsetDateTime.now();
        long pos = jdbc.queryForObject("select coalesce(max(journal_pos), 0) + 1000000 from raw_frame", Long.class);
        String valid = "##0101QN=20261203100000001;ST=32;CN=2011;PW=123456;MN=" + mn + ";Flag=5;CP=&&DataTime=20261203100000;100000-Pt=12.5&&1C80\r\n";
        String broken = "##0101QN=20261203100100001;ST=32;CN=2011;PW=123456;MN=" + mn + ";Flag=5;CP=&&DataTime=20261203100100;100000-Pt=13.1&&FFFF\r\n";
        insertFrame(pos, now.minusMinutes(2), mn, "VALID", null, valid);
        insertFrame(pos + 1, now.minusMinutes(1), mn, "BAD_CRC", "CRC FFFF does not match the data segment (standard CRC 1A2B)", broken);
        insertFrame(pos + 2, now.minusMinutes(1), other, "VALID", null, valid.replace(mn, other));
        String ahead = "##0101QN=20261203100200001;ST=32;CN=2011;PW=123456;MN=" + mn + ";Flag=5;CP=&&DataTime=20270102100200;100000-Pt=13.2&&1C80\r\n";
        insertFrame(pos + 3, now.minusSeconds(30), mn, "FUTURE_DATATIME", "DataTime 20270102100200 is 30 d 0 h ahead of the "
                + "receive time (tolerance 2 min): quarantined", ahead);

        String operator = newUser(Role.OPERATOR, List.of(), null);
        // the enterprise page links here with ?mn=
        signInAs(operator, GOOD_PASSWORD, "/ops/raw-frames?mn=" + mn);
        waitForText("[data-test=raw-text-" + pos + "]", "DataTime=20261203100000");
        String rejected = find("[data-test=raw-verdict-" + (pos + 1) + "]").getText();
        assertTrue(rejected.contains("CRC"), "the reason's name: " + rejected);
        waitForText("[data-test=raw-table]", "CRC FFFF does not match");
        String quarantined = find("[data-test=raw-verdict-" + (pos + 3) + "]").getText();
        assertTrue(quarantined.contains("隔离") && quarantined.contains("数据时间超前"), "kept and acked, not rejected: " + quarantined);
        String table = find("[data-test=raw-table]").getText();
        assertTrue(!table.contains(other), "only the MN asked for");
        assertTrue(table.indexOf("100100001") < table.indexOf("100000001"), "newest first");
        assertEquals(mn, find("[data-test=raw-mn]").getAttribute("value"), "the MN of the link is in the filter");
        Map<?, ?> api = get(loginToken(operator, GOOD_PASSWORD), "/api/ingest/raw-frames?mn=" + mn + "&from="
                + now.minusHours(1).toInstant() + "&to=" + now.plusHours(1).toInstant()).getBody();
        assertEquals(3, ((List<?>) api.get("frames")).size());
    }

    private void insertFrame(long pos, OffsetDateTime at, String mn, String verdict, String reason, String raw) {
        jdbc.update("""
                insert into raw_frame (journal_pos, received_at, channel, peer, mn, cn, qn, verdict, reason, raw)
                values (?, ?, 'tcp', '/127.0.0.1:50000', ?, '2011', ?, ?, ?, ?)""",
                pos, at, mn, raw.substring(9, 26), verdict, reason, raw.getBytes(StandardCharsets.UTF_8));
    }
}

package com.powerwatch.platform.web;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import com.powerwatch.platform.alarm.AlarmFixtures;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 统计报表 in Chromium: a district officer opens 报表中心, sees 企业报警情况汇总 of their district, downloads it as PDF
 * (the file the browser receives is read back: its text names the enterprise), switches report; on 日报周报月报 they
 * subscribe (the subscription is in the database), generate a 日报 now and download it from the archive.
 */
class ReportBrowserTest extends BrowserTestBase {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    @Autowired
    AlarmRecorder recorder;

    /** Makes the page's downloads land in window.__pwDownload (name and base64 bytes) instead of the disk. */
    void captureDownloads() {
        js("""
                window.__pwDownload = null;
                HTMLAnchorElement.prototype.click = function () {
                  const name = this.download;
                  fetch(this.href).then(r => r.arrayBuffer()).then(b => {
                    let s = ''; const bytes = new Uint8Array(b);
                    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
                    window.__pwDownload = { name, data: btoa(s) };
                  });
                };""");
    }

    byte[] downloaded(String what) {
        Object data = waitUntil(d -> js("return window.__pwDownload && window.__pwDownload.data"), what);
        return Base64.getDecoder().decode((String) data);
    }

    static String pdfText(byte[] pdf) throws Exception {
        PdfReader reader = new PdfReader(pdf);
        try {
            StringBuilder sb = new StringBuilder();
            for (int p = 1; p <= reader.getNumberOfPages(); p++) {
                sb.append(new PdfTextExtractor(reader).getTextFromPage(p));
            }
            return sb.toString();
        } finally {
            reader.close();
        }
    }

    @Test
    void anOfficerViewsAndDownloadsReportsOfTheirDistrict() throws Exception {
        AlarmFixtures fx = new AlarmFixtures(jdbc, recorder);
        String d = fx.district("报表区");
        AlarmFixtures.Enterprise e = fx.enterprise(d, "3360", "报表企业");
        LocalDate today = LocalDate.now(CHINA);
        List<AlarmLevel> levels = List.of(AlarmLevel.LEVEL_1, AlarmLevel.LEVEL_2);
        for (AlarmLevel l : levels) {
            fx.raise(e, "TREATMENT_STOPPED", l, today.minusDays(1).atTime(LocalTime.NOON).atZone(CHINA).toInstant());
        }
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(d), null);
        signInAs(officer, GOOD_PASSWORD, "/reports/center?code=ALARM_SUMMARY");

        waitForText("[data-test=report-heading]", "企业报警情况汇总");
        waitForText("[data-test=section-0] [data-test=report-table]", e.name());
        screenshot("reports-center");

        captureDownloads();
        click("[data-test=export-pdf]");
        byte[] pdf = downloaded("the PDF download");
        assertEquals("%PDF", new String(pdf, 0, 4));
        String text = pdfText(pdf);
        assertTrue(text.contains("企业报警情况汇总") && text.contains(e.name()), text);
        assertTrue(((String) js("return window.__pwDownload.name")).endsWith(".pdf"));

        click("[data-test=report-TOP_ALARM_ENTERPRISES]");
        waitForText("[data-test=report-heading]", "企业报警前20统计");
        waitForText("[data-test=section-0] [data-test=report-table]", e.name());

        open("/reports/archive");
        click("[data-test=subscribe-DAILY]");
        long userId = jdbc.queryForObject("select id from app_user where username = ?", Long.class, officer);
        waitUntil(x -> jdbc.queryForObject("select count(*) from report_subscription where user_id = ? and kind = 'DAILY'",
                Long.class, userId) == 1, "the subscription stored");
        click("[data-test=generate]");
        waitForText("[data-test=archive-table]", "日报（" + today.minusDays(1) + "）");
        long id = jdbc.queryForObject("select id from report_archive where kind = 'DAILY' and scope_key = ? and period_from = ?",
                Long.class, "R:" + d, java.sql.Date.valueOf(today.minusDays(1)));
        screenshot("reports-archive");
        captureDownloads();
        click("[data-test=download-pdf-" + id + "]");
        String daily = pdfText(downloaded("the archived PDF"));
        assertTrue(daily.contains("日报") && daily.contains(e.name()), daily);
    }

    @Test
    void anOfficerBuildsPreviewsAndSavesACustomReport() {
        AlarmFixtures fx = new AlarmFixtures(jdbc, recorder);
        String d = fx.district("自定义报表区");
        AlarmFixtures.Enterprise e = fx.enterprise(d, "3360", "自定义报表企业");
        LocalDate today = LocalDate.now(CHINA);
        int raised = 3;
        for (int i = 0; i < raised; i++) {
            fx.raise(e, "TREATMENT_ABNORMAL", AlarmLevel.LEVEL_3, today.minusDays(1 + i).atTime(LocalTime.NOON).atZone(CHINA).toInstant());
        }
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(d), null);
        signInAs(officer, GOOD_PASSWORD, "/reports/custom");
        click("[data-test=group-ENTERPRISE]");
        click("[data-test=measure-level3]");
        click("[data-test=preview]");
        waitForText("[data-test=section-0] [data-test=report-table]", e.name());
        String cells = (String) js("return [...document.querySelectorAll('[data-test=section-0] tbody tr')].map(r => r.innerText).join('\\n')");
        assertTrue(cells.contains("自定义报表区") && cells.contains(String.valueOf(raised)), cells);
        type("[data-test=template-name]", "本区企业报警");
        click("[data-test=save-template]");
        long userId = jdbc.queryForObject("select id from app_user where username = ?", Long.class, officer);
        waitUntil(x -> jdbc.queryForObject("select count(*) from report_template where owner_user_id = ? and name = '本区企业报警'",
                Long.class, userId) == 1, "the template stored");
        String spec = jdbc.queryForObject("select spec::text from report_template where owner_user_id = ?", String.class, userId);
        assertTrue(spec.contains("ENTERPRISE") && spec.contains("level3"), spec);
        waitForText("[data-test=template-list]", "本区企业报警");
        screenshot("reports-custom");
    }
}

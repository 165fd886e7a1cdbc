package com.powerwatch.platform.device;

import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The installers' sheet of newly generated access passwords (访问密码): one row per logger, and what to do with it.
 * It exists only in the answer that generated the passwords — the platform keeps hashes — so whoever downloads it
 * hands it on and destroys it.
 */
final class DevicePasswordSheet {

    static final List<String> HEADERS = List.of("区县", "企业", "MN", "访问密码", "生成时间");
    private static final int[] WIDTHS = {14, 36, 28, 14, 20};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private DevicePasswordSheet() {
    }

    static byte[] write(List<DeviceAccessService.NewPassword> rows) {
        try (SXSSFWorkbook wb = new SXSSFWorkbook(500); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle header = wb.createCellStyle();
            Font bold = wb.createFont();
            bold.setBold(true);
            header.setFont(bold);
            Sheet sheet = wb.createSheet("访问密码");
            Row h = sheet.createRow(0);
            for (int c = 0; c < HEADERS.size(); c++) {
                h.createCell(c).setCellValue(HEADERS.get(c));
                h.getCell(c).setCellStyle(header);
                sheet.setColumnWidth(c, WIDTHS[c] * 256);
            }
            sheet.createFreezePane(0, 1);
            int r = 0;
            for (DeviceAccessService.NewPassword p : rows) {
                Row row = sheet.createRow(++r);
                row.createCell(0).setCellValue(p.districtName() == null ? "" : p.districtName());
                row.createCell(1).setCellValue(p.enterpriseName());
                row.createCell(2).setCellValue(p.mn());
                row.createCell(3).setCellValue(p.password());
                row.createCell(4).setCellValue(TIME.format(p.setAt().atZoneSameInstant(CHINA)));
            }
            Sheet notes = wb.createSheet("说明");
            String[] lines = {
                    "本表列出新生成的数采仪访问密码（HJ 212 报文中的 PW），共 " + rows.size() + " 台。",
                    "安装/运维人员：在每台数采仪上把访问密码设为本表所列密码（区分大小写），设好后数采仪的报文才能通过平台校验。",
                    "平台只保存密码的摘要，不保存明文，本表不能再次下载；丢失时请为该数采仪重新生成密码。",
                    "在数采仪改好之前，平台按该数采仪的接入策略处理旧密码的报文（告警放行 / 地址白名单 / 拒收）；全部改好后请把策略切换为“拒收”。",
                    "本表是密码凭证：请妥善保管，安装完成后销毁，不要通过公开渠道传送。"};
            for (int i = 0; i < lines.length; i++) {
                notes.createRow(i).createCell(0).setCellValue(lines[i]);
            }
            notes.setColumnWidth(0, 120 * 256);
            wb.write(out);
            wb.dispose();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

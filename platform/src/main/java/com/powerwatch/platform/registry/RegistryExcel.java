package com.powerwatch.platform.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.api.ControlCharacters;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.registry.StreamingWorkbook.SheetRow;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static com.powerwatch.platform.registry.RegistryWorkbook.*;

/**
 * Excel template, export and import of enterprises, facilities, monitoring points and associations.
 * An import checks every row first and reports each bad one ({sheet, row as Excel shows it, column, value, message});
 * with any bad row nothing is written, otherwise everything is upserted in one transaction.
 */
@Service
public class RegistryExcel {

    public static final long MAX_BYTES = 10L * 1024 * 1024;

    public record RowError(String sheet, int row, String column, String value, String message) {
    }

    /**
     * @param errors     the first row errors (at most {@code max-errors})
     * @param errorCount all row errors found
     */
    public record ImportReport(boolean dryRun, boolean imported, List<RowError> errors, int errorCount,
                               Map<String, Map<String, Integer>> counts) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final EnterpriseService enterprises;
    private final ObjectMapper json;
    private final MnAllocation mns;
    private final AuditLog audit;
    private final ExcelImportProperties limits;

    public RegistryExcel(NamedParameterJdbcTemplate jdbc, EnterpriseService enterprises, ObjectMapper json, MnAllocation mns,
                         AuditLog audit, ExcelImportProperties limits) {
        this.jdbc = jdbc;
        this.limits = limits;
        this.audit = audit;
        this.enterprises = enterprises;
        this.json = json;
        this.mns = mns;
    }

    // ------------------------------------------------------------------ template and export

    public byte[] template() {
        Map<String, List<List<Object>>> rows = new LinkedHashMap<>();
        rows.put(ENTERPRISES, List.of(List.of("91310000332725243Y", "示例涂装有限公司", "610113", "3360", "西安市雁塔区示例路1号", 108.94, 34.21,
                "WGS84", "重点", "B", "王工,环保负责人,13800000000", "正常")));
        rows.put(FACILITIES, List.of(
                List.of("91310000332725243Y", "示例涂装有限公司", "1#喷涂室", "产污", "1#喷涂线", "喷涂线", 55, "P", 2, 5, "", "在用"),
                List.of("91310000332725243Y", "示例涂装有限公司", "活性炭吸附装置", "治污", "", "活性炭吸附", 15, "P", 0.5, 1, 3, "在用")));
        rows.put(POINTS, List.of(List.of("91310000332725243Y", "示例涂装有限公司", "1#喷涂室", "1#喷涂室电表", "61011300000001", "100001",
                "elec-a", 20, 1, "2026-01-01", "在用")));
        rows.put(ASSOCIATIONS, List.of(List.of("91310000332725243Y", "示例涂装有限公司", "1#喷涂室", "活性炭吸附装置", 10, 30)));
        return write(rows);
    }

    /** Everything visible to the caller, in the template's layout; audited (who, scope, rows). */
    public byte[] export() {
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters());
        String filter = " " + scope.enterpriseFilter("e") + " "; // text blocks drop the trailing space before it
        Map<String, List<List<Object>>> rows = new LinkedHashMap<>();
        rows.put(ENTERPRISES, jdbc.query("""
                select e.credit_code, e.name, e.district_code, e.industry_code, e.address, e.longitude, e.latitude, e.permit_class,
                       e.emergency_grade, e.contacts::text as contacts, e.status from enterprise e where """ + filter + " order by e.name, e.id", p,
                (rs, i) -> list(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getObject(6), rs.getObject(7),
                        rs.getObject(6) == null ? null : "WGS84", label(PERMIT, rs.getString(8)), label(GRADE, rs.getString(9)),
                        contactsText(rs.getString(10)), label(ENTERPRISE_STATUS, rs.getString(11)))));
        rows.put(FACILITIES, jdbc.query("""
                select e.credit_code, e.name, f.name, f.kind, l.name, f.process_type, f.rated_kw, f.threshold_quantity, f.stop_below, f.run_above,
                       f.abnormal_below, f.status
                from facility f join enterprise e on e.id = f.enterprise_id left join production_line l on l.id = f.production_line_id
                where """ + filter + " order by e.name, f.name", p,
                (rs, i) -> list(rs.getString(1), rs.getString(2), rs.getString(3), label(KIND, rs.getString(4)), rs.getString(5), rs.getString(6),
                        rs.getObject(7), rs.getString(8), rs.getObject(9), rs.getObject(10), rs.getObject(11), label(ITEM_STATUS, rs.getString(12)))));
        rows.put(POINTS, jdbc.query("""
                select e.credit_code, e.name, f.name, pt.name, pt.mn, pt.channel, pt.profile, pt.ct_ratio, pt.pt_ratio, pt.commissioned_on, pt.status
                from monitoring_point pt join facility f on f.id = pt.facility_id join enterprise e on e.id = f.enterprise_id
                where """ + filter + " order by e.name, pt.mn, pt.channel", p,
                (rs, i) -> list(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getObject(8), rs.getObject(9), rs.getObject(10) == null ? null : rs.getObject(10, LocalDate.class).toString(),
                        label(ITEM_STATUS, rs.getString(11)))));
        rows.put(ASSOCIATIONS, jdbc.query("""
                select e.credit_code, e.name, pf.name, tf.name, a.start_lead_minutes, a.stop_lag_minutes
                from facility_association a join facility pf on pf.id = a.production_facility_id join facility tf on tf.id = a.treatment_facility_id
                join enterprise e on e.id = pf.enterprise_id where """ + filter + " order by e.name, pf.name, tf.name", p,
                (rs, i) -> list(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getInt(6))));
        byte[] bytes = write(rows);
        Map<String, Integer> bySheet = new LinkedHashMap<>();
        rows.forEach((sheet, list) -> bySheet.put(sheet, list.size()));
        audit.recordExport("registry", bySheet.values().stream().mapToInt(Integer::intValue).sum(), Map.of("sheets", bySheet));
        return bytes;
    }

    private static List<Object> list(Object... values) {
        List<Object> out = new ArrayList<>();
        java.util.Collections.addAll(out, values);
        return out;
    }

    private String contactsText(String contactsJson) {
        try {
            List<?> contacts = json.readValue(contactsJson == null ? "[]" : contactsJson, List.class);
            List<String> parts = new ArrayList<>();
            for (Object o : contacts) {
                Map<?, ?> c = (Map<?, ?>) o;
                parts.add(String.join(",", str(c.get("name")), str(c.get("role")), str(c.get("phone"))));
            }
            return String.join("；", parts);
        } catch (IOException e) {
            return "";
        }
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private byte[] write(Map<String, List<List<Object>>> data) {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle header = wb.createCellStyle();
            Font bold = wb.createFont();
            bold.setBold(true);
            header.setFont(bold);
            for (String name : ORDER) {
                Sheet sheet = wb.createSheet(name);
                List<Column> columns = SHEETS.get(name);
                Row h = sheet.createRow(0);
                for (int c = 0; c < columns.size(); c++) {
                    Cell cell = h.createCell(c);
                    cell.setCellValue(columns.get(c).header() + (columns.get(c).required() ? "*" : ""));
                    cell.setCellStyle(header);
                    sheet.setColumnWidth(c, 18 * 256);
                }
                int r = 1;
                for (List<Object> values : data.getOrDefault(name, List.of())) {
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
                sheet.createFreezePane(0, 1);
            }
            helpSheet(wb, header);
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the workbook", e);
        }
    }

    private void helpSheet(Workbook wb, CellStyle header) {
        Sheet help = wb.createSheet(HELP);
        int r = 0;
        Row h = help.createRow(r++);
        String[] heads = {"工作表", "列", "必填", "说明"};
        for (int i = 0; i < heads.length; i++) {
            h.createCell(i).setCellValue(heads[i]);
            h.getCell(i).setCellStyle(header);
        }
        for (String name : ORDER) {
            for (Column c : SHEETS.get(name)) {
                Row row = help.createRow(r++);
                row.createCell(0).setCellValue(name);
                row.createCell(1).setCellValue(c.header());
                row.createCell(2).setCellValue(c.required() ? "是" : "");
                row.createCell(3).setCellValue(c.help());
            }
        }
        r++;
        help.createRow(r++).createCell(0).setCellValue("规则：标 * 的列必填；导入先逐行校验，任何一行有误则全部不导入并列出每一行的错误；无误时在一个事务中新增或更新。");
        help.createRow(r++).createCell(0).setCellValue("因子配置（代码：名称）：");
        for (Map<String, Object> p : jdbc.queryForList("select code, name from factor_profile order by code", Map.of())) {
            Row row = help.createRow(r++);
            row.createCell(1).setCellValue(String.valueOf(p.get("code")));
            row.createCell(3).setCellValue(String.valueOf(p.get("name")));
        }
        help.createRow(r++).createCell(0).setCellValue("行业代码（GB/T 4754-2017 门类与大类；完整列表见系统“行业分类”）：");
        for (Map<String, Object> p : jdbc.queryForList("select code, name from industry where level <= 2 order by code", Map.of())) {
            Row row = help.createRow(r++);
            row.createCell(1).setCellValue(String.valueOf(p.get("code")));
            row.createCell(3).setCellValue(String.valueOf(p.get("name")));
        }
        help.setColumnWidth(0, 14 * 256);
        help.setColumnWidth(1, 20 * 256);
        help.setColumnWidth(3, 80 * 256);
    }

    // ------------------------------------------------------------------ import

    /** A reference to an enterprise as a row gives it: by credit code, else by name. */
    private static String enterpriseKey(String credit, String name) {
        return credit != null ? "C:" + credit.toUpperCase(Locale.ROOT) : name != null ? "N:" + name : null;
    }

    /**
     * Checks every row, then (all valid, not a dry run) writes everything in this one transaction: any failure rolls
     * back all of it. The file is read as a stream within the caps of {@link ExcelImportProperties}.
     */
    @Transactional
    public ImportReport importWorkbook(Path file, long size, boolean dryRun) {
        if (size > MAX_BYTES) {
            throw ApiException.badRequest("file", "文件大小为 " + size / 1024 / 1024 + " MB，超过了 10 MB 的上限");
        }
        Map<String, List<SheetRow>> sheets = new StreamingWorkbook(limits.maxRows(), limits.maxUnpackedSize().toBytes())
                .read(file, ORDER);
        Plan plan = new Plan(limits.maxErrors());
        ORDER.forEach(sheet -> sheets.get(sheet).removeIf(row -> !typeable(row, plan)));
        validateEnterprises(sheets.get(ENTERPRISES), plan);
        validateFacilities(sheets.get(FACILITIES), plan);
        validatePoints(sheets.get(POINTS), plan);
        validateAssociations(sheets.get(ASSOCIATIONS), plan);
        if (plan.errorCount > 0) {
            return new ImportReport(dryRun, false, plan.errors, plan.errorCount, Map.of());
        }
        Map<String, Map<String, Integer>> counts = plan.counts();
        if (!dryRun) {
            apply(plan);
            audit.record("REGISTRY_IMPORTED", "registry", Map.of("counts", counts));
        }
        return new ImportReport(dryRun, !dryRun, List.of(), 0, counts);
    }

    /** A cell holding a NUL or another control character is a row error (the database could not store it anyway). */
    private static boolean typeable(SheetRow row, Plan plan) {
        for (Map.Entry<String, String> cell : row.cells().entrySet()) {
            int c = ControlCharacters.first(cell.getValue());
            if (c >= 0) {
                plan.error(row, cell.getKey(), ControlCharacters.message(cell.getKey(), c));
                return false;
            }
        }
        return true;
    }

    /** What the import will write, built while validating. */
    private static final class Plan {
        final int maxErrors;
        /** The first {@code maxErrors} errors, in the order found (sheet by sheet, row by row). */
        final List<RowError> errors = new ArrayList<>();
        int errorCount;
        final Map<String, EnterpriseRow> enterprises = new LinkedHashMap<>();
        final Map<String, FacilityRow> facilities = new LinkedHashMap<>();   // enterpriseKey|name
        final Map<String, PointRow> points = new LinkedHashMap<>();          // mn|channel
        final Map<String, AssociationRow> associations = new LinkedHashMap<>();

        Plan(int maxErrors) {
            this.maxErrors = maxErrors;
        }

        void error(SheetRow row, String column, String message) {
            errorCount++;
            if (errors.size() < maxErrors) {
                String value = column == null ? null : row.cells().get(column);
                errors.add(new RowError(row.sheet(), row.row(), column, value == null ? null : value.replace('\0', '\u2400'), message));
            }
        }

        Map<String, Map<String, Integer>> counts() {
            Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
            out.put(ENTERPRISES, count(enterprises.values().stream().map(e -> e.existingId != null).toList()));
            out.put(FACILITIES, count(facilities.values().stream().map(f -> f.existingId != null).toList()));
            out.put(POINTS, count(points.values().stream().map(p -> p.existingId != null).toList()));
            out.put(ASSOCIATIONS, count(associations.values().stream().map(a -> a.exists).toList()));
            return out;
        }

        private static Map<String, Integer> count(List<Boolean> existing) {
            int updated = (int) existing.stream().filter(b -> b).count();
            return Map.of("created", existing.size() - updated, "updated", updated);
        }
    }

    private static final class EnterpriseRow {
        Long existingId;
        EnterpriseRequest request;
    }

    private static final class FacilityRow {
        String enterpriseKey;
        Long existingId;
        String kind;
        String line;
        FacilityRequest request;
    }

    private static final class PointRow {
        String enterpriseKey;
        String facilityName;
        Long existingId;
        PointService.PointRequest request;
    }

    private static final class AssociationRow {
        String enterpriseKey;
        String production;
        String treatment;
        Integer lead;
        Integer lag;
        boolean exists;
    }

    private record Existing(long id, String district) {
    }

    /** An enterprise already in the database, by credit code or (without a code) by a unique name. */
    private Existing existingEnterprise(String credit, String name) {
        List<Existing> found = credit != null
                ? jdbc.query("select id, district_code from enterprise where credit_code = :c", Map.of("c", credit.toUpperCase(Locale.ROOT)),
                (rs, i) -> new Existing(rs.getLong(1), rs.getString(2)))
                : jdbc.query("select id, district_code from enterprise where name = :n", Map.of("n", name),
                (rs, i) -> new Existing(rs.getLong(1), rs.getString(2)));
        return found.size() == 1 ? found.get(0) : null;
    }

    private void validateEnterprises(List<SheetRow> rows, Plan plan) {
        AccessScope scope = AccessScope.current();
        for (SheetRow row : rows) {
            int before = plan.errorCount;
            String credit = row.get("统一社会信用代码");
            String name = row.get("企业名称");
            if (name == null) {
                plan.error(row, "企业名称", "企业名称必填");
            }
            if (credit != null) {
                String problem = CreditCode.problem(credit.toUpperCase(Locale.ROOT));
                if (problem != null) {
                    plan.error(row, "统一社会信用代码", "信用代码无效：" + problem);
                }
            }
            String district = row.get("区县代码");
            if (district == null) {
                plan.error(row, "区县代码", "区县代码必填");
            } else {
                String problem = enterprises.districtProblem(district);
                if (problem != null) {
                    plan.error(row, "区县代码", "区县代码无效：" + problem);
                } else if (!scope.allows(district, -1) && !scope.everything()) {
                    plan.error(row, "区县代码", "区县 " + district + " 不在您的管辖范围内");
                }
            }
            String industry = row.get("行业代码");
            if (industry != null && !enterprises.exists("industry", industry)) {
                plan.error(row, "行业代码", "行业代码 " + industry + " 不是 GB/T 4754-2017 代码");
            }
            Double lon = number(row, "经度", plan, -180, 180);
            Double lat = number(row, "纬度", plan, -90, 90);
            if ((lon == null) != (lat == null) && plan.errorCount == before) {
                plan.error(row, lon == null ? "经度" : "纬度", "经度和纬度须同时填写");
            }
            Coordinates.System system = Coordinates.System.WGS84;
            String sys = row.get("坐标系");
            if (sys != null) {
                try {
                    system = Coordinates.System.valueOf(sys.toUpperCase(Locale.ROOT).replace("-", ""));
                } catch (IllegalArgumentException e) {
                    plan.error(row, "坐标系", "坐标系须为 WGS84 或 GCJ02");
                }
            }
            String permit = coded(row, "排污许可管理类别", PERMIT, plan);
            String grade = coded(row, "绩效分级", GRADE, plan);
            String status = coded(row, "状态", ENTERPRISE_STATUS, plan);
            List<EnterpriseRequest.Contact> contacts = contacts(row, plan);
            String key = enterpriseKey(credit, name);
            if (key != null && plan.enterprises.containsKey(key)) {
                plan.error(row, credit != null ? "统一社会信用代码" : "企业名称", "与本表前面的行重复");
            }
            if (plan.errorCount > before || key == null) {
                continue;
            }
            Existing existing = existingEnterprise(credit, name);
            if (existing != null && !scope.allows(existing.district(), existing.id())) {
                plan.error(row, credit != null ? "统一社会信用代码" : "企业名称", "该企业已登记在您管辖范围之外的区县，不能修改");
                continue;
            }
            if (existing == null && credit == null
                    && !jdbc.queryForList("select 1 from enterprise where name = :n", Map.of("n", name)).isEmpty()) {
                plan.error(row, "企业名称", "系统中有多家同名企业，请填写统一社会信用代码");
                continue;
            }
            EnterpriseRow e = new EnterpriseRow();
            e.existingId = existing == null ? null : existing.id();
            e.request = new EnterpriseRequest(name, credit, row.get("地址"), lon, lat, system, district, industry, permit, grade, contacts, status);
            plan.enterprises.put(key, e);
        }
    }

    private List<EnterpriseRequest.Contact> contacts(SheetRow row, Plan plan) {
        String text = row.get("联系人");
        List<EnterpriseRequest.Contact> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String part : text.split("[;；]")) {
            if (part.isBlank()) {
                continue;
            }
            String[] f = part.split("[,，]", -1);
            String phone = f.length > 2 ? f[2].trim() : null;
            if (phone != null && !phone.isEmpty() && !phone.matches("[0-9+\\- ]{5,20}")) {
                plan.error(row, "联系人", "联系电话 " + phone + " 格式不正确（5–20 位数字，可含 +、- 和空格）");
            }
            out.add(new EnterpriseRequest.Contact(f[0].trim(), f.length > 1 ? f[1].trim() : null, phone == null || phone.isEmpty() ? null : phone));
        }
        return out;
    }

    /** Resolves a row's enterprise to a plan key: the 企业 sheet, or an existing enterprise in scope (added to the plan as is). */
    private String resolveEnterprise(SheetRow row, Plan plan) {
        String credit = row.get("企业信用代码");
        String name = row.get("企业名称");
        String key = enterpriseKey(credit, name);
        if (key == null) {
            plan.error(row, "企业名称", "须填写企业信用代码或企业名称");
            return null;
        }
        if (plan.enterprises.containsKey(key)) {
            return key;
        }
        // the 企业 sheet may name it by code while this row gives only the name (or the other way round)
        for (Map.Entry<String, EnterpriseRow> e : plan.enterprises.entrySet()) {
            EnterpriseRequest r = e.getValue().request;
            if ((credit != null && credit.equalsIgnoreCase(r.creditCode())) || (credit == null && name.equals(r.name()))) {
                return e.getKey();
            }
        }
        Existing existing = existingEnterprise(credit, name);
        if (existing == null) {
            plan.error(row, credit != null ? "企业信用代码" : "企业名称", "找不到企业（企业页和系统中都没有）");
            return null;
        }
        if (!AccessScope.current().allows(existing.district(), existing.id())) {
            plan.error(row, credit != null ? "企业信用代码" : "企业名称", "该企业不在您的管辖范围内");
            return null;
        }
        EnterpriseRow e = new EnterpriseRow();
        e.existingId = existing.id();
        plan.enterprises.put(key, e); // referenced only: request stays null, nothing is written for it
        return key;
    }

    private String districtOf(String key, Plan plan) {
        EnterpriseRow e = plan.enterprises.get(key);
        return e.request != null ? e.request.districtCode()
                : jdbc.queryForObject("select district_code from enterprise where id = :id", Map.of("id", e.existingId), String.class);
    }

    private Long enterpriseIdOf(String key, Plan plan) {
        return plan.enterprises.get(key).existingId;
    }

    private void validateFacilities(List<SheetRow> rows, Plan plan) {
        for (SheetRow row : rows) {
            int before = plan.errorCount;
            String key = resolveEnterprise(row, plan);
            String name = row.get("设施名称");
            if (name == null) {
                plan.error(row, "设施名称", "设施名称必填");
            }
            String kind = coded(row, "设施类型", KIND, plan);
            if (kind == null && row.get("设施类型") == null) {
                plan.error(row, "设施类型", "设施类型必填（产污/治污/总用电）");
            }
            Double rated = number(row, "额定功率(kW)", plan, 0, 1e7);
            String tq = row.get("阈值量");
            if (tq != null && !tq.equals("P") && !tq.equals("I")) {
                plan.error(row, "阈值量", "阈值量须为 P 或 I");
            }
            Double stop = number(row, "停机阈值", plan, 0, 1e7);
            Double run = number(row, "运行阈值", plan, 0, 1e7);
            Double abnormal = number(row, "异常低阈值", plan, 0, 1e7);
            String status = coded(row, "状态", ITEM_STATUS, plan);
            if (rated != null && rated <= 0) {
                plan.error(row, "额定功率(kW)", "额定功率须大于 0");
            }
            if (plan.errorCount > before || key == null) {
                continue;
            }
            FacilityRequest request = new FacilityRequest(name, kind, null, row.get("工艺类型"), rated, tq, stop, run, abnormal, status);
            String problem = thresholdProblem(request);
            if (problem != null) {
                plan.error(row, problem.startsWith("停机") ? "停机阈值" : problem.startsWith("运行") ? "运行阈值" : "异常低阈值", problem);
                continue;
            }
            String fkey = key + "|" + name;
            if (plan.facilities.containsKey(fkey)) {
                plan.error(row, "设施名称", "与本表前面的行重复");
                continue;
            }
            FacilityRow f = new FacilityRow();
            f.enterpriseKey = key;
            f.kind = kind;
            f.line = row.get("生产线");
            f.request = request;
            Long eid = enterpriseIdOf(key, plan);
            if (eid != null) {
                f.existingId = jdbc.query("select id from facility where enterprise_id = :e and name = :n", Map.of("e", eid, "n", name),
                        rs -> rs.next() ? rs.getLong(1) : null);
            }
            plan.facilities.put(fkey, f);
        }
    }

    /** The same threshold rules as the API (FacilityService), in the words of the sheet. */
    private static String thresholdProblem(FacilityRequest r) {
        if (r.stopBelow() != null && r.runAbove() != null && r.stopBelow() > r.runAbove()) {
            return "停机阈值不能大于运行阈值";
        }
        if (r.abnormalBelow() != null && !"TREATMENT".equals(r.kind())) {
            return "异常低阈值只适用于治污设施";
        }
        if (r.abnormalBelow() != null && r.runAbove() != null && r.abnormalBelow() < r.runAbove()) {
            return "异常低阈值须不小于运行阈值";
        }
        if (!"I".equals(r.thresholdQuantity()) && r.ratedKw() != null && r.runAbove() != null && r.runAbove() > r.ratedKw()) {
            return "运行阈值超过额定功率";
        }
        return null;
    }

    /** A facility's kind, from the sheet or the database; null when the enterprise has no such facility. */
    private String facilityKind(String enterpriseKey, String name, Plan plan) {
        FacilityRow f = plan.facilities.get(enterpriseKey + "|" + name);
        if (f != null) {
            return f.kind;
        }
        Long eid = enterpriseIdOf(enterpriseKey, plan);
        if (eid == null) {
            return null;
        }
        return jdbc.query("select kind from facility where enterprise_id = :e and name = :n", Map.of("e", eid, "n", name),
                rs -> rs.next() ? rs.getString(1) : null);
    }

    private void validatePoints(List<SheetRow> rows, Plan plan) {
        for (SheetRow row : rows) {
            int before = plan.errorCount;
            String key = resolveEnterprise(row, plan);
            String facility = row.get("设施名称");
            String name = row.get("监测点名称");
            String mn = row.get("MN");
            String channel = row.get("通道") == null ? "" : row.get("通道");
            String profile = row.get("因子配置");
            if (facility == null) {
                plan.error(row, "设施名称", "设施名称必填");
            }
            if (name == null) {
                plan.error(row, "监测点名称", "监测点名称必填");
            }
            if (mn == null || !mn.matches("[A-Za-z0-9_]{6,24}")) {
                plan.error(row, "MN", mn == null ? "MN 必填" : "MN 须为6-24位字母、数字或下划线");
            }
            if (!channel.matches("[A-Za-z0-9_]{0,32}")) {
                plan.error(row, "通道", "通道只能含字母、数字或下划线");
            }
            if (profile == null) {
                plan.error(row, "因子配置", "因子配置必填");
            } else if (!enterprises.exists("factor_profile", profile)) {
                plan.error(row, "因子配置", "因子配置 " + profile + " 不存在");
            }
            Double ct = number(row, "CT变比", plan, 0, 1e6);
            Double pt = number(row, "PT变比", plan, 0, 1e6);
            if ((ct != null && ct <= 0) || (pt != null && pt <= 0)) {
                plan.error(row, ct != null && ct <= 0 ? "CT变比" : "PT变比", "变比须大于 0");
            }
            LocalDate commissioned = null;
            if (row.get("联网日期") != null) {
                try {
                    commissioned = LocalDate.parse(row.get("联网日期"));
                } catch (DateTimeParseException e) {
                    plan.error(row, "联网日期", "日期格式须为 yyyy-MM-dd");
                }
            }
            String status = coded(row, "状态", ITEM_STATUS, plan);
            if (plan.errorCount > before || key == null) {
                continue;
            }
            if (facilityKind(key, facility, plan) == null) {
                plan.error(row, "设施名称", "该企业没有名为“" + facility + "”的设施（设施页和系统中都没有）");
                continue;
            }
            Long eid = enterpriseIdOf(key, plan);
            Long holder = jdbc.query("select enterprise_id from data_logger where mn = :mn", Map.of("mn", mn), rs -> rs.next() ? rs.getLong(1) : null);
            if (holder != null && !holder.equals(eid)) {
                plan.error(row, "MN", "MN " + mn + " 已分配给其他企业");
                continue;
            }
            String outOfRange = holder == null ? mns.rangeProblem(mn, districtOf(key, plan)) : null;
            if (outOfRange != null) {
                plan.error(row, "MN", outOfRange);
                continue;
            }
            String pkey = mn + "|" + channel;
            if (plan.points.containsKey(pkey)) {
                plan.error(row, "通道", "MN " + mn + " 的通道“" + channel + "”与本表前面的行重复");
                continue;
            }
            PointRow p = new PointRow();
            p.enterpriseKey = key;
            p.facilityName = facility;
            p.request = new PointService.PointRequest(name, mn, channel, profile, ct, pt, commissioned, status);
            p.existingId = jdbc.query("select id from monitoring_point where mn = :mn and channel = :ch", Map.of("mn", mn, "ch", channel),
                    rs -> rs.next() ? rs.getLong(1) : null);
            plan.points.put(pkey, p);
        }
    }

    private void validateAssociations(List<SheetRow> rows, Plan plan) {
        for (SheetRow row : rows) {
            int before = plan.errorCount;
            String key = resolveEnterprise(row, plan);
            String production = row.get("产污设施名称");
            String treatment = row.get("治污设施名称");
            if (production == null) {
                plan.error(row, "产污设施名称", "产污设施名称必填");
            }
            if (treatment == null) {
                plan.error(row, "治污设施名称", "治污设施名称必填");
            }
            Double lead = number(row, "开机提前量(分钟)", plan, 0, 1440);
            Double lag = number(row, "停机滞后量(分钟)", plan, 0, 1440);
            if (plan.errorCount > before || key == null) {
                continue;
            }
            String kindP = facilityKind(key, production, plan);
            String kindT = facilityKind(key, treatment, plan);
            if (!"PRODUCTION".equals(kindP)) {
                plan.error(row, "产污设施名称", kindP == null ? "该企业没有名为“" + production + "”的设施" : "“" + production + "”不是产污设施");
                continue;
            }
            if (!"TREATMENT".equals(kindT)) {
                plan.error(row, "治污设施名称", kindT == null ? "该企业没有名为“" + treatment + "”的设施" : "“" + treatment + "”不是治污设施");
                continue;
            }
            String akey = key + "|" + production + "|" + treatment;
            if (plan.associations.containsKey(akey)) {
                plan.error(row, "治污设施名称", "与本表前面的行重复");
                continue;
            }
            AssociationRow a = new AssociationRow();
            a.enterpriseKey = key;
            a.production = production;
            a.treatment = treatment;
            a.lead = lead == null ? null : lead.intValue();
            a.lag = lag == null ? null : lag.intValue();
            Long eid = enterpriseIdOf(key, plan);
            a.exists = eid != null && !jdbc.queryForList("""
                    select 1 from facility_association x join facility p on p.id = x.production_facility_id join facility t on t.id = x.treatment_facility_id
                    where p.enterprise_id = :e and p.name = :p and t.name = :t""", Map.of("e", eid, "p", production, "t", treatment)).isEmpty();
            plan.associations.put(akey, a);
        }
    }

    private static Double number(SheetRow row, String column, Plan plan, double min, double max) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                plan.error(row, column, column + "须在 " + plain(min) + " 到 " + plain(max) + " 之间");
                return null;
            }
            return d;
        } catch (NumberFormatException e) {
            plan.error(row, column, column + "须为数字");
            return null;
        }
    }

    private static String plain(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static String coded(SheetRow row, String column, Map<String, String> labels, Plan plan) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        if (labels.containsKey(v)) {
            return labels.get(v);
        }
        if (labels.containsValue(v.toUpperCase(Locale.ROOT))) {
            return v.toUpperCase(Locale.ROOT);
        }
        plan.error(row, column, column + " 须为 " + String.join(" / ", new java.util.TreeSet<>(labels.keySet())) + " 之一");
        return null;
    }

    // ------------------------------------------------------------------ writing (all rows valid)

    private void apply(Plan plan) {
        Map<String, Long> enterpriseIds = new HashMap<>();
        for (Map.Entry<String, EnterpriseRow> entry : plan.enterprises.entrySet()) {
            EnterpriseRow e = entry.getValue();
            if (e.request == null) {
                enterpriseIds.put(entry.getKey(), e.existingId);
                continue;
            }
            EnterpriseService.Validated v = enterprises.validate(e.request, e.existingId);
            if (e.existingId == null) {
                enterpriseIds.put(entry.getKey(), jdbc.queryForObject("""
                        insert into enterprise (name, credit_code, address, longitude, latitude, district_code, industry_code,
                            permit_class, emergency_grade, contacts, status)
                        values (:name, :creditCode, :address, :lon, :lat, :district, :industry, :permit, :grade, cast(:contacts as jsonb),
                            coalesce(:status, 'ACTIVE')) returning id""", v.params(), Long.class));
            } else {
                jdbc.update("""
                        update enterprise set name = :name, credit_code = :creditCode, address = :address, longitude = :lon, latitude = :lat,
                            district_code = :district, industry_code = :industry, permit_class = :permit, emergency_grade = :grade,
                            contacts = cast(:contacts as jsonb), status = coalesce(:status, status), updated_at = now()
                        where id = :id""", v.params().addValue("id", e.existingId));
                enterpriseIds.put(entry.getKey(), e.existingId);
            }
        }
        Map<String, Long> facilityIds = new HashMap<>();
        for (Map.Entry<String, FacilityRow> entry : plan.facilities.entrySet()) {
            FacilityRow f = entry.getValue();
            long eid = enterpriseIds.get(f.enterpriseKey);
            Long line = null;
            if (f.line != null) {
                line = jdbc.queryForObject("""
                        insert into production_line (enterprise_id, name) values (:e, :n)
                        on conflict (enterprise_id, name) do update set name = excluded.name returning id""", Map.of("e", eid, "n", f.line), Long.class);
            }
            FacilityRequest r = f.request;
            MapSqlParameterSource p = new MapSqlParameterSource("e", eid).addValue("line", line).addValue("name", r.name())
                    .addValue("kind", r.kind()).addValue("process", r.processType()).addValue("rated", r.ratedKw())
                    .addValue("tq", r.thresholdQuantity() == null ? "P" : r.thresholdQuantity()).addValue("stop", r.stopBelow())
                    .addValue("run", r.runAbove()).addValue("abnormal", r.abnormalBelow()).addValue("status", r.status() == null ? "ACTIVE" : r.status());
            facilityIds.put(entry.getKey(), jdbc.queryForObject("""
                    insert into facility (enterprise_id, production_line_id, name, kind, process_type, rated_kw, threshold_quantity,
                        stop_below, run_above, abnormal_below, status)
                    values (:e, :line, :name, :kind, :process, :rated, :tq, :stop, :run, :abnormal, :status)
                    on conflict (enterprise_id, name) do update set production_line_id = excluded.production_line_id, kind = excluded.kind,
                        process_type = excluded.process_type, rated_kw = excluded.rated_kw, threshold_quantity = excluded.threshold_quantity,
                        stop_below = excluded.stop_below, run_above = excluded.run_above, abnormal_below = excluded.abnormal_below,
                        status = excluded.status, updated_at = now(),
                        -- a learned normal value is in the old unit when the threshold quantity changes
                        normal_running = case when facility.threshold_quantity = excluded.threshold_quantity then facility.normal_running end
                    returning id""", p, Long.class));
        }
        for (PointRow pr : plan.points.values()) {
            long eid = enterpriseIds.get(pr.enterpriseKey);
            long fid = facilityIds.computeIfAbsent(pr.enterpriseKey + "|" + pr.facilityName, k -> jdbc.queryForObject(
                    "select id from facility where enterprise_id = :e and name = :n", Map.of("e", eid, "n", pr.facilityName), Long.class));
            PointService.PointRequest r = pr.request;
            jdbc.update("insert into data_logger (mn, enterprise_id, note) values (:mn, :e, '表格导入') on conflict (mn) do nothing",
                    Map.of("mn", r.mn(), "e", eid));
            MapSqlParameterSource p = new MapSqlParameterSource("f", fid).addValue("name", r.name()).addValue("mn", r.mn())
                    .addValue("channel", r.channel()).addValue("profile", r.profile()).addValue("ct", r.ctRatio() == null ? 1.0 : r.ctRatio())
                    .addValue("pt", r.ptRatio() == null ? 1.0 : r.ptRatio()).addValue("commissioned", r.commissionedOn())
                    .addValue("status", r.status() == null ? "ACTIVE" : r.status());
            jdbc.update("""
                    insert into monitoring_point (facility_id, name, mn, channel, profile, ct_ratio, pt_ratio, commissioned_on, status)
                    values (:f, :name, :mn, :channel, :profile, :ct, :pt, :commissioned, :status)
                    on conflict (mn, channel) do update set facility_id = excluded.facility_id, name = excluded.name, profile = excluded.profile,
                        ct_ratio = excluded.ct_ratio, pt_ratio = excluded.pt_ratio, commissioned_on = excluded.commissioned_on,
                        status = excluded.status, updated_at = now()""", p);
        }
        for (AssociationRow a : plan.associations.values()) {
            long eid = enterpriseIds.get(a.enterpriseKey);
            jdbc.update("""
                    insert into facility_association (production_facility_id, treatment_facility_id, start_lead_minutes, stop_lag_minutes)
                    select p.id, t.id, coalesce(:lead, 10), coalesce(:lag, 30) from facility p, facility t
                    where p.enterprise_id = :e and p.name = :p and t.enterprise_id = :e and t.name = :t
                    on conflict (production_facility_id, treatment_facility_id) do update
                        set start_lead_minutes = excluded.start_lead_minutes, stop_lag_minutes = excluded.stop_lag_minutes""",
                    new MapSqlParameterSource("e", eid).addValue("p", a.production).addValue("t", a.treatment)
                            .addValue("lead", a.lead).addValue("lag", a.lag));
        }
    }
}

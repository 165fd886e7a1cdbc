package com.powerwatch.platform.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Enterprises: validated writes, scope-filtered reads (the filter is part of every query). */
@Service
public class EnterpriseService {

    static final String COLUMNS = """
            e.id, e.name, e.credit_code, e.address, e.longitude, e.latitude, e.district_code, r.name as district_name,
            e.industry_code, i.name as industry_name, e.permit_class, e.emergency_grade, e.contacts::text as contacts,
            e.status, e.created_at, e.updated_at""";
    static final String FROM = " from enterprise e left join region r on r.code = e.district_code left join industry i on i.code = e.industry_code ";

    private final NamedParameterJdbcTemplate jdbc;
    private final RegistryAccess access;
    private final ObjectMapper json;

    public EnterpriseService(NamedParameterJdbcTemplate jdbc, RegistryAccess access, ObjectMapper json) {
        this.jdbc = jdbc;
        this.access = access;
        this.json = json;
    }

    public record Page(List<Map<String, Object>> items, long total, int page, int size) {
    }

    public Page list(String districtCode, String industryCode, String status, String q, int page, int size) {
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters());
        StringBuilder where = new StringBuilder(" where ").append(scope.enterpriseFilter("e"));
        if (districtCode != null && !districtCode.isBlank()) {
            where.append(" and e.district_code like :district");
            p.addValue("district", AccessScope.regionPrefix("districtCode", districtCode) + "%");
        }
        if (industryCode != null && !industryCode.isBlank()) {
            // a 门类 letter selects its 大类 and everything under them; a code selects everything that starts with it
            String code = industryCode.trim();
            if (Character.isLetter(code.charAt(0))) {
                where.append(" and (e.industry_code = :industry or left(e.industry_code, 2) in (select code from industry where parent_code = :industry))");
                p.addValue("industry", code);
            } else {
                where.append(" and e.industry_code like :industry");
                p.addValue("industry", code + "%");
            }
        }
        if (status != null && !status.isBlank()) {
            where.append(" and e.status = :status");
            p.addValue("status", status.trim());
        }
        if (q != null && !q.isBlank()) {
            where.append(" and (e.name ilike :q or e.credit_code ilike :q)");
            p.addValue("q", "%" + q.trim().replace("%", "\\%").replace("_", "\\_") + "%");
        }
        int safeSize = Math.max(1, Math.min(size, 500));
        int safePage = Math.max(0, page);
        p.addValue("limit", safeSize).addValue("offset", (long) safePage * safeSize);
        Long total = jdbc.queryForObject("select count(*)" + FROM + where, p, Long.class);
        List<Map<String, Object>> items = jdbc.query("select " + COLUMNS + FROM + where + " order by e.name, e.id limit :limit offset :offset",
                p, (rs, i) -> row(rs));
        return new Page(items, total == null ? 0 : total, safePage, safeSize);
    }

    /** One enterprise with what is registered below it. */
    public Map<String, Object> detail(long id) {
        access.enterprise(id);
        Map<String, Object> e = get(id);
        Map<String, Object> params = Map.of("id", id);
        e.put("productionLines", jdbc.queryForList("select id, name from production_line where enterprise_id = :id order by name", params));
        e.put("facilities", jdbc.query(FacilityService.SELECT + " where f.enterprise_id = :id order by f.kind, f.name", params, FacilityService::facility));
        e.put("dataLoggers", jdbc.query(PointService.LOGGER + " where enterprise_id = :id order by mn", params, PointService::logger));
        e.put("monitoringPoints", jdbc.query(PointService.SELECT + " where f.enterprise_id = :id order by p.mn, p.channel", params, PointService::point));
        e.put("associations", jdbc.queryForList(FacilityService.ASSOCIATIONS + " where p.enterprise_id = :id order by p.name, t.name", params));
        return e;
    }

    Map<String, Object> get(long id) {
        List<Map<String, Object>> found = jdbc.query("select " + COLUMNS + FROM + " where e.id = :id", Map.of("id", id), (rs, i) -> row(rs));
        if (found.isEmpty()) {
            throw ApiException.notFound("企业", id);
        }
        return found.get(0);
    }

    @Transactional
    public Map<String, Object> create(EnterpriseRequest r) {
        Validated v = validate(r, null);
        RegistryAccess.requireDistrictInScope(v.districtCode);
        Long id = jdbc.queryForObject("""
                insert into enterprise (name, credit_code, address, longitude, latitude, district_code, industry_code,
                    permit_class, emergency_grade, contacts, status)
                values (:name, :creditCode, :address, :lon, :lat, :district, :industry, :permit, :grade, cast(:contacts as jsonb),
                    coalesce(:status, 'ACTIVE'))
                returning id""", v.params, Long.class);
        return get(id);
    }

    @Transactional
    public Map<String, Object> update(long id, EnterpriseRequest r) {
        access.enterprise(id);
        Validated v = validate(r, id);
        RegistryAccess.requireDistrictInScope(v.districtCode);
        v.params.addValue("id", id);
        jdbc.update("""
                update enterprise set name = :name, credit_code = :creditCode, address = :address, longitude = :lon,
                    latitude = :lat, district_code = :district, industry_code = :industry, permit_class = :permit,
                    emergency_grade = :grade, contacts = cast(:contacts as jsonb), status = coalesce(:status, status),
                    updated_at = now()
                where id = :id""", v.params);
        return get(id);
    }

    /** Closing keeps the history (points, readings, alarms); the enterprise is only marked CLOSED. */
    @Transactional
    public Map<String, Object> close(long id) {
        access.enterprise(id);
        jdbc.update("update enterprise set status = 'CLOSED', updated_at = now() where id = :id", Map.of("id", id));
        return get(id);
    }

    record Validated(MapSqlParameterSource params, String districtCode) {
    }

    /** Checks what Bean Validation cannot (check digit, code lists, uniqueness); throws 400/409 naming the field. */
    Validated validate(EnterpriseRequest r, Long selfId) {
        String credit = null;
        if (r.creditCode() != null && !r.creditCode().isBlank()) {
            credit = r.creditCode().trim().toUpperCase(java.util.Locale.ROOT);
            String problem = CreditCode.problem(credit);
            if (problem != null) {
                throw ApiException.badRequest("creditCode", "统一社会信用代码有误：" + problem);
            }
            List<Long> other = jdbc.queryForList("select id from enterprise where credit_code = :c and (:self::bigint is null or id <> :self)",
                    new MapSqlParameterSource("c", credit).addValue("self", selfId), Long.class);
            if (!other.isEmpty()) {
                throw ApiException.conflict("统一社会信用代码 " + credit + " 已被其他企业登记（企业编号 " + other.get(0) + "）");
            }
        }
        String problem = districtProblem(r.districtCode());
        if (problem != null) {
            throw ApiException.badRequest("districtCode", "所在区县有误：" + problem);
        }
        if (r.industryCode() != null && !r.industryCode().isBlank() && !exists("industry", r.industryCode().trim())) {
            throw ApiException.badRequest("industryCode", "行业代码 " + r.industryCode() + " 不在行业分类（GB/T 4754-2017）代码表中");
        }
        if ((r.longitude() == null) != (r.latitude() == null)) {
            throw ApiException.badRequest(r.longitude() == null ? "longitude" : "latitude", "经度和纬度须同时填写");
        }
        Double lon = r.longitude();
        Double lat = r.latitude();
        if (lon != null) {
            Coordinates.Point wgs = Coordinates.toWgs84(r.coordinateSystem() == null ? Coordinates.System.WGS84 : r.coordinateSystem(), lon, lat);
            lon = wgs.longitude();
            lat = wgs.latitude();
        }
        String contacts;
        try {
            contacts = json.writeValueAsString(r.contacts() == null ? List.of() : r.contacts());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("contacts", "联系人信息无法保存");
        }
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("name", r.name().trim()).addValue("creditCode", credit).addValue("address", blankToNull(r.address()))
                .addValue("lon", lon).addValue("lat", lat).addValue("district", r.districtCode())
                .addValue("industry", blankToNull(r.industryCode())).addValue("permit", blankToNull(r.permitClass()))
                .addValue("grade", blankToNull(r.emergencyGrade())).addValue("contacts", contacts)
                .addValue("status", blankToNull(r.status()));
        return new Validated(p, r.districtCode());
    }

    /** Enterprises sit in a leaf region: a district/county, or a city without districts (东莞, 中山 …). */
    String districtProblem(String code) {
        List<Map<String, Object>> found = jdbc.queryForList(
                "select level, exists(select 1 from region c where c.parent_code = r.code) as has_children from region r where r.code = :c",
                Map.of("c", code == null ? "" : code));
        if (found.isEmpty()) {
            return code + " 不在行政区划（GB/T 2260）代码表中";
        }
        if ((Boolean) found.get(0).get("has_children")) {
            return code + " 是省或市，请填写具体的区县";
        }
        return null;
    }

    boolean exists(String table, String code) {
        Boolean b = jdbc.queryForObject("select exists(select 1 from " + table + " where code = :c)", Map.of("c", code), Boolean.class);
        return Boolean.TRUE.equals(b);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private Map<String, Object> row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getLong("id"));
        m.put("name", rs.getString("name"));
        m.put("creditCode", rs.getString("credit_code"));
        m.put("address", rs.getString("address"));
        m.put("longitude", rs.getObject("longitude"));
        m.put("latitude", rs.getObject("latitude"));
        m.put("districtCode", rs.getString("district_code"));
        m.put("districtName", rs.getString("district_name"));
        m.put("industryCode", rs.getString("industry_code"));
        m.put("industryName", rs.getString("industry_name"));
        m.put("permitClass", rs.getString("permit_class"));
        m.put("emergencyGrade", rs.getString("emergency_grade"));
        try {
            m.put("contacts", json.readValue(rs.getString("contacts"), List.class));
        } catch (JsonProcessingException e) {
            m.put("contacts", new ArrayList<>());
        }
        m.put("status", rs.getString("status"));
        m.put("createdAt", rs.getObject("created_at", java.time.OffsetDateTime.class));
        m.put("updatedAt", rs.getObject("updated_at", java.time.OffsetDateTime.class));
        return m;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}

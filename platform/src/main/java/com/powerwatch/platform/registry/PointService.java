package com.powerwatch.platform.registry;

import com.powerwatch.platform.api.ApiException;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data loggers (MN assigned by the bureau) and monitoring points (one meter channel behind a logger, measuring one facility).
 *
 * <p>MN allocation when none is given: see {@link MnAllocation} (district code + 8 random digits). A logger registered
 * here gets a generated access password at once (returned once, as {@code password}); see
 * {@link com.powerwatch.platform.device.DeviceAccessService}.
 */
@Service
public class PointService {

    static final String SELECT = """
            select p.id, p.facility_id, f.name as facility_name, f.kind as facility_kind, f.enterprise_id, p.name, p.mn, p.channel,
                   p.profile, p.ct_ratio, p.pt_ratio, p.commissioned_on, p.status
            from monitoring_point p join facility f on f.id = p.facility_id""";

    public record DataLoggerRequest(@Pattern(regexp = "[A-Za-z0-9_]{6,24}", message = "MN 须为6–24位字母、数字或下划线") String mn,
                                    @Size(max = 100, message = "厂家不能超过100个字") String vendor,
                                    @Size(max = 100, message = "型号不能超过100个字") String model,
                                    @Size(max = 500, message = "备注不能超过500个字") String note) {
    }

    public record PointRequest(@NotBlank(message = "请填写监测点名称") @Size(max = 200, message = "监测点名称不能超过200个字") String name,
                               @NotBlank(message = "请填写 MN") @Pattern(regexp = "[A-Za-z0-9_]{6,24}", message = "MN 须为6–24位字母、数字或下划线") String mn,
                               @Size(max = 32, message = "通道不能超过32个字符")
                               @Pattern(regexp = "[A-Za-z0-9_]*", message = "通道只能含字母、数字或下划线") String channel,
                               @NotBlank(message = "请选择因子配置") String profile,
                               @Positive(message = "CT 变比须大于 0") Double ctRatio, @Positive(message = "PT 变比须大于 0") Double ptRatio,
                               LocalDate commissionedOn,
                               @Pattern(regexp = "ACTIVE|RETIRED", message = "状态须为 ACTIVE（在用）或 RETIRED（停用）") String status) {
    }

    /** A logger as every API shows it: its access policy and whether it has a password, never the password or its hash. */
    static final String LOGGER = """
            select mn, enterprise_id as "enterpriseId", vendor, model, assigned_at as "assignedAt", note,
                   access_policy as "accessPolicy", allowed_addresses as "allowedAddresses", pw_hash is not null as "hasPassword",
                   pw_set_at as "passwordSetAt"
            from data_logger""";

    private final NamedParameterJdbcTemplate jdbc;
    private final RegistryAccess access;
    private final MnAllocation mns;
    private final com.powerwatch.platform.device.DeviceAccessService deviceAccess;

    public PointService(NamedParameterJdbcTemplate jdbc, RegistryAccess access, MnAllocation mns,
                        com.powerwatch.platform.device.DeviceAccessService deviceAccess) {
        this.jdbc = jdbc;
        this.access = access;
        this.mns = mns;
        this.deviceAccess = deviceAccess;
    }

    // ---- data loggers

    public List<Map<String, Object>> dataLoggers(long enterpriseId) {
        access.enterprise(enterpriseId);
        return jdbc.query(LOGGER + " where enterprise_id = :e order by mn", Map.of("e", enterpriseId), PointService::logger);
    }

    public Map<String, Object> dataLogger(String mn) {
        access.dataLogger(mn);
        return jdbc.queryForObject(LOGGER + " where mn = :mn", Map.of("mn", mn), PointService::logger);
    }

    /** One logger row; the allow-list as a plain list of CIDR texts. */
    static Map<String, Object> logger(ResultSet rs, int i) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        java.sql.ResultSetMetaData meta = rs.getMetaData();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            Object v = rs.getObject(c);
            m.put(meta.getColumnLabel(c), v instanceof java.sql.Array a ? List.of((Object[]) a.getArray()) : v);
        }
        return m;
    }

    @Transactional
    public Map<String, Object> assign(long enterpriseId, DataLoggerRequest r) {
        RegistryAccess.Owner owner = access.enterprise(enterpriseId);
        String mn = r == null || r.mn() == null || r.mn().isBlank() ? mns.allocate(owner.districtCode()) : r.mn().trim();
        mns.requireInRange("mn", mn, owner.districtCode());
        Long holder = jdbc.query("select enterprise_id from data_logger where mn = :mn", Map.of("mn", mn), rs -> rs.next() ? rs.getLong(1) : null);
        if (holder != null) {
            throw ApiException.conflict("数采仪 MN " + mn + " 已分配给" + (holder == enterpriseId ? "本企业" : "其他企业"));
        }
        jdbc.update("insert into data_logger (mn, enterprise_id, vendor, model, note) values (:mn, :e, :v, :m, :n)",
                new MapSqlParameterSource("mn", mn).addValue("e", enterpriseId).addValue("v", r == null ? null : r.vendor())
                        .addValue("m", r == null ? null : r.model()).addValue("n", r == null ? null : r.note()));
        String password = deviceAccess.initialPassword(mn);
        Map<String, Object> out = dataLogger(mn);
        out.put("password", password); // shown this once; the registry keeps only its hash
        return out;
    }

    @Transactional
    public Map<String, Object> updateDataLogger(String mn, DataLoggerRequest r) {
        access.dataLogger(mn);
        jdbc.update("update data_logger set vendor = :v, model = :m, note = :n where mn = :mn",
                new MapSqlParameterSource("mn", mn).addValue("v", r.vendor()).addValue("m", r.model()).addValue("n", r.note()));
        return dataLogger(mn);
    }

    @Transactional
    public void deleteDataLogger(String mn) {
        access.dataLogger(mn);
        Long points = jdbc.queryForObject("select count(*) from monitoring_point where mn = :mn", Map.of("mn", mn), Long.class);
        if (points != null && points > 0) {
            throw ApiException.conflict("数采仪 MN " + mn + " 下还有 " + points + " 个监测点，请先删除或移走这些监测点");
        }
        jdbc.update("delete from data_logger where mn = :mn", Map.of("mn", mn));
    }

    // ---- monitoring points

    public List<Map<String, Object>> points(long facilityId) {
        access.facility(facilityId);
        return jdbc.query(SELECT + " where p.facility_id = :f order by p.mn, p.channel", Map.of("f", facilityId), PointService::point);
    }

    public Map<String, Object> point(long id) {
        access.point(id);
        return jdbc.queryForObject(SELECT + " where p.id = :id", Map.of("id", id), PointService::point);
    }

    @Transactional
    public Map<String, Object> createPoint(long facilityId, PointRequest r) {
        RegistryAccess.Owner owner = access.facility(facilityId);
        MapSqlParameterSource p = validate(owner.enterpriseId(), r, null).addValue("f", facilityId);
        Long id = jdbc.queryForObject("""
                insert into monitoring_point (facility_id, name, mn, channel, profile, ct_ratio, pt_ratio, commissioned_on, status)
                values (:f, :name, :mn, :channel, :profile, :ct, :pt, :commissioned, :status) returning id""", p, Long.class);
        return point(id);
    }

    /** A point may move to another facility of the same enterprise ({@code facilityId} query parameter of the API). */
    @Transactional
    public Map<String, Object> updatePoint(long id, Long newFacilityId, PointRequest r) {
        RegistryAccess.Owner owner = access.point(id);
        long facilityId = newFacilityId != null ? newFacilityId
                : jdbc.queryForObject("select facility_id from monitoring_point where id = :id", Map.of("id", id), Long.class);
        if (newFacilityId != null && access.facility(newFacilityId).enterpriseId() != owner.enterpriseId()) {
            throw ApiException.badRequest("facilityId", "监测点只能移到同一企业的其他设施下");
        }
        MapSqlParameterSource p = validate(owner.enterpriseId(), r, id).addValue("id", id).addValue("f", facilityId);
        jdbc.update("""
                update monitoring_point set facility_id = :f, name = :name, mn = :mn, channel = :channel, profile = :profile,
                    ct_ratio = :ct, pt_ratio = :pt, commissioned_on = :commissioned, status = :status, updated_at = now()
                where id = :id""", p);
        return point(id);
    }

    @Transactional
    public void deletePoint(long id) {
        access.point(id);
        jdbc.update("delete from monitoring_point where id = :id", Map.of("id", id));
    }

    /** The MN must be a logger of the same enterprise, the profile must exist, and (MN, channel) must be free. */
    MapSqlParameterSource validate(long enterpriseId, PointRequest r, Long self) {
        String mn = r.mn().trim();
        String channel = r.channel() == null ? "" : r.channel().trim();
        Long holder = jdbc.query("select enterprise_id from data_logger where mn = :mn", Map.of("mn", mn), rs -> rs.next() ? rs.getLong(1) : null);
        if (holder == null || holder != enterpriseId) {
            throw ApiException.badRequest("mn", "MN " + mn + " 不是本企业的数采仪，请先为企业分配该数采仪");
        }
        Boolean profileExists = jdbc.queryForObject("select exists(select 1 from factor_profile where code = :c)", Map.of("c", r.profile()), Boolean.class);
        if (!Boolean.TRUE.equals(profileExists)) {
            throw ApiException.badRequest("profile", "因子配置“" + r.profile() + "”不存在");
        }
        List<Map<String, Object>> clash = jdbc.queryForList(
                "select id, name from monitoring_point where mn = :mn and channel = :ch and (:self::bigint is null or id <> :self)",
                new MapSqlParameterSource("mn", mn).addValue("ch", channel).addValue("self", self));
        if (!clash.isEmpty()) {
            throw ApiException.conflict("MN " + mn + " 的通道“" + channel + "”已被监测点“"
                    + clash.get(0).get("name") + "”（编号 " + clash.get(0).get("id") + "）使用");
        }
        return new MapSqlParameterSource("name", r.name().trim()).addValue("mn", mn).addValue("channel", channel)
                .addValue("profile", r.profile()).addValue("ct", r.ctRatio() == null ? 1.0 : r.ctRatio())
                .addValue("pt", r.ptRatio() == null ? 1.0 : r.ptRatio()).addValue("commissioned", r.commissionedOn())
                .addValue("status", r.status() == null ? "ACTIVE" : r.status());
    }

    static Map<String, Object> point(ResultSet rs, int i) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getLong("id"));
        m.put("facilityId", rs.getLong("facility_id"));
        m.put("facilityName", rs.getString("facility_name"));
        m.put("facilityKind", rs.getString("facility_kind"));
        m.put("enterpriseId", rs.getLong("enterprise_id"));
        m.put("name", rs.getString("name"));
        m.put("mn", rs.getString("mn"));
        m.put("channel", rs.getString("channel"));
        m.put("profile", rs.getString("profile"));
        m.put("ctRatio", rs.getDouble("ct_ratio"));
        m.put("ptRatio", rs.getDouble("pt_ratio"));
        m.put("commissionedOn", rs.getObject("commissioned_on", LocalDate.class));
        m.put("status", rs.getString("status"));
        return m;
    }
}

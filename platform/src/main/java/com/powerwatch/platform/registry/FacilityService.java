package com.powerwatch.platform.registry;

import com.powerwatch.platform.api.ApiException;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Production lines, facilities and production↔treatment associations; every call goes through the enterprise's scope. */
@Service
public class FacilityService {

    static final String SELECT = """
            select f.id, f.enterprise_id, f.production_line_id, f.name, f.kind, f.process_type, f.rated_kw, f.threshold_quantity,
                   f.stop_below, f.run_above, f.abnormal_below, f.normal_running, f.status from facility f""";
    static final String ASSOCIATIONS = """
            select a.production_facility_id as "productionFacilityId", p.name as "productionFacilityName",
                   a.treatment_facility_id as "treatmentFacilityId", t.name as "treatmentFacilityName",
                   a.start_lead_minutes as "startLeadMinutes", a.stop_lag_minutes as "stopLagMinutes"
            from facility_association a join facility p on p.id = a.production_facility_id
            join facility t on t.id = a.treatment_facility_id""";

    public record LineRequest(@NotBlank(message = "请填写生产线名称") @Size(max = 200, message = "生产线名称不能超过200个字") String name) {
    }

    public record AssociationRequest(@NotNull(message = "请选择生产设施") Long productionFacilityId,
                                     @NotNull(message = "请选择治污设施") Long treatmentFacilityId,
                                     @Min(value = 0, message = "开机提前量不能为负数") Integer startLeadMinutes,
                                     @Min(value = 0, message = "停机滞后量不能为负数") Integer stopLagMinutes) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final RegistryAccess access;

    public FacilityService(NamedParameterJdbcTemplate jdbc, RegistryAccess access) {
        this.jdbc = jdbc;
        this.access = access;
    }

    // ---- production lines

    public List<Map<String, Object>> lines(long enterpriseId) {
        access.enterprise(enterpriseId);
        return jdbc.queryForList("select id, enterprise_id as \"enterpriseId\", name from production_line where enterprise_id = :e order by name",
                Map.of("e", enterpriseId));
    }

    @Transactional
    public Map<String, Object> createLine(long enterpriseId, LineRequest r) {
        access.enterprise(enterpriseId);
        requireUniqueLine(enterpriseId, r.name().trim(), null);
        Long id = jdbc.queryForObject("insert into production_line (enterprise_id, name) values (:e, :n) returning id",
                Map.of("e", enterpriseId, "n", r.name().trim()), Long.class);
        return line(id);
    }

    @Transactional
    public Map<String, Object> updateLine(long id, LineRequest r) {
        RegistryAccess.Owner owner = access.line(id);
        requireUniqueLine(owner.enterpriseId(), r.name().trim(), id);
        jdbc.update("update production_line set name = :n where id = :id", Map.of("n", r.name().trim(), "id", id));
        return line(id);
    }

    @Transactional
    public void deleteLine(long id) {
        access.line(id);
        jdbc.update("delete from production_line where id = :id", Map.of("id", id));
    }

    public Map<String, Object> line(long id) {
        access.line(id);
        return jdbc.queryForMap("select id, enterprise_id as \"enterpriseId\", name from production_line where id = :id", Map.of("id", id));
    }

    private void requireUniqueLine(long enterpriseId, String name, Long self) {
        Boolean taken = jdbc.queryForObject("select exists(select 1 from production_line where enterprise_id = :e and name = :n and (:self::bigint is null or id <> :self))",
                new MapSqlParameterSource("e", enterpriseId).addValue("n", name).addValue("self", self), Boolean.class);
        if (Boolean.TRUE.equals(taken)) {
            throw ApiException.conflict("该企业已有名为“" + name + "”的生产线");
        }
    }

    // ---- facilities

    public List<Map<String, Object>> facilities(long enterpriseId) {
        access.enterprise(enterpriseId);
        return jdbc.query(SELECT + " where f.enterprise_id = :e order by f.kind, f.name", Map.of("e", enterpriseId), FacilityService::facility);
    }

    public Map<String, Object> facility(long id) {
        access.facility(id);
        return jdbc.queryForObject(SELECT + " where f.id = :id", Map.of("id", id), FacilityService::facility);
    }

    @Transactional
    public Map<String, Object> createFacility(long enterpriseId, FacilityRequest r) {
        access.enterprise(enterpriseId);
        MapSqlParameterSource p = validate(enterpriseId, r, null);
        Long id = jdbc.queryForObject("""
                insert into facility (enterprise_id, production_line_id, name, kind, process_type, rated_kw, threshold_quantity,
                    stop_below, run_above, abnormal_below, status)
                values (:e, :line, :name, :kind, :process, :rated, :tq, :stop, :run, :abnormal, :status) returning id""", p, Long.class);
        return facility(id);
    }

    @Transactional
    public Map<String, Object> updateFacility(long id, FacilityRequest r) {
        RegistryAccess.Owner owner = access.facility(id);
        MapSqlParameterSource p = validate(owner.enterpriseId(), r, id).addValue("id", id);
        String oldKind = jdbc.queryForObject("select kind from facility where id = :id", p, String.class);
        if (!r.kind().equals(oldKind) && associated(id)) {
            throw ApiException.conflict("该设施（编号 " + id + "）已有产治关联，请先删除关联再修改设施类型");
        }
        jdbc.update("""
                update facility set production_line_id = :line, name = :name, kind = :kind, process_type = :process, rated_kw = :rated,
                    threshold_quantity = :tq, stop_below = :stop, run_above = :run, abnormal_below = :abnormal, status = :status,
                    updated_at = now(),
                    -- the learned normal value (set by accepting a threshold proposal) is in the old unit if the quantity changes
                    normal_running = case when threshold_quantity = :tq then normal_running end
                where id = :id""", p);
        return facility(id);
    }

    /** Deleting a facility removes its points and associations; a point with readings keeps them under its MN. */
    @Transactional
    public void deleteFacility(long id) {
        access.facility(id);
        jdbc.update("delete from facility where id = :id", Map.of("id", id));
    }

    private boolean associated(long facilityId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists(select 1 from facility_association where production_facility_id = :id or treatment_facility_id = :id)",
                Map.of("id", facilityId), Boolean.class));
    }

    /** Thresholds: stop_below ≤ run_above; abnormal_below only for TREATMENT and ≥ run_above; P thresholds ≤ rated kW. */
    MapSqlParameterSource validate(long enterpriseId, FacilityRequest r, Long self) {
        String problemField = null;
        String problem = null;
        if (r.stopBelow() != null && r.runAbove() != null && r.stopBelow() > r.runAbove()) {
            problemField = "stopBelow";
            problem = "停机阈值（" + r.stopBelow() + "）不能大于运行阈值（" + r.runAbove() + "）";
        } else if (r.abnormalBelow() != null && !"TREATMENT".equals(r.kind())) {
            problemField = "abnormalBelow";
            problem = "异常低阈值只适用于治污设施";
        } else if (r.abnormalBelow() != null && r.runAbove() != null && r.abnormalBelow() < r.runAbove()) {
            problemField = "abnormalBelow";
            problem = "异常低阈值（" + r.abnormalBelow() + "）须不小于运行阈值（" + r.runAbove()
                    + "）：它标出运行中但用电过低的治污设施";
        } else if (!"I".equals(r.thresholdQuantity()) && r.ratedKw() != null && r.runAbove() != null && r.runAbove() > r.ratedKw()) {
            problemField = "runAbove";
            problem = "运行阈值（" + r.runAbove() + " kW）超过额定功率（" + r.ratedKw() + " kW）";
        }
        if (problem != null) {
            throw ApiException.badRequest(problemField, problem);
        }
        if (r.productionLineId() != null) {
            Long lineEnterprise = jdbc.query("select enterprise_id from production_line where id = :id", Map.of("id", r.productionLineId()),
                    rs -> rs.next() ? rs.getLong(1) : null);
            if (lineEnterprise == null || lineEnterprise != enterpriseId) {
                throw ApiException.badRequest("productionLineId", "生产线（编号 " + r.productionLineId() + "）不属于该企业");
            }
        }
        Boolean taken = jdbc.queryForObject("select exists(select 1 from facility where enterprise_id = :e and name = :n and (:self::bigint is null or id <> :self))",
                new MapSqlParameterSource("e", enterpriseId).addValue("n", r.name().trim()).addValue("self", self), Boolean.class);
        if (Boolean.TRUE.equals(taken)) {
            throw ApiException.conflict("该企业已有名为“" + r.name().trim() + "”的设施");
        }
        return new MapSqlParameterSource("e", enterpriseId).addValue("line", r.productionLineId()).addValue("name", r.name().trim())
                .addValue("kind", r.kind()).addValue("process", EnterpriseService.blankToNull(r.processType())).addValue("rated", r.ratedKw())
                .addValue("tq", r.thresholdQuantity() == null ? "P" : r.thresholdQuantity()).addValue("stop", r.stopBelow())
                .addValue("run", r.runAbove()).addValue("abnormal", r.abnormalBelow())
                .addValue("status", r.status() == null ? "ACTIVE" : r.status());
    }

    static Map<String, Object> facility(ResultSet rs, int i) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getLong("id"));
        m.put("enterpriseId", rs.getLong("enterprise_id"));
        m.put("productionLineId", rs.getObject("production_line_id"));
        m.put("name", rs.getString("name"));
        m.put("kind", rs.getString("kind"));
        m.put("processType", rs.getString("process_type"));
        m.put("ratedKw", rs.getObject("rated_kw"));
        m.put("thresholdQuantity", rs.getString("threshold_quantity"));
        m.put("stopBelow", rs.getObject("stop_below"));
        m.put("runAbove", rs.getObject("run_above"));
        m.put("abnormalBelow", rs.getObject("abnormal_below"));
        m.put("normalRunning", rs.getObject("normal_running")); // read-only: set by accepting a threshold proposal
        m.put("status", rs.getString("status"));
        return m;
    }

    // ---- associations

    public List<Map<String, Object>> associations(long enterpriseId) {
        access.enterprise(enterpriseId);
        return jdbc.queryForList(ASSOCIATIONS + " where p.enterprise_id = :e order by p.name, t.name", Map.of("e", enterpriseId));
    }

    @Transactional
    public Map<String, Object> createAssociation(AssociationRequest r) {
        checkPair(r.productionFacilityId(), r.treatmentFacilityId());
        Boolean exists = jdbc.queryForObject("select exists(select 1 from facility_association where production_facility_id = :p and treatment_facility_id = :t)",
                Map.of("p", r.productionFacilityId(), "t", r.treatmentFacilityId()), Boolean.class);
        if (Boolean.TRUE.equals(exists)) {
            throw ApiException.conflict("生产设施（编号 " + r.productionFacilityId() + "）与治污设施（编号 "
                    + r.treatmentFacilityId() + "）已经关联");
        }
        jdbc.update("""
                insert into facility_association (production_facility_id, treatment_facility_id, start_lead_minutes, stop_lag_minutes)
                values (:p, :t, coalesce(:lead, 10), coalesce(:lag, 30))""", assocParams(r.productionFacilityId(), r.treatmentFacilityId(), r));
        return association(r.productionFacilityId(), r.treatmentFacilityId());
    }

    @Transactional
    public Map<String, Object> updateAssociation(long productionId, long treatmentId, AssociationRequest r) {
        checkPair(productionId, treatmentId);
        int n = jdbc.update("""
                update facility_association set start_lead_minutes = coalesce(:lead, start_lead_minutes), stop_lag_minutes = coalesce(:lag, stop_lag_minutes)
                where production_facility_id = :p and treatment_facility_id = :t""", assocParams(productionId, treatmentId, r));
        if (n == 0) {
            throw notAssociated(productionId, treatmentId);
        }
        return association(productionId, treatmentId);
    }

    @Transactional
    public void deleteAssociation(long productionId, long treatmentId) {
        checkPair(productionId, treatmentId);
        int n = jdbc.update("delete from facility_association where production_facility_id = :p and treatment_facility_id = :t",
                Map.of("p", productionId, "t", treatmentId));
        if (n == 0) {
            throw notAssociated(productionId, treatmentId);
        }
    }

    private static ApiException notAssociated(long productionId, long treatmentId) {
        return new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND",
                "生产设施（编号 " + productionId + "）与治污设施（编号 " + treatmentId + "）之间没有关联");
    }

    private Map<String, Object> association(long p, long t) {
        return jdbc.queryForMap(ASSOCIATIONS + " where a.production_facility_id = :p and a.treatment_facility_id = :t", Map.of("p", p, "t", t));
    }

    private static MapSqlParameterSource assocParams(long p, long t, AssociationRequest r) {
        return new MapSqlParameterSource("p", p).addValue("t", t)
                .addValue("lead", r == null ? null : r.startLeadMinutes()).addValue("lag", r == null ? null : r.stopLagMinutes());
    }

    private static String kindName(String kind) {
        return switch (kind == null ? "" : kind) {
            case "PRODUCTION" -> "生产设施";
            case "TREATMENT" -> "治污设施";
            case "TOTAL" -> "总用电计量";
            default -> kind;
        };
    }

    /** Both facilities visible, of one enterprise, one PRODUCTION and one TREATMENT. */
    private void checkPair(long productionId, long treatmentId) {
        RegistryAccess.Owner a = access.facility(productionId);
        RegistryAccess.Owner b = access.facility(treatmentId);
        if (a.enterpriseId() != b.enterpriseId()) {
            throw ApiException.badRequest("treatmentFacilityId", "两个设施须属于同一企业");
        }
        String kindP = jdbc.queryForObject("select kind from facility where id = :id", Map.of("id", productionId), String.class);
        String kindT = jdbc.queryForObject("select kind from facility where id = :id", Map.of("id", treatmentId), String.class);
        if (!"PRODUCTION".equals(kindP)) {
            throw ApiException.badRequest("productionFacilityId", "设施（编号 " + productionId + "）是" + kindName(kindP) + "，不是生产设施");
        }
        if (!"TREATMENT".equals(kindT)) {
            throw ApiException.badRequest("treatmentFacilityId", "设施（编号 " + treatmentId + "）是" + kindName(kindT) + "，不是治污设施");
        }
    }
}

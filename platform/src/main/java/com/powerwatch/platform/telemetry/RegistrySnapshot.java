package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.registry.CanonicalQuantity;
import com.powerwatch.platform.registry.FactorMapping;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the telemetry consumer and the real-time state need from the registry, read in one go and never
 * changed: points with their profile mappings resolved to frame keys, facilities with thresholds,
 * enterprises, associations and the registered MNs. A registry change builds a new snapshot.
 *
 * <p>The mapping is the registry's {@link FactorMapping}: a profile row applies to a point through its channel
 * ({@link FactorMapping#key}); values are computed by {@link CanonicalSample#put} with the same scale, CT/PT and
 * field-precedence rules as {@link com.powerwatch.platform.registry.CanonicalMapper}, indexed here by frame key
 * so a frame costs one lookup per item.
 */
public record RegistrySnapshot(Map<Long, Point> points, Map<Long, Facility> facilities,
                               Map<Long, Enterprise> enterprises, Set<String> loggers,
                               Map<String, Map<String, List<Target>>> keysByMn) {

    public record Point(long id, String name, String mn, String channel, String profile, double ct, double pt,
                        long facilityId) {
    }

    /**
     * {@code normalRunning}: the accepted learned normal running value (kW or A), or null; {@code ratedKw}: the
     * rated power, or null (the threshold defaults of {@link FacilityThresholds}, OVER_CAPACITY).
     */
    public record Facility(long id, long enterpriseId, String name, String kind, String thresholdQuantity,
                           Double stopBelow, Double runAbove, Double abnormalBelow, List<Long> pointIds,
                           List<Long> productionIds, Double normalRunning, Double ratedKw) {
        public boolean treatment() {
            return "TREATMENT".equals(kind);
        }

        public boolean production() {
            return "PRODUCTION".equals(kind);
        }
    }

    public record Enterprise(long id, String name, String districtCode, String industryCode, List<Long> facilityIds) {
    }

    /** One frame value's destination: the point and the profile row that maps it. */
    public record Target(long pointId, FactorMapping mapping) {
    }

    public static final RegistrySnapshot EMPTY = new RegistrySnapshot(Map.of(), Map.of(), Map.of(), Set.of(), Map.of());

    /** The frame keys of one MN mapped to their targets; null when the MN has no points. */
    public Map<String, List<Target>> targets(String mn) {
        return keysByMn.get(mn);
    }

    public boolean registered(String mn) {
        return loggers.contains(mn);
    }

    /** A cheap fingerprint of the registry tables; a different value means "reload". */
    static String signature(JdbcTemplate jdbc) {
        return jdbc.queryForObject("""
                select concat_ws('|',
                  (select count(*) || ':' || coalesce(max(updated_at)::text, '') from monitoring_point),
                  (select count(*) || ':' || coalesce(max(updated_at)::text, '') from facility),
                  (select count(*) || ':' || coalesce(max(updated_at)::text, '') from enterprise),
                  (select count(*) || ':' || coalesce(sum(hashtext(mn)), 0) from data_logger),
                  (select count(*) || ':' || coalesce(sum(hashtext(profile || code_template || field || quantity || scale)), 0)
                     from factor_mapping),
                  (select count(*) || ':' || coalesce(sum(hashtext(production_facility_id || ':' || treatment_facility_id || ':'
                     || start_lead_minutes || ':' || stop_lag_minutes)), 0)
                     from facility_association))""", String.class); // the tolerances too: the alarm engine applies them
    }

    static RegistrySnapshot load(JdbcTemplate jdbc) {
        Map<String, List<FactorMapping>> mappings = new HashMap<>();
        jdbc.query("select profile, code_template, field, quantity, scale from factor_mapping", rs -> {
            FactorMapping m = new FactorMapping(rs.getString(1), rs.getString(2), rs.getString(3),
                    CanonicalQuantity.valueOf(rs.getString(4)), rs.getDouble(5));
            mappings.computeIfAbsent(m.profile(), k -> new ArrayList<>()).add(m);
        });
        Map<Long, Enterprise> enterprises = new HashMap<>();
        Map<Long, List<Long>> facilitiesOf = new HashMap<>();
        Map<Long, List<Long>> pointsOf = new HashMap<>();
        Map<Long, List<Long>> productionsOf = new HashMap<>();
        Map<Long, Point> points = new HashMap<>();
        Map<String, Map<String, List<Target>>> keys = new HashMap<>();
        jdbc.query("""
                select mp.id, mp.name, mp.mn, mp.channel, mp.profile, mp.ct_ratio, mp.pt_ratio, mp.facility_id
                from monitoring_point mp join facility f on f.id = mp.facility_id
                where mp.status = 'ACTIVE' and f.status = 'ACTIVE'""", rs -> {
            Point p = new Point(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getDouble(6), rs.getDouble(7), rs.getLong(8));
            points.put(p.id(), p);
            pointsOf.computeIfAbsent(p.facilityId(), k -> new ArrayList<>()).add(p.id());
            Map<String, List<Target>> byKey = keys.computeIfAbsent(p.mn(), k -> new HashMap<>());
            for (FactorMapping m : mappings.getOrDefault(p.profile(), List.of())) {
                byKey.computeIfAbsent(m.key(p.channel()), k -> new ArrayList<>(1)).add(new Target(p.id(), m));
            }
        });
        jdbc.query("select production_facility_id, treatment_facility_id from facility_association",
                rs -> { productionsOf.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(rs.getLong(1)); });
        Map<Long, Facility> facilities = new HashMap<>();
        jdbc.query("""
                select id, enterprise_id, name, kind, threshold_quantity, stop_below, run_above, abnormal_below, normal_running,
                       rated_kw
                from facility where status = 'ACTIVE'""", rs -> {
            long id = rs.getLong(1);
            facilities.put(id, new Facility(id, rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    (Double) rs.getObject(6), (Double) rs.getObject(7), (Double) rs.getObject(8),
                    List.copyOf(pointsOf.getOrDefault(id, List.of())), List.copyOf(productionsOf.getOrDefault(id, List.of())),
                    (Double) rs.getObject(9), (Double) rs.getObject(10)));
            facilitiesOf.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(id);
        });
        jdbc.query("select id, name, district_code, industry_code from enterprise", rs -> {
            long id = rs.getLong(1);
            enterprises.put(id, new Enterprise(id, rs.getString(2), rs.getString(3), rs.getString(4),
                    List.copyOf(facilitiesOf.getOrDefault(id, List.of()))));
        });
        Set<String> loggers = new HashSet<>(jdbc.queryForList("select mn from data_logger", String.class));
        return new RegistrySnapshot(Map.copyOf(points), Map.copyOf(facilities), Map.copyOf(enterprises),
                Set.copyOf(loggers), Map.copyOf(keys));
    }
}

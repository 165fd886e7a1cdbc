package com.powerwatch.platform.demo;

import com.powerwatch.platform.device.DevicePassword;
import com.powerwatch.platform.registry.CreditCode;
import com.powerwatch.simulator.FactorFamily;
import com.powerwatch.simulator.FacilityKind;
import com.powerwatch.simulator.LoggerInfo;
import com.powerwatch.simulator.MeterInfo;
import com.powerwatch.simulator.ProductionOrder;
import com.powerwatch.simulator.ShiftPattern;
import com.powerwatch.hj212.QnGenerator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers a simulated fleet in the registry so that the real-time state has something to show: one
 * enterprise per logger (Xi'an districts, a few manufacturing industries), its facilities with thresholds
 * derived from rated power, a data logger per MN, one point per meter and production↔treatment
 * associations. Idempotent: natural keys (credit code, facility name, MN, MN + channel) make a restart
 * find what is there.
 */
public final class DemoRegistry {

    /**
     * Every demo logger proves itself with a password of its own, as a fleet does after the roll-out (docs/ingest.md):
     * a fresh one per start, hashed into the registry with policy REJECT and handed to the simulated logger.
     */
    static void givePasswords(JdbcTemplate jdbc, com.powerwatch.simulator.Fleet fleet, String common) {
        List<LoggerInfo> loggers = fleet.loggers();
        List<Object[]> rows = new java.util.ArrayList<>(loggers.size());
        for (int i = 0; i < loggers.size(); i++) {
            // a common password only for a fleet simulated by a separate process (bench/scripts/ingest_bench.py)
            String password = common.isEmpty() ? DevicePassword.generate(9) : common;
            fleet.password(i, password);
            rows.add(new Object[]{DevicePassword.hash(password), loggers.get(i).mn()});
        }
        jdbc.batchUpdate("update data_logger set pw_hash = ?, pw_set_at = now(), access_policy = 'REJECT' where mn = ?", rows);
    }

    /** Xi'an districts (GB/T 2260; the V6 migration seeds the full list). */
    static final String[] DISTRICTS = {"610102", "610103", "610104", "610111", "610112", "610113", "610114", "610115",
            "610116", "610117", "610118", "610122"};

    /** GB/T 4754-2017 小类 of typical monitored plants (coatings, organic chemicals, cement, surface treatment, auto parts, paper). */
    static final String[] INDUSTRIES = {"2641", "2614", "3011", "3360", "3670", "2221", "3311", "2927"};

    private DemoRegistry() {
    }

    /**
     * The industry of logger {@code i}: round the list, shifted by one every 24 loggers so that every district (i mod 12)
     * gets every industry; the 8 loggers of one {@code i / 8} still have 8 different industries (names stay unique).
     */
    static String industry(int i) {
        return INDUSTRIES[(i + i / 24) % INDUSTRIES.length];
    }

    /**
     * A valid unified social credit code (GB 32100) for an enterprise registered in {@code district}:
     * 9 (market regulator) 1 (enterprise), the district, a 9-character organisation code (GB 11714 check
     * digit) from {@code serial}, and the GB 32100 check character.
     */
    public static String creditCode(String district, long serial) {
        String org8 = String.format("%08d", Math.floorMod(serial * 7919 + 12345678L, 100_000_000L));
        int[] w = {3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += (org8.charAt(i) - '0') * w[i];
        }
        int c9 = 11 - sum % 11;
        String org = org8 + (c9 == 10 ? "X" : c9 == 11 ? "0" : Integer.toString(c9));
        String body = "91" + district + org;
        return body + CreditCode.checkCharacter(body);
    }

    /** Registers every logger of the fleet; returns how many enterprises it has (new or found). */
    public static int register(JdbcTemplate jdbc, TransactionTemplate tx, List<LoggerInfo> loggers) {
        return register(jdbc, tx, loggers, List.of(), true);
    }

    /**
     * Registers every logger of the fleet and the production orders of its violation plan; with {@code demoStop}
     * also the demo's own ordered stop (not wanted when a plan with ground truth runs: it would be an alarm the
     * truth does not know).
     */
    public static int register(JdbcTemplate jdbc, TransactionTemplate tx, List<LoggerInfo> loggers,
                               List<ProductionOrder> orders, boolean demoStop) {
        tx.executeWithoutResult(status -> {
            for (LoggerInfo logger : loggers) {
                registerLogger(jdbc, logger);
            }
            for (ProductionOrder order : orders) {
                registerOrder(jdbc, order);
            }
            if (demoStop) {
                Scenes scenes = scenes(loggers);
                if (scenes.orderedStop() != null) {
                    orderedStop(jdbc, scenes.orderedStop());
                }
                if (scenes.limited() != null) {
                    keptLimit(jdbc, scenes.limited());
                }
            }
        });
        return loggers.size();
    }

    /**
     * One order of the simulator's plan, as an officer would enter it: whole enterprise or the listed lines, the
     * baseline the plan documents. Idempotent through source_ref (MN, kind and start).
     */
    private static void registerOrder(JdbcTemplate jdbc, ProductionOrder o) {
        Long enterprise = jdbc.queryForObject("select enterprise_id from data_logger where mn = ?", Long.class, o.mn());
        Long[] facilities = null;
        if (o.lines() != null && !o.lines().isEmpty()) {
            facilities = o.lines().stream().map(code -> jdbc.queryForObject(
                    "select facility_id from monitoring_point where mn = ? and channel = ?", Long.class, o.mn(), code))
                    .toArray(Long[]::new);
        }
        String ref = "SIM-" + o.mn() + "-" + o.kind() + "-" + o.from();
        Long[] ids = facilities;
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    insert into production_order (enterprise_id, kind, limit_percent, baseline_kw, facility_ids, valid_from,
                                                  valid_to, source, source_ref, reason, created_by_name)
                    select ?, ?, ?, ?, ?, ?, ?, 'OTHER', ?, '模拟器违规计划', 'simulator'
                    where not exists (select 1 from production_order where source_ref = ?)""");
            ps.setLong(1, enterprise);
            ps.setString(2, o.kind().name());
            ps.setObject(3, o.limitPercent());
            ps.setDouble(4, o.baselineKw());
            ps.setArray(5, ids == null ? null : con.createArrayOf("bigint", ids));
            ps.setTimestamp(6, java.sql.Timestamp.from(o.from().atZone(QnGenerator.CHINA).toInstant()));
            ps.setTimestamp(7, java.sql.Timestamp.from(o.to().atZone(QnGenerator.CHINA).toInstant()));
            ps.setString(8, ref);
            ps.setString(9, ref);
            return ps;
        });
    }

    private static void registerLogger(JdbcTemplate jdbc, LoggerInfo logger) {
        int i = logger.index();
        String district = DISTRICTS[i % DISTRICTS.length];
        String industry = industry(i);
        String credit = creditCode(district, logger.mn().hashCode() & 0x7fffffffL);
        DemoPlaces.Place place = DemoPlaces.of(district, industry, i / INDUSTRIES.length, i / DISTRICTS.length);
        // a data directory of an earlier demo (named 演示企业N号, no place) gets its name and place; edits are kept
        Long enterprise = jdbc.queryForObject("""
                insert into enterprise (name, credit_code, address, longitude, latitude, district_code, industry_code, permit_class)
                values (?, ?, ?, ?, ?, ?, ?, 'KEY')
                on conflict (credit_code) do update set
                    name = case when enterprise.name like '演示企业%' then excluded.name else enterprise.name end,
                    industry_code = case when enterprise.name like '演示企业%' then excluded.industry_code else enterprise.industry_code end,
                    address = coalesce(enterprise.address, excluded.address),
                    longitude = coalesce(enterprise.longitude, excluded.longitude),
                    latitude = coalesce(enterprise.latitude, excluded.latitude)
                returning id""", Long.class, place.name(), credit, place.address(), place.longitude(), place.latitude(),
                district, industry);
        jdbc.update("insert into data_logger (mn, enterprise_id, vendor, note) values (?, ?, ?, '--demo') on conflict (mn) do nothing",
                logger.mn(), enterprise, logger.family() == FactorFamily.A ? "演示厂商 A" : "演示厂商 B");
        String profile = logger.family() == FactorFamily.A ? "elec-a" : "elec-b";
        Map<String, Long> production = new LinkedHashMap<>(); // meter code → facility
        Map<Long, List<String>> treatment = new LinkedHashMap<>(); // facility → production meter codes it serves
        Set<String> names = new HashSet<>();
        for (MeterInfo m : logger.meters()) {
            String name = m.facility();
            for (int n = 2; !names.add(name); n++) {
                name = m.facility() + n;
            }
            double rated = m.ratedKw();
            Double abnormal = m.kind() == FacilityKind.TREATMENT ? round(0.4 * 0.75 * rated) : null; // 40 % of ~75 % load
            Long facility = jdbc.queryForObject("""
                    insert into facility (enterprise_id, name, kind, rated_kw, stop_below, run_above, abnormal_below)
                    values (?, ?, ?, ?, ?, ?, ?)
                    on conflict (enterprise_id, name) do update set kind = excluded.kind
                    returning id""", Long.class, enterprise, name, m.kind().name(), rated, round(0.05 * rated),
                    round(0.10 * rated), abnormal);
            jdbc.update("""
                    insert into monitoring_point (facility_id, name, mn, channel, profile)
                    values (?, ?, ?, ?, ?) on conflict (mn, channel) do nothing""",
                    facility, name + "电表", logger.mn(), m.code(), profile);
            if (m.kind() == FacilityKind.PRODUCTION) {
                production.put(m.code(), facility);
            } else if (m.kind() == FacilityKind.TREATMENT) {
                treatment.put(facility, m.serves());
            }
        }
        // the simulated plant's own 治理线组; a treatment meter that names none serves every line
        for (var t : treatment.entrySet()) {
            List<Long> served = t.getValue().isEmpty() ? List.copyOf(production.values())
                    : t.getValue().stream().map(production::get).filter(java.util.Objects::nonNull).toList();
            for (Long p : served) {
                jdbc.update("insert into facility_association (production_facility_id, treatment_facility_id) values (?, ?) on conflict do nothing",
                        p, t.getKey());
            }
        }
        jdbc.update("delete from unregistered_mn where mn = ?", logger.mn());
    }

    /**
     * The plants that give a newcomer's map all its colours within a minute (without a violation plan): the first
     * plant that runs around the clock is under an ordered stop it does not keep (an alarm, red); the first other plant
     * is under a production limit it keeps (限停产中, orange); the next one is shut for maintenance (停运: the demo fleet
     * switches its facilities off, see {@link DemoFleetConfig}). Null where the fleet is too small.
     */
    public record Scenes(LoggerInfo orderedStop, LoggerInfo limited, LoggerInfo maintenance) {
    }

    public static Scenes scenes(List<LoggerInfo> loggers) {
        LoggerInfo stop = loggers.stream().filter(l -> l.shift() == ShiftPattern.CONTINUOUS).findFirst().orElse(null);
        List<LoggerInfo> others = loggers.stream().filter(l -> l != stop).toList();
        return new Scenes(stop, others.isEmpty() ? null : others.get(0), others.size() < 2 ? null : others.get(1));
    }

    /**
     * So that a newcomer sees an alarm within minutes: the plant is put under an ordered stop (停产令) that it does not
     * keep, and its PRODUCTION_DURING_STOP rule persists for 1 minute instead of 15. Both are ordinary registry rows an
     * operator can revoke or delete. Idempotent.
     */
    private static void orderedStop(JdbcTemplate jdbc, LoggerInfo plant) {
        Long enterprise = jdbc.queryForObject("select enterprise_id from data_logger where mn = ?", Long.class, plant.mn());
        jdbc.update("""
                insert into production_order (enterprise_id, kind, valid_from, valid_to, source, source_ref, reason, created_by_name)
                select ?, 'STOP', now() - interval '1 hour', now() + interval '30 days', 'OTHER', 'DEMO', '演示：停产令（该企业未执行）', 'demo'
                where not exists (select 1 from production_order where enterprise_id = ? and source_ref = 'DEMO')""",
                enterprise, enterprise);
        jdbc.update("""
                insert into alarm_rule (type, scope_level, scope_key, enterprise_id, params, updated_by)
                values ('PRODUCTION_DURING_STOP', 'ENTERPRISE', ?, ?, '{"persistMinutes": 1}', 'demo')
                on conflict (type, scope_level, scope_key) do nothing""", String.valueOf(enterprise), enterprise);
    }

    /**
     * A production limit (限产 10 %) the plant keeps: its baseline is typed as its rated production capacity, and the
     * simulated lines never draw more than 90 % of their rating, so LIMIT_NOT_KEPT never fires. Idempotent.
     */
    private static void keptLimit(JdbcTemplate jdbc, LoggerInfo plant) {
        Long enterprise = jdbc.queryForObject("select enterprise_id from data_logger where mn = ?", Long.class, plant.mn());
        double rated = plant.meters().stream().filter(m -> m.kind() == FacilityKind.PRODUCTION).mapToDouble(MeterInfo::ratedKw).sum();
        jdbc.update("""
                insert into production_order (enterprise_id, kind, limit_percent, baseline_kw, baseline_method, baseline_computed_at,
                                              baseline_note, valid_from, valid_to, source, source_ref, reason, created_by_name)
                select ?, 'LIMIT', 10, ?, 'MANUAL', now(), '演示：按额定生产能力核定', now() - interval '1 hour',
                       now() + interval '30 days', 'OTHER', 'DEMO-LIMIT', '演示：限产令（该企业已落实）', 'demo'
                where not exists (select 1 from production_order where enterprise_id = ? and source_ref = 'DEMO-LIMIT')""",
                enterprise, round(rated), enterprise);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

package com.powerwatch.platform.demo;

import com.powerwatch.simulator.FactorFamily;
import com.powerwatch.simulator.FacilityKind;
import com.powerwatch.simulator.LoggerInfo;
import com.powerwatch.simulator.MeterInfo;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Registers a simulated fleet in the registry so that the real-time state has something to show: one
 * enterprise per logger (Xi'an districts, a few manufacturing industries), its facilities with thresholds
 * derived from rated power, a data logger per MN, one point per meter and production↔treatment
 * associations. Idempotent: natural keys (credit code, facility name, MN, MN + channel) make a restart
 * find what is there.
 */
public final class DemoRegistry {

    /** GB/T 2260 rows the demo needs (the registry seeds the full list). */
    static final String[][] REGIONS = {
            {"610000", "陕西省", "1", null}, {"610100", "西安市", "2", "610000"},
            {"610102", "新城区", "3", "610100"}, {"610103", "碑林区", "3", "610100"}, {"610104", "莲湖区", "3", "610100"},
            {"610111", "灞桥区", "3", "610100"}, {"610112", "未央区", "3", "610100"}, {"610113", "雁塔区", "3", "610100"},
            {"610114", "阎良区", "3", "610100"}, {"610115", "临潼区", "3", "610100"}, {"610116", "长安区", "3", "610100"},
            {"610117", "高陵区", "3", "610100"}, {"610118", "鄠邑区", "3", "610100"}, {"610122", "蓝田县", "3", "610100"}};

    /** GB/T 4754-2017: manufacturing and a few of its divisions. */
    static final String[][] INDUSTRIES = {
            {"C", "制造业", "1", null}, {"26", "化学原料和化学制品制造业", "2", "C"}, {"30", "非金属矿物制品业", "2", "C"},
            {"33", "金属制品业", "2", "C"}, {"36", "汽车制造业", "2", "C"}, {"39", "计算机、通信和其他电子设备制造业", "2", "C"}};

    private static final String USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] USCC_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private DemoRegistry() {
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
        return body + usccCheck(body);
    }

    /** The 18th character for 17 characters of a unified social credit code. */
    public static char usccCheck(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += USCC_CHARS.indexOf(first17.charAt(i)) * USCC_WEIGHTS[i];
        }
        int c = 31 - sum % 31;
        return USCC_CHARS.charAt(c == 31 ? 0 : c);
    }

    /** Registers every logger of the fleet; returns how many enterprises it has (new or found). */
    public static int register(JdbcTemplate jdbc, TransactionTemplate tx, List<LoggerInfo> loggers) {
        tx.executeWithoutResult(status -> {
            for (String[] r : REGIONS) {
                jdbc.update("insert into region (code, name, level, parent_code) values (?, ?, ?, ?) on conflict do nothing",
                        r[0], r[1], Short.parseShort(r[2]), r[3]);
            }
            for (String[] i : INDUSTRIES) {
                jdbc.update("insert into industry (code, name, level, parent_code) values (?, ?, ?, ?) on conflict do nothing",
                        i[0], i[1], Short.parseShort(i[2]), i[3]);
            }
            for (LoggerInfo logger : loggers) {
                registerLogger(jdbc, logger);
            }
        });
        return loggers.size();
    }

    private static void registerLogger(JdbcTemplate jdbc, LoggerInfo logger) {
        int i = logger.index();
        String district = REGIONS[2 + i % (REGIONS.length - 2)][0];
        String industry = INDUSTRIES[1 + i % (INDUSTRIES.length - 1)][0];
        String credit = creditCode(district, logger.mn().hashCode() & 0x7fffffffL);
        Long enterprise = jdbc.queryForObject("""
                insert into enterprise (name, credit_code, district_code, industry_code, permit_class)
                values (?, ?, ?, ?, 'KEY')
                on conflict (credit_code) do update set name = enterprise.name
                returning id""", Long.class, "演示企业" + (i + 1) + "号", credit, district, industry);
        jdbc.update("insert into data_logger (mn, enterprise_id, vendor, note) values (?, ?, ?, '--demo') on conflict (mn) do nothing",
                logger.mn(), enterprise, logger.family() == FactorFamily.A ? "演示厂商 A" : "演示厂商 B");
        String profile = logger.family() == FactorFamily.A ? "elec-a" : "elec-b";
        List<Long> production = new ArrayList<>();
        List<Long> treatment = new ArrayList<>();
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
                production.add(facility);
            } else if (m.kind() == FacilityKind.TREATMENT) {
                treatment.add(facility);
            }
        }
        for (Long p : production) {
            for (Long t : treatment) {
                jdbc.update("insert into facility_association (production_facility_id, treatment_facility_id) values (?, ?) on conflict do nothing", p, t);
            }
        }
        jdbc.update("delete from unregistered_mn where mn = ?", logger.mn());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

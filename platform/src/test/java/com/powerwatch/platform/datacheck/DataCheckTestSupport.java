package com.powerwatch.platform.datacheck;

import com.powerwatch.platform.PlatformIntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Shared Spring context (one boot for both data-check test classes) and helpers that build registry rows and
 * point_sample rows directly with SQL.
 */
@Import(DataCheckTestSupport.BrokenRuleConfig.class)
abstract class DataCheckTestSupport extends PlatformIntegrationTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("powerwatch.data-checks.cron", () -> "-"); // no scheduled run in the middle of a test
    }

    /** A rule that fails on demand, to prove one failing rule does not stop the others. */
    static class BrokenRule implements DataCheckRule {
        static volatile boolean fail;

        public String code() {
            return "TEST_BROKEN";
        }

        public String nameZh() {
            return "测试用故障规则";
        }

        public Category category() {
            return Category.DATA_QUALITY;
        }

        public Severity severity() {
            return Severity.INFO;
        }

        public String definition(DataCheckProperties settings) {
            return "测试用";
        }

        public List<Finding> run(CheckContext ctx) {
            if (fail) {
                throw new IllegalStateException("broken on purpose");
            }
            return List.of();
        }
    }

    @TestConfiguration
    static class BrokenRuleConfig {
        @Bean
        DataCheckRule brokenRule() {
            return new BrokenRule();
        }
    }

    static final LocalDate DAY = LocalDate.now(CheckContext.CHINA).minusDays(5);
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataCheckRunner runner;
    @Autowired
    ObjectMapper json;

    /** Regions and industries the fixtures use (the registry migration seeds none). */
    void baseData() {
        jdbc.update("""
                insert into region (code, name, level, parent_code) values
                 ('610000', '陕西省', 1, null), ('610100', '西安市', 2, '610000'), ('610112', '未央区', 3, '610100'),
                 ('610113', '雁塔区', 3, '610100'), ('610115', '临潼区', 3, '610100'), ('610116', '长安区', 3, '610100')
                on conflict do nothing""");
        jdbc.update("""
                insert into industry (code, name, level, parent_code) values
                 ('C', '制造业', 1, null), ('26', '化学原料和化学制品制造业', 2, 'C'),
                 ('261', '基础化学原料制造', 3, '26'), ('2611', '无机酸制造', 4, '261')
                on conflict do nothing""");
    }

    static OffsetDateTime at(LocalDate day, int hour, int minute) {
        return day.atTime(hour, minute).atZone(CheckContext.CHINA).toOffsetDateTime();
    }

    static String iso(LocalDate day, int hour, int minute) {
        return day.atTime(hour, minute) + ":00+08:00";
    }

    long enterprise(String district, String creditCode, String industry) {
        return jdbc.queryForObject("insert into enterprise (name, credit_code, district_code, industry_code) values (?, ?, ?, ?) returning id",
                Long.class, "企业" + SEQ.incrementAndGet(), creditCode, district, industry);
    }

    /** An enterprise with a valid credit code and a 小类 industry, nothing else. */
    long enterprise(String district) {
        String credit = ("91610000" + UUID.randomUUID().toString().replace("-", "").toUpperCase()).substring(0, 18);
        return enterprise(district, credit, "2611");
    }

    long facility(long enterprise, String kind, Double ratedKw, Double stopBelow, Double runAbove) {
        return jdbc.queryForObject("""
                insert into facility (enterprise_id, name, kind, rated_kw, stop_below, run_above)
                values (?, ?, ?, ?, ?, ?) returning id""", Long.class,
                enterprise, kind + "-" + SEQ.incrementAndGet(), kind, ratedKw, stopBelow, runAbove);
    }

    long facility(long enterprise, String kind) {
        return facility(enterprise, kind, null, 1.0, 2.0);
    }

    long point(long facility, LocalDate commissionedOn) {
        long enterprise = jdbc.queryForObject("select enterprise_id from facility where id = ?", Long.class, facility);
        String mn = "DC" + System.nanoTime() % 100000000000L + SEQ.incrementAndGet();
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?)", mn, enterprise);
        return jdbc.queryForObject("""
                insert into monitoring_point (facility_id, name, mn, channel, profile, commissioned_on)
                values (?, ?, ?, '100000', 'elec-a', ?) returning id""", Long.class,
                facility, "电表" + SEQ.incrementAndGet(), mn, commissionedOn);
    }

    long point(long facility) {
        return point(facility, null);
    }

    /** Enterprise with a total, a production and a treatment facility, each with one point and thresholds. Returns [enterprise, total, production, treatment] point ids. */
    long[] completeEnterprise(String district) {
        long e = enterprise(district);
        long total = point(facility(e, "TOTAL"));
        long production = point(facility(e, "PRODUCTION"));
        long treatment = point(facility(e, "TREATMENT"));
        return new long[] {e, total, production, treatment};
    }

    /** count samples of one point from {@code first}, one per {@code step}; p(i) and e(i) may return null. */
    void samples(long point, OffsetDateTime first, int count, Duration step, IntFunction<Double> p, IntFunction<Double> e) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Timestamp ts = Timestamp.from(first.plus(step.multipliedBy(i)).toInstant());
            rows.add(new Object[] {point, ts, p.apply(i), e.apply(i), ts});
        }
        jdbc.batchUpdate("insert into point_sample (point_id, ts, p, e, received_at) values (?, ?, ?, ?, ?)", rows);
    }

    /**
     * Hourly samples giving the point exactly {@code kwhPerDay[d]} on day {@code from + d}: one sample at 23:00 the
     * day before (register 1000), then 24 per day at 00:00 … 23:00, power {@code kw}.
     */
    void dailyEnergy(long point, LocalDate from, double kw, double... kwhPerDay) {
        double[] register = new double[kwhPerDay.length * 24 + 1];
        register[0] = 1000;
        for (int i = 1; i < register.length; i++) {
            register[i] = register[i - 1] + kwhPerDay[(i - 1) / 24] / 24;
        }
        samples(point, at(from, 0, 0).minusHours(1), register.length, Duration.ofHours(1), i -> kw, i -> register[i]);
    }

    /** Runs the rules over the enterprises for {@link #DAY}; returns the run id. */
    long run(List<String> rules, long... enterprises) {
        return run(DAY, rules, enterprises);
    }

    long run(LocalDate day, List<String> rules, long... enterprises) {
        List<Long> ids = new ArrayList<>();
        for (long id : enterprises) {
            ids.add(id);
        }
        return runner.run(DataCheckRunner.Trigger.MANUAL, day, rules, ids, "test");
    }

    record StoredFinding(String rule, long enterpriseId, String objectType, long objectId, JsonNode evidence) {
    }

    List<StoredFinding> findings(long runId) {
        return jdbc.query("select rule, enterprise_id, object_type, object_id, evidence::text from data_check_finding where run_id = ? order by id",
                (rs, i) -> {
                    try {
                        return new StoredFinding(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), json.readTree(rs.getString(5)));
                    } catch (IOException ex) {
                        throw new IllegalStateException(ex);
                    }
                }, runId);
    }

    String status(long runId) {
        return jdbc.queryForObject("select status from data_check_run where id = ?", String.class, runId);
    }
}

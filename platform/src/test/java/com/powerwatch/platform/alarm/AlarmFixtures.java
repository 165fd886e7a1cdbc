package com.powerwatch.platform.alarm;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Alarms in a district of their own, for tests that count or list them in an application context other tests
 * share: each {@link #district} is a new region under the test city 619800 (陕西省 610000), so a filter on it sees only
 * what the test made. Alarms are raised through the real {@link AlarmRecorder} at the data time given.
 */
public final class AlarmFixtures {

    public static final String TEST_CITY = "619800";

    private final JdbcTemplate jdbc;
    private final AlarmRecorder recorder;

    public AlarmFixtures(JdbcTemplate jdbc, AlarmRecorder recorder) {
        this.jdbc = jdbc;
        this.recorder = recorder;
    }

    /** A new district (6 digits, under {@link #TEST_CITY}) named {@code name}; returns its code. */
    public synchronized String district(String name) {
        jdbc.update("""
                insert into region (code, name, level, parent_code) values ('610000', '陕西省', 1, null), (?, '测试市', 2, '610000')
                on conflict do nothing""", TEST_CITY);
        String code = jdbc.queryForObject("select (coalesce(max(code::int), 619800) + 1)::text from region where code like '6198%' and code <> ?",
                String.class, TEST_CITY);
        jdbc.update("insert into region (code, name, level, parent_code) values (?, ?, 3, ?)", code, name, TEST_CITY);
        return code;
    }

    /** An enterprise in {@code district} of {@code industry} (a GB/T 4754 小类, e.g. 3360), with a unique name starting with {@code prefix}. */
    public Enterprise enterprise(String district, String industry, String prefix) {
        String name = prefix + UUID.randomUUID().toString().substring(0, 6);
        long id = jdbc.queryForObject("insert into enterprise (name, district_code, industry_code) values (?, ?, ?) returning id",
                Long.class, name, district, industry);
        long production = jdbc.queryForObject("""
                insert into facility (enterprise_id, name, kind, rated_kw, stop_below, run_above) values (?, '1#喷涂线', 'PRODUCTION', 55, 2, 5)
                returning id""", Long.class, id);
        long treatment = jdbc.queryForObject("""
                insert into facility (enterprise_id, name, kind, rated_kw, stop_below, run_above) values (?, '活性炭吸附', 'TREATMENT', 15, 0.5, 1)
                returning id""", Long.class, id);
        return new Enterprise(id, name, district, production, treatment);
    }

    public record Enterprise(long id, String name, String district, long productionId, long treatmentId) {
    }

    /**
     * Raises an alarm of {@code type} on the enterprise's treatment facility at data time {@code at}, with evidence
     * as the engine words it (the treatment and its production facility); returns its id.
     */
    public long raise(Enterprise e, String type, AlarmLevel level, Instant at) {
        String subject = "facility:" + e.treatmentId() + ":" + UUID.randomUUID();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("facilityId", e.treatmentId());
        evidence.put("facility", "活性炭吸附");
        evidence.put("quantity", "P");
        evidence.put("value", 0.0);
        evidence.put("runAbove", 1.0);
        evidence.put("firstAbnormalAt", at.toString());
        evidence.put("production", List.of(Map.of("facilityId", e.productionId(), "facility", "1#喷涂线", "quantity", "P",
                "value", 42.5, "runAbove", 5.0)));
        evidence.put("message", "[1#喷涂线]实时功率为42.5kW，启停阈值为5kW，属于正常生产状态，关联的治污设施[活性炭吸附]实时功率为0kW，"
                + "启停阈值为1kW，治污设施运行中停运，首次异常时间：" + at);
        recorder.raise(new AlarmSignal(type, subject, e.id(), e.treatmentId(), null, null, level, at, evidence));
        return jdbc.queryForObject("select id from alarm where subject_key = ?", Long.class, subject);
    }
}

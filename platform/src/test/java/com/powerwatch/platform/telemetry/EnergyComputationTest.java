package com.powerwatch.platform.telemetry;

import com.powerwatch.hj212.Cp;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Energy from cumulative registers, frames sent through the gateway: resets, rollovers, negative jumps, late data, replay. */
class EnergyComputationTest extends TelemetryTestSupport {

    private static final LocalDateTime T0 = LocalDateTime.of(2026, 11, 21, 10, 0);

    /** A registered elec-a point on its own logger; returns {point id, mn}. */
    private Object[] meter() {
        String mn = uniqueMn("ENERGYMN");
        long e = enterprise("610113", "33");
        long f = facility(e, "TOTAL", 5.0, 10.0, null);
        logger(mn, e);
        long p = point(f, mn, "100000", "elec-a", 1, 1);
        registry.refresh();
        return new Object[]{p, mn};
    }

    private void sendEnergy(String mn, int minute, double ept) throws Exception {
        send(mn, "2011", T0.plusMinutes(minute), meterA(Cp.builder(), "100000", 20, ept, 220, "N"));
    }

    private Map<String, Object> agg(long point, String grain, LocalDateTime bucket) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select energy, e_last, rollovers, resets, negative_jumps, n, updated_at from point_agg
                where point_id = ? and grain = ? and bucket = ?::timestamp at time zone 'Asia/Shanghai'""",
                point, grain, bucket.toString());
        return rows.isEmpty() ? null : rows.get(0);
    }

    private double energy(long point, String grain, LocalDateTime bucket) {
        Map<String, Object> a = agg(point, grain, bucket);
        return a == null || a.get("energy") == null ? Double.NaN : ((Number) a.get("energy")).doubleValue();
    }

    private void awaitSamples(long point, int n) throws InterruptedException {
        await(n + " samples of point " + point, () -> jdbc.queryForObject(
                "select count(*) from point_sample where point_id = ?", Integer.class, point) == n);
        await("aggregates of point " + point, () -> agg(point, "1d", T0.toLocalDate().atStartOfDay()) != null
                && ((Number) agg(point, "1d", T0.toLocalDate().atStartOfDay()).get("n")).intValue() == n);
    }

    @Test
    void aCounterResetCountsTheValueAfterItAndIsCounted() throws Exception {
        Object[] m = meter();
        long p = (Long) m[0];
        double[] registers = {1000, 1010, 1020, 2, 12, 22};
        for (int i = 0; i < registers.length; i++) {
            sendEnergy((String) m[1], i, registers[i]);
        }
        awaitSamples(p, 6);
        assertEquals(42.0, energy(p, "15m", T0), 1e-9, "10 + 10 + 2 (after the reset) + 10 + 10");
        assertEquals(1, ((Number) agg(p, "15m", T0).get("resets")).intValue());
        assertEquals(42.0, energy(p, "1h", T0), 1e-9);
        assertEquals(42.0, energy(p, "1d", T0.toLocalDate().atStartOfDay()), 1e-9);
        assertEquals(22.0, ((Number) agg(p, "1d", T0.toLocalDate().atStartOfDay()).get("e_last")).doubleValue());

        Map<?, ?> api = http.getForObject("/api/history/energy?subject=point&id=" + p + "&from=2026-11-21&to=2026-11-22&period=day", Map.class);
        Map<?, ?> day = (Map<?, ?>) ((List<?>) api.get("periods")).get(0);
        assertEquals("2026-11-21", day.get("period"));
        assertEquals(42.0, ((Number) day.get("energy")).doubleValue(), 1e-9);
        assertEquals(1, day.get("resets"));
        assertEquals(0, day.get("negativeJumps"));
    }

    @Test
    void aRolloverAtAPowerOfTenAddsTheWrappedAmount() throws Exception {
        Object[] m = meter();
        long p = (Long) m[0];
        double[] registers = {999_990, 999_995, 3, 8};
        for (int i = 0; i < registers.length; i++) {
            sendEnergy((String) m[1], i, registers[i]);
        }
        awaitSamples(p, 4);
        assertEquals(5 + 8 + 5, energy(p, "15m", T0), 1e-6, "5, then 1,000,000 − 999,995 + 3, then 5");
        Map<String, Object> a = agg(p, "15m", T0);
        assertEquals(1, ((Number) a.get("rollovers")).intValue());
        assertEquals(0, ((Number) a.get("resets")).intValue());
    }

    @Test
    void aNegativeJumpIsFlaggedNotSummed() throws Exception {
        Object[] m = meter();
        long p = (Long) m[0];
        double[] registers = {5000, 5010, 4000, 4010};
        for (int i = 0; i < registers.length; i++) {
            sendEnergy((String) m[1], i, registers[i]);
        }
        awaitSamples(p, 4);
        assertEquals(20.0, energy(p, "15m", T0), 1e-9);
        Map<String, Object> day = agg(p, "1d", T0.toLocalDate().atStartOfDay());
        assertEquals(1, ((Number) day.get("negative_jumps")).intValue());
        assertEquals(0, ((Number) day.get("resets")).intValue());
        assertEquals(0, ((Number) day.get("rollovers")).intValue());
    }

    @Test
    void aLateSampleReaggregatesItsBucketAndTheNextOne() throws Exception {
        Object[] m = meter();
        long p = (Long) m[0];
        String mn = (String) m[1];
        sendEnergy(mn, 10, 100);  // 10:10, bucket 10:00
        sendEnergy(mn, 20, 130);  // 10:20, bucket 10:15
        awaitSamples(p, 2);
        assertEquals(0.0, energy(p, "15m", T0), 1e-9);
        assertEquals(30.0, energy(p, "15m", T0.plusMinutes(15)), 1e-9);

        sendEnergy(mn, 14, 120);  // late: 10:14
        awaitSamples(p, 3);
        await("the next bucket recomputed", () -> Math.abs(energy(p, "15m", T0.plusMinutes(15)) - 10.0) < 1e-9);
        assertEquals(20.0, energy(p, "15m", T0), 1e-9);
        assertEquals(30.0, energy(p, "1h", T0), 1e-9, "the hour total is unchanged");
    }

    @Test
    void replayingTheSameFramesChangesNothing() throws Exception {
        Object[] m = meter();
        long p = (Long) m[0];
        String mn = (String) m[1];
        double[] registers = {500, 510, 2, 7, 999_999 - 999_000};
        for (int i = 0; i < registers.length; i++) {
            sendEnergy(mn, i * 7, registers[i]);
        }
        awaitSamples(p, 5);
        List<Map<String, Object>> aggBefore = jdbc.queryForList("select * from point_agg where point_id = ? order by grain, bucket", p);
        List<Map<String, Object>> samplesBefore = jdbc.queryForList("select * from point_sample where point_id = ? order by ts", p);
        long written = consumer.stats().samplesWritten();

        for (int i = 0; i < registers.length; i++) {
            sendEnergy(mn, i * 7, registers[i]); // the device re-sends everything
        }
        Object[] marker = meter();
        sendEnergy((String) marker[1], 0, 1);
        await("the marker behind the replay", () -> jdbc.queryForObject(
                "select count(*) from point_sample where point_id = ?", Integer.class, marker[0]) == 1);

        assertEquals(samplesBefore, jdbc.queryForList("select * from point_sample where point_id = ? order by ts", p));
        assertEquals(aggBefore, jdbc.queryForList("select * from point_agg where point_id = ? order by grain, bucket", p),
                "no aggregate row rewritten (updated_at included)");
        assertEquals(written + 1, consumer.stats().samplesWritten(), "only the marker was written");
        assertNotNull(agg(p, "15m", T0));
    }
}

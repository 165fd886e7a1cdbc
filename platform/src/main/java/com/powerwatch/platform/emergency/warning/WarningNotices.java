package com.powerwatch.platform.emergency.warning;

import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.AlarmProperties;
import com.powerwatch.platform.alarm.Notification;
import com.powerwatch.platform.alarm.NotificationEvent;
import com.powerwatch.platform.alarm.Notifier;
import com.powerwatch.platform.auth.ContactDetails;
import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.EmergencyProperties;
import com.powerwatch.platform.emergency.Measure;
import com.powerwatch.platform.emergency.Times;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells the enterprises concerned and the district officers of a warning's districts what a warning change means for
 * them, through the alarm notifier's channels (in-app inbox always; SMS, e-mail and robots when configured with the
 * event EMERGENCY). Queued while the notifier holds less than {@code notify-queue-share} of its capacity, so that
 * thousands of enterprises do not overflow it.
 */
@Component
class WarningNotices {

    static final String TYPE = "EMERGENCY_WARNING";
    static final String TYPE_NAME = "重污染天气应急";

    private final NamedParameterJdbcTemplate jdbc;
    private final Notifier notifier;
    private final int queueLimit;

    WarningNotices(NamedParameterJdbcTemplate jdbc, Notifier notifier, AlarmProperties alarm, EmergencyProperties settings) {
        this.jdbc = jdbc;
        this.notifier = notifier;
        this.queueLimit = Math.max(1, (int) (alarm.notifications().queueCapacity() * settings.notifyQueueShare()));
    }

    /** One change of a warning, as the notices tell it. */
    private record Change(String kind, Instant effectiveAt, EmergencyLevel levelAfter, Instant endsAfter, String document,
                          EmergencyLevel level, Instant startsAt, Instant endsAt) {
    }

    void announce(long warningId, long changeId) {
        Change c = jdbc.queryForObject("""
                select c.kind, c.effective_at, c.level_after, c.ends_after, coalesce(c.document, w.document) as document,
                       w.level, w.starts_at, w.ends_at
                from emergency_warning_change c join emergency_warning w on w.id = c.warning_id where c.id = :c""",
                Map.of("c", changeId), (rs, i) -> new Change(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        rs.getString(3) == null ? null : EmergencyLevel.valueOf(rs.getString(3)),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant(), rs.getString(5),
                        EmergencyLevel.valueOf(rs.getString(6)), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant()));
        EmergencyLevel level = c.levelAfter() != null ? c.levelAfter() : c.level();
        String what = headline(c, level);
        boolean opening = List.of("START", "UPGRADE", "DOWNGRADE").contains(c.kind());
        // the enterprises: with their new measure (start, level change) or the change of their measure's period
        List<Map<String, Object>> concerned = jdbc.queryForList("""
                select m.enterprise_id, e.name, e.district_code, m.measure, m.limit_percent, m.facility_ids, m.valid_from, m.valid_to
                from emergency_measure m join enterprise e on e.id = m.enterprise_id
                where m.warning_id = :w and (case when :opening then m.valid_from = :at and m.status = 'ACTIVE'
                                                  else m.valid_to = :ends or m.status = 'CANCELLED' end)
                order by m.enterprise_id""", new MapSqlParameterSource("w", warningId).addValue("opening", opening)
                .addValue("at", Timestamp.from(c.effectiveAt())).addValue("ends", Timestamp.from(c.endsAfter() != null ? c.endsAfter() : c.endsAt())));
        // the people and phones of all concerned enterprises in three queries (a city-wide warning concerns thousands)
        List<Long> ids = concerned.stream().map(e -> ((Number) e.get("enterprise_id")).longValue()).distinct().toList();
        Map<Long, List<Long>> usersOf = new HashMap<>();
        Map<Long, List<String>> phonesOf = new HashMap<>();
        for (int i = 0; i < ids.size(); i += 5000) {
            List<Long> chunk = ids.subList(i, Math.min(ids.size(), i + 5000));
            jdbc.query("select enterprise_id, id from app_user where enterprise_id in (:e) and enabled order by id", Map.of("e", chunk),
                    rs -> { usersOf.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getLong(2)); });
            jdbc.query("""
                    select distinct e.id, c ->> 'phone' from enterprise e, jsonb_array_elements(e.contacts) c
                    where e.id in (:e) and coalesce(c ->> 'phone', '') <> ''""", Map.of("e", chunk),
                    rs -> { phonesOf.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2)); });
        }
        Map<Long, ContactDetails> contacts = contacts(usersOf.values().stream().flatMap(List::stream).toList());
        Map<String, int[]> perDistrict = new LinkedHashMap<>();
        for (Map<String, Object> e : concerned) {
            long enterpriseId = ((Number) e.get("enterprise_id")).longValue();
            Measure m = Measure.valueOf((String) e.get("measure"));
            String district = (String) e.get("district_code");
            int[] n = perDistrict.computeIfAbsent(district, k -> new int[3]);
            n[m.ordinal()]++;
            String duty = opening ? "贵企业须执行：" + duty(m, e) + "，执行时段 " + Times.shown(((Timestamp) e.get("valid_from")).toInstant())
                    + " 至 " + Times.shown(((Timestamp) e.get("valid_to")).toInstant()) + "。" : "";
            List<Long> users = usersOf.getOrDefault(enterpriseId, List.of());
            Map<Long, ContactDetails> theirs = new HashMap<>();
            users.forEach(u -> { if (contacts.containsKey(u)) theirs.put(u, contacts.get(u)); });
            publish(new Notification(NotificationEvent.EMERGENCY, 0, enterpriseId, (String) e.get("name"), district, TYPE, TYPE_NAME,
                    "EMERGENCY", alarmLevel(level), "【" + level.label() + "预警】" + what + " - " + e.get("name"),
                    what + "。" + duty + reference(c), users, phonesOf.getOrDefault(enterpriseId, List.of()), theirs));
        }
        // the district officers of each district: how many of their enterprises do what
        Map<String, String> names = new HashMap<>();
        jdbc.query("""
                select d.district_code, r.name from emergency_warning_district d join region r on r.code = d.district_code
                where d.warning_id = :w""", Map.of("w", warningId), rs -> { names.put(rs.getString(1), rs.getString(2)); });
        Map<Long, List<String>> officerPrefixes = new HashMap<>();
        jdbc.query("""
                select u.id, r.region_code from app_user u join app_user_region r on r.user_id = u.id
                where u.role = 'DISTRICT_OFFICER' and u.enabled""", rs -> {
            officerPrefixes.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                    .add(com.powerwatch.platform.auth.AccessScope.regionPrefix("region", rs.getString(2)));
        });
        for (Map.Entry<String, String> d : names.entrySet()) {
            List<Long> officers = officerPrefixes.entrySet().stream()
                    .filter(o -> o.getValue().stream().anyMatch(d.getKey()::startsWith)).map(Map.Entry::getKey).sorted().toList();
            if (officers.isEmpty()) {
                continue;
            }
            int[] n = perDistrict.getOrDefault(d.getKey(), new int[3]);
            String counts = opening ? "本区县参与企业 " + (n[0] + n[1] + n[2]) + " 家：停产 " + n[0] + " 家、限产 " + n[1] + " 家、自主减排 "
                    + n[2] + " 家，请督促落实并关注应急看板。" : "本区县涉及企业 " + (n[0] + n[1] + n[2]) + " 家。";
            publish(new Notification(NotificationEvent.EMERGENCY, 0, 0, d.getValue(), d.getKey(), TYPE, TYPE_NAME, "EMERGENCY",
                    alarmLevel(level), "【" + level.label() + "预警】" + what + " - " + d.getValue(), what + "。" + counts + reference(c),
                    officers, List.of(), contacts(officers)));
        }
    }

    private static String headline(Change c, EmergencyLevel level) {
        return switch (c.kind()) {
            case "START" -> "重污染天气" + level.label() + "预警（" + level.response() + "响应）自" + Times.shown(c.startsAt()) + "至"
                    + Times.shown(c.endsAt()) + "启动";
            case "UPGRADE" -> "重污染天气预警自" + Times.shown(c.effectiveAt()) + "起升级为" + level.label() + "预警（" + level.response() + "响应）";
            case "DOWNGRADE" -> "重污染天气预警自" + Times.shown(c.effectiveAt()) + "起降级为" + level.label() + "预警（" + level.response() + "响应）";
            case "EXTEND" -> "重污染天气" + level.label() + "预警延长至" + Times.shown(c.endsAfter());
            case "SHORTEN" -> "重污染天气" + level.label() + "预警提前至" + Times.shown(c.endsAfter()) + "结束";
            case "LIFT" -> "重污染天气" + level.label() + "预警于" + Times.shown(c.effectiveAt()) + "解除，限停产措施同时结束";
            default -> "重污染天气" + level.label() + "预警已结束";
        };
    }

    private static String reference(Change c) {
        return c.document() == null ? "" : "（" + c.document() + "）";
    }

    private static String duty(Measure m, Map<String, Object> e) {
        Object ids = e.get("facility_ids");
        String where = ids == null ? "整厂" : "指定生产线/设施";
        return switch (m) {
            case STOP -> where + "停产";
            case LIMIT -> where + "限产，用电较基线削减不少于 " + ((java.math.BigDecimal) e.get("limit_percent")).stripTrailingZeros().toPlainString() + "%";
            case SELF -> "自主减排";
        };
    }

    static AlarmLevel alarmLevel(EmergencyLevel level) {
        return switch (level) {
            case RED -> AlarmLevel.LEVEL_1;
            case ORANGE -> AlarmLevel.LEVEL_2;
            case YELLOW -> AlarmLevel.LEVEL_3;
        };
    }

    private void publish(Notification n) {
        while (notifier.pending() >= queueLimit) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        notifier.publish(n);
    }

    private Map<Long, ContactDetails> contacts(List<Long> userIds) {
        Map<Long, ContactDetails> out = new HashMap<>();
        for (int i = 0; i < userIds.size(); i += 5000) {
            jdbc.query("select id, phone, email from app_user where id in (:ids) and (phone is not null or email is not null)",
                    Map.of("ids", userIds.subList(i, Math.min(userIds.size(), i + 5000))),
                    rs -> { out.put(rs.getLong(1), new ContactDetails(rs.getString(2), rs.getString(3))); });
        }
        return out;
    }
}

package com.powerwatch.platform.emergency.rotation;

import com.powerwatch.platform.analysis.ProductionBaseline;
import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.Times;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * 轮循: which rotatable enterprises carry a level's measures at one activation (domain notes §2, the 2019 national
 * requirement). ORDER: candidates (participating, rotatable STOP / LIMIT plans of the level in the warning's districts)
 * ordered by times limited this season, then last limited date (never first), then grade D → C → B → others, then
 * enterprise id; taken until the target is met. GROUPS: the next group (by name) after the one the season's previous
 * activation picked; rotatable plans without a group are always picked. Plans that are not rotatable always apply.
 */
@Service
public class Rotation {

    /** One candidate with its place in the order. */
    public record Candidate(long enterpriseId, String enterpriseName, String districtName, long planId, String grade, String group,
                            int timesLimited, Instant lastLimitedAt, double ratedKw, Double baselineKw, double weight) {
    }

    /** The outcome: candidates in order and whom it picked. */
    public record Picks(List<Candidate> ordered, Set<Long> picked, Set<Long> skipped, String group) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final RotationSettings settings;
    private final ProductionBaseline baselines;

    Rotation(NamedParameterJdbcTemplate jdbc, RotationSettings settings, ProductionBaseline baselines) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.baselines = baselines;
    }

    /**
     * Picks for an activation of {@code level} (plans of {@code planYear}) at {@code at} in {@code districts}; a
     * warning ({@code warningId}, may be null for a preview) does not count against itself. Null when the level has no
     * enabled rotation.
     */
    public Picks pick(int planYear, EmergencyLevel level, Instant at, Collection<String> districts, Long warningId) {
        RotationSettings.Setting s = settings.find(planYear, level);
        if (s == null || !s.enabled()) {
            return null;
        }
        List<Candidate> ordered = candidates(s, at, districts, warningId);
        Set<Long> picked = new LinkedHashSet<>();
        String group = null;
        if (s.mode() == RotationSettings.Mode.ORDER) {
            double sum = 0;
            for (Candidate c : ordered) {
                if (sum >= s.targetValue()) {
                    break;
                }
                picked.add(c.enterpriseId());
                sum += c.weight();
            }
        } else {
            TreeSet<String> groups = new TreeSet<>();
            ordered.stream().map(Candidate::group).filter(g -> g != null).forEach(groups::add);
            String last = lastGroup(s, at, warningId);
            group = groups.isEmpty() ? null : last == null || groups.higher(last) == null ? groups.first() : groups.higher(last);
            for (Candidate c : ordered) {
                if (c.group() == null || c.group().equals(group)) {
                    picked.add(c.enterpriseId());
                }
            }
        }
        Set<Long> skipped = new LinkedHashSet<>();
        ordered.forEach(c -> { if (!picked.contains(c.enterpriseId())) skipped.add(c.enterpriseId()); });
        return new Picks(ordered, picked, skipped, group);
    }

    /** Writes the ledger of one activation (every candidate, its rank and whether it was picked). */
    public void record(long warningId, long changeId, Picks picks) {
        List<MapSqlParameterSource> rows = new ArrayList<>();
        int rank = 1;
        for (Candidate c : picks.ordered()) {
            rows.add(new MapSqlParameterSource("w", warningId).addValue("c", changeId).addValue("e", c.enterpriseId())
                    .addValue("p", c.planId()).addValue("rank", rank++).addValue("times", c.timesLimited())
                    .addValue("last", c.lastLimitedAt() == null ? null : Timestamp.from(c.lastLimitedAt())).addValue("grade", c.grade())
                    .addValue("group", c.group()).addValue("weight", c.weight()).addValue("picked", picks.picked().contains(c.enterpriseId())));
        }
        jdbc.batchUpdate("""
                insert into emergency_rotation_pick (warning_id, change_id, enterprise_id, plan_id, rank, times_limited, last_limited_at,
                                                     grade, rotation_group, weight, picked)
                values (:w, :c, :e, :p, :rank, :times, :last, :grade, :group, :weight, :picked)""",
                rows.toArray(MapSqlParameterSource[]::new));
    }

    List<Candidate> candidates(RotationSettings.Setting s, Instant at, Collection<String> districts, Long warningId) {
        MapSqlParameterSource p = new MapSqlParameterSource("year", s.year()).addValue("level", s.level().name())
                .addValue("districts", districts.isEmpty() ? List.of("-") : districts)
                .addValue("season", season(s, at))
                .addValue("at", Timestamp.from(at)).addValue("w", warningId == null ? -1L : warningId)
                .addValue("factor", baselines.settings().ratedLoadFactor());
        RotationSettings.Target target = s.targetKind();
        return jdbc.query("""
                with cand as (
                  select p.id as plan_id, p.enterprise_id, e.name, r.name as district_name, p.grade, p.rotation_group, p.baseline_kw,
                         coalesce((select sum(pf.rated_kw) from emergency_plan_facility pf where pf.plan_id = p.id), 0) as rated
                  from emergency_plan p join enterprise e on e.id = p.enterprise_id left join region r on r.code = e.district_code
                  where p.year = :year and p.level = :level and p.participates and p.rotatable and p.measure in ('STOP', 'LIMIT')
                    and e.status = 'ACTIVE' and e.district_code in (:districts)),
                hist as (
                  select m.enterprise_id, count(distinct m.warning_id) as n, max(m.valid_from) as last
                  from emergency_measure m
                  where m.status = 'ACTIVE' and m.measure in ('STOP', 'LIMIT') and m.valid_from >= :season and m.valid_from < :at
                    and m.warning_id <> :w and m.enterprise_id in (select enterprise_id from cand)
                  group by 1)
                select c.*, coalesce(h.n, 0) as times, h.last from cand c left join hist h on h.enterprise_id = c.enterprise_id
                order by coalesce(h.n, 0), h.last nulls first,
                         case c.grade when 'D' then 0 when 'C' then 1 when 'B' then 2 else 3 end, c.enterprise_id""", p, (rs, i) -> {
            double rated = rs.getDouble("rated");
            Double typed = (Double) rs.getObject("baseline_kw");
            double weight = switch (target) {
                case COUNT -> 1;
                case CAPACITY -> rated;
                case BASELINE -> typed != null ? typed : rated * baselines.settings().ratedLoadFactor();
            };
            Timestamp last = rs.getTimestamp("last");
            return new Candidate(rs.getLong("enterprise_id"), rs.getString("name"), rs.getString("district_name"), rs.getLong("plan_id"),
                    rs.getString("grade"), rs.getString("rotation_group"), rs.getInt("times"), last == null ? null : last.toInstant(),
                    rated, typed, weight);
        });
    }

    /** The start of the season {@code at} lies in (China time). */
    static Timestamp season(RotationSettings.Setting s, Instant at) {
        return Timestamp.from(s.seasonOf(at.atZone(Times.CHINA).toLocalDate()).atStartOfDay(Times.CHINA).toInstant());
    }

    /** The group the season's latest earlier activation of this level picked (GROUPS mode), or null. */
    private String lastGroup(RotationSettings.Setting s, Instant at, Long warningId) {
        List<String> g = jdbc.queryForList("""
                select k.rotation_group from emergency_rotation_pick k join emergency_warning_change c on c.id = k.change_id
                join emergency_warning w on w.id = k.warning_id
                where k.picked and k.rotation_group is not null and w.plan_year = :year and c.level_after = :level
                  and c.effective_at >= :season and c.effective_at < :at and k.warning_id <> :w
                order by c.effective_at desc, c.id desc limit 1""",
                new MapSqlParameterSource("year", s.year()).addValue("level", s.level().name())
                        .addValue("season", season(s, at))
                        .addValue("at", Timestamp.from(at)).addValue("w", warningId == null ? -1L : warningId), String.class);
        return g.isEmpty() ? null : g.get(0);
    }

    /** The ledger of a warning: every activation's candidates in order. */
    public List<Map<String, Object>> ledger(long warningId) {
        return jdbc.query("""
                select k.*, e.name, e.district_code, r.name as district_name, c.kind, c.effective_at, c.level_after
                from emergency_rotation_pick k join enterprise e on e.id = k.enterprise_id left join region r on r.code = e.district_code
                join emergency_warning_change c on c.id = k.change_id
                where k.warning_id = :w order by k.change_id, k.rank""", Map.of("w", warningId), (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getLong("id"));
            m.put("changeId", rs.getLong("change_id"));
            m.put("changeKind", rs.getString("kind"));
            m.put("level", rs.getString("level_after"));
            m.put("effectiveAt", Times.china(rs.getTimestamp("effective_at")));
            m.put("rank", rs.getInt("rank"));
            m.put("enterpriseId", rs.getLong("enterprise_id"));
            m.put("enterpriseName", rs.getString("name"));
            m.put("districtCode", rs.getString("district_code"));
            m.put("districtName", rs.getString("district_name"));
            m.put("grade", rs.getString("grade"));
            m.put("group", rs.getString("rotation_group"));
            m.put("timesLimited", rs.getInt("times_limited"));
            m.put("lastLimitedAt", Times.china(rs.getTimestamp("last_limited_at")));
            m.put("weight", rs.getObject("weight"));
            m.put("picked", rs.getBoolean("picked"));
            m.put("overriddenAt", Times.china(rs.getTimestamp("overridden_at")));
            m.put("overrideBy", rs.getString("override_by"));
            m.put("overrideReason", rs.getString("override_reason"));
            return m;
        });
    }
}

package com.powerwatch.platform.datacheck.rule;

import com.powerwatch.platform.datacheck.Category;
import com.powerwatch.platform.datacheck.CheckContext;
import com.powerwatch.platform.datacheck.CheckSql;
import com.powerwatch.platform.datacheck.DataCheckProperties;
import com.powerwatch.platform.datacheck.Severity;
import com.powerwatch.platform.datacheck.SqlCheckRule;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;

import static com.powerwatch.platform.datacheck.CheckSql.iso;
import static com.powerwatch.platform.datacheck.CheckSql.num;

/**
 * 联网后无上报数据: a point with a go-live date (commissioned_on, 00:00 China time) at least silence-limit before the
 * check time, and either no sample in the silence-limit up to the check time (NEVER_REPORTED / SILENT), or — reported
 * once, on the check day in which the go-live deadline falls — no sample within silence-limit after go-live
 * (LATE_FIRST_REPORT). Any sample counts, flagged invalid or not: the question is whether data arrives.
 */
@Component
class NoDataAfterGoLiveRule extends SqlCheckRule {

    NoDataAfterGoLiveRule(NamedParameterJdbcTemplate jdbc) {
        super(jdbc, "NO_DATA_AFTER_GO_LIVE", "联网后无上报数据", Category.COLLECTION_COMPLETENESS, Severity.ERROR);
    }

    @Override
    protected String sql(CheckContext ctx) {
        return """
                with %s,
                live as (
                    select cp.*, (mp.commissioned_on::timestamp at time zone 'Asia/Shanghai') as go_live
                    from checked_point cp join monitoring_point mp on mp.id = cp.point_id
                    where mp.commissioned_on is not null),
                seen as (
                    select l.*,
                           (select max(s.ts) from point_sample s where s.point_id = l.point_id
                              and s.ts < cast(:checkTime as timestamptz)) as last_at,
                           (select min(s.ts) from point_sample s where s.point_id = l.point_id and s.ts >= l.go_live
                              and s.ts < cast(:checkTime as timestamptz)) as first_at
                    from live l
                    where l.go_live + cast(:silence as interval) <= cast(:checkTime as timestamptz)),
                judged as (
                    select s.*,
                           case when s.first_at is null then 'NEVER_REPORTED'
                                when s.last_at <= cast(:checkTime as timestamptz) - cast(:silence as interval) then 'SILENT'
                                when s.go_live + cast(:silence as interval) >= cast(:dayStart as timestamptz)
                                     and s.first_at >= s.go_live + cast(:silence as interval) then 'LATE_FIRST_REPORT'
                           end as reason
                    from seen s)
                select j.enterprise_id, 'POINT' as object_type, j.point_id as object_id, j.object_name,
                       jsonb_build_object('reason', j.reason, 'goLive', %s, 'firstSampleAt', %s, 'lastSampleAt', %s,
                                          'checkTime', %s, 'silentHours', %s, 'limitHours', %s)::text as evidence
                from judged j
                where j.reason is not null
                order by j.point_id""".formatted(CheckSql.checkedPoints(ctx), iso("j.go_live"), iso("j.first_at"),
                iso("j.last_at"), iso("cast(:checkTime as timestamptz)"),
                num("extract(epoch from cast(:checkTime as timestamptz) - greatest(j.go_live, coalesce(j.last_at, j.go_live))) / 3600"),
                num("extract(epoch from cast(:silence as interval)) / 3600"));
    }

    @Override
    protected Map<String, Object> parameters(CheckContext ctx) {
        Map<String, Object> p = ctx.parameters();
        p.put("silence", ctx.settings().silenceLimit().toSeconds() + " seconds");
        return p;
    }

    @Override
    public String definition(DataCheckProperties s) {
        long h = s.silenceLimit().toHours();
        return "已设置联网日期的点位：联网后" + h + "小时内没有任何上报数据，或截至核查时间已连续" + h + "小时以上无上报数据。";
    }
}

package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Real-time state over REST and as a server-sent-event stream; every read is limited to the caller's scope. */
@RestController
@RequestMapping("/api/realtime")
class RealtimeController {

    private final RealtimeState state;
    private final RealtimeStream stream;
    private final EnterpriseAccess access;
    private final NamedParameterJdbcTemplate jdbc;

    RealtimeController(RealtimeState state, RealtimeStream stream, EnterpriseAccess access, NamedParameterJdbcTemplate jdbc) {
        this.state = state;
        this.stream = stream;
        this.access = access;
        this.jdbc = jdbc;
    }

    /** Enterprises in scope with their state and facility counts; filters district (any region level), industry, state. */
    @GetMapping("/enterprises")
    List<Map<String, Object>> enterprises(@RequestParam(required = false) String district,
                                          @RequestParam(required = false) String industry,
                                          @RequestParam(required = false) String state) {
        RealtimeState.Status wanted = null;
        if (state != null) {
            try {
                wanted = RealtimeState.Status.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("state", "状态须为 RUNNING（运行）、STOPPED（停运）、ABNORMAL（异常）、OFFLINE（离线）或 UNKNOWN（未知），收到：" + state);
            }
        }
        AccessScope scope = AccessScope.current();
        Map<String, Object> params = new HashMap<>(scope.parameters());
        StringBuilder sql = new StringBuilder("select e.id from enterprise e where " + scope.enterpriseFilter("e"));
        if (district != null) {
            sql.append(" and e.district_code like :district");
            params.put("district", AccessScope.regionPrefix("district", district) + "%");
        }
        if (industry != null) {
            sql.append(" and e.industry_code in ").append(EnterpriseAccess.INDUSTRY_TREE);
            params.put("industry", industry);
        }
        sql.append(" order by e.id");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Long id : jdbc.queryForList(sql.toString(), params, Long.class)) {
            Map<String, Object> e = this.state.enterprise(id);
            if (e != null && (wanted == null || wanted == e.get("state"))) {
                out.add(e);
            }
        }
        return out;
    }

    @GetMapping("/enterprises/{id}")
    Map<String, Object> enterprise(@PathVariable long id) {
        access.enterprise(id);
        Map<String, Object> e = state.enterpriseDetail(id);
        if (e == null) {
            throw ApiException.notFound("企业", id); // registered seconds ago: the snapshot follows shortly
        }
        return e;
    }

    @GetMapping("/points/{id}")
    Map<String, Object> point(@PathVariable long id) {
        access.point(id);
        Map<String, Object> p = state.point(id);
        if (p == null) {
            throw ApiException.notFound("监测点", id);
        }
        return p;
    }

    /** {@code text/event-stream} of point, facility and enterprise changes in scope (see docs/telemetry.md). */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream() throws IOException {
        return stream.subscribe(AccessScope.current(), AccessScope.currentUser().id());
    }
}

package com.powerwatch.platform.alarm;

import com.powerwatch.platform.analysis.ProductionBaseline;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.registry.RegistryAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Production orders (停产 / 限产 令): an enterprise, or listed production facilities of it, must stop or reduce its
 * load by a percentage between two times. An input of the analysis engine (PRODUCTION_DURING_STOP, LIMIT_NOT_KEPT),
 * entered through the API now and by the emergency module later. Orders are never deleted, only revoked.
 *
 * <p>Every order carries a baseline (what its facilities drew before it): typed by the officer (MANUAL, never
 * overwritten by the system) or computed by {@link ProductionBaseline} when the order is created without one, again
 * when the engine loads an order whose baseline is still missing (at most hourly) and once when an order whose
 * baseline was computed before its start begins (so the days just before it count).
 */
@Service
public class ProductionOrders {

    public enum Kind { STOP, LIMIT }

    public enum Source { EMERGENCY, RECTIFICATION, STAGGERED, OTHER }

    /** Body of POST /api/production-orders. facilityIds null or empty = the whole enterprise. */
    public record OrderRequest(Long enterpriseId, Kind kind, BigDecimal limitPercent, Double baselineKw, List<Long> facilityIds,
                               OffsetDateTime validFrom, OffsetDateTime validTo, Source source, String sourceRef, String reason) {
    }

    /** Body of PUT /api/production-orders/{id}/baseline: a number = typed (MANUAL); null = compute from history. */
    public record BaselineRequest(Double baselineKw) {
    }

    /**
     * An order as the engine reads it. {@code facilityIds} empty = the whole enterprise. {@code baselineKw} null = no
     * baseline could be computed; {@code baselineDays} = working days of history behind a HISTORY_30D baseline.
     */
    public record ProductionOrder(long id, long enterpriseId, Kind kind, Double limitPercent, Double baselineKw,
                                  List<Long> facilityIds, Instant validFrom, Instant validTo, Source source, String sourceRef,
                                  Double baselineDailyKwh, ProductionBaseline.Method baselineMethod, Integer baselineDays,
                                  Instant baselineComputedAt) {
    }

    public record Page(List<Map<String, Object>> items, long total, int page, int size) {
    }

    private static final String COLUMNS = """
            o.id, o.enterprise_id, e.name as enterprise_name, e.district_code, o.kind, o.limit_percent, o.baseline_kw,
            o.facility_ids, o.valid_from, o.valid_to, o.source, o.source_ref, o.reason, o.status, o.created_by_name,
            o.created_at, o.revoked_at, o.revoke_reason, o.baseline_daily_kwh, o.baseline_method, o.baseline_days,
            o.baseline_computed_at, o.baseline_note""";
    private static final String ENGINE_COLUMNS = """
            id, enterprise_id, kind, limit_percent, baseline_kw, facility_ids, valid_from, valid_to, source, source_ref,
            baseline_daily_kwh, baseline_method, baseline_days, baseline_computed_at""";
    /** A missing baseline is retried at most this often while the order is in force. */
    private static final Duration BASELINE_RETRY = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(ProductionOrders.class);
    private static final String FROM = " from production_order o join enterprise e on e.id = o.enterprise_id";

    private final NamedParameterJdbcTemplate jdbc;
    private final RegistryAccess access;
    private final AuditLog audit;
    private final ProductionBaseline baselines;
    /** Bumped after every committed write, so the engine's order cache ({@code EngineRules}) reloads at once. */
    private final AtomicLong version = new AtomicLong();

    ProductionOrders(NamedParameterJdbcTemplate jdbc, RegistryAccess access, AuditLog audit, ProductionBaseline baselines) {
        this.jdbc = jdbc;
        this.access = access;
        this.audit = audit;
        this.baselines = baselines;
    }

    /** Changes with every committed order write (create, revoke, baseline). */
    public long version() {
        return version.get();
    }

    /**
     * For the engine: the enterprises that have ACTIVE orders at all (in force or not), so that it asks
     * {@link #activeAt} for these only — a query per enterprise and data minute for a city where few have orders kept
     * the engine waiting on PostgreSQL (issue 15).
     */
    public java.util.Set<Long> enterprisesWithActiveOrders() {
        return new java.util.HashSet<>(jdbc.getJdbcTemplate().queryForList(
                "select distinct enterprise_id from production_order where status = 'ACTIVE'", Long.class));
    }

    /** For the engine: the ACTIVE orders of an enterprise in force at {@code at} (no caller scope involved). */
    public List<ProductionOrder> activeAt(long enterpriseId, Instant at) {
        List<ProductionOrder> found = jdbc.query("select " + ENGINE_COLUMNS + """
                 from production_order where enterprise_id = :e and status = 'ACTIVE' and valid_from <= :at and valid_to > :at
                order by valid_from, id""", Map.of("e", enterpriseId, "at", Timestamp.from(at)), (rs, i) -> order(rs));
        Instant now = Instant.now();
        List<ProductionOrder> out = new ArrayList<>(found.size());
        for (ProductionOrder o : found) {
            out.add(needsBaseline(o, now) ? computeBaseline(o) : o);
        }
        return out;
    }

    /**
     * A computed baseline is (re)computed when it is missing (at most every {@link #BASELINE_RETRY}), or when it was
     * computed before the order started and the order has now started. A MANUAL one never.
     */
    static boolean needsBaseline(ProductionOrder o, Instant now) {
        if (o.baselineMethod() == ProductionBaseline.Method.MANUAL) {
            return false;
        }
        Instant computed = o.baselineComputedAt();
        if (o.baselineKw() == null) {
            return computed == null || computed.isBefore(now.minus(BASELINE_RETRY));
        }
        return computed != null && computed.isBefore(o.validFrom()) && !now.isBefore(o.validFrom());
    }

    /** Computes and stores the baseline of an order the engine loaded; on any failure the order as it was. */
    private ProductionOrder computeBaseline(ProductionOrder o) {
        try {
            return storeBaseline(o, baselines.forOrder(o.enterpriseId(), o.facilityIds(), o.validFrom(), o.id()));
        } catch (RuntimeException e) {
            log.warn("production order {}: baseline not computed: {}", o.id(), e.toString());
            return o;
        }
    }

    /**
     * Computes and stores the baselines of many ACTIVE orders that are not MANUAL at once ({@link ProductionBaseline#forOrders}:
     * the emergency module's city-wide warnings); returns how many were looked at.
     */
    @Transactional
    public int refreshBaselines(List<Long> orderIds) {
        if (orderIds.isEmpty()) {
            return 0;
        }
        List<ProductionOrder> found = jdbc.query("select " + ENGINE_COLUMNS + " from production_order where id in (:ids) and status = 'ACTIVE'",
                Map.of("ids", orderIds), (rs, i) -> order(rs)).stream()
                .filter(o -> o.baselineMethod() != ProductionBaseline.Method.MANUAL).toList();
        Map<Long, ProductionBaseline.Baseline> computed = baselines.forOrders(found.stream()
                .map(o -> new ProductionBaseline.OrderScope(o.id(), o.enterpriseId(), o.facilityIds(), o.validFrom())).toList());
        storeBaselines(found, computed);
        changed();
        return found.size();
    }

    /**
     * {@link #storeBaseline} for many orders in two statements (one per outcome) instead of one per order: a city-wide
     * warning's thousands of updates were a second of the board's wait.
     */
    private void storeBaselines(List<ProductionOrder> found, Map<Long, ProductionBaseline.Baseline> computed) {
        List<Long> touched = new ArrayList<>();
        List<Timestamp> touchedAt = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<ProductionBaseline.Baseline> values = new ArrayList<>();
        for (ProductionOrder o : found) {
            ProductionBaseline.Baseline b = computed.get(o.id());
            if (b.baselineKw() == null && o.baselineKw() != null) {
                touched.add(o.id()); // a later computation found nothing: keep the earlier value
                touchedAt.add(Timestamp.from(b.computedAt()));
            } else {
                ids.add(o.id());
                values.add(b);
            }
        }
        if (!touched.isEmpty()) {
            jdbc.update("""
                    update production_order o set baseline_computed_at = v.at
                    from unnest(cast(:ids as bigint[]), cast(:at as timestamptz[])) as v(id, at)
                    where o.id = v.id and\s""" + NOT_MANUAL, new MapSqlParameterSource("ids", touched.toArray(Long[]::new))
                    .addValue("at", touchedAt.toArray(Timestamp[]::new)));
        }
        if (ids.isEmpty()) {
            return;
        }
        MapSqlParameterSource p = new MapSqlParameterSource("ids", ids.toArray(Long[]::new))
                .addValue("kw", values.stream().map(ProductionBaseline.Baseline::baselineKw).toArray(Double[]::new))
                .addValue("kwh", values.stream().map(ProductionBaseline.Baseline::baselineDailyKwh).toArray(Double[]::new))
                .addValue("m", values.stream().map(b -> b.method() == null ? null : b.method().name()).toArray(String[]::new))
                .addValue("d", values.stream().map(b -> b.method() == ProductionBaseline.Method.HISTORY_30D ? b.days() : null)
                        .toArray(Integer[]::new))
                .addValue("at", values.stream().map(b -> Timestamp.from(b.computedAt())).toArray(Timestamp[]::new))
                .addValue("note", values.stream().map(ProductionBaseline.Baseline::note).toArray(String[]::new));
        int n = jdbc.update("""
                update production_order o set baseline_kw = v.kw, baseline_daily_kwh = v.kwh, baseline_method = v.m,
                       baseline_days = v.d, baseline_computed_at = v.at, baseline_note = v.note
                from unnest(cast(:ids as bigint[]), cast(:kw as float8[]), cast(:kwh as float8[]), cast(:m as text[]),
                            cast(:d as int[]), cast(:at as timestamptz[]), cast(:note as text[])) as v(id, kw, kwh, m, d, at, note)
                where o.id = v.id and\s""" + NOT_MANUAL, p);
        log.info("baselines of {} production orders stored ({} typed meanwhile, {} found none and kept their value)",
                n, ids.size() - n, touched.size());
    }

    /** Stores a computed baseline unless it was typed meanwhile; a later "none" keeps an earlier value. */
    private ProductionOrder storeBaseline(ProductionOrder o, ProductionBaseline.Baseline b) {
        try {
            if (b.baselineKw() == null && o.baselineKw() != null) {
                // a later computation found nothing: keep the earlier value, only note that it was looked at
                jdbc.update("update production_order set baseline_computed_at = :at where id = :id and " + NOT_MANUAL,
                        new MapSqlParameterSource("at", Timestamp.from(b.computedAt())).addValue("id", o.id()));
                return o;
            }
            int n = jdbc.update("update production_order set " + BASELINE_SET + " where id = :id and " + NOT_MANUAL,
                    baselineParameters(b).addValue("id", o.id()));
            if (n == 0) {
                return o; // typed meanwhile
            }
            log.info("production order {}: baseline {} kW ({}, {} days)", o.id(), b.baselineKw(), b.method(), b.days());
            return new ProductionOrder(o.id(), o.enterpriseId(), o.kind(), o.limitPercent(), b.baselineKw(), o.facilityIds(),
                    o.validFrom(), o.validTo(), o.source(), o.sourceRef(), b.baselineDailyKwh(), b.method(), b.days(),
                    b.computedAt());
        } catch (RuntimeException e) {
            log.warn("production order {}: baseline not computed: {}", o.id(), e.toString());
            return o;
        }
    }

    private static final String BASELINE_SET = """
            baseline_kw = :baseline, baseline_daily_kwh = :dailyKwh, baseline_method = :method, baseline_days = :days,
            baseline_computed_at = :computedAt, baseline_note = :note""";
    /** A typed baseline: MANUAL, or a value without a method (entered before V14 or straight into the table). */
    private static final String NOT_MANUAL = "coalesce(baseline_method, case when baseline_kw is null then '' else 'MANUAL' end) <> 'MANUAL'";

    private static MapSqlParameterSource baselineParameters(ProductionBaseline.Baseline b) {
        return new MapSqlParameterSource().addValue("baseline", b.baselineKw()).addValue("dailyKwh", b.baselineDailyKwh())
                .addValue("method", b.method() == null ? null : b.method().name())
                .addValue("days", b.method() == ProductionBaseline.Method.HISTORY_30D ? b.days() : null)
                .addValue("computedAt", Timestamp.from(b.computedAt())).addValue("note", b.note());
    }

    private static ProductionOrder order(ResultSet rs) throws SQLException {
        Double baseline = (Double) rs.getObject("baseline_kw");
        String method = rs.getString("baseline_method");
        Timestamp computed = rs.getTimestamp("baseline_computed_at");
        return new ProductionOrder(rs.getLong("id"), rs.getLong("enterprise_id"), Kind.valueOf(rs.getString("kind")),
                rs.getBigDecimal("limit_percent") == null ? null : rs.getBigDecimal("limit_percent").doubleValue(),
                baseline, ids(rs.getArray("facility_ids")),
                rs.getTimestamp("valid_from").toInstant(), rs.getTimestamp("valid_to").toInstant(),
                Source.valueOf(rs.getString("source")), rs.getString("source_ref"),
                (Double) rs.getObject("baseline_daily_kwh"),
                method != null ? ProductionBaseline.Method.valueOf(method) : baseline != null ? ProductionBaseline.Method.MANUAL : null,
                (Integer) rs.getObject("baseline_days"), computed == null ? null : computed.toInstant());
    }

    /** Bumps {@link #version()} once the current transaction commits (at once outside one). */
    private void changed() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    version.incrementAndGet();
                }
            });
        } else {
            version.incrementAndGet();
        }
    }

    /**
     * For the emergency module, which writes a warning's orders in bulk (one statement for thousands): the engine's
     * order cache reloads once the current transaction commits.
     */
    public void changedInBulk() {
        changed();
    }

    /** GET …/active: the same, for an enterprise in the caller's scope. */
    public List<ProductionOrder> activeForCaller(long enterpriseId, Instant at) {
        access.enterprise(enterpriseId);
        return activeAt(enterpriseId, at);
    }

    @Transactional
    public Map<String, Object> create(OrderRequest r) {
        if (r == null || r.enterpriseId() == null) {
            throw ApiException.badRequest("enterpriseId", "请选择企业");
        }
        access.enterprise(r.enterpriseId());
        if (r.kind() == null) {
            throw ApiException.badRequest("kind", "请选择指令类型：STOP（停产）或 LIMIT（限产）");
        }
        if (r.kind() == Kind.LIMIT) {
            if (r.limitPercent() == null) {
                throw ApiException.badRequest("limitPercent", "限产指令须填写限产比例（要求削减的百分比，1–99）");
            }
            if (r.limitPercent().compareTo(BigDecimal.ONE) < 0 || r.limitPercent().compareTo(BigDecimal.valueOf(99)) > 0) {
                throw ApiException.badRequest("limitPercent", "限产比例须在 1 到 99 之间");
            }
        } else if (r.limitPercent() != null) {
            throw ApiException.badRequest("limitPercent", "停产指令不填写限产比例");
        }
        if (r.baselineKw() != null && !(r.baselineKw() > 0)) {
            throw ApiException.badRequest("baselineKw", "基线功率须大于 0");
        }
        if (r.validFrom() == null) {
            throw ApiException.badRequest("validFrom", "请填写开始时间");
        }
        if (r.validTo() == null) {
            throw ApiException.badRequest("validTo", "请填写结束时间");
        }
        if (!r.validFrom().isBefore(r.validTo())) {
            throw ApiException.badRequest("validTo", "结束时间须晚于开始时间");
        }
        if (r.source() == null) {
            throw ApiException.badRequest("source", "请选择指令来源：EMERGENCY（应急减排）、RECTIFICATION（停产整改）、STAGGERED（错峰生产）或 OTHER（其他）");
        }
        Long[] facilities = null;
        if (r.facilityIds() != null && !r.facilityIds().isEmpty()) {
            Set<Long> unique = new LinkedHashSet<>(r.facilityIds());
            if (unique.contains(null)) {
                throw ApiException.badRequest("facilityIds", "设施列表（facilityIds）中有空的设施编号");
            }
            List<Long> own = jdbc.queryForList("""
                    select id from facility where enterprise_id = :e and kind = 'PRODUCTION' and id in (:ids)""",
                    Map.of("e", r.enterpriseId(), "ids", unique), Long.class);
            List<Long> foreign = unique.stream().filter(id -> !own.contains(id)).toList();
            if (!foreign.isEmpty()) {
                throw ApiException.badRequest("facilityIds", "以下设施不是该企业（编号 " + r.enterpriseId() + "）的生产设施：" + foreign);
            }
            facilities = unique.toArray(Long[]::new);
        }
        PowerWatchUser user = AccessScope.currentUser();
        // a typed baseline is kept as it is; otherwise it is computed from the enterprise's history now
        ProductionBaseline.Baseline baseline = r.baselineKw() != null
                ? new ProductionBaseline.Baseline(r.baselineKw(), null, ProductionBaseline.Method.MANUAL, 0, Instant.now(), "人工录入")
                : baselines.forOrder(r.enterpriseId(), facilities == null ? List.of() : List.of(facilities),
                r.validFrom().toInstant(), null);
        MapSqlParameterSource p = baselineParameters(baseline).addValue("e", r.enterpriseId()).addValue("kind", r.kind().name())
                .addValue("limit", r.limitPercent())
                .addValue("from", Timestamp.from(r.validFrom().toInstant())).addValue("to", Timestamp.from(r.validTo().toInstant()))
                .addValue("source", r.source().name()).addValue("ref", blankToNull(r.sourceRef()))
                .addValue("reason", blankToNull(r.reason())).addValue("user", user.id()).addValue("username", user.username());
        String facilitySql = facilities == null ? "null" : "cast(:facilities as bigint[])";
        if (facilities != null) {
            p.addValue("facilities", "{" + String.join(",", Arrays.stream(facilities).map(String::valueOf).toList()) + "}");
        }
        long id = jdbc.queryForObject("""
                insert into production_order (enterprise_id, kind, limit_percent, baseline_kw, facility_ids, valid_from, valid_to,
                                              source, source_ref, reason, created_by, created_by_name, baseline_daily_kwh,
                                              baseline_method, baseline_days, baseline_computed_at, baseline_note)
                values (:e, :kind, :limit, :baseline,\s""" + facilitySql + """
                , :from, :to, :source, :ref, :reason, :user, :username, :dailyKwh, :method, :days, :computedAt, :note)
                returning id""", p, Long.class);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("enterpriseId", r.enterpriseId());
        detail.put("kind", r.kind().name());
        detail.put("limitPercent", r.limitPercent());
        detail.put("validFrom", r.validFrom().toString());
        detail.put("validTo", r.validTo().toString());
        detail.put("facilityIds", facilities == null ? null : List.of(facilities));
        detail.put("baselineKw", baseline.baselineKw());
        detail.put("baselineMethod", baseline.method() == null ? null : baseline.method().name());
        audit.record("PRODUCTION_ORDER_CREATED", "production-order:" + id, detail);
        changed();
        return get(id);
    }

    /**
     * PUT …/{id}/baseline: an officer types the baseline (MANUAL) or, with {@code baselineKw} null, has it computed
     * from history again (replacing a typed one). Only for ACTIVE orders.
     */
    @Transactional
    public Map<String, Object> setBaseline(long id, BaselineRequest r) {
        Map<String, Object> o = get(id);
        if (!"ACTIVE".equals(o.get("status"))) {
            throw AlarmHandling.conflict("该指令已撤销");
        }
        Double kw = r == null ? null : r.baselineKw();
        if (kw != null && !(kw > 0)) {
            throw ApiException.badRequest("baselineKw", "基线功率须大于 0（不填则按历史数据计算）");
        }
        @SuppressWarnings("unchecked")
        List<Long> facilities = (List<Long>) o.get("facilityIds");
        ProductionBaseline.Baseline b = kw != null
                ? new ProductionBaseline.Baseline(kw, null, ProductionBaseline.Method.MANUAL, 0, Instant.now(), "人工录入")
                : baselines.forOrder(((Number) o.get("enterpriseId")).longValue(), facilities,
                ((OffsetDateTime) o.get("validFrom")).toInstant(), id);
        jdbc.update("update production_order set " + BASELINE_SET + " where id = :id", baselineParameters(b).addValue("id", id));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("baselineKw", b.baselineKw());
        detail.put("baselineMethod", b.method() == null ? null : b.method().name());
        detail.put("before", o.get("baselineKw"));
        audit.record("PRODUCTION_ORDER_BASELINE_SET", "production-order:" + id, detail);
        changed();
        return get(id);
    }

    @Transactional
    public Map<String, Object> revoke(long id, String reason) {
        Map<String, Object> o = get(id);
        if (!"ACTIVE".equals(o.get("status"))) {
            throw AlarmHandling.conflict("该指令已撤销");
        }
        PowerWatchUser user = AccessScope.currentUser();
        jdbc.update("update production_order set status = 'REVOKED', revoked_at = now(), revoked_by = :user, revoke_reason = :reason"
                + " where id = :id", new MapSqlParameterSource().addValue("id", id).addValue("user", user.id())
                .addValue("reason", blankToNull(reason)));
        audit.record("PRODUCTION_ORDER_REVOKED", "production-order:" + id, reason == null ? Map.of() : Map.of("reason", reason));
        changed();
        return get(id);
    }

    /** One order in the caller's scope (404 / 403). */
    public Map<String, Object> get(long id) {
        List<Map<String, Object>> found = jdbc.query("select " + COLUMNS + FROM + " where o.id = :id", Map.of("id", id),
                (rs, i) -> row(rs));
        if (found.isEmpty()) {
            throw ApiException.notFound("限停产指令", id);
        }
        Map<String, Object> o = found.get(0);
        AccessScope.current().require((String) o.get("districtCode"), ((Number) o.get("enterpriseId")).longValue());
        return o;
    }

    public Page list(Long enterpriseId, String district, String kind, String status, String activeAt, int page, int size) {
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters());
        StringBuilder w = new StringBuilder(" where ").append(scope.enterpriseFilter("e"));
        if (enterpriseId != null) {
            w.append(" and o.enterprise_id = :enterpriseId");
            p.addValue("enterpriseId", enterpriseId);
        }
        if (district != null && !district.isBlank()) {
            w.append(" and e.district_code like :district");
            p.addValue("district", AccessScope.regionPrefix("district", district) + "%");
        }
        if (kind != null && !kind.isBlank()) {
            w.append(" and o.kind = :kind");
            p.addValue("kind", kind.trim());
        }
        if (status != null && !status.isBlank()) {
            w.append(" and o.status = :status");
            p.addValue("status", status.trim());
        }
        if (activeAt != null && !activeAt.isBlank()) {
            w.append(" and o.status = 'ACTIVE' and o.valid_from <= :at and o.valid_to > :at");
            p.addValue("at", Timestamp.from(AlarmQueries.parseTime("activeAt", activeAt).toInstant()));
        }
        int safeSize = Math.max(1, Math.min(size, 500));
        int safePage = Math.max(0, page);
        p.addValue("limit", safeSize).addValue("offset", (long) safePage * safeSize);
        Long total = jdbc.queryForObject("select count(*)" + FROM + w, p, Long.class);
        List<Map<String, Object>> items = jdbc.query("select " + COLUMNS + FROM + w
                + " order by o.valid_from desc, o.id desc limit :limit offset :offset", p, (rs, i) -> row(rs));
        return new Page(items, total == null ? 0 : total, safePage, safeSize);
    }

    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getLong("id"));
        m.put("enterpriseId", rs.getLong("enterprise_id"));
        m.put("enterpriseName", rs.getString("enterprise_name"));
        m.put("districtCode", rs.getString("district_code"));
        m.put("kind", rs.getString("kind"));
        m.put("limitPercent", rs.getBigDecimal("limit_percent"));
        m.put("baselineKw", rs.getObject("baseline_kw"));
        m.put("facilityIds", ids(rs.getArray("facility_ids")));
        m.put("validFrom", AlarmQueries.time(rs.getTimestamp("valid_from")));
        m.put("validTo", AlarmQueries.time(rs.getTimestamp("valid_to")));
        m.put("source", rs.getString("source"));
        m.put("sourceRef", rs.getString("source_ref"));
        m.put("reason", rs.getString("reason"));
        m.put("status", rs.getString("status"));
        m.put("createdBy", rs.getString("created_by_name"));
        m.put("createdAt", AlarmQueries.time(rs.getTimestamp("created_at")));
        m.put("revokedAt", AlarmQueries.time(rs.getTimestamp("revoked_at")));
        m.put("revokeReason", rs.getString("revoke_reason"));
        String method = rs.getString("baseline_method");
        m.put("baselineMethod", method == null && m.get("baselineKw") != null ? "MANUAL" : method);
        m.put("baselineDailyKwh", rs.getObject("baseline_daily_kwh"));
        m.put("baselineDays", rs.getObject("baseline_days"));
        m.put("baselineComputedAt", AlarmQueries.time(rs.getTimestamp("baseline_computed_at")));
        m.put("baselineNote", rs.getString("baseline_note"));
        return m;
    }

    private static List<Long> ids(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        return Arrays.stream(values).map(v -> ((Number) v).longValue()).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

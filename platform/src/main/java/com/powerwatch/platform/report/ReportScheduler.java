package com.powerwatch.platform.report;

import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 日报 / 周报 / 月报 on schedule. Every {@code schedule.check} it looks, after {@code generate-after} (China time), for
 * the latest ended day, week and month without a report — for the whole city and for the scope of every subscriber
 * — generates each one (PDF and Excel into the archive) and tells that scope's subscribers. Looking instead of firing
 * once makes it catch up after a restart or an outage and never generate a report twice (the archive's key). Archived
 * reports older than {@code retention-days} are deleted.
 */
@Component
@EnableScheduling
class ReportScheduler {

    private static final Logger log = LoggerFactory.getLogger(ReportScheduler.class);

    private final PeriodicReports periodic;
    private final ReportService reports;
    private final ReportArchive archive;
    private final ReportSubscriptions subscriptions;
    private final ReportScopes scopes;
    private final ReportDelivery delivery;
    private final ReportProperties.Schedule settings;
    private final AuditLog audit;
    private final ReportTemplates templates;
    private final CustomReports custom;

    ReportScheduler(PeriodicReports periodic, ReportService reports, ReportArchive archive, ReportSubscriptions subscriptions,
                    ReportScopes scopes, ReportDelivery delivery, ReportProperties properties, AuditLog audit,
                    ReportTemplates templates, CustomReports custom) {
        this.periodic = periodic;
        this.reports = reports;
        this.archive = archive;
        this.subscriptions = subscriptions;
        this.scopes = scopes;
        this.delivery = delivery;
        this.settings = properties.schedule();
        this.audit = audit;
        this.templates = templates;
        this.custom = custom;
    }

    @Scheduled(fixedDelayString = "${powerwatch.report.schedule.check:10m}", initialDelayString = "${powerwatch.report.schedule.check:10m}")
    void tick() {
        if (!settings.enabled()) {
            return;
        }
        try {
            run(Instant.now());
        } catch (RuntimeException e) {
            log.error("periodic reports failed", e);
        }
    }

    /** One pass at {@code now}; returns the ids of the reports generated. */
    synchronized List<Long> run(Instant now) {
        LocalDateTime china = LocalDateTime.ofInstant(now, ReportQuery.CHINA);
        List<Long> made = new ArrayList<>();
        if (china.toLocalTime().isBefore(settings.generateAfter())) {
            return made;
        }
        LocalDate today = china.toLocalDate();
        for (PeriodicKind kind : PeriodicKind.values()) {
            Map<String, Target> targets = targets(kind);
            LocalDate last = kind.lastEnded(today);
            List<LocalDate> periods = new ArrayList<>();
            periods.add(last);
            if (kind == PeriodicKind.DAILY) {
                // days missed while the platform was down: the city-wide report only (subscribers get the latest)
                for (int i = 1; i < settings.catchUpDays(); i++) {
                    periods.add(last.minusDays(i));
                }
            }
            for (LocalDate start : periods) {
                for (Target t : targets.values()) {
                    if ((start != last && !t.key.equals("ALL")) || archive.exists(kind.name(), null, start, t.key)) {
                        continue;
                    }
                    Generated g = generate(kind, start, t.scope, t.key, "定时生成", now);
                    made.add(g.id());
                    if (start == last) {
                        delivery.deliver(g.id(), g.title(), g.summary(), t.users);
                    }
                }
            }
        }
        for (ReportTemplates.Template t : templates.scheduled()) {
            try {
                template(t, today, now).ifPresent(made::add);
            } catch (RuntimeException e) {
                // a template that no longer validates (a removed alarm type …) must not stop the others
                log.warn("scheduled report template {} failed: {}", t.id(), e.toString());
            }
        }
        int deleted = archive.deleteGeneratedBefore(now.minus(settings.retentionDays(), ChronoUnit.DAYS));
        if (deleted > 0) {
            log.info("deleted {} archived reports older than {} days", deleted, settings.retentionDays());
        }
        return made;
    }

    /** A report put into the archive. */
    record Generated(long id, String title, Map<String, Object> summary) {
    }

    /** Generates one periodic report into the archive (replacing one of the same period and scope). */
    synchronized Generated generate(PeriodicKind kind, LocalDate start, AccessScope scope, String scopeKey, String by, Instant now) {
        long t0 = System.nanoTime();
        PeriodicReports.Composed c = periodic.compose(kind, kind.periodStart(start), scope, now, by);
        long id = archive.store(kind.name(), null, c.document(), scopeKey, reports.excel(c.document()), reports.pdf(c.document()), c.summary());
        log.info("{} generated for scope {} in {} ms (archive {})", c.document().title(), scopeKey, (System.nanoTime() - t0) / 1_000_000, id);
        audit.record(new AuditLog.Actor(null, "system", null), "REPORT_GENERATED", "report:" + id, AuditLog.Outcome.SUCCESS,
                Map.of("kind", kind.name(), "from", c.document().from().toString(), "scope", scopeKey, "by", by));
        return new Generated(id, c.document().title(), c.summary());
    }

    /** A scheduled template's last ended period, for its owner's scope, unless archived already; sent to the owner. */
    private java.util.Optional<Long> template(ReportTemplates.Template t, LocalDate today, Instant now) {
        PowerWatchUser owner = scopes.user(t.ownerUserId());
        if (owner == null) {
            return java.util.Optional.empty();
        }
        PeriodicKind kind = PeriodicKind.valueOf(t.schedule());
        LocalDate start = kind.lastEnded(today);
        AccessScope scope = owner.scope();
        String key = ReportScopes.key(scope);
        if (archive.exists("TEMPLATE", t.id(), start, key)) {
            return java.util.Optional.empty();
        }
        ReportQuery q = new ReportQuery(start, kind.periodEnd(start), null, scope, Map.of(), now);
        ReportDocument doc = custom.run(t.name() + "（" + kind.periodName(start) + "）", t.spec(), q, "定时生成");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("行数", doc.sections().get(0).rows().size());
        long id = archive.store("TEMPLATE", t.id(), doc, key, reports.excel(doc), reports.pdf(doc), summary);
        audit.record(new AuditLog.Actor(null, "system", null), "REPORT_GENERATED", "report:" + id, AuditLog.Outcome.SUCCESS,
                Map.of("template", t.id(), "from", start.toString(), "scope", key, "by", "定时生成"));
        delivery.deliver(id, doc.title(), summary, List.of(t.ownerUserId()));
        return java.util.Optional.of(id);
    }

    private record Target(String key, AccessScope scope, List<Long> users) {
    }

    /** The city-wide report and one per distinct scope of the subscribers, with who gets it. */
    private Map<String, Target> targets(PeriodicKind kind) {
        Map<String, Target> out = new LinkedHashMap<>();
        out.put("ALL", new Target("ALL", AccessScope.ALL, new ArrayList<>()));
        for (long userId : subscriptions.subscribers(kind)) {
            PowerWatchUser u = scopes.user(userId);
            if (u == null) {
                continue;
            }
            AccessScope scope = u.scope();
            out.computeIfAbsent(ReportScopes.key(scope), k -> new Target(k, scope, new ArrayList<>())).users().add(userId);
        }
        return out;
    }
}

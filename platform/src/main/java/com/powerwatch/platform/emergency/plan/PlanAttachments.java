package com.powerwatch.platform.emergency.plan;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.emergency.EmergencyProperties;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The one attachment of a plan (the enterprise's 一厂一策 document): PDF, Word, Excel or a scan, up to the configured size. */
@Service
public class PlanAttachments {

    /** A stored attachment. */
    public record Attachment(String fileName, String contentType, byte[] content) {
    }

    static final Map<String, String> TYPES = Map.of("pdf", "application/pdf", "doc", "application/msword",
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xls", "application/vnd.ms-excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png");

    private final NamedParameterJdbcTemplate jdbc;
    private final Plans plans;
    private final AuditLog audit;
    private final EmergencyProperties settings;

    PlanAttachments(NamedParameterJdbcTemplate jdbc, Plans plans, AuditLog audit, EmergencyProperties settings) {
        this.jdbc = jdbc;
        this.plans = plans;
        this.audit = audit;
        this.settings = settings;
    }

    @Transactional
    public Map<String, Object> upload(long planId, String fileName, byte[] content) {
        plans.get(planId);
        String name = fileName == null ? "" : fileName.replaceAll("[\\\\/]", "_").trim();
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            throw ApiException.badRequest("file", "附件须为 PDF、Word、Excel 或 JPG/PNG 图片");
        }
        if (content.length == 0) {
            throw ApiException.badRequest("file", "上传的文件是空的");
        }
        long max = settings.attachmentMaxSize().toBytes();
        if (content.length > max) {
            throw ApiException.badRequest("file", "附件大小超过了 " + max / 1024 / 1024 + " MB 的上限");
        }
        if (name.length() > 200) {
            name = name.substring(name.length() - 200);
        }
        jdbc.update("""
                insert into emergency_plan_attachment (plan_id, file_name, content_type, size_bytes, content, uploaded_by_name)
                values (:plan, :name, :type, :size, :content, :user)
                on conflict (plan_id) do update set file_name = excluded.file_name, content_type = excluded.content_type,
                    size_bytes = excluded.size_bytes, content = excluded.content, uploaded_by_name = excluded.uploaded_by_name,
                    uploaded_at = now()""", new MapSqlParameterSource("plan", planId).addValue("name", name).addValue("type", type)
                .addValue("size", content.length).addValue("content", content)
                .addValue("user", AccessScope.currentUser().username()));
        audit.record("EMERGENCY_PLAN_ATTACHMENT_UPLOADED", "emergency-plan:" + planId, Map.of("fileName", name, "size", content.length));
        return plans.get(planId);
    }

    public Attachment download(long planId) {
        plans.get(planId);
        List<Attachment> found = jdbc.query("select file_name, content_type, content from emergency_plan_attachment where plan_id = :p",
                Map.of("p", planId), (rs, i) -> new Attachment(rs.getString(1), rs.getString(2), rs.getBytes(3)));
        if (found.isEmpty()) {
            throw ApiException.notFound("预案附件", planId);
        }
        return found.get(0);
    }

    @Transactional
    public Map<String, Object> delete(long planId) {
        plans.get(planId);
        if (jdbc.update("delete from emergency_plan_attachment where plan_id = :p", Map.of("p", planId)) == 0) {
            throw ApiException.notFound("预案附件", planId);
        }
        audit.record("EMERGENCY_PLAN_ATTACHMENT_DELETED", "emergency-plan:" + planId, Map.of());
        return plans.get(planId);
    }
}

package com.powerwatch.platform.alarm;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.api.ControlCharacters;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Photos on alarms (site photos from enterprises, verification photos from officers), stored as files under
 * {@code <powerwatch.data-dir>/attachments/<alarm id>/}. The type is decided by the file's first bytes (JPEG, PNG,
 * WebP), never by its name or the client's content type; anything else is 415, larger than the limit 413, and
 * in both cases nothing is stored. A file is written under a temporary name and moved into place; when the
 * transaction rolls back it is removed.
 */
@Service
public class AlarmAttachments {

    public record Stored(String contentType, String fileName, Path path, long size) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final AlarmHandling handling;
    private final Path root;
    private final long maxBytes;

    AlarmAttachments(NamedParameterJdbcTemplate jdbc, AlarmHandling handling, AlarmProperties properties,
                     @Value("${powerwatch.data-dir}") Path dataDir) {
        this.jdbc = jdbc;
        this.handling = handling;
        this.root = dataDir.resolve("attachments").toAbsolutePath();
        this.maxBytes = properties.attachments().maxSize().toBytes();
    }

    /** The content type the bytes are, or null when they are none of JPEG, PNG, WebP. */
    static String sniff(byte[] head) {
        if (head.length >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8 && (head[2] & 0xff) == 0xFF) {
            return "image/jpeg";
        }
        if (head.length >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && head[4] == 0x0D && head[5] == 0x0A && head[6] == 0x1A && head[7] == 0x0A) {
            return "image/png";
        }
        if (head.length >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return "image/webp";
        }
        return null;
    }

    @Transactional
    public Map<String, Object> add(long alarmId, MultipartFile file, String note) {
        AlarmHandling.Target a = handling.forAttachment(alarmId);
        if (file == null || file.isEmpty()) {
            throw ApiException.badRequest("file", "请选择要上传的照片");
        }
        if (file.getSize() > maxBytes) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "TOO_LARGE", "照片超过大小限制（最大 "
                    + (maxBytes % (1024 * 1024) == 0 ? maxBytes / (1024 * 1024) + " MB" : maxBytes / 1024 + " KB") + "）", "file");
        }
        String type;
        try (InputStream in = file.getInputStream()) {
            type = sniff(in.readNBytes(12));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (type == null) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_TYPE",
                    "只能上传 JPEG、PNG 或 WebP 格式的照片（按文件内容判断，而非文件名）", "file");
        }
        String ext = switch (type) {
            case "image/jpeg" -> "jpg";
            case "image/png" -> "png";
            default -> "webp";
        };
        String relative = alarmId + "/" + UUID.randomUUID() + "." + ext;
        Path target = root.resolve(relative);
        String sha256;
        long size;
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                try (InputStream in = file.getInputStream(); OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), digest)) {
                    size = in.transferTo(out);
                }
                if (size > maxBytes) {
                    throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "TOO_LARGE", "照片超过大小限制", "file");
                }
                sha256 = HexFormat.of().formatHex(digest.digest());
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the photo", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        removeOnRollback(target);
        PowerWatchUser user = AccessScope.currentUser();
        // the browser's file name is kept for people to read: without control characters (NUL cannot even be stored)
        String given = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().chars()
                .filter(c -> !ControlCharacters.forbidden((char) c)).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                        StringBuilder::append).toString();
        String name = given.isBlank() ? "photo." + ext : Path.of(given).getFileName().toString();
        long id = jdbc.queryForObject("""
                insert into alarm_attachment (alarm_id, file_name, stored_path, content_type, size_bytes, sha256, note, uploaded_by,
                                              uploaded_by_name)
                values (:alarm, :name, :path, :type, :size, :sha, :note, :user, :username) returning id""",
                new MapSqlParameterSource().addValue("alarm", alarmId).addValue("name", name).addValue("path", relative)
                        .addValue("type", type).addValue("size", size).addValue("sha", sha256)
                        .addValue("note", note == null || note.isBlank() ? null : note.trim())
                        .addValue("user", user.id()).addValue("username", user.username()), Long.class);
        handling.attachmentAdded(a, id, name, size);
        return Map.of("id", id, "fileName", name, "contentType", type, "sizeBytes", size, "sha256", sha256,
                "url", "/api/alarms/" + alarmId + "/attachments/" + id);
    }

    /** The stored file of an attachment of an alarm in the caller's scope (404 / 403 otherwise). */
    public Stored get(long alarmId, long attachmentId) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select x.content_type, x.file_name, x.stored_path, x.size_bytes, a.enterprise_id, e.district_code
                from alarm_attachment x join alarm a on a.id = x.alarm_id join enterprise e on e.id = a.enterprise_id
                where x.id = :id and x.alarm_id = :alarm""", Map.of("id", attachmentId, "alarm", alarmId));
        if (rows.isEmpty()) {
            throw ApiException.notFound("照片", attachmentId);
        }
        Map<String, Object> r = rows.get(0);
        AccessScope.current().require((String) r.get("district_code"), ((Number) r.get("enterprise_id")).longValue());
        Path path = root.resolve((String) r.get("stored_path")).normalize();
        if (!path.startsWith(root) || !Files.isRegularFile(path)) {
            throw ApiException.notFound("照片文件", attachmentId);
        }
        return new Stored((String) r.get("content_type"), (String) r.get("file_name"), path, ((Number) r.get("size_bytes")).longValue());
    }

    private static void removeOnRollback(Path file) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED) {
                        try {
                            Files.deleteIfExists(file);
                        } catch (IOException ignored) {
                            // an orphan file; harmless, no row points to it
                        }
                    }
                }
            });
        }
    }
}

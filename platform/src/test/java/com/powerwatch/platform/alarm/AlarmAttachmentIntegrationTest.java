package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Photos: checked by content, limited in size, stored as files with their hash, served only within scope. */
class AlarmAttachmentIntegrationTest extends AlarmTestBase {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R', 1, 2, 3};

    private ResponseEntity<Map<String, Object>> upload(User u, long alarmId, String name, byte[] bytes, MediaType claimed) {
        HttpHeaders partHeaders = new HttpHeaders();
        partHeaders.setContentType(claimed);
        LinkedMultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("file", new HttpEntity<>(new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return name;
            }
        }, partHeaders));
        body.add("note", "现场照片");
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        return u.http().exchange("/api/alarms/" + alarmId + "/attachments", HttpMethod.POST, new HttpEntity<>(body, headers), MAP);
    }

    private long filesUnder(long alarmId) throws IOException {
        Path dir = dataDir.resolve("attachments").resolve(String.valueOf(alarmId));
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void controlCharactersInTheFileNameAreDroppedAndInTheNoteRefused() throws Exception {
        Site s = site(YANTA);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        long id = openAlarm(s, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);
        ResponseEntity<Map<String, Object>> named = upload(company, id, "现场\u0007照片.png", PNG, MediaType.IMAGE_PNG);
        assertEquals(201, named.getStatusCode().value(), String.valueOf(named.getBody()));
        assertEquals("现场照片.png", named.getBody().get("fileName"));

        HttpHeaders partHeaders = new HttpHeaders();
        partHeaders.setContentType(MediaType.IMAGE_PNG);
        LinkedMultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("file", new HttpEntity<>(new ByteArrayResource(PNG) {
            @Override
            public String getFilename() {
                return "p.png";
            }
        }, partHeaders));
        body.add("note", "现场\u0000照片");
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        ResponseEntity<Map<String, Object>> note = company.http().exchange("/api/alarms/" + id + "/attachments", HttpMethod.POST,
                new HttpEntity<>(body, headers), MAP);
        assertEquals(400, note.getStatusCode().value(), String.valueOf(note.getBody()));
        assertEquals("note", note.getBody().get("field"));
        assertEquals("参数 note 含有不允许的NUL（U+0000），请删除后重试", note.getBody().get("message"));
        assertEquals(1, filesUnder(id), "only the first photo is stored");
    }

    @Test
    void aPhotoIsStoredWithItsHashAndServedBack() throws Exception {
        Site s = site(YANTA);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        long id = openAlarm(s, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);
        Map<String, Object> stored = ok(upload(company, id, "现场.png", PNG, MediaType.IMAGE_PNG), 201);
        assertEquals("image/png", stored.get("contentType"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PNG)), stored.get("sha256"));
        assertEquals(1, filesUnder(id));

        ResponseEntity<byte[]> back = company.http().exchange((String) stored.get("url"), HttpMethod.GET, null, byte[].class);
        assertEquals(200, back.getStatusCode().value());
        assertArrayEquals(PNG, back.getBody());
        assertEquals(MediaType.IMAGE_PNG, back.getHeaders().getContentType());
        assertEquals("nosniff", back.getHeaders().getFirst("X-Content-Type-Options"));

        // a JPEG sent as "octet-stream" with a misleading name is still a JPEG (the bytes decide)
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1};
        Map<String, Object> second = ok(upload(user(Role.DISTRICT_OFFICER, List.of(YANTA), null), id, "photo.bin", jpeg,
                MediaType.APPLICATION_OCTET_STREAM), 201);
        assertEquals("image/jpeg", second.get("contentType"));

        Map<String, Object> detail = ok(call(company.http(), HttpMethod.GET, "/api/alarms/" + id, null), 200);
        assertEquals(2, ((List<?>) detail.get("attachments")).size());
        assertEquals(2, jdbc.queryForObject("select count(*) from alarm_step where alarm_id = ? and action = 'ATTACHMENT'", Integer.class, id));

        // outside the scope: neither the list nor the bytes
        Site other = site(YANTA);
        User stranger = user(Role.ENTERPRISE_USER, List.of(), other.enterpriseId());
        assertEquals(403, stranger.http().exchange((String) stored.get("url"), HttpMethod.GET, null, byte[].class).getStatusCode().value());
        status(403, upload(stranger, id, "x.png", PNG, MediaType.IMAGE_PNG), "upload to another enterprise's alarm");
        status(403, upload(user(Role.OPERATOR, List.of(), null), id, "x.png", PNG, MediaType.IMAGE_PNG), "operator uploads");
    }

    @Test
    void wrongTypesAndOversizedFilesAreRefusedAndNothingIsStored() throws Exception {
        Site s = site(YANTA);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        long id = openAlarm(s, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);
        var html = upload(company, id, "photo.png", "<html><script>alert(1)</script></html>".getBytes(), MediaType.IMAGE_PNG);
        status(415, html, "HTML named .png");
        assertEquals("UNSUPPORTED_TYPE", html.getBody().get("error"));
        status(415, upload(company, id, "a.gif", "GIF89a....".getBytes(), MediaType.IMAGE_GIF), "GIF");

        byte[] big = new byte[70 * 1024]; // the test limit is 64 KB
        System.arraycopy(PNG, 0, big, 0, PNG.length);
        var tooBig = upload(company, id, "big.png", big, MediaType.IMAGE_PNG);
        status(413, tooBig, "over the limit");
        assertEquals("TOO_LARGE", tooBig.getBody().get("error"));

        assertEquals(0, filesUnder(id));
        assertEquals(0, jdbc.queryForObject("select count(*) from alarm_attachment where alarm_id = ?", Integer.class, id));
    }
}

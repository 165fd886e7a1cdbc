package com.powerwatch.platform.emergency;

import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixtures of the emergency tests: districts, enterprises with lines and production facilities, Excel uploads. */
public abstract class EmergencyTestSupport extends AuthIntegrationTestBase {

    protected static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };

    /** An enterprise of the fixture (see {@link EmergencyFixtures.Ent}). */
    protected record Ent(long id, String name, String district, Map<String, Long> lines, Map<String, Long> facilities) {
    }

    @BeforeEach
    protected void districts() {
        EmergencyFixtures.districts(jdbc);
    }

    /** An enterprise with a grade and, per line, its production facilities (see {@link EmergencyFixtures#enterprise}). */
    protected Ent enterprise(String district, String grade, Map<String, Map<String, Double>> lines) {
        EmergencyFixtures.Ent e = EmergencyFixtures.enterprise(jdbc, district, grade, lines);
        return new Ent(e.id(), e.name(), e.district(), e.lines(), e.facilities());
    }

    /** A workbook with one sheet (see {@link EmergencyFixtures#workbook}). */
    protected static byte[] workbook(String sheet, List<String> headers, List<Map<String, Object>> rows) throws IOException {
        return EmergencyFixtures.workbook(sheet, headers, rows);
    }

    /** POSTs {@code bytes} as the multipart part "file". */
    protected ResponseEntity<Map<String, Object>> upload(String token, String url, byte[] bytes, String fileName) {
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return fileName;
            }
        });
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        if (token != null) {
            headers.setBearerAuth(token);
        }
        return http.exchange(url, HttpMethod.POST, new HttpEntity<>(parts, headers), MAP);
    }

    protected ResponseEntity<byte[]> bytes(String token, String url) {
        return http.exchange(url, HttpMethod.GET, new HttpEntity<>(headers(token)), byte[].class);
    }

    protected ResponseEntity<Map> put(String token, String url, Object body) {
        return call(token, HttpMethod.PUT, url, body);
    }

    /** Key-value pairs as a map that keeps nulls out. */
    protected static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    protected static List<Map<String, Object>> items(ResponseEntity<Map> page) {
        return new ArrayList<>((List<Map<String, Object>>) page.getBody().get("items"));
    }
}

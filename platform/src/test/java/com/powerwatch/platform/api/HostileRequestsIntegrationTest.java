package com.powerwatch.platform.api;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile requests to every endpoint of the application (walked from the request mappings, so endpoints added later
 * are covered): bodies that are not JSON or have the wrong shape, unknown enum values, numbers that are not numbers,
 * and NUL characters in every text field and query parameter. None may answer 500, none may show internals (Java
 * class names, PostgreSQL's messages, stack traces); a NUL character is refused with 400 naming the field.
 */
class HostileRequestsIntegrationTest extends AuthIntegrationTestBase {

    /** What must never reach a client. */
    private static final Pattern INTERNALS = Pattern.compile(
            "org\\.|java\\.|com\\.powerwatch|PSQL|ERROR:|\\bat [\\w$.]+\\(|Exception|Cannot deserialize|JSON parse error"
                    + "|\\b[a-z]+\\.[a-z]+(\\.[a-z]+)*\\.[A-Z]\\w+");
    /** Path variables become an id that exists nowhere, so a request that gets through changes nothing. */
    private static final String NOWHERE = "987654321";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    @Autowired
    ObjectMapper json;

    private record Endpoint(RequestMethod method, String pattern, HandlerMethod handler) {
        String url() {
            return pattern.replaceAll("\\{[^/]+?}(?=/|$)", NOWHERE).replace("/**", "/x").replace("/*", "/x");
        }

        Class<?> bodyType() {
            for (MethodParameter p : handler.getMethodParameters()) {
                if (p.hasParameterAnnotation(RequestBody.class)) {
                    return p.getParameterType();
                }
            }
            return null;
        }

        List<String> params(boolean textOnly) {
            List<String> out = new ArrayList<>();
            for (MethodParameter p : handler.getMethodParameters()) {
                p.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
                RequestParam rp = p.getParameterAnnotation(RequestParam.class);
                if (rp != null && (p.getParameterType() == String.class || !textOnly)) {
                    out.add(!rp.name().isEmpty() ? rp.name() : !rp.value().isEmpty() ? rp.value() : p.getParameterName());
                }
            }
            return out;
        }
    }

    private List<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
            Set<RequestMethod> methods = e.getKey().getMethodsCondition().getMethods();
            if (methods.isEmpty()) {
                methods = EnumSet.of(RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT, RequestMethod.DELETE);
            }
            boolean stream = e.getKey().getProducesCondition().getProducibleMediaTypes().contains(MediaType.TEXT_EVENT_STREAM);
            for (String pattern : e.getKey().getPatternValues()) {
                if (!pattern.startsWith("/api/") || stream) {
                    continue;
                }
                for (RequestMethod m : methods) {
                    if (m != RequestMethod.HEAD && m != RequestMethod.OPTIONS && m != RequestMethod.TRACE) {
                        out.add(new Endpoint(m, pattern, e.getValue()));
                    }
                }
            }
        }
        return out;
    }

    /** Sends a raw body as a fresh administrator (a logout or password change in the walk cannot spoil the next call). */
    private ResponseEntity<String> send(HttpMethod method, String url, String body) {
        String token = AuthTestSupport.adminToken(jdbc);
        // a URI, not a template: the template would encode the % of an escape such as %00 once more
        return http.exchange(java.net.URI.create(url), method, new HttpEntity<>(body, headers(token)), String.class);
    }

    private static void clean(List<String> problems, String what, ResponseEntity<String> r) {
        String body = String.valueOf(r.getBody());
        if (r.getStatusCode().value() >= 500) {
            problems.add(what + " -> " + r.getStatusCode().value() + " " + body);
        } else if (INTERNALS.matcher(body).find()) {
            problems.add(what + " -> internals: " + body);
        }
    }

    /** Hostile variants of a body type: one per kind of mistake, each applied to every property it fits. */
    private List<String> typedBodies(Class<?> type) throws Exception {
        if (type == null || Map.class.isAssignableFrom(type) || type.getName().startsWith("com.fasterxml")) {
            return List.of();
        }
        JavaType javaType = json.constructType(type);
        BeanDescription d = json.getDeserializationConfig().introspect(javaType);
        Map<String, Object> enums = new LinkedHashMap<>();
        Map<String, Object> numbers = new LinkedHashMap<>();
        Map<String, Object> shapes = new LinkedHashMap<>();
        Map<String, Object> times = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : d.findProperties()) {
            Class<?> t = p.getPrimaryType().getRawClass();
            if (t.isEnum()) {
                enums.put(p.getName(), "NO_SUCH_VALUE");
            } else if (Number.class.isAssignableFrom(t) || (t.isPrimitive() && t != boolean.class)) {
                numbers.put(p.getName(), "twelve");
            } else if (Collection.class.isAssignableFrom(t) || t.isArray()) {
                shapes.put(p.getName(), Map.of("not", "a list"));
            } else if (Temporal.class.isAssignableFrom(t)) {
                times.put(p.getName(), "yesterday");
            } else if (t != String.class && !t.isPrimitive() && !t.getName().startsWith("java.")) {
                shapes.put(p.getName(), List.of(1, 2));
            }
        }
        List<String> out = new ArrayList<>();
        for (Map<String, Object> m : List.of(enums, numbers, shapes, times)) {
            if (!m.isEmpty()) {
                out.add(json.writeValueAsString(m));
            }
        }
        return out;
    }

    /** The body's text properties (or one made-up name) each holding a NUL character. */
    private List<String> nulFields(Class<?> type) {
        List<String> names = new ArrayList<>();
        if (type != null && !Map.class.isAssignableFrom(type) && !type.getName().startsWith("com.fasterxml")) {
            for (BeanPropertyDefinition p : json.getDeserializationConfig().introspect(json.constructType(type)).findProperties()) {
                if (p.getPrimaryType().getRawClass() == String.class) {
                    names.add(p.getName());
                }
            }
        }
        if (names.isEmpty()) {
            names.add("note");
        }
        return names;
    }

    @Test
    void noEndpointAnswers500OrShowsInternalsToHostileBodies() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> walked = new TreeSet<>();
        for (Endpoint e : endpoints()) {
            if (e.method() == RequestMethod.GET) {
                continue;
            }
            walked.add(e.method() + " " + e.pattern());
            HttpMethod m = HttpMethod.valueOf(e.method().name());
            List<String> bodies = new ArrayList<>(List.of("{\"a\": ", "[1, 2, 3]", "\"text\"", "{\"a\": {\"b\": [1, 2}}"));
            bodies.addAll(typedBodies(e.bodyType()));
            for (String body : bodies) {
                clean(problems, e.method() + " " + e.url() + " " + body, send(m, e.url(), body));
            }
        }
        // every query parameter of every endpoint at once with a value of no type (an enum, a number, a time, a word)
        for (Endpoint e : endpoints()) {
            List<String> params = e.params(false);
            if (params.isEmpty()) {
                continue;
            }
            StringBuilder url = new StringBuilder(e.url());
            for (int i = 0; i < params.size(); i++) {
                url.append(i == 0 ? '?' : '&').append(params.get(i)).append("=NO_SUCH_VALUE");
            }
            clean(problems, e.method() + " " + url, send(HttpMethod.valueOf(e.method().name()), url.toString(),
                    e.method() == RequestMethod.GET ? null : "{}"));
        }
        assertTrue(walked.size() > 40 && walked.contains("PUT /api/registry/enterprises/{id}"), walked.toString());
        assertEquals(List.of(), problems, problems.size() + " of the answers to " + walked.size() + " write endpoints");
    }

    @Test
    void anUnknownValueAWrongShapeAndBrokenJsonAreExplainedInPlainWords() {
        ResponseEntity<String> role = send(HttpMethod.POST, "/api/admin/users", "{\"username\": \"x-" + NOWHERE + "\", \"role\": \"KING\"}");
        assertEquals(400, role.getStatusCode().value());
        assertTrue(role.getBody().contains("\"field\":\"role\"") && role.getBody().contains(
                "role 的取值必须是 CITY_ADMIN、OPERATOR、DISTRICT_OFFICER、ENTERPRISE_USER、API_CLIENT 之一"), role.getBody());
        ResponseEntity<String> shape = send(HttpMethod.POST, "/api/admin/users", "{\"username\": [\"x\"], \"role\": \"OPERATOR\"}");
        assertEquals(400, shape.getStatusCode().value());
        assertTrue(shape.getBody().contains("\"field\":\"username\"") && shape.getBody().contains("请求内容中 username 的值格式不正确"),
                shape.getBody());
        ResponseEntity<String> broken = send(HttpMethod.POST, "/api/admin/users", "{\"username\": ");
        assertEquals(400, broken.getStatusCode().value());
        assertTrue(broken.getBody().contains("请求体不是有效的 JSON，请检查格式"), broken.getBody());
    }

    @Test
    void aNulCharacterInAnyTextFieldIsRefusedNamingTheField() {
        List<String> problems = new ArrayList<>();
        int walked = 0;
        for (Endpoint e : endpoints()) {
            if (e.method() == RequestMethod.GET) {
                continue;
            }
            walked++;
            List<String> fields = nulFields(e.bodyType());
            StringBuilder body = new StringBuilder("{");
            for (String f : fields) {
                body.append(body.length() > 1 ? ", " : "").append('"').append(f).append("\": \"a\\u0000b\"");
            }
            body.append('}');
            String what = e.method() + " " + e.url() + " " + body;
            ResponseEntity<String> r = send(HttpMethod.valueOf(e.method().name()), e.url(), body.toString());
            clean(problems, what, r);
            if (r.getStatusCode().value() != 400 || fields.stream().noneMatch(f -> r.getBody().contains("\"field\":\"" + f + "\""))) {
                problems.add(what + " -> not a 400 naming the field: " + r.getStatusCode().value() + " " + r.getBody());
            }
        }
        assertTrue(walked > 40);
        assertEquals(List.of(), problems, problems.size() + " of " + walked + " write endpoints");
    }

    @Test
    void aNulCharacterInAFormFieldOfAnUploadIsRefusedNamingTheField() {
        List<String> problems = new ArrayList<>();
        int walked = 0;
        for (Endpoint e : endpoints()) {
            boolean multipart = mappings.getHandlerMethods().entrySet().stream().anyMatch(m -> m.getValue().equals(e.handler())
                    && m.getKey().getConsumesCondition().getConsumableMediaTypes().contains(MediaType.MULTIPART_FORM_DATA));
            if (!multipart) {
                continue;
            }
            for (String param : e.params(true)) {
                walked++;
                LinkedMultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
                form.add("file", new ByteArrayResource(new byte[]{1, 2, 3}) {
                    @Override
                    public String getFilename() {
                        return "x.png";
                    }
                });
                form.add(param, "a\u0000b");
                HttpHeaders h = headers(AuthTestSupport.adminToken(jdbc));
                h.setContentType(MediaType.MULTIPART_FORM_DATA);
                ResponseEntity<String> r = http.exchange(e.url(), HttpMethod.valueOf(e.method().name()), new HttpEntity<>(form, h), String.class);
                clean(problems, e.method() + " " + e.url() + " form field " + param, r);
                if (r.getStatusCode().value() != 400 || !r.getBody().contains("\"field\":\"" + param + "\"")) {
                    problems.add(e.method() + " " + e.url() + " form field " + param + " -> not a 400 naming it: "
                            + r.getStatusCode().value() + " " + r.getBody());
                }
            }
        }
        assertTrue(walked >= 1, "the photo upload's note at least");
        assertEquals(List.of(), problems);
    }

    @Test
    void aNulCharacterInAQueryParameterIsRefusedNamingTheParameter() {
        List<String> problems = new ArrayList<>();
        int walked = 0;
        for (Endpoint e : endpoints()) {
            for (String param : e.params(true)) {
                walked++;
                String url = e.url() + "?" + param + "=a%00b";
                ResponseEntity<String> r = send(HttpMethod.valueOf(e.method().name()), url, e.method() == RequestMethod.GET ? null : "{}");
                clean(problems, e.method() + " " + url, r);
                if (r.getStatusCode().value() != 400 || !r.getBody().contains("\"field\":\"" + param + "\"")) {
                    problems.add(e.method() + " " + url + " -> not a 400 naming the parameter: " + r.getStatusCode().value() + " " + r.getBody());
                }
            }
        }
        assertTrue(walked > 20, "only " + walked + " text parameters found");
        assertEquals(List.of(), problems, problems.size() + " of " + walked + " text parameters");
    }
}

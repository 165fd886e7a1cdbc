package com.powerwatch.platform.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.database.DatabaseUnavailable;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 401 (503 when a token could not be checked: the database is away) and 403 answers of the security filters, in the
 * API's one error shape ({@code error}, {@code message}).
 */
final class SecurityErrors {

    private final ObjectMapper json;

    SecurityErrors(ObjectMapper json) {
        this.json = json;
    }

    AuthenticationEntryPoint unauthorized() {
        return (request, response, e) -> {
            if (request.getAttribute(BearerTokenFilter.UNCHECKED_TOKEN) != null) {
                response.setHeader("Retry-After", Integer.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS));
                write(response, 503, DatabaseUnavailable.CODE, DatabaseUnavailable.MESSAGE);
                return;
            }
            write(response, 401, "UNAUTHORIZED", request.getAttribute(BearerTokenFilter.REJECTED_TOKEN) != null
                    ? "登录已失效（令牌无效、已过期或已注销），请重新登录"
                    : "请先登录（接口调用须在请求头 Authorization 中携带 Bearer 令牌）");
        };
    }

    AccessDeniedHandler forbidden() {
        return (request, response, e) -> write(response, 403, "FORBIDDEN",
                "您的角色无权进行此操作");
    }

    void write(HttpServletResponse response, int status, String code, String message) throws IOException {
        write(response, status, code, message, Map.of());
    }

    void write(HttpServletResponse response, int status, String code, String message, Map<String, ?> extra) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        body.putAll(extra);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        // not writeValue(stream): that closes the stream, which ends the request before the audit filter has read its body
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }

    static boolean isRead(HttpServletRequest request) {
        String m = request.getMethod();
        return m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS");
    }
}

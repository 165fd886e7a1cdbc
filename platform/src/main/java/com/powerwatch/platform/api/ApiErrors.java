package com.powerwatch.platform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One error shape for every API: {@code {"error": CODE, "message": text, "field": name?, "errors": [...]?}}.
 * A bad request names the field; nothing is half-done (services validate before writing, in one transaction).
 */
@RestControllerAdvice
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
    private static final Pattern HAN = Pattern.compile("\\p{IsHan}");

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, Object>> api(ApiException e) {
        return body(e.status(), e.code(), e.getMessage(), e.field(), null);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Map<String, Object>> invalid(MethodArgumentNotValidException e) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage()))).toList();
        FieldError first = e.getBindingResult().getFieldError();
        String message = first == null ? "请求内容不符合要求" : describe(first);
        return body(HttpStatus.BAD_REQUEST, "INVALID", message, first == null ? null : first.getField(), errors);
    }

    /**
     * The message of one field error for the whole answer: our annotations' messages name the field in Chinese
     * ("企业名称不能为空"); a constraint with its default message ("不能为空") gets the field's name in front.
     */
    private static String describe(FieldError f) {
        String message = String.valueOf(f.getDefaultMessage());
        boolean defaultTemplate = f.contains(ConstraintViolation.class)
                && f.unwrap(ConstraintViolation.class).getMessageTemplate().startsWith("{");
        return defaultTemplate || !isChinese(message) ? f.getField() + " " + message : message;
    }

    @ExceptionHandler({IllegalArgumentException.class, MissingServletRequestParameterException.class,
            MethodArgumentTypeMismatchException.class, HttpMessageNotReadableException.class})
    ResponseEntity<Map<String, Object>> badRequest(Exception e) {
        String field = e instanceof MissingServletRequestParameterException m ? m.getParameterName()
                : e instanceof MethodArgumentTypeMismatchException t ? t.getName()
                : e instanceof HttpMessageNotReadableException ? bodyPath(e) : null;
        String message;
        if (e instanceof MissingServletRequestParameterException m) {
            message = "缺少必填参数 " + m.getParameterName();
        } else if (e instanceof MethodArgumentTypeMismatchException t && refused(t) != null) {
            message = ControlCharacters.message("参数 " + t.getName(), refused(t).character());
        } else if (e instanceof MethodArgumentTypeMismatchException t) {
            message = "参数 " + t.getName() + " 的值“" + t.getValue() + "”格式不正确" + expected(t.getRequiredType());
        } else if (e instanceof HttpMessageNotReadableException) {
            message = unreadable(e);
        } else if (isChinese(e.getMessage())) {
            message = e.getMessage();
        } else { // an English text from a library or a check that is not a user's mistake: not for an officer's eyes
            log.info("bad request: {}", e.toString());
            message = "请求参数不正确";
        }
        return body(HttpStatus.BAD_REQUEST, "INVALID", message, field, null);
    }

    private static ControlCharacters.Refused refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ControlCharacters.Refused r) {
                return r;
            }
        }
        return null;
    }

    /** What a parameter of this type looks like, as a hint after "格式不正确". */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "";
        }
        if (type.isEnum()) {
            return "，可选值：" + String.join("、", Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList());
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class || type == double.class) {
            return "，应为数字";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "，应为 true 或 false";
        }
        if (type == LocalDate.class) {
            return "，应为日期，如 2026-01-31";
        }
        if (type == LocalDateTime.class) {
            return "，应为日期时间，如 2026-01-31T08:00:00";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "，应为带时区的时间，如 2026-01-31T08:00:00+08:00";
        }
        return "";
    }

    /** A body Jackson cannot read: say where, in plain words; the parser's text goes to the log only. */
    private static String unreadable(Exception e) {
        log.debug("unreadable request body: {}", rootMessage(e));
        String path = bodyPath(e);
        if (path != null && e.getCause() instanceof MismatchedInputException m) {
            Class<?> type = m.getTargetType();
            if (type != null && type.isEnum()) {
                return path + " 的取值必须是 " + String.join("、", Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList())
                        + " 之一";
            }
            return "请求内容中 " + path + " 的值格式不正确" + expected(type);
        }
        if (e.getCause() instanceof JsonProcessingException) {
            return "请求体不是有效的 JSON，请检查格式";
        }
        return "缺少请求内容，或请求内容不是本接口可接受的 JSON";
    }

    /** The field of the body Jackson could not read ({@code contacts[0].phone}), or null when it is the whole body. */
    private static String bodyPath(Exception e) {
        if (e.getCause() instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse(null);
        }
        return null;
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Map<String, Object>> denied(AccessDeniedException e) {
        // Spring's own "Access Denied" (a @PreAuthorize refusal) is English: say it in words an officer reads
        String message = isChinese(e.getMessage()) ? e.getMessage() : "您的角色无权进行此操作";
        return body(HttpStatus.FORBIDDEN, "FORBIDDEN", message, null, null);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Map<String, Object>> conflict(DataIntegrityViolationException e) {
        log.info("constraint violation: {}", rootMessage(e));
        log.debug("constraint violation", e);
        return body(HttpStatus.CONFLICT, "CONFLICT", "与已有数据冲突（可能重复，或仍被其他数据引用），请检查后重试", null, null);
    }

    /**
     * The same error shape written by a servlet filter, before any controller runs. Does not close the stream: the
     * audit filter still reads the request afterwards.
     */
    public static void write(HttpServletResponse response, ObjectMapper json, HttpStatus status, String code, String message,
                             String field) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(body(status, code, message, field, null).getBody()));
    }

    /** A byte count as people say it: "1 MB", "512 KB", "300 字节". */
    public static String size(long bytes) {
        if (bytes >= 1024 * 1024) {
            return plain(bytes / (1024.0 * 1024)) + " MB";
        }
        return bytes >= 1024 ? plain(bytes / 1024.0) + " KB" : bytes + " 字节";
    }

    private static String plain(double d) {
        return java.math.BigDecimal.valueOf(d).setScale(1, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** True when the text has Chinese characters: a message written for officers, not a library's English. */
    public static boolean isChinese(String text) {
        return text != null && HAN.matcher(text).find();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static ResponseEntity<Map<String, Object>> body(HttpStatus status, String code, String message, String field,
                                                            List<?> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        if (errors != null) {
            body.put("errors", errors);
        }
        return ResponseEntity.status(status).body(body);
    }
}

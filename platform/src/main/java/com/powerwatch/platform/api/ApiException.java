package com.powerwatch.platform.api;

import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, with the HTTP status, a stable machine-readable code and a message for people.
 * {@code field} names the offending input when there is one.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String field;

    public ApiException(HttpStatus status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public ApiException(HttpStatus status, String code, String message) {
        this(status, code, message, null);
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "INVALID", message, field);
    }

    /** 404 "编号为 {id} 的{what}不存在"; {@code what} is the thing in Chinese words (企业, 报警, 监测点…). */
    public static ApiException notFound(String what, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "编号为 " + id + " 的" + what + "不存在");
    }

    public static ApiException conflict(String message) {
        return new ApiException(HttpStatus.CONFLICT, "CONFLICT", message);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}

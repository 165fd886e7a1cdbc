package com.powerwatch.platform.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request that needs the database while it does not answer gets 503 with a plain message (and Retry-After), not a
 * 500 with the driver's text. Ordered before the general error handlers (api/ApiErrors), which never see these.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class DatabaseUnavailableErrors {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableErrors.class);

    private final DatabaseAvailability availability;

    public DatabaseUnavailableErrors(DatabaseAvailability availability) {
        this.availability = availability;
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessResourceException.class,
            CannotCreateTransactionException.class})
    ResponseEntity<Map<String, Object>> unavailable(Exception e) {
        availability.reportFailure(e);
        log.warn("request failed, database unavailable: {}", DatabaseUnavailable.rootMessage(e));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", DatabaseUnavailable.CODE);
        body.put("message", DatabaseUnavailable.MESSAGE);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS))
                .body(body);
    }
}

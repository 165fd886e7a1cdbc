package com.powerwatch.platform.database;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Predicate;

/**
 * What "the database is away" looks like, in one place: how to recognise it in an exception, and the answer an API
 * caller gets meanwhile (503, in the API's error shape).
 */
public final class DatabaseUnavailable {

    public static final String CODE = "DATABASE_UNAVAILABLE";
    /** A request that needs the database while it does not answer. */
    public static final String MESSAGE = "数据库暂时无法连接，请稍后重试（设备数据照常接收，数据库恢复后自动入库）";
    /** Any request before the database has been reached since the platform started. */
    public static final String STARTING_MESSAGE = "系统正在等待数据库启动，暂时无法提供服务，请稍后重试（设备数据照常接收，数据库恢复后自动入库）";
    /** Seconds a client is asked to wait before trying again (Retry-After). */
    public static final int RETRY_AFTER_SECONDS = 10;

    private DatabaseUnavailable() {
    }

    /**
     * True when {@code e} (or a cause) says the database cannot be reached or gave no connection in time: refused or
     * broken connections (SQLSTATE class 08), a server shutting down or starting (57P), the pool's timeout.
     */
    public static boolean isCause(Throwable e) {
        return inChain(e, t -> t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
                || t instanceof TransientDataAccessResourceException || t instanceof SQLTransientConnectionException)
                || isUnreachable(e);
    }

    /** True when {@code e} says the server itself did not answer (not merely that the pool was busy). */
    static boolean isUnreachable(Throwable e) {
        return inChain(e, t -> t instanceof ConnectException || (t instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))));
    }

    private static boolean inChain(Throwable e, Predicate<Throwable> test) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message of an exception chain: what the driver or the operating system said. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}

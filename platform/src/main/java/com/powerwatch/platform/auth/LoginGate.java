package com.powerwatch.platform.auth;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.audit.AuditLog.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The door in front of password checking, which costs one Argon2 hash (19 MiB, tens of milliseconds of a core) per
 * login. Two bounds, both answering 429 with Retry-After:
 * <ul>
 *     <li>a login rate per client address (a token bucket: {@code address-burst} at once, then
 *     {@code address-per-minute}); the trusted networks are exempt;</li>
 *     <li>at most {@code hashing-permits} (the number of cores) logins are checked at the same time; up to
 *     {@code hashing-queue} more wait {@code hashing-wait} for a turn, the rest are refused at once, so a flood holds
 *     few request threads and little memory, and logged-in users' calls (which never hash) keep answering.</li>
 * </ul>
 */
@Component
class LoginGate {

    /** 429 TOO_MANY_REQUESTS with the seconds after which to try again. */
    static class TooManyLogins extends ApiException {
        private final long retryAfterSeconds;

        TooManyLogins(String message, long retryAfterSeconds) {
            super(HttpStatus.TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS", message + "，请稍后再试（约 " + retryAfterSeconds + " 秒后）");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** A turn at password checking; closing it lets the next login in. */
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    /** Logins an address may still send: refilled continuously, at most the burst. */
    private static final class Bucket {
        double tokens;
        long refilledAt;
        boolean refusing; // the refusal in progress has been audited

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    private final AuthProperties.Login settings;
    private final AuditLog audit;
    private final Semaphore hashing;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<String, Bucket> buckets;
    private final Counter refusedRate;
    private final Counter refusedBusy;

    LoginGate(AuthProperties properties, AuditLog audit, MeterRegistry meters) {
        this.settings = properties.login();
        this.audit = audit;
        this.hashing = new Semaphore(settings.permits(), true);
        int tracked = settings.trackedAddresses();
        // access order: the longest-quiet address is forgotten first (its bucket would be full again anyway)
        this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > tracked;
            }
        };
        this.refusedRate = meters.counter("powerwatch.login.refused", "reason", "address-rate");
        this.refusedBusy = meters.counter("powerwatch.login.refused", "reason", "busy");
    }

    /** Lets a login from {@code from} check its password, or throws {@link TooManyLogins}. */
    Turn enter(ClientAddress from) {
        if (!from.trusted()) {
            takeFromBucket(from.key());
        }
        if (waiting.incrementAndGet() > settings.hashingQueue() + settings.permits()) {
            waiting.decrementAndGet();
            throw busy();
        }
        boolean acquired;
        try {
            acquired = hashing.tryAcquire(settings.hashingWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        } finally {
            waiting.decrementAndGet();
        }
        if (!acquired) {
            throw busy();
        }
        return hashing::release;
    }

    private TooManyLogins busy() {
        refusedBusy.increment();
        return new TooManyLogins("登录请求过多", Math.max(1, (long) Math.ceil(settings.hashingWait().toMillis() / 1000.0)));
    }

    private void takeFromBucket(String address) {
        double perNano = settings.addressPerMinute() / 60e9;
        long now = System.nanoTime();
        long retryAfter;
        boolean firstRefusal;
        synchronized (buckets) {
            Bucket b = buckets.computeIfAbsent(address, a -> new Bucket(settings.addressBurst(), now));
            b.tokens = Math.min(settings.addressBurst(), b.tokens + (now - b.refilledAt) * perNano);
            b.refilledAt = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                b.refusing = false;
                return;
            }
            retryAfter = Math.max(1, (long) Math.ceil((1 - b.tokens) / perNano / 1e9));
            firstRefusal = !b.refusing;
            b.refusing = true;
        }
        refusedRate.increment();
        if (firstRefusal) { // once per run of refusals: a flood must not become a flood of audit rows
            audit.record(null, "LOGIN_THROTTLED", "address:" + address, Outcome.DENIED,
                    Map.of("address", address, "addressBurst", settings.addressBurst(), "addressPerMinute", settings.addressPerMinute()));
        }
        throw new TooManyLogins("该地址登录尝试过于频繁", retryAfter);
    }
}

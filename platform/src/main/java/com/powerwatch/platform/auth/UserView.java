package com.powerwatch.platform.auth;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A user as the API shows it (never the password hash).
 *
 * @param regionNames  the names of {@code regions}, in the same order (for lists; the code when a region is unknown)
 * @param enterpriseName the name of {@code enterpriseId}'s enterprise
 * @param lockedUntil set while the account is locked after failed logins
 * @param phone       the user's own phone (personal data: only administrators and the user see this view)
 * @param email       the user's own e-mail address
 */
public record UserView(long id, String username, String displayName, Role role, List<String> regions, List<String> regionNames,
                       Long enterpriseId, String enterpriseName,
                       boolean enabled, boolean mustChangePassword, int failedLogins, OffsetDateTime lockedUntil,
                       OffsetDateTime lastLoginAt, OffsetDateTime createdAt, String phone,
                       String email) {
}

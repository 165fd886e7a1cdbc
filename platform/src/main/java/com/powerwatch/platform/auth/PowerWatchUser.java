package com.powerwatch.platform.auth;

import java.util.List;

/**
 * The authenticated principal of a request.
 *
 * @param regionCodes regions assigned to a district officer or a scoped API client (a city or province code
 *                    covers everything under it); empty for the other roles
 * @param enterpriseId the enterprise of an enterprise user, else null
 * @param mustChangePassword the user must change the password before anything else is allowed
 */
public record PowerWatchUser(long id, String username, Role role, List<String> regionCodes, Long enterpriseId,
                             boolean mustChangePassword) {

    public PowerWatchUser {
        regionCodes = List.copyOf(regionCodes);
    }

    public AccessScope scope() {
        return AccessScope.of(this);
    }
}

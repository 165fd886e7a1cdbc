package com.powerwatch.platform.registry;

/** Who may change what in the registry (SpEL for {@code @PreAuthorize}); reads are open to every role, scoped in SQL. */
public final class RegistryRoles {

    /** Code lists and the factor dictionary are city-wide. */
    public static final String DICTIONARY_WRITE = "hasAnyRole('CITY_ADMIN','OPERATOR')";
    /** Enterprises and everything below them; officers only within their scope (checked per object). */
    public static final String ENTERPRISE_WRITE = "hasAnyRole('CITY_ADMIN','OPERATOR','DISTRICT_OFFICER')";

    private RegistryRoles() {
    }
}

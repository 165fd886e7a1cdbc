package com.powerwatch.platform.emergency;

/** Who may change what in 重污染天气应急 (reads are scoped by AccessScope). */
public final class EmergencyRoles {

    /** Plans and rotation: city administrators and district officers (their districts). */
    public static final String PLAN_WRITE = "hasAnyRole('CITY_ADMIN','DISTRICT_OFFICER')";
    /** Warnings are issued by the city: city administrators only. */
    public static final String WARNING_WRITE = "hasRole('CITY_ADMIN')";
    /** Board and reports: the officers (an enterprise sees its own plan only). */
    public static final String OFFICERS = "hasAnyRole('CITY_ADMIN','DISTRICT_OFFICER','OPERATOR','API_CLIENT')";

    private EmergencyRoles() {
    }
}

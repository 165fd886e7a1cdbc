package com.powerwatch.platform.auth;

/** Who a user is to PowerWatch. What each may see is decided by {@link AccessScope}; what each may change by the controllers. */
public enum Role {
    /** 市局管理员: everything, including users and the audit log. */
    CITY_ADMIN,
    /** 运维人员: sees everything, maintains the registry, thresholds and data checks; no user management. */
    OPERATOR,
    /** 区县人员: sees and maintains only the enterprises of the regions assigned to them. */
    DISTRICT_OFFICER,
    /** 企业用户: sees only its own enterprise. */
    ENTERPRISE_USER,
    /** Another bureau system using the data-sharing interfaces with an API token: read only, optionally region-scoped. */
    API_CLIENT;

    /** The Spring Security authority name, for {@code hasRole(...)} checks. */
    public String authority() {
        return "ROLE_" + name();
    }
}

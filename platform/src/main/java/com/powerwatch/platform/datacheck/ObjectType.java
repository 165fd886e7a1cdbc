package com.powerwatch.platform.datacheck;

/** What a finding is about. */
public enum ObjectType {
    ENTERPRISE, FACILITY, POINT
}

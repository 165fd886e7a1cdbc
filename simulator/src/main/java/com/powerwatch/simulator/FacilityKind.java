package com.powerwatch.simulator;

/** What a meter measures, as the platform classifies measuring points (企业总电 / 产污设施 / 治污设施). */
public enum FacilityKind {
    /** The enterprise's total meter (企业总电). */
    TOTAL,
    /** A production facility (产污设施). */
    PRODUCTION,
    /** A pollution-treatment facility (治污设施). */
    TREATMENT
}

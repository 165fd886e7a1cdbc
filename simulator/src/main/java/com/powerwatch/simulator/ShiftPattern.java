package com.powerwatch.simulator;

/** When an enterprise produces. Discrete plants follow shifts; continuous processes run around the clock. */
public enum ShiftPattern {
    /** 08:00–20:00 with a lunch break, Sundays off. */
    DAY,
    /** 07:00–23:30 with two short breaks, every day. */
    TWO_SHIFTS,
    /** Around the clock, no breaks. */
    CONTINUOUS,
    /** 08:00–20:00 with a lunch break, Monday to Friday: Saturdays and Sundays off. */
    DAY_WEEKDAYS
}

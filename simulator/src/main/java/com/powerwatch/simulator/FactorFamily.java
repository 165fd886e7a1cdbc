package com.powerwatch.simulator;

/**
 * How a data logger names its electricity factors. Real vendors differ, so the platform's factor
 * dictionary must map both (see hj212-protocol-notes §3.2).
 */
public enum FactorFamily {
    /**
     * {@code <6-digit meter id>-<quantity>}: {@code 100000-Ia}, {@code -Ib}, {@code -Ic} (A), {@code -Ua},
     * {@code -Ub}, {@code -Uc} (V, phase), {@code -Pt} (kW), {@code -Qt} (kvar), {@code -PF}, {@code -Ept} (kWh,
     * cumulative), {@code -Flag}. Meter 100000 is the enterprise total, 100001.. the facilities.
     */
    A,
    /**
     * {@code ea3001<facility 2 digits><item 2 digits>-Rtd} with {@code -Flag}: items 01/02/03 Ia/Ib/Ic (A),
     * 05 total P (kW), 06 total Q (kvar), 07 active energy (kWh), 09 PF, 10/11/12 Ua/Ub/Uc (V).
     * Facility 01 is the enterprise total, 02.. the facilities.
     */
    B,
    /** Per logger: even indexes speak family A, odd ones family B. */
    MIXED;

    /** The family of logger {@code index} under this setting. */
    FactorFamily forLogger(int index) {
        if (this == MIXED) {
            return index % 2 == 0 ? A : B;
        }
        return this;
    }
}

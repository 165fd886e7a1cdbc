package com.powerwatch.simulator;

import java.util.List;

/**
 * One simulated data logger (= one enterprise): what the platform needs to register it.
 *
 * @param index   0-based position in the fleet
 * @param mn      its MN (24 characters)
 * @param family  the factor-code family it speaks
 * @param shift   its production pattern
 * @param meters  the total meter first, then production, then treatment facilities
 */
public record LoggerInfo(int index, String mn, FactorFamily family, ShiftPattern shift, List<MeterInfo> meters) {
    public LoggerInfo {
        meters = List.copyOf(meters);
    }
}

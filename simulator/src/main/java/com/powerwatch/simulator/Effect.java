package com.powerwatch.simulator;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * One injected change to a simulated enterprise, active for the samples whose DataTime lies in [from, to).
 * Physical effects change what a facility draws; measurement effects change what its meter reports; transport
 * effects change what the logger sends. Mutable (frozen snapshot, one-shot reset), so every model gets its own
 * copies from {@link ViolationPlan#effects(int)}.
 */
final class Effect {

    enum Op {
        /** Physical: the facility draws nothing. */
        OFF,
        /** Physical: the facility's power × value. */
        SCALE,
        /** Physical: the facility draws value × rated power (no load wander). */
        LEVEL,
        /** Physical: the facility runs at its normal level although its shift says off (ramp from {@code from}). */
        RUN,
        /** Measurement: all three voltages ≈ 0, current and power 0, the register stands still. */
        POWER_LOSS,
        /** Measurement: the voltage of phase {@code value} (0..2) ≈ 0; P as the meter computes it from its phases. */
        PHASE_LOSS,
        /** Measurement: every value repeats the first sample of the window; the register stands still. */
        FROZEN,
        /** Measurement: P and Q sent in W / var instead of kW / kvar (× 1000). */
        UNIT_W,
        /** Measurement: P sent × value, away from 3·U·I·PF. */
        P_MISMATCH,
        /** Measurement: the register advances value × faster than the power allows. */
        ENERGY_RUNAWAY,
        /** Measurement (legitimate): the register restarts from 0 at the first sample of the window. */
        RESET,
        /** Transport: the meter's items are left out of the frames. */
        OMIT,
        /** Transport: the meter's items carry Flag = (char) value. */
        FLAG,
        /** Transport: the logger disconnects and sends nothing. */
        LOGGER_OFFLINE
    }

    /** The STATE column of a reading: what the packet factory does with the meter. */
    static final double STATE_NORMAL = 0;
    static final double STATE_OMIT = 1;

    final Op op;
    /** 0 = total meter, 1.. = facilities, -1 = the whole logger. */
    final int meter;
    final long from;
    final long to;
    final double value;
    double[] snapshot;
    boolean applied;

    Effect(Op op, int meter, LocalDateTime from, LocalDateTime to, double value) {
        this.op = op;
        this.meter = meter;
        this.from = seconds(from);
        this.to = seconds(to);
        this.value = value;
    }

    static long seconds(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC);
    }

    boolean active(long t) {
        return t >= from && t < to;
    }

    Effect copy() {
        Effect e = new Effect(op, meter, LocalDateTime.ofEpochSecond(from, 0, ZoneOffset.UTC),
                LocalDateTime.ofEpochSecond(to, 0, ZoneOffset.UTC), value);
        return e;
    }

    @Override
    public String toString() {
        return op + "@" + meter + "[" + LocalDateTime.ofEpochSecond(from, 0, ZoneOffset.UTC) + ","
                + LocalDateTime.ofEpochSecond(to, 0, ZoneOffset.UTC) + ")=" + value;
    }
}

package com.powerwatch.platform.telemetry;

/**
 * One facility's running state, decided from its power (or current) sample by sample — pure, no I/O, so that it
 * can be tested on its own (docs/analysis-models.md §1). The one derivation of the state: the alarm engine and the
 * real-time state ({@link RealtimeState}, the map) each keep one per facility, with the thresholds of
 * {@link FacilityThresholds}; only their debounce differs (the map shows every sample's verdict at once).
 *
 * <ul>
 *   <li>{@code STOPPED}: value &lt; stopBelow, or in the band [stopBelow, runAbove) coming from a stop;</li>
 *   <li>{@code RUNNING}: value ≥ runAbove;</li>
 *   <li>{@code LOW}: in the band [stopBelow, runAbove) coming from a run (idle / 空转) — the hysteresis: a
 *       facility switches on only by crossing runAbove and off only by falling below stopBelow;</li>
 *   <li>{@code ABNORMAL}: on, value ≥ runAbove but below abnormalBelow (treatment 降频/空转);</li>
 *   <li>{@code FAULT}: a meter or supply fault (all phase voltages ≈ 0, one phase ≈ 0) — never read as a stop;</li>
 *   <li>{@code OFFLINE}: no data (set by the owner's offline timer);</li>
 *   <li>{@code UNKNOWN}: no value, or no thresholds.</li>
 * </ul>
 * Debounce: a new state is taken only after {@code debounce} consecutive samples agree; its {@code since} is the
 * data time of the first of them. The first decision (from UNKNOWN) is taken at once. Samples not newer than the
 * last one are ignored, which makes a replay harmless.
 */
public final class FacilityStateMachine {

    public enum State {
        UNKNOWN, STOPPED, LOW, RUNNING, ABNORMAL, FAULT, OFFLINE;

        /** Switched on: RUNNING, LOW (idle) or ABNORMAL. */
        public boolean on() {
            return this == RUNNING || this == LOW || this == ABNORMAL;
        }

        /** A verdict on the facility itself (on or STOPPED), as opposed to "we cannot tell". */
        public boolean known() {
            return on() || this == STOPPED;
        }
    }

    /** stopBelow ≤ runAbove; abnormalBelow null = no abnormal band. */
    public record Thresholds(double stopBelow, double runAbove, Double abnormalBelow) {
    }

    private State state = State.UNKNOWN;
    private String reason = "NO_DATA";
    private long since;
    private long lastTs = Long.MIN_VALUE;
    /** The last on/off decision (null: none yet): the band's memory, kept through faults and silence. */
    private Boolean on;

    private State candidate;
    private String candidateReason;
    private long candidateSince;
    private int candidateCount;

    /** The machine as it was before its latest sample, so that {@link #revise} can decide that sample again. */
    private Memo beforeLast;

    private record Memo(State state, String reason, long since, long lastTs, Boolean on, State candidate,
                        String candidateReason, long candidateSince, int candidateCount) {
    }

    public State state() {
        return state;
    }

    public String reason() {
        return reason;
    }

    public long since() {
        return since;
    }

    public long lastTs() {
        return lastTs;
    }

    /**
     * One sample at data time {@code ts}: {@code value} (kW or A; null = not reported), {@code fault} (a meter
     * fault reason, or null), the thresholds (null = none known). Returns true when the state changed.
     */
    public boolean update(long ts, Double value, String fault, Thresholds t, int debounce) {
        if (ts <= lastTs) {
            return false;
        }
        beforeLast = new Memo(state, reason, since, lastTs, on, candidate, candidateReason, candidateSince, candidateCount);
        lastTs = ts;
        State next;
        String nextReason = null;
        if (fault != null) {
            next = State.FAULT;
            nextReason = fault;
        } else if (value == null) {
            next = State.UNKNOWN;
            nextReason = "NO_VALUE";
        } else if (t == null) {
            next = State.UNKNOWN;
            nextReason = "NO_THRESHOLDS";
        } else if (value >= t.runAbove()) {
            next = t.abnormalBelow() != null && value < t.abnormalBelow() ? State.ABNORMAL : State.RUNNING;
            if (next == State.ABNORMAL) {
                nextReason = "BELOW_NORMAL";
            }
        } else if (value < t.stopBelow()) {
            next = State.STOPPED;
        } else {
            // the band keeps the last on/off decision; with none yet the facility draws more than its stop
            // threshold, so it counts as switched on (idle)
            next = on == null || on ? State.LOW : State.STOPPED;
            if (next == State.LOW) {
                nextReason = "LOW_LOAD";
            }
        }
        if (next == state && java.util.Objects.equals(nextReason, reason)) {
            candidate = null;
            candidateCount = 0;
            return false;
        }
        if (next != candidate || !java.util.Objects.equals(nextReason, candidateReason)) {
            candidate = next;
            candidateReason = nextReason;
            candidateSince = ts;
            candidateCount = 0;
        }
        candidateCount++;
        boolean first = state == State.UNKNOWN && "NO_DATA".equals(reason);
        if (candidateCount < Math.max(1, debounce) && !first && next != State.UNKNOWN) {
            return false;
        }
        boolean changed = next != state;
        if (changed) {
            since = candidateSince;
        }
        state = next;
        reason = nextReason;
        if (next.known()) {
            on = next.on();
        }
        candidate = null;
        candidateCount = 0;
        return changed;
    }

    /**
     * Like {@link #update}, except that a sample at the latest data time is decided again from the state before it
     * instead of being ignored: the real-time state re-evaluates a facility when another meter's values for the
     * same DataTime arrive, a meter goes offline, or the registry's thresholds change. Returns true when the
     * state differs from the one before the call.
     */
    public boolean revise(long ts, Double value, String fault, Thresholds t, int debounce) {
        if (ts != lastTs || beforeLast == null) {
            return update(ts, value, fault, t, debounce);
        }
        State was = state;
        Memo m = beforeLast;
        state = m.state();
        reason = m.reason();
        since = m.since();
        lastTs = m.lastTs();
        on = m.on();
        candidate = m.candidate();
        candidateReason = m.candidateReason();
        candidateSince = m.candidateSince();
        candidateCount = m.candidateCount();
        update(ts, value, fault, t, debounce);
        return state != was;
    }

    /** No data any more (the owner's offline timer): OFFLINE from {@code at}; the on/off memory is kept. */
    public boolean offline(long at) {
        if (state == State.OFFLINE) {
            return false;
        }
        state = State.OFFLINE;
        reason = null;
        since = at;
        candidate = null;
        candidateCount = 0;
        return true;
    }
}

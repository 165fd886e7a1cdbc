package com.powerwatch.platform.analysis;

import com.powerwatch.platform.telemetry.RegistrySnapshot;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the engine keeps per metering point: its latest sample, its silence, and the counters of its meter models. */
final class PointTrack {
    final RegistrySnapshot.Point def;
    long lastTs;
    long receivedAt;
    long interval;
    Map<String, Object> values = Map.of();
    boolean invalid;
    String fault;
    long faultSince;
    int invalidCount;
    long invalidSince;
    Double frozenP;
    Double frozenE;
    int frozenCount;
    long frozenSince;
    int impossibleCount;
    long impossibleSince;
    Double prevP;
    Double prevE;
    long prevTs;
    boolean offline;
    long offlineAt;
    /** The data clock when this point's latest frame was received ({@link DataClock}). */
    long heardClock;
    /** The latest data time received for this point (taken or not: a re-send, a sample behind a future one). */
    long heardTs;

    PointTrack(RegistrySnapshot.Point def) {
        this.def = def;
    }

    /** The evidence every meter alarm starts from: the meter, its logger, the data time and the sample's values. */
    Map<String, Object> evidence(long ts) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("point", def.name());
        ev.put("mn", def.mn());
        ev.put("dataTime", AlarmEngine.iso(ts));
        ev.put("values", new LinkedHashMap<>(values));
        return ev;
    }
}

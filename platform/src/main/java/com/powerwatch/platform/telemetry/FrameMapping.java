package com.powerwatch.platform.telemetry;

import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.frame.DecodedFrames;
import com.powerwatch.ingest.frame.ReceivedFrame;
import com.powerwatch.ingest.journal.JournalEntry;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Journal records → canonical point samples, through a {@link RegistrySnapshot}: the one mapping every consumer
 * that needs canonical values uses (the telemetry consumer, the alarm engine). Valid frames of registered MNs with
 * CN 2011 (real-time), 2051 (minute) or 2061 (hour) data are mapped per point; values for the same (point, DataTime)
 * merge within the batch ({@link CanonicalSample#merge}). Frames of MNs without a {@code data_logger} row are
 * counted per MN in {@link Result#unregistered()}.
 */
public final class FrameMapping {

    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    private static final Set<String> DATA_CNS = Set.of("2011", "2051", "2061");

    private FrameMapping() {
    }

    /** A (point, DataTime) key: one canonical sample per key and batch. */
    public record SampleKey(long pointId, long tsMillis) {
    }

    /** Frames of an MN without a data_logger row, as seen in one batch. */
    public static final class Unregistered {
        long first = Long.MAX_VALUE;
        long last;
        long frames;
        String peer;
    }

    /** One sub-packet of a split upload (PNUM &gt; 1): which points of which (MN, CN, DataTime) it carried. */
    public record SplitPart(String mn, String cn, long tsMillis, int pnum, int pno, Set<Long> pointIds) {
    }

    /**
     * @param samples      merged samples in journal order of their first frame
     * @param unregistered frames of unregistered MNs, by MN
     * @param days         the China days of the mapped samples' DataTimes
     * @param splitParts   the sub-packets of split uploads, so a consumer that judges a sample as a whole can wait
     *                     for the rest of an upload that a batch boundary cut
     */
    public record Result(Map<SampleKey, CanonicalSample> samples, Map<String, Unregistered> unregistered,
                         Set<LocalDate> days, List<SplitPart> splitParts) {
    }

    /** Maps a batch; {@code decoded} is the journal's shared decoded records (each record decoded once for all consumers). */
    public static Result map(List<JournalEntry> entries, RegistrySnapshot snapshot, DecodedFrames decoded) {
        Map<SampleKey, CanonicalSample> samples = new LinkedHashMap<>(entries.size() * 4);
        Map<String, Unregistered> unregistered = new HashMap<>();
        Set<LocalDate> days = new HashSet<>();
        List<SplitPart> splitParts = new ArrayList<>();
        for (JournalEntry e : entries) {
            DecodedFrames.Decoded d;
            try {
                d = decoded.get(e);
            } catch (IllegalArgumentException bad) {
                continue; // the store writer counts corrupt records
            }
            ReceivedFrame f = d.frame();
            if (!f.valid() || f.mn() == null) {
                continue;
            }
            if (!snapshot.registered(f.mn())) {
                Unregistered u = unregistered.computeIfAbsent(f.mn(), k -> new Unregistered());
                u.first = Math.min(u.first, f.receivedAtMillis());
                u.last = Math.max(u.last, f.receivedAtMillis());
                u.frames++;
                u.peer = f.peer();
                continue;
            }
            Map<String, List<RegistrySnapshot.Target>> targets = snapshot.targets(f.mn());
            if (targets == null || !DATA_CNS.contains(f.cn())) {
                continue;
            }
            Packet p = d.packet();
            LocalDateTime dataTime = p.cp().dataTimeValue();
            if (dataTime == null) {
                continue;
            }
            long ts = dataTime.toInstant(CHINA).toEpochMilli();
            Map<Long, CanonicalSample> frameSamples = new HashMap<>(4);
            for (Map.Entry<String, String> v : p.cp().values().entrySet()) {
                List<RegistrySnapshot.Target> to = targets.get(v.getKey());
                if (to == null) {
                    continue;
                }
                for (RegistrySnapshot.Target t : to) {
                    RegistrySnapshot.Point point = snapshot.points().get(t.pointId());
                    frameSamples.computeIfAbsent(t.pointId(), id -> new CanonicalSample(id, ts))
                            .put(t.mapping(), v.getValue(), point.ct(), point.pt());
                }
            }
            for (CanonicalSample s : frameSamples.values()) {
                s.receivedAtMillis = f.receivedAtMillis();
                CanonicalSample earlier = samples.putIfAbsent(new SampleKey(s.pointId, ts), s);
                if (earlier != null) {
                    earlier.merge(s);
                }
            }
            if (!frameSamples.isEmpty()) {
                days.add(dataTime.toLocalDate());
                if (p.pnum() != null && p.pnum() > 1 && p.pno() != null) {
                    splitParts.add(new SplitPart(f.mn(), f.cn(), ts, p.pnum(), p.pno(), frameSamples.keySet()));
                }
            }
        }
        return new Result(samples, unregistered, days, splitParts);
    }
}

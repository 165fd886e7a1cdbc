#!/usr/bin/env python3
"""Alarm engine throughput (issue 5: "the engine keeps up with the 100,000 values/s ingestion target"): the engine
alone re-reads a whole journal as fast as it can.

Starts the platform on the data directory an alarm_eval.py run left (bench/work/alarm_eval/data: its embedded
PostgreSQL with the registry, samples, aggregates and alarms, and its journal of a simulated week) with the alarm
engine under a new consumer name, so that it reads the journal from the oldest record while nothing else runs: no
logger connects, the telemetry's offset is already at the end. All sixteen models run as in production, the history
models with their queries on the aggregates (raises of what is already recorded are ignored by the recorder). Prints
the replay's frames/s and values/s (wall clock, from the first to the last batch) and the engine thread's CPU per
frame next to the target.

  python3 bench/scripts/alarm_eval.py --loggers 1000 --days 7 --speedup 240   (leaves bench/work/alarm_eval/data)
  python3 bench/scripts/engine_replay.py
"""
import argparse, os, subprocess, sys, time

import pwapi

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATFORM = os.path.join(ROOT, "platform/target/platform-0.1.0-SNAPSHOT.jar")
DATA = os.path.join(ROOT, "bench/work/alarm_eval/data")
HTTP_PORT, GW_PORT, PG_PORT = 18484, 19484, 55483
TARGET_VALUES = 100_000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--poll", type=float, default=5, help="seconds between samples of the engine's progress")
    a = ap.parse_args()
    if not os.path.exists(PLATFORM):
        sys.exit("build first: mvn -q -pl platform -am package -DskipTests")
    if not os.path.isdir(os.path.join(DATA, "journal")):
        sys.exit("no journal: run bench/scripts/alarm_eval.py first (it leaves " + DATA + ")")
    consumer = f"engine-replay-{int(time.time())}"
    log = open(os.path.join(ROOT, "bench/work/engine_replay.log"), "w")
    plat = subprocess.Popen(["java", "-Xmx6g", "-jar", PLATFORM, f"--powerwatch.data-dir={DATA}",
                             f"--server.port={HTTP_PORT}", f"--powerwatch.gateway.port={GW_PORT}",
                             f"--powerwatch.embedded-postgres.port={PG_PORT}",
                             f"--powerwatch.analysis.consumer={consumer}"] + pwapi.platform_args(),
                            stdout=log, stderr=log)
    try:
        token = pwapi.await_sign_in(HTTP_PORT, plat, 180)
        if token is None:
            sys.exit("platform did not start; see bench/work/engine_replay.log")
        values_per_frame = float(pwapi.psql_rows(PG_PORT, pwapi.VALUES_PER_FRAME_SQL)[0][0])
        first = last = None
        while True:
            s = pwapi.get(HTTP_PORT, "/api/analysis/engine", token, timeout=60)
            now = {"t": time.time(), "batches": s["batches"], "lag": s["lag"], "samples": s["samples"],
                   "cpu": pwapi.thread_cpu(plat.pid).get(consumer[:15], 0.0)}  # the thread bears the consumer's name
            if first is None and now["batches"] > 0:
                first = now
            if first is not None:
                print(f"[{now['t'] - first['t']:6.0f} s] lag {now['lag']:,} records, {now['samples']:,} samples taken, "
                      f"data clock {s['dataClock']}", flush=True)
                if last is not None and now["lag"] == 0 and now["samples"] == last["samples"]:
                    break
            last = now
            time.sleep(a.poll)
        # measured from the first sample that saw a batch: the frames still to read then, the time and CPU since
        frames = first["lag"]
        wall = last["t"] - first["t"]
        cpu = last["cpu"] - first["cpu"]
        fps = frames / wall
        print()
        print(f"replayed {frames:,} frames ({last['samples'] - first['samples']:,} point samples) in {wall:.0f} s on 2 cores: "
              f"{fps:,.0f} frames/s ≈ {fps * values_per_frame:,.0f} values/s at {values_per_frame:.0f} values per frame "
              f"(target: keep up with {TARGET_VALUES:,} values/s: "
              f"{'met' if fps * values_per_frame >= TARGET_VALUES else 'NOT met'})")
        print(f"engine thread CPU {cpu:.0f} s = {cpu / frames * 1e6:.0f} µs per frame "
              f"→ {frames / cpu * values_per_frame:,.0f} values/s per core")
    finally:
        pwapi.stop(plat)
        log.close()


if __name__ == "__main__":
    main()

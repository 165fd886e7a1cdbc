#!/usr/bin/env python3
"""Telemetry consumer benchmark (issue 4): does the real-time pipeline keep up with a city's fleet?

Starts the platform jar with --demo on a fresh embedded PostgreSQL: N simulated loggers (default 5,000, every 4 s,
about the load of the ingestion benchmark) are registered in the registry, so every frame is mapped to canonical
samples, written to point_sample with its aggregates refreshed, and applied to the real-time state. The simulator
runs inside the platform's JVM here (the ingestion benchmark runs it as a separate process), so the figures are a
lower bound for the platform alone. Samples /api/ingest/stats every 2 s and prints, over the steady window:

  frames/s journaled (arrival)   vs   records/s the telemetry consumer committed
  telemetry lag: p95 / max in records and in seconds of arrival (lag / arrival rate)
  point_sample rows and aggregate rows written, platform CPU

Target: the consumer keeps up — its rate equals the arrival rate and the lag stays bounded (p95 under 5 s).

  mvn -q -pl platform -am package -DskipTests
  python3 bench/scripts/telemetry_bench.py [--loggers 5000] [--interval 4s] [--duration 180] [--warmup 60]
"""
import argparse, os, shutil, subprocess, sys, time

import pwapi

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATFORM = os.path.join(ROOT, "platform/target/platform-0.1.0-SNAPSHOT.jar")
HTTP_PORT, GW_PORT, PG_PORT = 18482, 19482, 55482
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in parts[11:13]) / TICK


def machine_busy():
    """(busy, total) jiffies of the whole machine from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v) - idle, sum(v)


def postgres_cpu(data_dir):
    """CPU seconds of the embedded PostgreSQL's processes (postmaster and backends)."""
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
            if b"postgres" in cmd and (data_dir.encode() in cmd or b"postgres:" in cmd):
                total += cpu_seconds(int(pid))
        except OSError:
            pass
    return total


def psql(sql):
    r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "postgres", "-At", "-c", sql],
                       capture_output=True, text=True)
    return r.stdout.strip() or r.stderr.strip()


def pct(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loggers", type=int, default=5000)
    ap.add_argument("--interval", default="4s")
    ap.add_argument("--duration", type=int, default=180, help="seconds measured after the warm-up")
    ap.add_argument("--warmup", type=int, default=60, help="seconds for connects and registration")
    a = ap.parse_args()
    if not os.path.exists(PLATFORM):
        sys.exit("build first: mvn -q -pl platform -am package -DskipTests")
    work = os.path.join(ROOT, "bench/work/telemetry")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    log = open(os.path.join(work, "platform.log"), "w")
    plat = subprocess.Popen(["java", "-Xmx4g", "-jar", PLATFORM, "--demo", f"--powerwatch.data-dir={work}/data",
                             f"--server.port={HTTP_PORT}", f"--powerwatch.gateway.port={GW_PORT}",
                             f"--powerwatch.embedded-postgres.port={PG_PORT}", f"--powerwatch.demo.loggers={a.loggers}",
                             f"--powerwatch.demo.interval={a.interval}"] + pwapi.platform_args(), stdout=log, stderr=log)
    try:
        token = pwapi.await_sign_in(HTTP_PORT, plat, 120)
        if token is None:
            sys.exit("platform did not start; see " + log.name)
        print(f"{a.loggers} demo loggers every {a.interval}; warm-up {a.warmup} s ...", flush=True)
        time.sleep(a.warmup)
        samples = []
        t_end = time.time() + a.duration
        while time.time() < t_end:
            s = pwapi.get(HTTP_PORT, "/api/ingest/stats", token)
            j = s["journal"]
            samples.append((time.time(), j["headPosition"], j["consumers"]["telemetry"]["committedPosition"],
                            j["consumers"]["telemetry"]["lag"], cpu_seconds(plat.pid), s["gateway"]["connections"],
                            machine_busy(), postgres_cpu(os.path.join(work, "data")), j["consumers"]["store-writer"]["lag"],
                            {name: c["lag"] for name, c in j["consumers"].items()}))
            time.sleep(2)
        (t0, h0, c0, _, cpu0, _, m0, pg0, _, _), (t1, h1, c1, _, cpu1, conns, m1, pg1, store_lag, _) = samples[0], samples[-1]
        other_lags = {}
        for x in samples:
            for name, lag in x[9].items():
                other_lags.setdefault(name, []).append(lag)
        arrival = (h1 - h0) / (t1 - t0)
        consumed = (c1 - c0) / (t1 - t0)
        lags = [x[3] for x in samples]
        lag_s = [lag / arrival for lag in lags] if arrival > 0 else [float("nan")]
        rows = psql("select (select count(*) from point_sample) || ' samples, ' || (select count(*) from point_agg) || ' aggregate rows'")
        states = pwapi.get(HTTP_PORT, "/api/realtime/enterprises", token)
        with_state = sum(1 for e in states if e.get("state") in ("RUNNING", "STOPPED", "ABNORMAL"))
        print()
        print(f"connections            {conns}")
        print(f"frames/s journaled     {arrival:,.0f}")
        print(f"records/s consumed     {consumed:,.0f}   (telemetry consumer; keeps up when equal to the arrival rate)")
        print(f"telemetry lag p95      {pct(lags, 0.95):,.0f} records = {pct(lag_s, 0.95):.2f} s   target < 5 s")
        print(f"telemetry lag max      {max(lags):,.0f} records = {max(lag_s):.2f} s")
        print(f"telemetry lag at end   {lags[-1]:,.0f} records")
        print(f"store-writer lag at end {store_lag:,.0f} records")
        for name, lags_of in sorted(other_lags.items()):
            print(f"consumer {name:<14} lag p95 {pct(lags_of, 0.95):,.0f} / max {max(lags_of):,.0f} / end {lags_of[-1]:,.0f} records")
        print(f"platform CPU           {(cpu1 - cpu0) / (t1 - t0) * 100:.0f} % of one core (incl. the in-process simulator)")
        print(f"PostgreSQL CPU         {(pg1 - pg0) / (t1 - t0) * 100:.0f} % of one core")
        print(f"machine busy           {(m1[0] - m0[0]) / (m1[1] - m0[1]) * 100:.0f} % of {os.cpu_count()} cores")
        print(f"stored                 {rows}")
        print(f"enterprises with state {with_state} of {len(states)}")
        print(f"alarms raised          {psql('select count(*) from alarm')}")
    finally:
        pwapi.stop(plat)


if __name__ == "__main__":
    main()

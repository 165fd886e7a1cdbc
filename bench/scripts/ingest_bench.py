#!/usr/bin/env python3
"""End-to-end ingestion benchmark (issue 3).

Starts the platform jar on a fresh embedded PostgreSQL, drives it with the simulator jar (N concurrent
loggers over loopback TCP), samples /api/ingest/stats every second, and prints the figures next to the
targets: values/s and frames/s stored (sustained), p99 ack latency (gateway: frame received -> 9014
written), p99 receive-to-queryable (now - receive time of the newest stored frame, sampled each second),
CPU and memory of both processes, and lost / duplicated counts from the database against the
simulator's own acknowledged count.

  python3 bench/scripts/ingest_bench.py --loggers 5000 --duration 240 --speedup 40
  python3 bench/scripts/ingest_bench.py --loggers 10000 --duration 120 --speedup 2 --connections-only --unregistered
  python3 bench/scripts/ingest_bench.py --loggers 500 --backfill-hours 24 --duration 120     # the back-fill burst

By default the loggers are registered (the platform registers the simulator's fleet: same count, seed and password,
powerwatch.demo.connect=false), so every frame goes through all three journal consumers: the store writer, the
telemetry consumer (point_sample, aggregates, real-time state) and the alarm engine. --unregistered measures the
store writer alone (the others only count unknown MNs). Issue 15 adds per-consumer rates and lags, the ratio to the
5,000 frames/s target, CPU per process (platform JVM, PostgreSQL, simulator) and per JVM thread kind, and the cost
breakdown per frame and stage (wall and CPU microseconds; wall minus CPU is mostly waiting for PostgreSQL).

--backfill-hours H: the back-fill burst. The simulated clock starts H hours back and runs H hours in --duration real
seconds, so every logger sends H hours of minute data (60 frames/h of real-time data, in sub-packets) as a burst;
the figures are how long until everything is stored and queryable.

Build first: mvn -q -pl platform,simulator -am package -DskipTests
"""
import argparse, datetime, json, os, shutil, signal, subprocess, sys, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pwapi  # noqa: E402  (signing in to the platform the benchmark starts)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATFORM = os.path.join(ROOT, "platform/target/platform-0.1.0-SNAPSHOT.jar")
SIMULATOR = os.path.join(ROOT, "simulator/target/simulator.jar")
TICK = os.sysconf("SC_CLK_TCK")
PASSWORD = "Bench4Tput"   # every simulated logger's PW; the platform registers the fleet with it
TARGET_FPS = 5000         # issue 15: 5,000 frames/s end to end


def cpu_seconds(pid):
    """CPU time of a process and its children that were waited for (utime+stime+cutime+cstime)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            parts = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in parts[11:15]) / TICK
    except OSError:
        return 0.0


def tree_pids(pid):
    out = [pid]
    try:
        kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        for k in kids:
            out += tree_pids(int(k))
    except Exception:
        pass
    return out


def rss_mb(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


TOKEN = None


def stats(port):
    global TOKEN
    if TOKEN is None:
        TOKEN = pwapi.sign_in(port)
    return pwapi.get(port, "/api/ingest/stats", TOKEN, timeout=5)


def psql(pg_port, sql):
    # the platform's own JDBC is not reachable from here; use the server's psql if present, else the API
    return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(pg_port), "-U", "postgres", "-d", "postgres",
                           "-At", "-c", sql], capture_output=True, text=True, env={**os.environ, "PGPASSWORD": ""})


def x_started(pid, seen):
    """A process first seen mid-run counts from its first sample (its earlier CPU was start-up)."""
    return pid not in seen


def bucket_p99(first, last):
    """p99 in ms from the difference of two cumulative latency histograms (bucket i <= 1.09^i us)."""
    diff = [b - a for a, b in zip(first, last)]
    total = sum(diff)
    if total == 0:
        return float("nan")
    rank, seen = 0.99 * total, 0
    for i, n in enumerate(diff):
        seen += n
        if seen >= rank:
            return 1.09 ** i / 1000.0
    return float("nan")


def postgres_pid(work):
    try:
        with open(os.path.join(work, "data", "postgres", "postmaster.pid")) as f:
            pid = int(f.readline().strip())
        return pid if pid > 0 else None
    except (OSError, ValueError):
        return None


def pct(values, q):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loggers", type=int, default=5000)
    ap.add_argument("--duration", type=int, default=240, help="seconds of load")
    ap.add_argument("--speedup", type=float, default=40, help="simulated 60 s interval / speedup = real interval")
    ap.add_argument("--interval", default="60s", help="simulated interval of real-time data; with --speedup 1 a short "
                    "interval (3s) makes the load without running the data clock faster than the wall clock (a sped-up "
                    "clock makes the hourly and daily models run speed-up times as often as they would)")
    ap.add_argument("--source-addresses", type=int, default=4)
    ap.add_argument("--work", default=os.path.join(ROOT, "bench/work"))
    ap.add_argument("--connections-only", action="store_true", help="report connections held rather than throughput targets")
    ap.add_argument("--unregistered", action="store_true", help="do not register the fleet (store writer only)")
    ap.add_argument("--backfill-hours", type=float, default=0, help="back-fill burst: H hours of minute data in --duration s")
    ap.add_argument("--http-port", type=int, default=18330)
    ap.add_argument("--gateway-port", type=int, default=19330)
    ap.add_argument("--pg-port", type=int, default=55330)
    ap.add_argument("--platform-arg", action="append", default=[], help="extra platform argument (repeatable)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--platform-jar", default=PLATFORM, help="run this copy of the platform jar (a build may rewrite target/)")
    ap.add_argument("--max-drain", type=int, default=1800, help="seconds to wait for every consumer to catch up")
    a = ap.parse_args()
    if a.backfill_hours > 0:
        a.speedup = a.backfill_hours * 3600 / a.duration

    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    http, gw, pg = a.http_port, a.gateway_port, a.pg_port
    plat_log = open(os.path.join(a.work, "platform.log"), "w")
    fleet_args = [] if a.unregistered else [
        "--powerwatch.demo.enabled=true", f"--powerwatch.demo.loggers={a.loggers}", f"--powerwatch.demo.seed={a.seed}",
        "--powerwatch.demo.connect=false", f"--powerwatch.demo.password={PASSWORD}"]
    plat = subprocess.Popen(["java", "-Xmx2g", "-jar", a.platform_jar, f"--powerwatch.data-dir={a.work}/data",
                             f"--server.port={http}", f"--powerwatch.gateway.port={gw}",
                             f"--powerwatch.embedded-postgres.port={pg}"] + fleet_args + a.platform_arg
                            + pwapi.platform_args(),
                            stdout=plat_log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _ in range(600):  # registering 5,000 loggers on a loaded machine takes minutes
            try:
                stats(http)
                break
            except Exception:
                time.sleep(1)
        else:
            sys.exit("platform did not start; see " + plat_log.name)
        if not a.unregistered:
            for _ in range(300):
                if "not connecting them" in open(plat_log.name).read():
                    break
                time.sleep(1)
            else:
                sys.exit("the fleet was not registered; see " + plat_log.name)
        print(f"platform up (pid {plat.pid}); starting {a.loggers} simulated loggers", flush=True)
        sim_out = open(os.path.join(a.work, "simulator-report.json"), "w")
        sim_err = open(os.path.join(a.work, "simulator.log"), "w")
        # the simulated clock runs speedup × faster than the wall clock: start it in the past so that it reaches
        # now when the load ends, or the gateway quarantines the frames dated ahead of their receive time
        # (powerwatch.quarantine.future-tolerance, docs/ingest.md) and nothing would be stored
        china = datetime.timezone(datetime.timedelta(hours=8))
        start = datetime.datetime.now(china).replace(tzinfo=None, microsecond=0) \
            - datetime.timedelta(seconds=a.duration * a.speedup + 120)
        sim = subprocess.Popen(["java", "-Xmx3g", "-jar", SIMULATOR, "--host", "127.0.0.1", "--port", str(gw),
                                "--loggers", str(a.loggers), "--interval", a.interval, "--speedup", str(a.speedup),
                                "--duration", f"{a.duration}s", "--source-addresses", str(a.source_addresses),
                                "--start", start.isoformat(), "--seed", str(a.seed), "--password", PASSWORD],
                               stdout=sim_out, stderr=sim_err, start_new_session=True)
        samples = []
        t0 = time.time()
        cpu = {"platform JVM": 0.0, "PostgreSQL": 0.0, "simulator": 0.0}
        last_cpu = {}
        peak_rss = 0

        def sample(s):
            now_ms = time.time() * 1000
            st = s["store"]
            cons = s.get("consumers", {})
            x = {"t": time.time() - t0, "values": st["valuesStored"], "frames": st["framesStored"],
                 "fresh": now_ms - st["lastReceivedAtStoredMillis"] if st["lastReceivedAtStoredMillis"] else None,
                 "conns": s["gateway"]["connections"], "lag": st["lag"], "ack": s["gateway"]["ackLatency"],
                 "journal": s["journal"]["recordsAppended"],
                 "consumers": {n: {"lag": c["lag"], "records": c["costs"]["records"], "stages": c["costs"]["stages"],
                                   "pgCpu": cpu_seconds(c["postgresBackendPid"]) if c.get("postgresBackendPid") else 0.0}
                               for n, c in cons.items()},
                 "threads": s.get("threadCpuMillis", {}), "cpu": dict(cpu)}
            samples.append(x)
            return x

        def measure_cpu():
            nonlocal peak_rss
            pg_root = postgres_pid(a.work)
            trees = (("platform JVM", tree_pids(plat.pid)), ("PostgreSQL", tree_pids(pg_root) if pg_root else []),
                     ("simulator", tree_pids(sim.pid) if sim.poll() is None else []))
            peak_rss = max(peak_rss, rss_mb(trees[0][1] + trees[1][1]))
            # sum of per-process deltas (PostgreSQL backends come and go; the simulator is gone at the end)
            for owner, pids in trees:
                for p in pids:
                    c = cpu_seconds(p)
                    delta = c - last_cpu.get(p, c if x_started(p, last_cpu) else 0.0)
                    last_cpu[p] = c
                    cpu[owner] += max(0.0, delta)

        while sim.poll() is None:
            time.sleep(1)
            try:
                s = stats(http)
            except Exception as e:
                print("stats failed:", e)
                continue
            measure_cpu()
            x = sample(s)
            if len(samples) % 10 == 0:
                lags = " ".join(f"{n}={c['lag']}" for n, c in x["consumers"].items())
                print(f"t={x['t']:.0f}s conns={x['conns']} journal={x['journal']} stored frames={x['frames']} "
                      f"lags: {lags} fresh={x['fresh'] or 0:.0f}ms", flush=True)
        elapsed = time.time() - t0
        # let every consumer finish what was acknowledged before counting losses
        drain_start = time.time()
        drained_at = {}
        while time.time() - drain_start < a.max_drain:
            try:
                s = stats(http)
            except Exception as e:
                print("stats failed:", e)
                continue
            measure_cpu()
            x = sample(s)
            for n, c in x["consumers"].items():
                if c["lag"] == 0 and n not in drained_at:
                    drained_at[n] = time.time() - drain_start
            if s["store"]["lag"] == 0 and all(c["lag"] == 0 for c in x["consumers"].values()):
                break
            time.sleep(1)
        drained = time.time() - drain_start
        report = json.load(open(sim_out.name))
        # steady window: drop the first 30 s (connect ramp) and the last 5 s of the load
        load = [x for x in samples if x["t"] <= elapsed]
        steady = [x for x in load if 30 <= x["t"] <= elapsed - 5] if a.backfill_hours <= 0 else load
        if len(steady) < 2:
            sys.exit("run too short for a steady window")
        w0, w1 = steady[0], steady[-1]
        dt = w1["t"] - w0["t"]
        vps = (w1["values"] - w0["values"]) / dt
        fps = (w1["frames"] - w0["frames"]) / dt
        arrival = (w1["journal"] - w0["journal"]) / dt
        fresh = [x["fresh"] for x in steady if x["fresh"] is not None]
        ack = s["gateway"]["ackLatency"]
        q = psql(pg, "select coalesce(sum((select count(*) from jsonb_object_keys(fields))), 0) from reading")
        stored_values = int(q.stdout.strip()) if q.returncode == 0 and q.stdout.strip() else None
        if stored_values is None:
            print("psql not available or failed (" + q.stderr.strip() + "); using the writer's count of values stored")
            stored_values = s["store"]["valuesStored"]
        values_per_frame = vps / fps if fps else 0
        print()
        kind = f"back-fill burst of {a.backfill_hours:g} h" if a.backfill_hours > 0 else "live load"
        print(f"== ingestion benchmark ({kind}): {a.loggers} {'unregistered' if a.unregistered else 'registered'} loggers, "
              f"{elapsed:.0f} s of load at speed-up {a.speedup:g}, {os.cpu_count()} cores, simulator on the same machine ==")
        print(f"window {w0['t']:.0f}-{w1['t']:.0f} s: frames/s journaled (acknowledged) {arrival:,.0f}")
        print(f"store writer: {fps:,.0f} frames/s, {vps:,.0f} values/s | target >= {TARGET_FPS:,} frames/s | ratio {fps/TARGET_FPS:.2f}")
        for n in w1["consumers"]:
            r = (w1["consumers"][n]["records"] - w0["consumers"].get(n, {"records": 0})["records"]) / dt
            lags = [x["consumers"][n]["lag"] for x in steady if n in x["consumers"]]
            print(f"  consumer {n:14s}: {r:8,.0f} frames/s ({r * values_per_frame:10,.0f} values/s) ratio {r/TARGET_FPS:.2f}; "
                  f"lag p95 {pct(lags, 0.95):,} max {max(lags):,} end {lags[-1]:,} records "
                  f"(p95 {pct(lags, 0.95) / arrival if arrival else 0:.1f} s of arrival); drained "
                  f"{drained_at.get(n, float('nan')):.0f} s after the load")
        steady_ack = bucket_p99(w0["ack"]["buckets"], w1["ack"]["buckets"])
        print(f"p99 ack latency (gateway receive -> 9014 written), window: {steady_ack:.1f} ms | target <= 50 ms"
              f" (whole run incl. connect ramp: {ack['p99Millis']:.1f} ms)")
        print(f"p99 receive-to-queryable (store, sampled each second): {pct(fresh, 0.99):,.0f} ms | target <= 2,000 ms")
        print(f"max connections held: {max(x['conns'] for x in samples)}")
        cores = {k: (w1["cpu"][k] - w0["cpu"][k]) / dt for k in cpu}
        print("CPU in the window: " + ", ".join(f"{k} {v:.2f}" for k, v in cores.items())
              + f" cores of {os.cpu_count()}; platform+postgres peak RSS {peak_rss:,.0f} MB")
        th = {k: (v - w0["threads"].get(k, 0)) / 1000 / dt for k, v in w1["threads"].items()}
        print("JVM threads by kind (cores): " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(th.items(), key=lambda i: -i[1]) if v >= 0.01))
        print("JVM threads by kind, µs of CPU per frame journaled: " + ", ".join(
            f"{k} {v * 1e6 / arrival:.1f}" for k, v in sorted(th.items(), key=lambda i: -i[1]) if v >= 0.01 and arrival))
        print("cost per frame and stage in the window (µs of wall / of the consumer thread's CPU; wall - CPU ≈ PostgreSQL):")
        for n in w1["consumers"]:
            c0, c1 = w0["consumers"].get(n, {"records": 0, "stages": {}}), w1["consumers"][n]
            recs = c1["records"] - c0["records"]
            if recs <= 0:
                continue
            tw = tc = 0
            for stage, v in c1["stages"].items():
                b = c0["stages"].get(stage, {"wallMicros": 0, "cpuMicros": 0})
                wall, cpu_us = (v["wallMicros"] - b["wallMicros"]) / recs, (v["cpuMicros"] - b["cpuMicros"]) / recs
                tw, tc = tw + wall, tc + cpu_us
                print(f"  {n:14s} {stage:34s} {wall:8.1f} {cpu_us:8.1f}")
            print(f"  {n:14s} {'total':34s} {tw:8.1f} {tc:8.1f}   (= {1e6 / tw if tw else 0:,.0f} frames/s on one thread)")
            pg_us = (c1["pgCpu"] - c0.get("pgCpu", 0.0)) * 1e6 / recs
            if pg_us > 0:
                print(f"  {n:14s} {'PostgreSQL backend CPU':34s} {'':8s} {pg_us:8.1f}   (its own connection's backend)")
        print(f"simulator: frames acked {report.get('framesAcked')}, values acked {report.get('valuesAcked')}, "
              f"unacked {report.get('framesUnacked')}, resent {report.get('framesResent')}")
        left = {n: c["lag"] for n, c in samples[-1]["consumers"].items() if c["lag"]}
        if left:
            print(f"NOT DRAINED after {drained:.0f} s (--max-drain): lags left {left}; the lost count below is not final")
        else:
            print(f"drain after the load stopped: {drained:.0f} s; everything queryable {elapsed + drained:.0f} s after the load began")
        print(f"stored distinct values {stored_values}; lost = acked - stored = {report.get('valuesAcked', 0) - stored_values} "
              f"(duplicates are impossible by the primary key; re-sends stored once)")
        with open(os.path.join(a.work, "samples.json"), "w") as f:
            json.dump(samples, f)
    finally:
        os.killpg(plat.pid, signal.SIGTERM)
        try:
            plat.wait(30)
        except Exception:
            os.killpg(plat.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""End-to-end ingestion benchmark (issue 3).

Starts the platform jar on a fresh embedded PostgreSQL, drives it with the simulator jar (N concurrent
loggers over loopback TCP), samples /api/ingest/stats every second, and prints the figures next to the
targets: values/s and frames/s stored (sustained), p99 ack latency (gateway: frame received -> 9014
written), p99 receive-to-queryable (now - receive time of the newest stored frame, sampled each second),
CPU and memory of both processes, and lost / duplicated counts from the database against the
simulator's own acknowledged count.

  python3 bench/scripts/ingest_bench.py --loggers 5000 --duration 240 --speedup 40
  python3 bench/scripts/ingest_bench.py --loggers 10000 --duration 120 --speedup 2 --connections-only

Build first: mvn -q -pl platform,simulator -am package -DskipTests
"""
import argparse, datetime, json, os, shutil, signal, subprocess, sys, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pwapi  # noqa: E402  (signing in to the platform the benchmark starts)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATFORM = os.path.join(ROOT, "platform/target/platform-0.1.0-SNAPSHOT.jar")
SIMULATOR = os.path.join(ROOT, "simulator/target/simulator.jar")
TICK = os.sysconf("SC_CLK_TCK")


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
    ap.add_argument("--source-addresses", type=int, default=4)
    ap.add_argument("--work", default=os.path.join(ROOT, "bench/work"))
    ap.add_argument("--connections-only", action="store_true", help="report connections held rather than throughput targets")
    a = ap.parse_args()

    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    http, gw, pg = 18080, 19212, 15432
    plat_log = open(os.path.join(a.work, "platform.log"), "w")
    plat = subprocess.Popen(["java", "-Xmx2g", "-jar", PLATFORM, f"--powerwatch.data-dir={a.work}/data",
                             f"--server.port={http}", f"--powerwatch.gateway.port={gw}",
                             f"--powerwatch.embedded-postgres.port={pg}"] + pwapi.platform_args(),
                            stdout=plat_log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _ in range(120):
            try:
                stats(http)
                break
            except Exception:
                time.sleep(1)
        else:
            sys.exit("platform did not start; see " + plat_log.name)
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
                                "--loggers", str(a.loggers), "--interval", "60s", "--speedup", str(a.speedup),
                                "--duration", f"{a.duration}s", "--source-addresses", str(a.source_addresses),
                                "--start", start.isoformat(), "--seed", "7"],
                               stdout=sim_out, stderr=sim_err, start_new_session=True)
        samples = []
        t0 = time.time()
        plat_cpu = sim_cpu = 0.0
        last_cpu = {}
        peak_rss = 0
        while sim.poll() is None:
            time.sleep(1)
            try:
                s = stats(http)
            except Exception as e:
                print("stats failed:", e)
                continue
            now_ms = time.time() * 1000
            st = s["store"]
            samples.append({"t": time.time() - t0, "values": st["valuesStored"], "frames": st["framesStored"],
                            "fresh": now_ms - st["lastReceivedAtStoredMillis"] if st["lastReceivedAtStoredMillis"] else None,
                            "conns": s["gateway"]["connections"], "lag": st["lag"], "ack": s["gateway"]["ackLatency"]})
            pg_root = postgres_pid(a.work)
            plat_tree = tree_pids(plat.pid) + (tree_pids(pg_root) if pg_root else [])
            peak_rss = max(peak_rss, rss_mb(plat_tree))
            # CPU sampled while running: sum of per-process deltas (the simulator is gone at the end)
            for owner, pids in (("platform", plat_tree), ("simulator", tree_pids(sim.pid))):
                for p in pids:
                    c = cpu_seconds(p)
                    delta = c - last_cpu.get(p, c if x_started(p, last_cpu) else 0.0)
                    last_cpu[p] = c
                    if owner == "platform":
                        plat_cpu += max(0.0, delta)
                    else:
                        sim_cpu += max(0.0, delta)
            if len(samples) % 10 == 0:
                x = samples[-1]
                print(f"t={x['t']:.0f}s conns={x['conns']} frames={x['frames']} values={x['values']} "
                      f"journal lag={x['lag']} fresh={x['fresh']:.0f}ms", flush=True)
        elapsed = time.time() - t0
        # let the writer finish what was acknowledged before counting losses
        drain_start = time.time()
        for _ in range(900):
            s = stats(http)
            if s["store"]["lag"] == 0:
                break
            time.sleep(1)
        report = json.load(open(sim_out.name))
        # steady window: drop the first 30 s (connect ramp) and the last 5 s
        steady = [x for x in samples if 30 <= x["t"] <= elapsed - 5]
        if len(steady) >= 2:
            dt = steady[-1]["t"] - steady[0]["t"]
            vps = (steady[-1]["values"] - steady[0]["values"]) / dt
            fps = (steady[-1]["frames"] - steady[0]["frames"]) / dt
        else:
            vps = fps = float("nan")
        fresh = [x["fresh"] for x in steady if x["fresh"] is not None]
        drained = time.time() - drain_start
        ack = s["gateway"]["ackLatency"]
        q = psql(pg, "select coalesce(sum((select count(*) from jsonb_object_keys(fields))), 0) from reading")
        stored_values = int(q.stdout.strip()) if q.returncode == 0 and q.stdout.strip() else None
        if stored_values is None:
            print("psql not available or failed (" + q.stderr.strip() + "); using the writer's count of values stored")
            stored_values = s["store"]["valuesStored"]
        print()
        print(f"== ingestion benchmark: {a.loggers} loggers, {elapsed:.0f} s, {os.cpu_count()} cores, simulator on the same machine ==")
        print(f"values/s stored (steady {steady[0]['t']:.0f}-{steady[-1]['t']:.0f} s): {vps:,.0f} | target >= 100,000 | ratio {vps/100000:.2f}")
        print(f"frames/s stored: {fps:,.0f}")
        steady_ack = bucket_p99(steady[0]["ack"]["buckets"], steady[-1]["ack"]["buckets"]) if len(steady) >= 2 else float("nan")
        print(f"p99 ack latency (gateway receive -> 9014 written), steady window: {steady_ack:.1f} ms | target <= 50 ms"
              f" (whole run incl. connect ramp: {ack['p99Millis']:.1f} ms)")
        print(f"p99 receive-to-queryable (sampled each second): {pct(fresh, 0.99):,.0f} ms | target <= 2,000 ms")
        print(f"max connections held: {max(x['conns'] for x in samples)}")
        print(f"CPU (sampled each second): platform+postgres {plat_cpu/elapsed:.2f} cores, simulator {sim_cpu/elapsed:.2f} cores "
              f"of {os.cpu_count()}; platform+postgres peak RSS {peak_rss:,.0f} MB")
        print(f"simulator: frames acked {report.get('framesAcked')}, values acked {report.get('valuesAcked')}, "
              f"unacked {report.get('framesUnacked')}, resent {report.get('framesResent')}")
        print(f"drain after the load stopped: {drained:.0f} s (journal lag {s['store']['lag']})")
        print(f"stored distinct values {stored_values}; lost = acked - stored = {report.get('valuesAcked', 0) - stored_values} "
              f"(duplicates are impossible by the primary key; re-sends stored once)")
    finally:
        os.killpg(plat.pid, signal.SIGTERM)
        try:
            plat.wait(30)
        except Exception:
            os.killpg(plat.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()

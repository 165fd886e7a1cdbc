#!/usr/bin/env python3
"""History API benchmark (issue 4): 5,000 points x 7 days of minute data plus a year of older aggregates.

Starts the platform jar on a fresh embedded PostgreSQL under bench/work/history, creates a registry of
5,000 points (1,250 enterprises, each with a total meter, two production meters and one treatment meter,
across 12 Xi'an districts), bulk-loads 7 days of minute data for every point (50.4 M point_sample rows)
and 358 days of older history as hourly and daily aggregates, then times the HTTP API with a real bearer
token and prints p50 / p95 / max next to the targets:

  7-day enterprise power chart   p95 <= 200 ms
  one-year enterprise chart      p95 <= 500 ms
  city-wide daily-energy ranking p95 <= 1 s

Bulk loading bypasses the gateway on purpose (the ingestion benchmark, ingest_bench.py, measures that path):
samples are generated inside PostgreSQL (INSERT ... SELECT generate_series, no client round trips), and the
aggregates of the loaded days are built by the consumer's own SQL, telemetry_refresh() from V8, one day at a
time. The older year has no samples: its 1h rows are generated directly and its 1d rows rolled up from them
with one GROUP BY (the same sums telemetry_rollup() does).

  mvn -q -pl platform -am package -DskipTests
  python3 bench/scripts/history_bench.py [--requests 200] [--keep] [--reuse]
"""
import argparse, http.client, json, os, random, shutil, signal, subprocess, sys, time
from datetime import date, datetime, timedelta

import pwapi

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATFORM = os.path.join(ROOT, "platform/target/platform-0.1.0-SNAPSHOT.jar")
WORK = os.path.join(ROOT, "bench/work/history")
HTTP_PORT, GW_PORT, PG_PORT = 18481, 19481, 55481
ENTERPRISES = 1250  # x 4 points = 5,000
DISTRICTS = ["610102", "610103", "610104", "610111", "610112", "610113", "610114", "610115", "610116",
             "610117", "610118", "610122"]


def psql(sql, quiet=False):
    t = time.time()
    r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "postgres",
                        "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("psql failed: " + r.stderr.strip() + "\n" + sql[:400])
    if not quiet:
        print(f"    {time.time() - t:7.1f} s  {sql.strip().splitlines()[0][:90]}", flush=True)
    return r.stdout.strip()


def wait_health(proc):
    for _ in range(300):
        if proc.poll() is not None:
            sys.exit("platform exited; see " + os.path.join(WORK, "platform.log"))
        try:
            c = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=2)
            c.request("GET", "/actuator/health")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(1)
    sys.exit("platform did not become healthy")


def registry():
    regions = ",".join(f"('{d}', '区县{d}', 3, '610100')" for d in DISTRICTS)
    psql(f"""insert into region (code, name, level, parent_code) values ('610000', '陕西省', 1, null),
             ('610100', '西安市', 2, '610000'), {regions} on conflict do nothing""")
    psql("""insert into industry (code, name, level, parent_code) values ('C', '制造业', 1, null),
             ('26', '化学原料和化学制品制造业', 2, 'C'), ('30', '非金属矿物制品业', 2, 'C'), ('33', '金属制品业', 2, 'C'),
             ('36', '汽车制造业', 2, 'C') on conflict do nothing""")
    districts = "array[" + ",".join(f"'{d}'" for d in DISTRICTS) + "]"
    psql(f"""insert into enterprise (name, district_code, industry_code)
             select '基准企业' || i, ({districts})[1 + i % {len(DISTRICTS)}], (array['26','30','33','36'])[1 + i % 4]
             from generate_series(1, {ENTERPRISES}) i""")
    psql("""insert into facility (enterprise_id, name, kind, rated_kw, stop_below, run_above, abnormal_below)
            select e.id, k.name, k.kind, k.rated, k.rated * 0.05, k.rated * 0.10,
                   case when k.kind = 'TREATMENT' then k.rated * 0.3 end
            from enterprise e cross join (values ('企业总电', 'TOTAL', 800.0), ('生产线1', 'PRODUCTION', 400.0),
                                                 ('生产线2', 'PRODUCTION', 300.0), ('治理设施', 'TREATMENT', 100.0)) k(name, kind, rated)""")
    psql("insert into data_logger (mn, enterprise_id) select 'BENCH' || lpad(id::text, 19, '0'), id from enterprise")
    psql("""insert into monitoring_point (facility_id, name, mn, channel, profile)
            select f.id, f.name || '电表', 'BENCH' || lpad(f.enterprise_id::text, 19, '0'),
                   (100000 + row_number() over (partition by f.enterprise_id order by f.id) - 1)::text, 'elec-a'
            from facility f""")
    psql("""insert into facility_association (production_facility_id, treatment_facility_id)
            select p.id, t.id from facility p join facility t on t.enterprise_id = p.enterprise_id
            where p.kind = 'PRODUCTION' and t.kind = 'TREATMENT'""")
    return int(psql("select count(*) from monitoring_point", quiet=True))


# per point: a rated load (kW) by facility kind, and a day/night shape; energy integrates the average load
LOAD = "(case f.kind when 'TOTAL' then 600 when 'PRODUCTION' then 250 else 70 end) * (0.8 + (mp.id % 7) * 0.05)"


def load_samples(days):
    for d in days:
        nxt = d + timedelta(days=1)
        tag = d.strftime("%Y%m%d")
        psql(f"create table if not exists point_sample_{tag} partition of point_sample "
             f"for values from ('{d} 00:00:00+08') to ('{nxt} 00:00:00+08')", quiet=True)
        minutes_before = (d - days[0]).days * 1440
        psql(f"""set synchronous_commit = off;
            insert into point_sample (point_id, ts, p, q, pf, ia, ib, ic, ua, ub, uc, e, invalid, received_at)
            select mp.id, t, pw, pw * 0.4, 0.92, pw * 1.5, pw * 1.5, pw * 1.5, 220, 221, 219,
                   10000 + mp.id + ({minutes_before} + m) * {LOAD} / 60.0, false, t
            from monitoring_point mp join facility f on f.id = mp.facility_id
            cross join generate_series(0, 1439) m
            cross join lateral (select timestamptz '{d} 00:00:00+08' + m * interval '1 minute' as t,
                                       ({LOAD} * (0.9 + 0.2 * random()))::real as pw) x
""")


def refresh_aggregates(days):
    for d in days:
        psql(f"""select telemetry_refresh(array_agg(mp.id), array_agg(b))
                 from monitoring_point mp
                 cross join generate_series(timestamptz '{d} 00:00:00+08', timestamptz '{d} 23:45:00+08', interval '15 minutes') b""")


def older_year(first_day):
    start = first_day - timedelta(days=358)
    psql(f"""set synchronous_commit = off;
        insert into point_agg (point_id, grain, bucket, n, p_sum, p_min, p_max, energy, e_last)
        select mp.id, '1h', h, 60, 60 * {LOAD}, {LOAD} * 0.9, {LOAD} * 1.1, {LOAD}, null
        from monitoring_point mp join facility f on f.id = mp.facility_id
        cross join generate_series(timestamptz '{start} 00:00:00+08', timestamptz '{first_day} 00:00:00+08' - interval '1 hour',
                                   interval '1 hour') h
""")
    psql(f"""set synchronous_commit = off;
        insert into point_agg (point_id, grain, bucket, n, p_sum, p_min, p_max, energy, e_last, rollovers, resets, negative_jumps)
        select point_id, '1d', telemetry_bucket('1 day', bucket), sum(n), sum(p_sum), min(p_min), max(p_max), sum(energy),
               null, 0, 0, 0
        from point_agg where grain = '1h' and bucket < timestamptz '{first_day} 00:00:00+08'
        group by 1, 3""")
    psql("vacuum analyze point_agg")
    psql("vacuum analyze point_sample")


def timed(conn, tok, path):
    t = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": "Bearer " + tok})
    r = conn.getresponse()
    body = r.read()
    ms = (time.perf_counter() - t) * 1000
    if r.status != 200:
        sys.exit(f"{path} -> {r.status} {body[:300]!r}")
    return ms, json.loads(body)


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--keep", action="store_true", help="leave the platform running")
    ap.add_argument("--reuse", action="store_true", help="reuse bench/work/history (skip loading)")
    args = ap.parse_args()
    if not os.path.exists(PLATFORM):
        sys.exit("build first: mvn -q -pl platform -am package -DskipTests")
    if not args.reuse and os.path.exists(WORK):
        shutil.rmtree(WORK)
    os.makedirs(WORK, exist_ok=True)
    log = open(os.path.join(WORK, "platform.log"), "a")
    proc = subprocess.Popen(["java", "-Xmx2g", "-jar", PLATFORM, f"--powerwatch.data-dir={WORK}/data",
                             f"--server.port={HTTP_PORT}", f"--powerwatch.gateway.port={GW_PORT}",
                             f"--powerwatch.embedded-postgres.port={PG_PORT}"] + pwapi.platform_args(), stdout=log, stderr=log)
    try:
        wait_health(proc)
        today = datetime.now().astimezone().astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).date()
        days = [today - timedelta(days=i) for i in range(7, 0, -1)]
        load = {}
        if not args.reuse:
            t0 = time.time()
            print("registry ...", flush=True)
            points = registry()
            load["registry"] = time.time() - t0
            print(f"  {points} points", flush=True)
            t = time.time()
            print("7 days of minute samples ...", flush=True)
            load_samples(days)
            load["samples"] = time.time() - t
            t = time.time()
            print("aggregates of those days (telemetry_refresh) ...", flush=True)
            refresh_aggregates(days)
            load["refresh"] = time.time() - t
            t = time.time()
            print("one older year of 1h / 1d aggregates ...", flush=True)
            older_year(days[0])
            load["year"] = time.time() - t
        rows = psql("select (select count(*) from point_sample) || ' samples, ' || (select count(*) from point_agg) || ' aggregate rows, ' "
                    "|| pg_size_pretty(pg_database_size('postgres'))", quiet=True)
        print("loaded:", rows, {k: f"{v:.0f} s" for k, v in load.items()}, flush=True)
        # the platform reads the registry snapshot (poll) before timing
        time.sleep(6)
        tok = pwapi.sign_in(HTTP_PORT)  # a real session token from /api/auth/login
        ents = [int(x) for x in psql("select id from enterprise where name like '基准企业%' order by id", quiet=True).split()]
        end = datetime.combine(today, datetime.min.time()).isoformat() + "%2B08:00"
        week = datetime.combine(days[0], datetime.min.time()).isoformat() + "%2B08:00"
        year = datetime.combine(today - timedelta(days=365), datetime.min.time()).isoformat() + "%2B08:00"
        rnd = random.Random(7)
        cases = [
            ("7-day enterprise power chart", 200, lambda: f"/api/history/series?subject=enterprise&id={rnd.choice(ents)}&from={week}&to={end}"),
            ("one-year enterprise chart", 500, lambda: f"/api/history/series?subject=enterprise&id={rnd.choice(ents)}&from={year}&to={end}"),
            ("city-wide daily-energy ranking", 1000, lambda: f"/api/history/energy/ranking?day={rnd.choice(days)}&limit=100"),
        ]
        conn = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=60)
        results = []
        for name, target, path in cases:
            for _ in range(20):  # warm-up (JIT, plans, caches)
                timed(conn, tok, path())
            lat = []
            sample = None
            for _ in range(args.requests):
                ms, sample = timed(conn, tok, path())
                lat.append(ms)
            extra = f"{sample.get('count')} points, bucket {sample.get('bucket')} from {sample.get('source')}" if "bucket" in sample \
                else f"{sample.get('count')} enterprises listed"
            results.append((name, pct(lat, 50), pct(lat, 95), max(lat), target, extra))
            print(f"{name:32s} p50 {pct(lat, 50):7.1f} ms  p95 {pct(lat, 95):7.1f} ms  max {max(lat):7.1f} ms  "
                  f"target p95 <= {target} ms  {'OK' if pct(lat, 95) <= target else 'MISSED'}  ({extra})", flush=True)
        write_doc(results, rows, load, args.requests)
    finally:
        if not args.keep:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()


def write_doc(results, rows, load, n):
    lines = ["", f"## History API (issue 4) — run of {date.today()}", "",
             "```sh", "python3 bench/scripts/history_bench.py", "```", "",
             f"5,000 points (1,250 enterprises × total + 2 production + 1 treatment meter, 12 districts); {rows}. "
             "Samples generated inside PostgreSQL (the gateway path is measured by the ingestion benchmark); "
             "aggregates of the 7 loaded days built with the consumer's `telemetry_refresh()`; the older year as "
             "1h rows plus 1d rows rolled up from them.",
             "Load times: " + ", ".join(f"{k} {v / 60:.1f} min" for k, v in load.items()) + "." if load else "",
             "", f"{n} requests each after 20 warm-up requests, one client, random enterprises / days, bearer token:", "",
             "| request | p50 | p95 | max | target (p95) |", "|---|---|---|---|---|"]
    for name, p50, p95, mx, target, extra in results:
        lines.append(f"| {name} ({extra}) | {p50:.1f} ms | **{p95:.1f} ms** | {mx:.1f} ms | ≤ {target} ms |")
    with open(os.path.join(ROOT, "docs/benchmarks.md"), "a") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

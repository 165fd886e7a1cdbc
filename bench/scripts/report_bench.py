#!/usr/bin/env python3
"""Report benchmark (issue 13): a 月报 over 5,000 monitoring points — target 30 s.

Starts the platform jar on a fresh embedded PostgreSQL under bench/work/report, creates a registry of 5,000 points
(1,250 enterprises with a total meter, two production meters and a treatment meter, across 12 Xi'an districts),
loads last month as the telemetry consumer would have left it — hourly aggregates for every point (a few percent of
hours missing, a few loggers silent for days) rolled up into daily ones — plus 20,000 alarms with handling states and
emergency stop/limit orders for 300 enterprises over 3 days, then times with a real bearer token:

  月报 (all sections, PDF + Excel, archived)   POST /api/reports/archive/generate {kind: MONTHLY}   target 30 s
  设备传输情况统计 per point on screen (5,000 rows)                                                  (no target)
  设备传输情况统计 per point as PDF                                                                  (no target)

Bulk loading goes straight into PostgreSQL with generate_series (the ingestion and history benchmarks measure the
paths that write these tables).

  mvn -q -pl platform -am package -DskipTests
  python3 bench/scripts/report_bench.py [--runs 3] [--keep]
"""
import argparse, http.client, json, os, shutil, subprocess, sys, time
from datetime import date, timedelta

import pwapi

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATFORM = os.path.join(ROOT, "platform/target/platform-0.1.0-SNAPSHOT.jar")
WORK = os.path.join(ROOT, "bench/work/report")
HTTP_PORT, GW_PORT, PG_PORT = 18180, 19180, 55180
ENTERPRISES = 1250  # x 4 points = 5,000
ALARMS = 20000
DISTRICTS = ["610102", "610103", "610104", "610111", "610112", "610113", "610114", "610115", "610116",
             "610117", "610118", "610122"]
NAMES = ["新城区", "碑林区", "莲湖区", "灞桥区", "未央区", "雁塔区", "阎良区", "临潼区", "长安区", "高陵区", "鄠邑区", "蓝田县"]


def psql(sql, quiet=False):
    t = time.time()
    r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "postgres",
                        "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("psql failed: " + r.stderr.strip() + "\n" + sql[:400])
    if not quiet:
        print(f"    {time.time() - t:7.1f} s  {sql.strip().splitlines()[0][:90]}", flush=True)
    return r.stdout.strip()


def registry():
    regions = ",".join(f"('{d}', '{n}', 3, '610100')" for d, n in zip(DISTRICTS, NAMES))
    psql(f"""insert into region (code, name, level, parent_code) values ('610000', '陕西省', 1, null),
             ('610100', '西安市', 2, '610000'), {regions} on conflict do nothing""")
    districts = "array[" + ",".join(f"'{d}'" for d in DISTRICTS) + "]"
    psql(f"""insert into enterprise (name, district_code, industry_code)
             select '基准企业' || i, ({districts})[1 + i % {len(DISTRICTS)}], (array['2614','3011','3360','3670'])[1 + i % 4]
             from generate_series(1, {ENTERPRISES}) i""")
    psql("""insert into facility (enterprise_id, name, kind, rated_kw, stop_below, run_above)
            select e.id, k.name, k.kind, k.rated, k.rated * 0.05, k.rated * 0.10
            from enterprise e cross join (values ('企业总电', 'TOTAL', 800.0), ('生产线1', 'PRODUCTION', 400.0),
                                                 ('生产线2', 'PRODUCTION', 300.0), ('治理设施', 'TREATMENT', 100.0)) k(name, kind, rated)""")
    psql("insert into data_logger (mn, enterprise_id) select 'BENCH' || lpad(id::text, 19, '0'), id from enterprise")
    psql("""insert into monitoring_point (facility_id, name, mn, channel, profile, created_at)
            select f.id, f.name || '电表', 'BENCH' || lpad(f.enterprise_id::text, 19, '0'),
                   (100000 + row_number() over (partition by f.enterprise_id order by f.id) - 1)::text, 'elec-a', now() - interval '90 days'
            from facility f""")
    return int(psql("select count(*) from monitoring_point", quiet=True))


LOAD = "(case f.kind when 'TOTAL' then 600 when 'PRODUCTION' then 250 else 70 end) * (0.8 + (mp.id % 7) * 0.05)"


def month(first, last):
    """Hourly aggregates of every point for the month (3% of hours missing; every 50th logger silent 5 days), daily roll-up."""
    end = last + timedelta(days=1)
    psql(f"""set synchronous_commit = off;
        insert into point_agg (point_id, grain, bucket, n, p_sum, p_min, p_max, energy)
        select mp.id, '1h', h, 60, 60 * {LOAD}, {LOAD} * 0.9, {LOAD} * 1.1, {LOAD}
        from monitoring_point mp join facility f on f.id = mp.facility_id
        cross join generate_series(timestamptz '{first} 00:00:00+08', timestamptz '{end} 00:00:00+08' - interval '1 hour', interval '1 hour') h
        where random() > 0.03
          and not (f.enterprise_id % 50 = 0 and h >= timestamptz '{first + timedelta(days=10)} 00:00:00+08'
                   and h < timestamptz '{first + timedelta(days=15)} 00:00:00+08')""")
    psql(f"""set synchronous_commit = off;
        insert into point_agg (point_id, grain, bucket, n, p_sum, p_min, p_max, energy, rollovers, resets, negative_jumps)
        select point_id, '1d', date_trunc('day', bucket at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai', sum(n), sum(p_sum),
               min(p_min), max(p_max), sum(energy), 0, 0, 0
        from point_agg where grain = '1h' group by 1, 3""")
    psql("vacuum analyze point_agg")


def alarms(first, last):
    days = (last - first).days + 1
    psql(f"""set synchronous_commit = off;
        insert into alarm (type, subject_key, enterprise_id, level, initial_level, status, handling, workflow, started_at, last_seen_at,
                           ended_at, created_at)
        select t.code, 'bench:' || i, 1 + (i * 7919) % {ENTERPRISES}, t.default_level, t.default_level, 'RECOVERED',
               (array['UNCONFIRMED','CONFIRMED','HANDLED','CANCELLED'])[1 + i % 4], case when i % 5 = 0 then 'REVIEWED' end,
               s, s + interval '40 minutes', s + interval '40 minutes', s
        from generate_series(1, {ALARMS}) i
        cross join lateral (select code, default_level from alarm_type order by sort_order offset (i % 16) limit 1) t
        cross join lateral (select timestamptz '{first} 00:00:00+08' + (i % ({days} * 1440)) * interval '1 minute' as s) x""")
    psql(f"""insert into alarm_step (alarm_id, action, actor_username, at)
        select id, case handling when 'CONFIRMED' then 'CONFIRMED' when 'HANDLED' then 'HANDLED' else 'CANCELLED' end, 'bench',
               started_at + interval '25 minutes'
        from alarm where handling <> 'UNCONFIRMED'""")
    warning = first + timedelta(days=12)
    psql(f"""insert into production_order (enterprise_id, kind, limit_percent, valid_from, valid_to, source, source_ref)
        select id, case when id % 2 = 0 then 'STOP' else 'LIMIT' end, case when id % 2 = 0 then null else 30 end,
               timestamptz '{warning} 00:00:00+08', timestamptz '{warning + timedelta(days=3)} 00:00:00+08', 'EMERGENCY', '基准橙色预警'
        from enterprise where id % 4 = 0 and id <= 1200""")
    psql("vacuum analyze alarm")


def timed_get(token, path, binary=False):
    t = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=600)
    c.request("GET", path, headers={"Authorization": "Bearer " + token})
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit(f"{path}: {r.status} {body[:300]}")
    return time.perf_counter() - t, body


def timed_post(token, path, payload):
    t = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=600)
    c.request("POST", path, body=json.dumps(payload), headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit(f"{path}: {r.status} {body[:300]}")
    return time.perf_counter() - t, json.loads(body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="leave the platform running after the timings")
    a = ap.parse_args()
    if not os.path.exists(PLATFORM):
        sys.exit("build first: mvn -q -pl platform -am package -DskipTests")
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    log = open(os.path.join(WORK, "platform.log"), "w")
    args = ["java", "-Xmx4g", "-jar", PLATFORM, f"--powerwatch.data-dir={WORK}/data", f"--server.port={HTTP_PORT}",
            f"--powerwatch.gateway.port={GW_PORT}", f"--powerwatch.embedded-postgres.port={PG_PORT}",
            "--powerwatch.report.schedule.enabled=false"] + pwapi.platform_args()
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    try:
        token = pwapi.await_sign_in(HTTP_PORT, proc, 300)
        if token is None:
            sys.exit("platform did not start; see bench/work/report/platform.log")
        today = date.today()
        last = today.replace(day=1) - timedelta(days=1)
        first = last.replace(day=1)
        print(f"loading {first} – {last} …", flush=True)
        points = registry()
        month(first, last)
        alarms(first, last)
        rows = psql("select count(*) from point_agg where grain = '1h'", quiet=True)
        print(f"{points} points, {rows} hourly aggregates, {ALARMS} alarms", flush=True)
        token = pwapi.sign_in(HTTP_PORT)
        monthly = []
        for i in range(a.runs):
            s, entry = timed_post(token, "/api/reports/archive/generate", {"kind": "MONTHLY", "day": str(first)})
            monthly.append(s)
            print(f"  月报 run {i + 1}: {s:6.1f} s  (PDF {entry['pdfBytes'] / 1048576:.1f} MB, Excel {entry['xlsxBytes'] / 1048576:.1f} MB,"
                  f" 数据完整率 {entry['summary'].get('数据完整率')}, 报警 {entry['summary'].get('报警总数')})", flush=True)
        q = f"from={first}&to={last}&by=point"
        screen, body = timed_get(token, "/api/reports/named/TRANSMISSION?" + q)
        doc = json.loads(body)
        pdf, pdf_body = timed_get(token, "/api/reports/named/TRANSMISSION/pdf?" + q)
        with open(os.path.join(WORK, "monthly.pdf"), "wb") as f:
            f.write(timed_get(token, f"/api/reports/archive/{entry['id']}/pdf")[1])
        print()
        print(f"月报 over {points} points ({first} – {last}), PDF + Excel, archived: best {min(monthly):.1f} s, worst {max(monthly):.1f} s"
              f"   target 30 s   ratio {max(monthly) / 30:.2f}")
        print(f"设备传输情况统计 per point on screen: {screen:.1f} s ({len(doc['sections'][0]['rows'])} rows)")
        print(f"设备传输情况统计 per point as PDF: {pdf:.1f} s ({len(pdf_body) / 1048576:.1f} MB)")
        print(f"the 月报 PDF is in {os.path.join(WORK, 'monthly.pdf')}")
        if a.keep:
            print(f"platform left running (pid {proc.pid}) on http://127.0.0.1:{HTTP_PORT}")
            return
    finally:
        if not a.keep:
            pwapi.stop(proc)


if __name__ == "__main__":
    main()

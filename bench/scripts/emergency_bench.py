#!/usr/bin/env python3
"""重污染天气应急 benchmark (issue 13): a red warning over a city of 5,000 enterprises.

Starts the platform jar with --demo and N simulated loggers (default 5,000, one enterprise each with its production,
treatment and total meters; the fleet reports for a few minutes only, so the machine is not also busy ingesting),
writes three days of 15-minute and hourly aggregates for every production meter (the telemetry's own tables, SQL) and
one emergency plan per enterprise for the red level (40 % stop, 40 % limit 30/50 % — half with a typed baseline — 20 %
self-reduction), then measures:

  import      the plans exported as Excel and imported back (5,000 rows, checked and written)   (no target)
  ready       the plans' history baselines made ready in the background after the import (they are also refreshed
              nightly; the run waits for them before the warning)                                 (no target)
  activation  POST of a red warning over the whole city (plans → measures → production orders)  (no target)
  board       from the activation until the live board is complete: every enterprise judged and every computed
              baseline in (board cache 2 s for the run)                                          target 5 s
  report      the evaluation report (PDF + Excel) of a 3-day warning, written when it is lifted  target 30 s

  mvn -q -pl platform -am package -DskipTests
  python3 bench/scripts/emergency_bench.py [--loggers 5000]
"""
import argparse, datetime, json, os, shutil, subprocess, sys, time, urllib.request

import pwapi

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATFORM = os.path.join(ROOT, "platform/target/platform-0.1.0-SNAPSHOT.jar")
HTTP_PORT, GW_PORT, PG_PORT = 18484, 19484, 55484  # changed by --http-port, --gateway-port, --pg-port


def call(method, path, token, body=None, raw=None, content_type="application/json", timeout=600):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(f"http://127.0.0.1:{HTTP_PORT}{path}", data=data, method=method,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        body = r.read()
        return json.loads(body) if body and r.headers.get_content_type() == "application/json" else body


def psql(sql):
    return pwapi.psql_rows(PG_PORT, sql)


def multipart(name, filename, content):
    boundary = "----pwbench" + str(time.time_ns())
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), "multipart/form-data; boundary=" + boundary


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(t + 8 * 3600))


def main():
    global HTTP_PORT, GW_PORT, PG_PORT
    ap = argparse.ArgumentParser()
    ap.add_argument("--loggers", type=int, default=5000)
    ap.add_argument("--http-port", type=int, default=HTTP_PORT)
    ap.add_argument("--gateway-port", type=int, default=GW_PORT)
    ap.add_argument("--pg-port", type=int, default=PG_PORT)
    ap.add_argument("--jar", default=PLATFORM, help="the platform jar (a copy lets the tree be rebuilt meanwhile)")
    ap.add_argument("--hold", type=int, default=0, help="keep the platform running this many seconds at the end (EXPLAIN)")
    a = ap.parse_args()
    HTTP_PORT, GW_PORT, PG_PORT = a.http_port, a.gateway_port, a.pg_port
    if not os.path.exists(a.jar):
        sys.exit("build first: mvn -q -pl platform -am package -DskipTests")
    work = os.path.join(ROOT, "bench/work/emergency")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    log = open(os.path.join(work, "platform.log"), "w")
    args = ["java", "-Xmx4g", "-jar", a.jar, "--demo", f"--powerwatch.data-dir={work}/data",
            f"--server.port={HTTP_PORT}", f"--powerwatch.gateway.port={GW_PORT}",
            f"--powerwatch.embedded-postgres.port={PG_PORT}", f"--powerwatch.demo.loggers={a.loggers}",
            "--powerwatch.demo.interval=60s", "--powerwatch.demo.duration=3m",
            "--powerwatch.emergency.board-cache-ttl=2s",
            "--powerwatch.emergency.ready-baselines-cron=-"] + pwapi.platform_args()  # "-": no nightly refresh mid-run
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    figures = {}
    try:
        token = pwapi.await_sign_in(HTTP_PORT, proc, 600)
        if token is None:
            sys.exit("platform did not start; see bench/work/emergency/platform.log")
        while int(psql("select count(*) from enterprise")[0][0]) < a.loggers:
            time.sleep(5)
        year = int(time.strftime("%Y", time.gmtime(time.time() + 8 * 3600)))
        now = int(time.time()) // 900 * 900
        start3d = now - 71 * 3600
        print("writing 3 days of aggregates for every production meter …", flush=True)
        t = time.time()
        # production kW per facility: a day shift (08–20 h) at 60 % of rated; stop plants in ten keep running (f.id % 10)
        for grain, step, per in (("15m", "15 minutes", 0.25), ("1h", "1 hour", 1.0)):
            psql(f"""
                insert into point_agg (point_id, grain, bucket, n, p_sum, p_min, p_max, energy)
                select mp.id, '{grain}', b, 15, 15 * x.kw, x.kw, x.kw, x.kw * {per}
                from monitoring_point mp join facility f on f.id = mp.facility_id and f.kind = 'PRODUCTION',
                     generate_series(to_timestamp({start3d}), to_timestamp({now}) - interval '{step}', interval '{step}') b,
                     lateral (select case when extract(hour from b at time zone 'Asia/Shanghai') between 8 and 19
                                           or f.id % 10 = 0 then 0.6 * coalesce(f.rated_kw, 50) else 0 end as kw) x
                on conflict (point_id, grain, bucket) do nothing""")
        psql("analyze point_agg")  # as autovacuum would have, had the rows come in over three days
        rows = psql("select count(*) from point_agg")[0][0]
        print(f"  {rows} aggregate rows in {time.time() - t:.0f} s", flush=True)
        psql(f"""
            insert into emergency_plan (year, level, enterprise_id, participates, grade, measure, scope, limit_percent, baseline_kw)
            select {year}, 'RED', e.id, true, case when e.id % 5 = 0 then 'A' when e.id % 5 in (1, 2) then 'D' else 'B' end,
                   case when e.id % 5 = 0 then 'SELF' when e.id % 5 in (1, 2) then 'STOP' else 'LIMIT' end, 'ENTERPRISE',
                   case when e.id % 5 = 3 then 30 when e.id % 5 = 4 then 50 end,
                   case when e.id % 5 = 4 then (select 0.6 * sum(rated_kw) from facility f where f.enterprise_id = e.id and f.kind = 'PRODUCTION') end
            from enterprise e on conflict do nothing""")
        plans = int(psql(f"select count(*) from emergency_plan where year = {year}")[0][0])

        # Excel: the plans exported and imported back
        t = time.time()
        xlsx = call("GET", f"/api/emergency/plans/excel/export?year={year}", token)
        export_s = time.time() - t
        body, ct = multipart("file", "plans.xlsx", xlsx)
        t = time.time()
        report = call("POST", "/api/emergency/plans/excel/import", token, raw=body, content_type=ct)
        import_s = time.time() - t
        figures["export"] = f"{plans} plans exported in {export_s:.1f} s"
        figures["import"] = f"{report['rows']} rows checked and written in {import_s:.1f} s ({report['updated']} updated, {len(report['errors'])} errors)"
        print("  " + figures["export"] + "; " + figures["import"], flush=True)

        # the plans' history baselines are made ready in the background after the import (and nightly): a warning starts
        # days or hours after its plans are written, so the benchmark waits for them as a bureau would not need to
        t = time.time()
        while int(psql(f"""select count(*) from emergency_plan p where p.year = {year} and p.participates
                              and p.measure in ('STOP', 'LIMIT') and p.baseline_kw is null and not exists (
                                select 1 from emergency_ready_baseline r where r.enterprise_id = p.enterprise_id
                                  and r.facility_key = '' and r.for_day = cast(now() at time zone 'Asia/Shanghai' as date))""")[0][0]) > 0:
            if time.time() - t > 600:
                sys.exit("plan baselines not made ready within 600 s")
            time.sleep(0.5)
        ready = int(psql("select count(*) from emergency_ready_baseline")[0][0])
        figures["ready"] = f"{ready} plan baselines made ready {time.time() - t:.1f} s after the import answered"
        print("  " + figures["ready"], flush=True)

        # a red warning over the whole city, started 50 minutes ago: the board of its first hour
        t0 = time.time()
        w = call("POST", "/api/emergency/warnings", token, {"level": "RED", "planYear": year, "startsAt": iso(now - 3000),
                 "endsAt": iso(now + 2 * 86400), "districtCodes": ["610100"], "document": "基准测试红色预警"})
        activation = time.time() - t0
        measures = sum(w["measuresInForce"].values())
        first = complete = None
        baselines_done = None
        while True:
            pending = int(psql(f"""select count(*) from emergency_measure m join production_order o on o.id = m.production_order_id
                                   where m.warning_id = {w['id']} and o.baseline_kw is null
                                     and o.baseline_note = '应急预警：基线计算中'""")[0][0])
            if pending == 0 and baselines_done is None:
                baselines_done = time.time()
            b = call("GET", f"/api/emergency/warnings/{w['id']}/board?size=1", token)
            elapsed = time.time() - t0
            first = first or elapsed
            computed = datetime.datetime.fromisoformat(b["computedAt"]).timestamp()
            if baselines_done and computed >= baselines_done - 0.05 and b["summary"]["enterprises"] == measures:
                complete = elapsed
                break
            if elapsed > 600:
                break
            time.sleep(0.2)
        s = b["summary"]
        figures["activation"] = f"{measures} measures, {w['measuresInForce']} — POST answered in {activation:.2f} s"
        figures["board"] = (f"first board {first:.2f} s, complete board {complete:.2f} s after activation (target 5 s): "
                            f"达标 {s['compliant']}, 未达标 {s['nonCompliant']}, 无法判断 {s['undetermined']} of {s['obliged']} obliged"
                            if complete else "board not complete within 600 s")
        print("  " + figures["activation"] + "\n  " + figures["board"], flush=True)
        call("POST", f"/api/emergency/warnings/{w['id']}/lift", token, {})
        time.sleep(5)

        # a 3-day red warning: the report written when it is lifted, and one on demand during it
        w2 = call("POST", "/api/emergency/warnings", token, {"level": "RED", "planYear": year, "startsAt": iso(start3d),
                  "endsAt": iso(now + 3600), "districtCodes": ["610100"], "document": "基准测试三日红色预警"})
        while int(psql(f"""select count(*) from emergency_measure m join production_order o on o.id = m.production_order_id
                           where m.warning_id = {w2['id']} and o.baseline_note = '应急预警：基线计算中'""")[0][0]) > 0:
            time.sleep(1)
        t = time.time()
        r = call("POST", f"/api/emergency/warnings/{w2['id']}/reports", token, {})
        on_demand = time.time() - t
        call("POST", f"/api/emergency/warnings/{w2['id']}/lift", token, {})
        t = time.time()
        while not psql(f"select duration_ms, length(pdf), length(xlsx) from emergency_report where warning_id = {w2['id']} and kind = 'FINAL'"):
            if time.time() - t > 600:
                break
            time.sleep(1)
        ms, pdf, xl = psql(f"select duration_ms, length(pdf), length(xlsx) from emergency_report where warning_id = {w2['id']} and kind = 'FINAL'")[0]
        figures["report"] = (f"3-day warning, {r['summary']['enterprises']} enterprises: on demand {on_demand:.1f} s (API), "
                             f"final report {int(ms) / 1000:.1f} s to build (target 30 s); PDF {int(pdf) // 1024} KB, Excel {int(xl) // 1024} KB")
        print("  " + figures["report"], flush=True)
        with open(os.path.join(work, "figures.json"), "w") as f:
            json.dump(figures, f, ensure_ascii=False, indent=1)
        for k, v in figures.items():
            print(f"{k:>10}: {v}")
        if a.hold:
            print(f"platform kept running {a.hold} s (PostgreSQL on port {PG_PORT})", flush=True)
            time.sleep(a.hold)
    finally:
        pwapi.stop(proc)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Alarm engine evaluation (issue 5): precision, recall and detection delay per alarm type against ground truth.

Starts the platform jar with --demo on a fresh embedded PostgreSQL and a simulated city: N enterprises (default
1,000, about 5,000 metering points), each logger reporting every --interval of simulated time, a simulated week at
--speedup, with the simulator's violation plan (docs/simulator.md): violations of all 16 types and legitimate
look-alikes injected at known times, the plan's production orders registered before any logger connects, the
ground truth written to a file. When the simulated period is over and the engine has caught up, every alarm is
matched against the truth:

  an alarm of type T is a true positive when a violation of type T on the same subject (the meter for meter and
  facility types, the enterprise for enterprise types) has a window [start − 1 interval, end + allowance(T)]
  containing the alarm's start (its data time); it is "explained" (left out of precision) when it falls in the
  window of a violation whose params.mayAlsoRaise names T; otherwise it is a false positive.
  recall(T) = violations of type T matched by at least one alarm / violations of type T.
  delay = alarm start − violation start (simulated time), median over the detected violations.

Targets: precision ≥ 0.95 and recall ≥ 0.95 for every type; median delay within the type's persistence window plus
one reporting interval. The engine's journal lag is sampled throughout and reported (it must not grow).

  mvn -q -pl platform -am package -DskipTests
  python3 bench/scripts/alarm_eval.py [--loggers 1000] [--interval 300] [--speedup 300] [--days 7]
"""
import argparse, collections, datetime, json, os, shutil, subprocess, sys, time, urllib.request

import pwapi

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATFORM = os.path.join(ROOT, "platform/target/platform-0.1.0-SNAPSHOT.jar")
HTTP_PORT, GW_PORT, PG_PORT = 18483, 19483, 55483
CHINA = datetime.timezone(datetime.timedelta(hours=8))
MIN = 60.0

ENTERPRISE_TYPES = {"PRODUCTION_DURING_STOP", "LIMIT_NOT_KEPT", "PATTERN_ANOMALY", "LOGGER_OFFLINE",
                    "TREATMENT_RATIO_DROP"}
# minutes after a violation's end within which its alarm may still start: the models that judge a whole hour or
# day raise at the bucket's end (PATTERN_ANOMALY after persistHours, TREATMENT_RATIO_DROP at the day's end + settle)
ALLOWANCE_MIN = {"TREATMENT_RATIO_DROP": 24 * 60 + 30, "PATTERN_ANOMALY": 4 * 60}
DEFAULT_ALLOWANCE_MIN = 60
# the detection-delay target per type: the configured persistence (its label, and minutes at interval i) before the
# reporting interval is added; None where the model judges whole hours or days
PERSISTENCE = {
    "TREATMENT_NOT_STARTED": ("15 min (persistMinutes) + startLag 10", lambda i: 25),
    "TREATMENT_STOPPED": ("max(15 min, the association's stop tolerance 30)", lambda i: 30),
    "TREATMENT_ABNORMAL": ("15 min", lambda i: 15),
    "START_STOP_ORDER": ("lead/lag tolerance (measured from the tolerance's end)", None),
    "PRODUCTION_DURING_STOP": ("15 min", lambda i: 15),
    "LIMIT_NOT_KEPT": ("2 h rolling window (earlyWarningHours)", lambda i: 120),
    "OVER_CAPACITY": ("60 min", lambda i: 60),
    "LOGGER_OFFLINE": ("3 intervals", lambda i: max(3 * i, 5)),
    "METER_OFFLINE": ("3 intervals", lambda i: max(3 * i, 5)),
    "METER_POWER_LOSS": ("5 min", lambda i: 5),
    "PHASE_LOSS": ("5 min", lambda i: 5),
    "INVALID_DATA": ("3 samples", lambda i: 2 * i),
    "FROZEN_VALUE": ("12 samples", lambda i: max(11 * i, 15)),
    "IMPOSSIBLE_READING": ("3 samples", lambda i: 2 * i),
    "TREATMENT_RATIO_DROP": ("the day's end", None),
    "PATTERN_ANOMALY": ("2 h (persistHours)", lambda i: 120)}


def psql_rows(sql):
    return pwapi.psql_rows(PG_PORT, sql)


def put(port, path, body, token):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="PUT",
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def parse_local(s):
    return datetime.datetime.fromisoformat(s).replace(tzinfo=CHINA).timestamp()


def pct(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


def last_monday(days_back):
    """The Monday 00:00 (China) at least days_back days before today: the simulated week lies in the past."""
    d = datetime.datetime.now(CHINA).date() - datetime.timedelta(days=days_back)
    d -= datetime.timedelta(days=d.weekday())
    return datetime.datetime(d.year, d.month, d.day)


def run_platform(a, work, start):
    log = open(os.path.join(work, "platform.log"), "w")
    args = ["java", "-Xmx6g", "-jar", PLATFORM, "--demo", f"--powerwatch.data-dir={work}/data",
            f"--server.port={HTTP_PORT}", f"--powerwatch.gateway.port={GW_PORT}",
            f"--powerwatch.embedded-postgres.port={PG_PORT}", f"--powerwatch.demo.loggers={a.loggers}",
            f"--powerwatch.demo.interval={a.interval}s", f"--powerwatch.demo.speedup={a.speedup}",
            f"--powerwatch.demo.start={start.isoformat()}", f"--powerwatch.demo.seed={a.seed}",
            f"--powerwatch.demo.violations={a.violations}", f"--powerwatch.demo.violation-days={a.days}",
            f"--powerwatch.demo.truth-file={work}/truth.jsonl", f"--powerwatch.demo.orders-file={work}/orders.jsonl",
            # the loggers stop an hour after the period, so the platform then catches up with a finite backlog
            f"--powerwatch.demo.duration=PT{a.days * 24 + 1}H"]
    return subprocess.Popen(args + pwapi.platform_args(), stdout=log, stderr=log), log.name


def set_rules(token, days):
    """The history models need days of history; a week-long run lowers their minimum (defaults: 7 and 3 days)."""
    put(HTTP_PORT, "/api/alarm-rules", {"type": "TREATMENT_RATIO_DROP", "scopeLevel": "GLOBAL", "scopeKey": None,
                                        "params": {"minHistoryDays": 2}, "enabled": True}, token)
    put(HTTP_PORT, "/api/alarm-rules", {"type": "PATTERN_ANOMALY", "scopeLevel": "GLOBAL", "scopeKey": None,
                                        "params": {"minHistoryDays": 2}, "enabled": True}, token)


def monitor(plat, token, end_ts, a):
    """Samples lags until the engine's data clock (the latest data time it took) is past end_ts; returns the samples."""
    samples = []
    t_start = time.time()
    while True:
        if plat.poll() is not None:
            sys.exit("the platform stopped; see its log")
        try:
            s = pwapi.get(HTTP_PORT, "/api/ingest/stats", token, timeout=30)
            engine = pwapi.get(HTTP_PORT, "/api/analysis/engine", token, timeout=30)
        except Exception as e:  # a slow answer is not a reason to lose the run
            print(f"status not read ({e}); next poll", flush=True)
            time.sleep(a.poll)
            continue
        j = s["journal"]
        cons = j["consumers"]
        data_now = engine.get("dataClockMillis", 0) / 1000.0
        samples.append({"t": time.time(), "head": j["headPosition"], "cpu": pwapi.thread_cpu(plat.pid),
                        "engine": cons.get("alarm-engine", {}).get("lag", 0),
                        "telemetry": cons.get("telemetry", {}).get("lag", 0), "store": cons.get("store-writer", {}).get("lag", 0),
                        "data": data_now})
        x = samples[-1]
        sim = datetime.datetime.fromtimestamp(data_now, CHINA).strftime("%m-%d %H:%M") if data_now else "-"
        print(f"[{time.time() - t_start:6.0f} s] simulated {sim}  journal {x['head']:,}  lag engine {x['engine']:,} "
              f"telemetry {x['telemetry']:,} store {x['store']:,}", flush=True)
        if data_now >= end_ts:
            return samples
        time.sleep(a.poll)


def load_truth(path, period_start, period_end):
    out = []
    for line in open(path):
        r = json.loads(line)
        r["s"] = parse_local(r["start"])
        r["e"] = parse_local(r["end"])
        if r["s"] < period_end:  # records reaching past the run are clipped to it
            r["e"] = min(r["e"], period_end)
            out.append(r)
    return out


def evaluate(work, truth, interval_min):
    point_code = {}  # point id → (mn, channel)
    facility_codes = collections.defaultdict(set)  # facility id → channels
    for pid, mn, channel, fid in psql_rows("select id, mn, channel, facility_id from monitoring_point"):
        point_code[pid] = (mn, channel)
        facility_codes[fid].add(channel)
    enterprise_mn = {e: mn for mn, e in psql_rows("select mn, enterprise_id from data_logger")}
    alarms = []
    for row in psql_rows("select id, type, subject_key, enterprise_id, coalesce(facility_id::text, ''), "
                         "coalesce(point_id::text, ''), extract(epoch from started_at), repeats, status, "
                         "coalesce(extract(epoch from ended_at)::text, '') from alarm"):
        aid, typ, subject, eid, fid, pid, started, repeats, status, ended = row
        mn = enterprise_mn.get(eid)
        codes = set()
        if pid:
            codes = {point_code[pid][1]}
        elif fid:
            codes = facility_codes.get(fid, set())
        alarms.append({"id": aid, "type": typ, "subject": subject, "mn": mn, "codes": codes, "t": float(started),
                       "end": float(ended) if ended else float("inf"), "repeats": int(repeats), "status": status})
    by_type = collections.defaultdict(list)
    for r in truth:
        by_type[r["type"]].append(r)
    positives = [r for r in truth if r["expected"]]
    pos_by_mn = collections.defaultdict(list)
    for r in positives:
        pos_by_mn[r["mn"]].append(r)

    def same_subject(alarm, r):
        if alarm["mn"] != r["mn"]:
            return False
        if alarm["type"] in ENTERPRISE_TYPES or r.get("meterCode") is None:
            return True
        return r["meterCode"] in alarm["codes"]

    def window(r, typ):
        allowance = ALLOWANCE_MIN.get(typ, DEFAULT_ALLOWANCE_MIN) * MIN
        return r["s"] - interval_min * MIN, r["e"] + allowance

    detected = {}  # id(record) → earliest alarm time
    result = collections.defaultdict(lambda: {"tp": 0, "fp": 0, "explained": 0, "fp_examples": []})
    for al in alarms:
        typ = al["type"]
        hit = None
        for r in pos_by_mn.get(al["mn"], []):
            if r["type"] == typ and same_subject(al, r):
                lo, hi = window(r, typ)
                if lo <= al["t"] <= hi:
                    hit = r
                    break
        if hit is not None:
            result[typ]["tp"] += 1
            k = id(hit)
            detected[k] = min(detected.get(k, al["t"]), al["t"])
            continue
        explained = False
        for r in pos_by_mn.get(al["mn"], []):
            if typ in r.get("params", {}).get("mayAlsoRaise", []):
                lo, hi = window(r, typ)
                if lo <= al["t"] <= hi:
                    explained = True
                    break
        if explained:
            result[typ]["explained"] += 1
        else:
            result[typ]["fp"] += 1
            if len(result[typ]["fp_examples"]) < 5:
                near = [f"{r['type']}{'' if r['expected'] else '(neg:' + r.get('params', {}).get('variant', '') + ')'}"
                        f"@{r['start']}" for r in truth if r["mn"] == al["mn"] and r["s"] - 6 * 3600 <= al["t"] <= r["e"] + 6 * 3600]
                result[typ]["fp_examples"].append(
                    f"alarm {al['id']} {al['subject']} at {datetime.datetime.fromtimestamp(al['t'], CHINA):%m-%d %H:%M} "
                    f"{al['mn']} near: {', '.join(near) or 'nothing planned'}")
    # one open alarm per subject and type: a violation that follows another of its kind on the same subject (two days
    # of ratio drop in a row) falls into an alarm still open — the engine must not raise it twice. It counts as found
    # ("continuing"), and has no detection delay of its own.
    continuing = set()
    for r in positives:
        if id(r) in detected:
            continue
        if any(al["type"] == r["type"] and same_subject(al, r) and al["t"] <= r["s"] < al["end"]
               for al in alarms if al["mn"] == r["mn"]):
            continuing.add(id(r))
    table = []
    types = sorted(set(by_type) | set(result))
    for typ in types:
        pos = [r for r in by_type.get(typ, []) if r["expected"]]
        found = [r for r in pos if id(r) in detected or id(r) in continuing]
        delays = [(detected[id(r)] - r["s"]) / MIN for r in found if id(r) in detected]
        missed = [r for r in pos if id(r) not in detected and id(r) not in continuing]
        res = result[typ]
        precision = res["tp"] / (res["tp"] + res["fp"]) if res["tp"] + res["fp"] else float("nan")
        recall = len(found) / len(pos) if pos else float("nan")
        table.append({"type": typ, "positives": len(pos), "negatives": len([r for r in by_type.get(typ, []) if not r["expected"]]),
                      "alarms": res["tp"] + res["fp"] + res["explained"], "tp": res["tp"], "fp": res["fp"],
                      "explained": res["explained"], "continuing": len([r for r in pos if id(r) in continuing]),
                      "precision": precision, "recall": recall,
                      "median_delay_min": pct(delays, 0.5) if delays else float("nan"),
                      "p95_delay_min": pct(delays, 0.95) if delays else float("nan"),
                      "fp_examples": res["fp_examples"],
                      "missed_examples": [f"{r['mn']} {r.get('meterCode')} {r['start']}–{r['end']} {r.get('params')}"
                                          for r in missed[:5]]})
    return table, len(alarms)


def report(table, a):
    """Prints the table and the false / missed examples; True when every type meets its targets."""
    print()
    print(f"{'type':<24} {'pos':>4} {'neg':>4} {'alarms':>6} {'TP':>4} {'FP':>4} {'expl':>4} {'cont':>4} {'precision':>9} "
          f"{'recall':>7} {'delay p50':>9} {'p95':>6}  target (persistence + {a.interval // 60} min)")
    ok = True
    for r in table:
        label, target_fn = PERSISTENCE.get(r["type"], ("", None))
        target = target_fn(a.interval / 60) + a.interval / 60 if target_fn else None
        good = (r["precision"] >= 0.95 or r["tp"] + r["fp"] == 0) and (r["recall"] >= 0.95 or r["positives"] == 0) \
            and (target is None or not r["median_delay_min"] == r["median_delay_min"] or r["median_delay_min"] <= target)
        ok &= good
        print(f"{r['type']:<24} {r['positives']:>4} {r['negatives']:>4} {r['alarms']:>6} {r['tp']:>4} {r['fp']:>4} "
              f"{r['explained']:>4} {r['continuing']:>4} {r['precision']:>9.3f} {r['recall']:>7.3f} "
              f"{r['median_delay_min']:>7.1f} m {r['p95_delay_min']:>5.0f}  {label}"
              f"{'' if target is None else f' → ≤ {target:.0f} min'} {'ok' if good else 'MISSED'}")
    for r in table:
        for x in r["fp_examples"]:
            print(f"  FP {r['type']}: {x}")
        for x in r["missed_examples"]:
            print(f"  missed {r['type']}: {x}")
    return ok


def rescore(a, work):
    """Scores the alarms of the last run again (its PostgreSQL running on PG_PORT), e.g. after a change of the rules
    of matching; prints the table."""
    with open(os.path.join(work, "result.json")) as f:
        last = json.load(f)
    start = datetime.datetime.fromisoformat(last["start"]) if "start" in last else last_monday(a.days + 2)
    period_start = start.replace(tzinfo=CHINA).timestamp()
    truth = load_truth(os.path.join(work, "truth.jsonl"), period_start, period_start + a.days * 86400)
    table, n_alarms = evaluate(work, truth, a.interval / 60)
    print(f"{n_alarms} alarms of the run that started {start:%Y-%m-%d %H:%M}")
    return report(table, a)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loggers", type=int, default=1000)
    ap.add_argument("--interval", type=int, default=300, help="simulated reporting interval, seconds")
    ap.add_argument("--speedup", type=float, default=300)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--violations", type=float, default=0.2, help="share of enterprises with a violation per day")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--poll", type=int, default=15, help="seconds between lag samples")
    ap.add_argument("--keep", action="store_true", help="leave the platform running at the end")
    ap.add_argument("--rescore", action="store_true",
                    help="only score the last run's alarms again (its embedded PostgreSQL must be running on port 55483)")
    a = ap.parse_args()
    if a.rescore:
        sys.exit(0 if rescore(a, os.path.join(ROOT, "bench/work/alarm_eval")) else 1)
    if not os.path.exists(PLATFORM):
        sys.exit("build first: mvn -q -pl platform -am package -DskipTests")
    work = os.path.join(ROOT, "bench/work/alarm_eval")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    start = last_monday(a.days + 2)
    period_start = start.replace(tzinfo=CHINA).timestamp()
    period_end = period_start + a.days * 86400
    # the loggers run an hour past the period (--powerwatch.demo.duration) so the last day's history models (day end
    # + settle) and the last timers are evaluated; the engine's data clock stops a little before that
    run_until = period_end + 45 * MIN
    print(f"{a.loggers} enterprises, interval {a.interval} s, speed-up {a.speedup}×, simulated {start:%Y-%m-%d %H:%M} + "
          f"{a.days} days (≈ {(run_until - period_start) / a.speedup / 60:.0f} min of wall time)", flush=True)
    plat, log_name = run_platform(a, work, start)
    t0 = time.time()
    try:
        token = pwapi.await_sign_in(HTTP_PORT, plat, 180)
        if token is None:
            sys.exit("platform did not start; see " + log_name)
        set_rules(token, a.days)
        points = psql_rows("select count(*) from monitoring_point")[0][0]
        print(f"registered: {points} metering points", flush=True)
        samples = monitor(plat, token, run_until, a)
        # let the engine and telemetry catch up with what has arrived, then the timers run once more
        # the loggers have stopped: wait until the engine and the telemetry have read everything and no aggregate
        # waits for its refresh, then give the history models' timers (every 5 s, retry after 10 s) time to run
        deadline = time.time() + 900
        while time.time() < deadline:
            cons = pwapi.get(HTTP_PORT, "/api/ingest/stats", token, timeout=30)["journal"]["consumers"]
            dirty = int(psql_rows("select count(*) from telemetry_dirty")[0][0])
            if cons["alarm-engine"]["lag"] == 0 and cons["telemetry"]["lag"] == 0 and dirty == 0:
                break
            print(f"catching up: engine lag {cons['alarm-engine']['lag']:,}, telemetry lag {cons['telemetry']['lag']:,}, "
                  f"{dirty:,} aggregate buckets to refresh", flush=True)
            time.sleep(10)
        time.sleep(30)
        wall = time.time() - t0
        truth = load_truth(os.path.join(work, "truth.jsonl"), period_start, period_end)
        table, n_alarms = evaluate(work, truth, a.interval / 60)
        steady = [s for s in samples if s["t"] - samples[0]["t"] > 60]
        arrival = (samples[-1]["head"] - samples[0]["head"]) / (samples[-1]["t"] - samples[0]["t"]) if len(samples) > 1 else 0
        lags = [s["engine"] for s in steady] or [0]
        half = len(lags) // 2
        print()
        print(f"simulated {a.days} days of {a.loggers} enterprises ({points} points) in {wall / 60:.1f} min; "
              f"{n_alarms} alarms; {arrival:,.0f} frames/s journaled")
        print(f"engine lag: p95 {pct(lags, 0.95):,.0f} records ({pct(lags, 0.95) / max(arrival, 1):.1f} s), max {max(lags):,}; "
              f"p95 first half {pct(lags[:half] or [0], 0.95):,.0f} vs second half {pct(lags[half:] or [0], 0.95):,.0f}")
        first, last = steady[0] if steady else samples[0], samples[-1]
        frames = last["head"] - first["head"]
        if frames > 0:
            engine_cpu = last["cpu"]["alarm-engine"] - first["cpu"]["alarm-engine"]
            telemetry_cpu = last["cpu"]["telemetry"] - first["cpu"]["telemetry"]
            per_frame_us = engine_cpu / frames * 1e6
            # values per frame: the "code-field=value" items of a sample of the journaled uploads
            values_per_frame = float(psql_rows(pwapi.VALUES_PER_FRAME_SQL)[0][0])
            print(f"engine thread CPU: {engine_cpu:.1f} s for {frames:,} frames = {per_frame_us:.0f} µs per frame "
                  f"→ one core would take {1e6 / per_frame_us:,.0f} frames/s ≈ {1e6 / per_frame_us * values_per_frame:,.0f} "
                  f"values/s at {values_per_frame:.0f} values per frame (target: keep up with 100,000 values/s); "
                  f"telemetry thread {telemetry_cpu / frames * 1e6:.0f} µs per frame")
        ok = report(table, a)
        with open(os.path.join(work, "result.json"), "w") as f:
            json.dump({"table": table, "lags": samples, "args": vars(a), "start": start.isoformat()}, f, indent=1, default=str)
        print()
        print("all targets met" if ok else "some targets missed")
    finally:
        if not a.keep:
            pwapi.stop(plat)


if __name__ == "__main__":
    main()

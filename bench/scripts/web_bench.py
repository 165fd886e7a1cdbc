#!/usr/bin/env python3
"""Web platform benchmark (issue 11): how fast do an officer's pages draw with a city of 5,000 enterprises?

Starts the platform jar with --demo on a fresh embedded PostgreSQL and N simulated loggers (default 5,000, one
enterprise each, registered with coordinates, reporting every 60 s — the load of a real city stays on while pages
are timed), waits until every enterprise has a real-time state and the alarm engine has run, then times in
Debian's headless Chromium (bench/web/page_timing.mjs, playwright-core) the time from navigation start until:

  home        the map's markers and the KPI cards are drawn       target 1.5 s
  overview    the first page of the enterprise list is drawn      target 1.0 s
  enterprise  an enterprise page with its curve and flow diagram  target 1.0 s

cold (fresh browser context, empty cache) and warm (the same page again), median and worst of --runs.

  mvn -q -pl platform -am package -DskipTests
  python3 bench/scripts/web_bench.py [--loggers 5000] [--runs 5]
"""
import argparse, json, os, shutil, statistics, subprocess, sys, time

import pwapi

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATFORM = os.path.join(ROOT, "platform/target/platform-0.1.0-SNAPSHOT.jar")
HTTP_PORT, GW_PORT, PG_PORT = 18483, 19483, 55483


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loggers", type=int, default=5000)
    ap.add_argument("--interval", default="60s")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--settle", type=int, default=90, help="seconds after registration before timing")
    a = ap.parse_args()
    if not os.path.exists(PLATFORM):
        sys.exit("build first: mvn -q -pl platform -am package -DskipTests")
    work = os.path.join(ROOT, "bench/work/web")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    log = open(os.path.join(work, "platform.log"), "w")
    args = ["java", "-Xmx4g", "-jar", PLATFORM, "--demo", f"--powerwatch.data-dir={work}/data",
            f"--server.port={HTTP_PORT}", f"--powerwatch.gateway.port={GW_PORT}",
            f"--powerwatch.embedded-postgres.port={PG_PORT}", f"--powerwatch.demo.loggers={a.loggers}",
            f"--powerwatch.demo.interval={a.interval}"] + pwapi.platform_args()
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    try:
        token = pwapi.await_sign_in(HTTP_PORT, proc, 300)
        if token is None:
            sys.exit("platform did not start; see bench/work/web/platform.log")
        t0 = time.time()
        while True:
            rows = pwapi.get(HTTP_PORT, "/api/realtime/enterprises", token, timeout=60)
            with_state = sum(1 for e in rows if e.get("state") not in (None, "UNKNOWN"))
            print(f"  {int(time.time() - t0)} s: {len(rows)} enterprises, {with_state} with a state", flush=True)
            if len(rows) >= a.loggers and with_state >= 0.95 * a.loggers:
                break
            if time.time() - t0 > 600:
                sys.exit("the fleet did not register and report within 10 minutes")
            time.sleep(10)
        print(f"settling {a.settle} s (alarm engine, aggregates) …", flush=True)
        time.sleep(a.settle)
        token = pwapi.sign_in(HTTP_PORT)
        user = pwapi.get(HTTP_PORT, "/api/auth/me", token)
        enterprise = rows[len(rows) // 2]["id"]
        out = subprocess.run(["node", os.path.join(ROOT, "bench/web/page_timing.mjs"), "--port", str(HTTP_PORT),
                              "--token", token, "--user", json.dumps(user), "--enterprise", str(enterprise),
                              "--runs", str(a.runs)], capture_output=True, text=True, timeout=1200)
        if out.returncode != 0:
            sys.exit("page timing failed:\n" + out.stderr[-3000:])
        results = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"\nweb pages with {len(rows)} enterprises on {os.cpu_count()} cores (platform and its fleet on the same machine)")
        print(f"{'page':<12}{'cold median':>12}{'cold worst':>12}{'warm median':>12}{'warm worst':>12}{'target':>9}{'ratio':>8}")
        for name, r in results.items():
            cm, cw = statistics.median(r["cold"]), max(r["cold"])
            wm, ww = statistics.median(r["warm"]), max(r["warm"])
            print(f"{name:<12}{cm:>10.0f}ms{cw:>10.0f}ms{wm:>10.0f}ms{ww:>10.0f}ms{r['target']:>7}ms{r['target'] / cm:>7.2f}x")
        with open(os.path.join(work, "result.json"), "w") as f:
            json.dump({"enterprises": len(rows), "results": results}, f, indent=1)
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()

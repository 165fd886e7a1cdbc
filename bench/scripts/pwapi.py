"""Signing in to a platform a benchmark started: the first administrator's password is given on the command line
(--powerwatch.security.initial-admin-password), must be changed at first login, and the session token is then used
as a bearer token on every call. Also what several benchmarks read beside the API: a thread's CPU, psql."""
import collections
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

INITIAL_PASSWORD = "Bench-Initial-2026!"
BENCH_PASSWORD = "Bench-Changed-2026!"


def platform_args():
    """The extra platform arguments that make sign_in() work."""
    return [f"--powerwatch.security.initial-admin-password={INITIAL_PASSWORD}"]


def _post(port, path, body, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=10) as r:
        raw = r.read()
        return json.loads(raw) if raw else {}


def sign_in(port):
    """A bearer token for the administrator, changing the initial password on a fresh data directory."""
    for password in (BENCH_PASSWORD, INITIAL_PASSWORD):
        try:
            answer = _post(port, "/api/auth/login", {"username": "admin", "password": password})
        except urllib.error.HTTPError:
            continue
        if answer.get("mustChangePassword"):
            _post(port, "/api/auth/password", {"oldPassword": password, "newPassword": BENCH_PASSWORD}, answer["token"])
        return answer["token"]
    raise RuntimeError("cannot sign in as admin (data directory from another run?)")


def get(port, path, token, timeout=10):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.load(r)


def await_sign_in(port, proc, seconds=180):
    """A token once the platform started as `proc` answers; None when it stopped or did not answer in time."""
    for _ in range(seconds):
        if proc.poll() is not None:
            return None
        try:
            return sign_in(port)
        except Exception:
            time.sleep(1)
    return None


def stop(proc, seconds=60):
    """SIGTERM, then SIGKILL if the platform has not stopped within `seconds`."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        proc.kill()


TICK = os.sysconf("SC_CLK_TCK")


def thread_cpu(pid):
    """CPU seconds per thread name of a process (Linux keeps 15 characters of a thread's name)."""
    out = collections.Counter()
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            out[name] += (int(parts[11]) + int(parts[12])) / TICK
        except OSError:
            pass
    return out


def psql_rows(port, sql):
    """Rows of a query on the embedded PostgreSQL at port, as lists of strings."""
    r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "postgres", "-At", "-F",
                        "\t", "-c", sql], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return [line.split("\t") for line in r.stdout.splitlines() if line]


# values per journaled upload: the "code-field=value" items of a sample of the stored raw frames
VALUES_PER_FRAME_SQL = ("select avg((select count(*) from regexp_matches(convert_from(raw, 'UTF8'), '-[A-Za-z0-9]+=', 'g'))) "
                        "from (select raw from raw_frame where cn = '2011' limit 5000) x")

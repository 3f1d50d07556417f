"""make classview-bench: how much the live class view service takes, measured (nothing is asserted).

The real service (`python -m course.classview`, its own process, as the hub starts it) and a stand-in for the
hub's /hub/api/user (`python -m course.classview.fakehub`, another process) on 127.0.0.1. A bounded load
generator (one process, asyncio + aiohttp) plays STUDENTS students who each post ATTEMPTS attempts, one attempt
per request (the worst case: a kernel batches what piles up), all at once; meanwhile an instructor polls the
class view's data, and afterwards reads it again with the whole class in the database.

Printed, and written to bench/results/classview.json:
- attempts per second over the whole load (goal on a 2-core machine: >= 500);
- the attempts' latency p50 / p95 / p99 (goal p95 < 50 ms);
- the class view's data (api/class) p50 / p95 with the whole class (goal < 200 ms), and during the load;
- the service's memory (RSS at the end, peak VmHWM) and its database's size.

The students' rate limit is raised for the load (--rate/--burst) so that the service's capacity is measured,
not the limit; everything else is as deployed. The load generator shares the machine's cores with the service.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "/services/classview/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


def mem_kb(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line.split(":")[0]] = int(line.split()[1])
    return out


def wait_up(url: str, timeout: float = 30) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers (403 without a token)
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


async def load(base: str, tokens: list[str], instructor: str, attempts: int, limit_s: float) -> dict:
    import aiohttp

    lat: list[float] = []
    statuses: dict[int, int] = {}
    view_during: list[float] = []
    done = asyncio.Event()
    deadline = time.monotonic() + limit_s

    async def student(session: aiohttp.ClientSession, i: int, token: str) -> None:
        headers = {"Authorization": f"token {token}"}
        for n in range(attempts):
            if time.monotonic() > deadline:
                return
            body = {"attempts": [{"id": f"s{i:04d}a{n:04d}x", "notebook": "03_migration_and_remittances",
                                  "question": f"03-q{n % 12}", "kind": "answer", "answer": f"option {n % 4}",
                                  "correct": n % 3 == 0, "score": float(n % 3 == 0), "attempt": n // 12 + 1,
                                  "time": "2026-12-03T09:00:00+00:00"}]}
            t0 = time.perf_counter()
            async with session.post(base + "api/attempts", json=body, headers=headers) as r:
                await r.read()
                statuses[r.status] = statuses.get(r.status, 0) + 1
            lat.append(time.perf_counter() - t0)

    async def teacher(session: aiohttp.ClientSession) -> None:
        while not done.is_set():
            t0 = time.perf_counter()
            async with session.get(base + "api/class", headers={"Authorization": f"token {instructor}"}) as r:
                await r.read()
            view_during.append(time.perf_counter() - t0)
            try:
                await asyncio.wait_for(done.wait(), 2.0)  # the page polls every few seconds
            except asyncio.TimeoutError:
                pass

    connector = aiohttp.TCPConnector(limit=len(tokens) + 2)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        # each student's first request: the service asks the hub who the token is (then HubAuth caches it)
        watcher = asyncio.create_task(teacher(session))
        t0 = time.perf_counter()
        await asyncio.gather(*(student(session, i, t) for i, t in enumerate(tokens)))
        elapsed = time.perf_counter() - t0
        done.set()
        await watcher
        view_after = []
        for _ in range(20):
            t1 = time.perf_counter()
            async with session.get(base + "api/class", headers={"Authorization": f"token {instructor}"}) as r:
                data = await r.json()
            view_after.append(time.perf_counter() - t1)
    return {"elapsed_s": elapsed, "latencies": lat, "statuses": statuses, "view_during": view_during,
            "view_after": view_after, "recorded": data["attempts"], "students_seen": len(data["students"])}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--students", type=int, default=200)
    p.add_argument("--attempts", type=int, default=60, help="attempts per student")
    p.add_argument("--limit-s", type=float, default=180.0, help="stop posting after this many seconds")
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="classview-bench-"))
    access = "access:services!service=classview"
    tokens = {secrets.token_hex(16): {"kind": "user", "name": f"student{i:03d}", "admin": False, "groups": [],
                                      "scopes": [access]} for i in range(args.students)}
    instructor = secrets.token_hex(16)
    tokens[instructor] = {"kind": "user", "name": "instructor", "admin": False, "groups": ["instructors"],
                          "scopes": [access]}
    (tmp / "tokens.json").write_text(json.dumps(tokens))
    hub_port, port = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub_port}/hub/api", "JUPYTERHUB_API_TOKEN": secrets.token_hex(16),
           "JUPYTERHUB_CLIENT_ID": "service-classview", "JUPYTERHUB_SERVICE_NAME": "classview",
           "JUPYTERHUB_SERVICE_PREFIX": PREFIX, "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{port}",
           "JUPYTERHUB_OAUTH_ACCESS_SCOPES": json.dumps([access]), "JUPYTERHUB_BASE_URL": "/",
           "JUPYTERHUB_OAUTH_CALLBACK_URL": f"{PREFIX}oauth_callback"}
    procs = []
    try:
        procs.append(subprocess.Popen([sys.executable, "-m", "course.classview.fakehub", str(hub_port),
                                       str(tmp / "tokens.json")], env=env, cwd=tmp))
        log = open(tmp / "service.log", "w")
        service = subprocess.Popen([sys.executable, "-m", "course.classview", "--db", str(tmp / "cv.sqlite"),
                                    "--rate", "1000", "--burst", "1000"], env=env, cwd=tmp, stdout=log,
                                   stderr=subprocess.STDOUT)
        procs.append(service)
        base = f"http://127.0.0.1:{port}{PREFIX}"
        wait_up(f"http://127.0.0.1:{hub_port}/hub/api/user")
        wait_up(base + "api/me")
        mem_start = mem_kb(service.pid)
        student_tokens = [t for t in tokens if t != instructor]
        res = asyncio.run(load(base, student_tokens, instructor, args.attempts, args.limit_s))
        mem_end = mem_kb(service.pid)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    lat = [x * 1000 for x in res["latencies"]]
    ok = res["statuses"].get(200, 0)
    out = {
        "students": args.students, "attempts_each": args.attempts, "requests": len(lat), "statuses": res["statuses"],
        "recorded": res["recorded"], "elapsed_s": round(res["elapsed_s"], 2),
        "attempts_per_s": round(ok / res["elapsed_s"], 1),
        "latency_ms": {"p50": round(pct(lat, 50), 1), "p95": round(pct(lat, 95), 1), "p99": round(pct(lat, 99), 1),
                       "mean": round(statistics.fmean(lat), 1) if lat else None},
        "class_view_ms_after": {"p50": round(pct([x * 1000 for x in res["view_after"]], 50), 1),
                                "p95": round(pct([x * 1000 for x in res["view_after"]], 95), 1)},
        "class_view_ms_during": {"n": len(res["view_during"]),
                                 "p95": round(pct([x * 1000 for x in res["view_during"]], 95), 1)},
        "service_memory_mb": {"start_rss": round(mem_start.get("VmRSS", 0) / 1024, 1),
                              "end_rss": round(mem_end.get("VmRSS", 0) / 1024, 1),
                              "peak": round(mem_end.get("VmHWM", 0) / 1024, 1)},
        "db_mb": round(sum(f.stat().st_size for f in tmp.glob("cv.sqlite*")) / 1e6, 2),
        "load_average_after": os.getloadavg(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print(f"class view service, {args.students} students x {args.attempts} attempts (one attempt a request), "
          f"all at once on 127.0.0.1")
    print(f"  attempts stored: {out['recorded']} of {args.students * args.attempts}; statuses {out['statuses']}")
    print(f"  attempts/s: {out['attempts_per_s']}   latency ms p50 {out['latency_ms']['p50']}  "
          f"p95 {out['latency_ms']['p95']}  p99 {out['latency_ms']['p99']}")
    print(f"  class view data (api/class) with the whole class: p50 {out['class_view_ms_after']['p50']} ms, "
          f"p95 {out['class_view_ms_after']['p95']} ms; during the load p95 {out['class_view_ms_during']['p95']} ms")
    print(f"  service memory: {out['service_memory_mb']['start_rss']} MB at start, "
          f"{out['service_memory_mb']['end_rss']} MB at the end (peak {out['service_memory_mb']['peak']} MB); "
          f"database {out['db_mb']} MB")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "classview.json").write_text(json.dumps(out, indent=1))
    subprocess.run(["rm", "-rf", str(tmp)], check=False)


if __name__ == "__main__":
    main()

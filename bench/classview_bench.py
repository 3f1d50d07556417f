"""make classview-bench: how much the live class view service takes, measured (nothing is asserted).

The real service (`python -m course.classview`, its own process, as the hub starts it) and a stand-in for the
hub's /hub/api/user (`python -m tests.fakehub`, another process) on 127.0.0.1. A bounded load
generator (one process, asyncio + aiohttp) plays STUDENTS students who each post ATTEMPTS attempts, one attempt
per request (the worst case: a kernel batches what piles up), all at once; meanwhile an instructor polls the
class view's data, and afterwards reads it again with the whole class in the database.

Printed, and written to bench/results/classview.json:
- attempts per second over the whole load (goal on a 2-core machine: >= 500), and their latency p50 / p95 /
  p99 (with every student posting back to back, the latency is mostly waiting in line: 200 / attempts a second);
- then a steady load (STEADY_RATE attempts a second from the whole class, each student at an even pace): the
  latency there is what a kernel waits (goal p95 < 50 ms);
- the class view's data (api/class) p50 / p95 with the whole class (goal < 200 ms), and during the load;
- the service's memory (RSS at the end, peak VmHWM) and its database's size;
- the service's own CPU time for the whole load, and so attempts per CPU-second: a figure that other programs
  on the machine (the load generator, other users) affect less than the wall-clock ones.

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


def cpu_s(pid: int) -> float:
    """User + system CPU seconds the process has used (so far)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


async def load(base: str, tokens: list[str], instructor: str, attempts: int, limit_s: float,
               interval: float = 0.0, tag: str = "s") -> dict:
    """Every student posts `attempts` attempts: back to back (interval 0: the service's capacity), or one every
    `interval` seconds, the students spread evenly over it (a steady load, as a class at work gives)."""
    import aiohttp

    lat: list[float] = []
    statuses: dict[int, int] = {}
    view_during: list[float] = []
    done = asyncio.Event()
    deadline = time.monotonic() + limit_s

    async def student(session: aiohttp.ClientSession, i: int, token: str) -> None:
        headers = {"Authorization": f"token {token}"}
        start = time.monotonic() + interval * i / len(tokens)
        for n in range(attempts):
            if time.monotonic() > deadline:
                return
            if interval:
                await asyncio.sleep(max(0.0, start + n * interval - time.monotonic()))
            body = {"attempts": [{"id": f"{tag}{i:04d}a{n:04d}x", "notebook": "03_migration_and_remittances",
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
    p.add_argument("--steady-rate", type=float, default=100.0,
                   help="then, attempts a second of the whole class at a steady pace (default 100)")
    p.add_argument("--steady-attempts", type=int, default=15, help="attempts per student at the steady pace")
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
        procs.append(subprocess.Popen([sys.executable, "-m", "tests.fakehub", str(hub_port),
                                       str(tmp / "tokens.json")], env=env, cwd=tmp))
        log = open(tmp / "service.log", "w")
        service = subprocess.Popen([sys.executable, "-m", "course.classview", "--db", str(tmp / "cv.sqlite"),
                                    "--rate", "1000", "--burst", "1000"], env=env, cwd=tmp, stdout=log,
                                   stderr=subprocess.STDOUT)
        procs.append(service)
        base = f"http://127.0.0.1:{port}{PREFIX}"
        wait_up(f"http://127.0.0.1:{hub_port}/hub/api/user")
        wait_up(base + "api/me")
        mem_start, cpu_start = mem_kb(service.pid), cpu_s(service.pid)
        student_tokens = [t for t in tokens if t != instructor]
        res = asyncio.run(load(base, student_tokens, instructor, args.attempts, args.limit_s))
        mem_end, cpu_used = mem_kb(service.pid), cpu_s(service.pid) - cpu_start
        steady = asyncio.run(load(base, student_tokens, instructor, args.steady_attempts, args.limit_s,
                                  interval=args.students / args.steady_rate, tag="p"))
        mem_peak = mem_kb(service.pid)
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
        "service_cpu_s": round(cpu_used, 2),
        "attempts_per_service_cpu_s": round(ok / cpu_used, 1) if cpu_used else None,
        "latency_ms": {"p50": round(pct(lat, 50), 1), "p95": round(pct(lat, 95), 1), "p99": round(pct(lat, 99), 1),
                       "mean": round(statistics.fmean(lat), 1) if lat else None},
        "steady": {"offered_per_s": args.steady_rate, "requests": len(steady["latencies"]),
                   "statuses": steady["statuses"],
                   "attempts_per_s": round(len(steady["latencies"]) / steady["elapsed_s"], 1),
                   "latency_ms": {"p50": round(pct([x * 1000 for x in steady["latencies"]], 50), 1),
                                  "p95": round(pct([x * 1000 for x in steady["latencies"]], 95), 1)},
                   "class_view_ms_p95": round(pct([x * 1000 for x in steady["view_during"]], 95), 1)},
        "class_view_ms_after": {"p50": round(pct([x * 1000 for x in res["view_after"]], 50), 1),
                                "p95": round(pct([x * 1000 for x in res["view_after"]], 95), 1)},
        "class_view_ms_during": {"n": len(res["view_during"]),
                                 "p95": round(pct([x * 1000 for x in res["view_during"]], 95), 1)},
        "service_memory_mb": {"start_rss": round(mem_start.get("VmRSS", 0) / 1024, 1),
                              "end_rss": round(mem_end.get("VmRSS", 0) / 1024, 1),
                              "peak": round(mem_peak.get("VmHWM", 0) / 1024, 1)},
        "db_mb": round(sum(f.stat().st_size for f in tmp.glob("cv.sqlite*")) / 1e6, 2),
        "load_average_after": os.getloadavg(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print(f"class view service, {args.students} students x {args.attempts} attempts (one attempt a request), "
          f"all at once on 127.0.0.1")
    print(f"  attempts stored: {out['recorded']} of {args.students * args.attempts}; statuses {out['statuses']}")
    print(f"  attempts/s: {out['attempts_per_s']}   latency ms p50 {out['latency_ms']['p50']}  "
          f"p95 {out['latency_ms']['p95']}  p99 {out['latency_ms']['p99']}")
    print(f"  the service's own CPU: {out['service_cpu_s']} s for the whole load (class view polls included), "
          f"i.e. {out['attempts_per_service_cpu_s']} attempts per CPU-second; load average after "
          f"{', '.join(f'{x:.1f}' for x in out['load_average_after'])} (other programs share the cores)")
    print(f"  class view data (api/class) with the whole class: p50 {out['class_view_ms_after']['p50']} ms, "
          f"p95 {out['class_view_ms_after']['p95']} ms; during the load p95 {out['class_view_ms_during']['p95']} ms")
    st = out["steady"]
    print(f"  at a steady {st['offered_per_s']:g} attempts/s ({args.students} students, one attempt every "
          f"{args.students / args.steady_rate:g} s each): latency ms p50 {st['latency_ms']['p50']}  p95 "
          f"{st['latency_ms']['p95']}; class view data p95 {st['class_view_ms_p95']} ms; statuses {st['statuses']}")
    print(f"  service memory: {out['service_memory_mb']['start_rss']} MB at start, "
          f"{out['service_memory_mb']['end_rss']} MB at the end (peak {out['service_memory_mb']['peak']} MB); "
          f"database {out['db_mb']} MB")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "classview.json").write_text(json.dumps(out, indent=1))
    subprocess.run(["rm", "-rf", str(tmp)], check=False)


if __name__ == "__main__":
    main()

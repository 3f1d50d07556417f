"""Measure a class on a real local JupyterHub: `make classroom-measure` (MEASURE_ARGS="--ns 1,5,10,20").

For each N (fresh students, cold homes, one hub): all N log in at once (which starts their servers), then
all at once follow the hub-link, let nbgitpuller pull the module, run 00_start_here and one content
notebook (the same for everyone), answer 00's questions and save. Measured per student: spawn time (login
to server ready), notebook time (open, start kernel, run all cells, save), memory of the server and its
kernels while all are alive (PSS: shared pages divided among the processes sharing them, so N x PSS is what
N students take), and CPU seconds. Nothing is asserted. Results: test-artifacts/classroom/measure-*.json and
a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

import hubsim
from hubsim import Hub, Proxy, Run, Student, log, pct

FIRST = "00_start_here"


def heaviest_notebook() -> str:
    """The other notebook with the most code cells: the content notebook everyone runs."""
    def cells(name):
        nb = json.loads((hubsim.REPO / "notebooks" / f"{name}.ipynb").read_text())
        return sum(c["cell_type"] == "code" for c in nb["cells"])
    others = [nb for nb in hubsim.notebooks_in_repo() if nb != FIRST]
    return max(others, key=cells) if others else FIRST


def round_(run: Run, hub: Hub, link: str, n: int, second: str) -> dict:
    tag = f"kgc{run.id}r{len(run.users):03d}"  # fresh accounts every round: cold homes, as in a real first lesson
    students = [Student(hub, run.user(f"{tag}s{i:02d}"), link) for i in range(n)]
    time.sleep(2)
    mem0, load0 = hubsim.meminfo_kb(), os.getloadavg()
    errors = {}

    def guarded(fn):
        def inner(st):
            try:
                fn(st)
            except Exception as err:  # noqa: BLE001 - counted, not raised
                errors[st.name] = repr(err)
                st.r["error"] = traceback.format_exc()
        return inner

    t0 = time.time()
    with ThreadPoolExecutor(n) as pool:
        list(pool.map(guarded(lambda st: st.login()), students))
    spawn_wall = time.time() - t0
    barrier = threading.Barrier(n)

    def lesson(st):
        barrier.wait()
        if "error" in st.r:
            return
        st.follow_link()
        st.run_notebook(FIRST)
        if second != FIRST:
            st.run_notebook(second)
        st.answer(st.kernels[f"{hubsim.FOLDER}/notebooks/{FIRST}.ipynb"], FIRST)
        st.r["ok"] = True

    t1 = time.time()
    with ThreadPoolExecutor(n) as pool:
        list(pool.map(guarded(lesson), students))
    work_wall = time.time() - t1
    time.sleep(2)
    for st in students:
        if st.server_pid:
            st.r["memory"] = hubsim.student_memory(st)
    mem1, load1 = hubsim.meminfo_kb(), os.getloadavg()
    for st in students:
        st.close()
    hub.stop_all_servers([st.name for st in students])
    ok = [st.r for st in students if st.r.get("ok")]

    def stat(get):
        xs = [get(r) for r in ok]
        return {"p50": pct(xs, 50), "p95": pct(xs, 95), "max": max(xs) if xs else None,
                "mean": statistics.mean(xs) if xs else None}

    res = {
        "n": n, "ok": len(ok), "errors": errors,
        "tracebacks": {st.name: st.r["error"] for st in students if "error" in st.r},
        "spawn_wall_s": spawn_wall, "work_wall_s": work_wall,
        "spawn_s": stat(lambda r: r["spawn_s"]), "pull_s": stat(lambda r: r["pull_s"]),
        "first_s": stat(lambda r: r["notebooks"][FIRST]["notebook_s"]),
        "second_s": stat(lambda r: r["notebooks"][second]["notebook_s"]),
        "pss_mb": stat(lambda r: r["memory"]["pss_mb"]), "rss_mb": stat(lambda r: r["memory"]["rss_mb"]),
        "uss_mb": stat(lambda r: r["memory"]["uss_mb"]),
        "server_peak_mb": stat(lambda r: r["memory"]["server_peak_mb"]),
        "kernel_peak_mb": stat(lambda r: r["memory"]["kernel_peak_mb"]),
        "cpu_s": stat(lambda r: r["memory"]["cpu_s"]),
        "memavail_drop_per_student_mb": (mem0 - mem1) / 1024 / n,
        "load_before": load0, "load_after": load1,
    }
    log(f"[N={n}] ok {len(ok)}/{n}  spawn p50 {res['spawn_s']['p50']:.1f}s  {FIRST} p50 "
        f"{res['first_s']['p50']:.1f}s  {second} p50 {res['second_s']['p50']:.1f}s  "
        f"PSS p50 {res['pss_mb']['p50']:.0f} MB  load {load1[0]:.1f}")
    return res


def table(results: dict) -> str:
    rounds = results["rounds"]
    base = next((r for r in rounds if r["n"] == 1), rounds[0])
    second = results["second"]
    lines = [
        f"| N | ok | spawn p50 / p95 (s) | {FIRST} p50 / p95 (s) | ratio to N=1 (p50 / p95) | "
        f"{second} p50 / p95 (s) | ratio to N=1 (p50 / p95) | PSS per student p50 (MB) | "
        "CPU s per student | load avg (1 min) after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rounds:
        f, s = r["first_s"], r["second_s"]
        lines.append(
            f"| {r['n']} | {r['ok']}/{r['n']} | {r['spawn_s']['p50']:.1f} / {r['spawn_s']['p95']:.1f} | "
            f"{f['p50']:.1f} / {f['p95']:.1f} | {f['p50'] / base['first_s']['p50']:.1f} / "
            f"{f['p95'] / base['first_s']['p50']:.1f} | {s['p50']:.1f} / {s['p95']:.1f} | "
            f"{s['p50'] / base['second_s']['p50']:.1f} / {s['p95'] / base['second_s']['p50']:.1f} | "
            f"{r['pss_mb']['p50']:.0f} | {r['cpu_s']['p50']:.1f} | {r['load_after'][0]:.1f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ns", default="1,5,10,20")
    ap.add_argument("--second", default=None, help="the content notebook everyone runs (default: the largest)")
    ap.add_argument("--no-warmup", action="store_true", help="skip the unreported first round of one student")
    a = ap.parse_args()
    second = a.second or heaviest_notebook()
    results = {"ns": a.ns, "second": second, "cpus": os.cpu_count(),
               "mem_total_mb": hubsim.meminfo_kb("MemTotal") // 1024, "uptime_start": os.getloadavg(),
               "started": time.strftime("%Y-%m-%d %H:%M:%S"), "rounds": []}
    run = Run()
    proxy = Proxy(run)
    hub = Hub(run, proxy)
    out = hubsim.REPO / "test-artifacts" / "classroom" / f"measure-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        proxy.start()
        hub.start()
        link = hubsim.hub_link(hub, run.repo_url)
        if not a.no_warmup:  # a cold first spawn (page cache, imports) would make N=1 look slow
            results["warmup"] = round_(run, hub, link, 1, second)
        for n in [int(x) for x in a.ns.split(",")]:
            results["rounds"].append(round_(run, hub, link, n, second))
            out.write_text(json.dumps(results, indent=1, default=str))
    finally:
        try:
            hub.stop_all_servers(run.users)
        except Exception:  # noqa: BLE001
            pass
        hub.stop()
        proxy.stop()
        logs = out.with_suffix(".logs")
        logs.mkdir(exist_ok=True)
        for f in list(run.state.glob("jupyterhub-*.log")) + [run.dir / "proxy.log"]:
            if f.exists():
                shutil.copy(f, logs / f.name)
        run.cleanup()
        out.write_text(json.dumps(results, indent=1, default=str))
    print()
    print(table(results))
    print(f"\nhost: {results['cpus']} cores, {results['mem_total_mb']} MB; load at start "
          f"{results['uptime_start']}; results in {out}")


if __name__ == "__main__":
    main()

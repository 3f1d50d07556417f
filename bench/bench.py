"""make bench: what each notebook costs, measured against a floor that every charted, quizzed notebook pays.

Prints, per notebook:
- run-all time / floor run-all time (goal <= 1.3). Floor = kernel start + import matplotlib.pyplot and
  ipywidgets + one small figure. Notebook and floor runs alternate in the same process, ROUNDS times each,
  and the medians are compared, so machine load affects both alike.
- the kernel's own CPU time (user + system) for the same run and its ratio to the floor's: on a shared machine
  wall times swing with the load, the kernel's CPU time much less;
- the kernel's peak memory (its maximum resident set size, asked of the kernel itself after run-all with the
  standard library's ``resource`` module; Linux and macOS) (goal <= 120 MB).
Then the time of ``import course`` in a fresh Python (goal <= 0.3 s), the same beyond matplotlib and ipywidgets,
the first quiz, and, unless --no-test, the wall time of `make test` with a warm environment.

Nothing here is asserted: these are measurements to read, not tests. Results also go to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR_CELLS = [
    "import matplotlib.pyplot as plt\nimport ipywidgets",
    "fig, ax = plt.subplots(figsize=(4, 3))\nax.plot([1, 2, 3], [2, 1, 3])\nplt.show()",
]


def floor_notebook():
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell(c) for c in FLOOR_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.from_dict(nb)


# Run in the kernel after the notebook: its peak resident memory in MB (ru_maxrss is in KiB on Linux, bytes on
# macOS) and the CPU seconds it has used (user + system), which other programs on the machine do not inflate.
USAGE_CODE = (
    "import resource as _r, sys as _s\n"
    "_u = _r.getrusage(_r.RUSAGE_SELF)\n"
    "print(_u.ru_maxrss / (2**20 if _s.platform == 'darwin' else 2**10), _u.ru_utime + _u.ru_stime)"
)


def kernel_usage(client, index: int) -> tuple[float | None, float | None]:
    """The kernel's peak memory (MB) and CPU time (s) so far; None where the resource module is missing
    (Windows)."""
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(USAGE_CODE)
    client.nb.cells.append(cell)
    client.execute_cell(cell, index)
    text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
    try:
        peak, cpu = map(float, text.split())
    except ValueError:
        return None, None
    return peak, cpu


def run_all(nb, cwd: Path) -> tuple[float, float | None, float | None]:
    """Seconds from kernel start to the end of the last cell, the kernel's peak memory in MB and its CPU time."""
    import nbformat
    from jupyter_client import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # a fresh copy each run
    # Unix sockets, as `make lab` uses (and no "running over TCP without encryption" line from every kernel), at
    # an absolute path: a relative one would be taken from the kernel's folder by the kernel, from ours by us
    if os.name == "posix":
        ipc = os.path.join(tempfile.mkdtemp(prefix="bench-kernel-"), "kernel")
        km = KernelManager(kernel_name="python3", transport="ipc", ip=ipc)
    else:
        km = KernelManager(kernel_name="python3")
    client = NotebookClient(nb, km=km, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    t0 = time.perf_counter()
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            elapsed = time.perf_counter() - t0
            peak, cpu = kernel_usage(client, len(nb.cells))
    finally:  # a kernel manager passed in is not shut down by nbclient: each kernel would live on till the end
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        if km.transport == "ipc":
            shutil.rmtree(os.path.dirname(km.ip), ignore_errors=True)
    return elapsed, peak, cpu


def import_time(rounds: int) -> dict[str, float]:
    alone = "import time\nt0 = time.perf_counter(); import course; print(time.perf_counter() - t0)"
    code = (
        "import time, matplotlib.pyplot, ipywidgets\n"
        "t0 = time.perf_counter(); import course; t1 = time.perf_counter()\n"
        "course.quiz('00-run-cell'); t2 = time.perf_counter()\n"
        "print(t1 - t0, t2 - t1)"
    )
    bare, imports, first_quiz = [], [], []
    for _ in range(rounds):
        env = dict(os.environ, COURSE_PROGRESS_DIR=tempfile.mkdtemp())
        out = subprocess.run([sys.executable, "-c", alone], capture_output=True, text=True, check=True, cwd=ROOT,
                             env=env)
        bare.append(float(out.stdout))
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                             env=env)
        a, b = map(float, out.stdout.split())
        imports.append(a)
        first_quiz.append(b)
    return {"import_course_alone_s": statistics.median(bare), "import_course_s": statistics.median(imports),
            "first_quiz_s": statistics.median(first_quiz)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-test", action="store_true", help="skip timing `make test`")
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args()
    import nbformat

    os.environ["COURSE_PROGRESS_DIR"] = tempfile.mkdtemp(prefix="bench-progress-")
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    floor = floor_notebook()
    results: dict[str, dict[str, float | None]] = {}
    run_all(floor, ROOT)  # warm-up: caches, bytecode
    floor_times, floor_peaks, floor_cpus = [], [], []
    print(f"{'notebook':32} {'run-all s':>10} {'floor s':>8} {'ratio':>6} {'CPU s':>6} {'floor':>6} {'ratio':>6} "
          f"{'peak MB':>8}")
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        times, peaks, cpus, ftimes, fcpus = [], [], [], [], []
        for _ in range(args.rounds):
            t, p, c = run_all(floor, path.parent)
            ftimes.append(t)
            floor_peaks.append(p)
            fcpus.append(c)
            t, p, c = run_all(nb, path.parent)
            times.append(t)
            peaks.append(p)
            cpus.append(c)
        floor_times += ftimes
        floor_cpus += fcpus
        med, fmed = statistics.median(times), statistics.median(ftimes)
        cpu = statistics.median(c for c in cpus if c is not None) if None not in cpus else None
        fcpu = statistics.median(c for c in fcpus if c is not None) if None not in fcpus else None
        peak = max((p for p in peaks if p is not None), default=None)
        results[path.stem] = {"run_all_s": med, "floor_s": fmed, "ratio": med / fmed, "kernel_cpu_s": cpu,
                              "floor_cpu_s": fcpu, "cpu_ratio": cpu / fcpu if cpu and fcpu else None,
                              "peak_mb": peak}
        nan = float("nan")
        print(f"{path.stem:32} {med:10.2f} {fmed:8.2f} {med / fmed:6.2f} {cpu or nan:6.2f} {fcpu or nan:6.2f} "
              f"{(cpu / fcpu) if cpu and fcpu else nan:6.2f} {peak or nan:8.0f}")
    fpeak = max((p for p in floor_peaks if p is not None), default=None)
    floor_cpu = statistics.median(floor_cpus) if None not in floor_cpus else float("nan")
    print(f"{'(floor notebook)':32} {statistics.median(floor_times):10.2f} {'':8} {'':6} {floor_cpu:6.2f} "
          f"{'':6} {'':6} {fpeak or float('nan'):8.0f}")
    print(f"(goals: ratio <= 1.3, peak <= 120 MB; medians of {args.rounds}; CPU s: the kernel's own CPU time, which "
          "other programs on the machine do not inflate)")
    imp = import_time(args.rounds)
    print(f"import course in a fresh Python: {imp['import_course_alone_s']:.3f} s (goal <= 0.3 s); "
          f"beyond matplotlib + ipywidgets: {imp['import_course_s']:.3f} s; "
          f"first quiz() call (loads its bank, validates, builds widgets): {imp['first_quiz_s']:.3f} s")
    summary: dict[str, object] = {"notebooks": results, "floor_peak_mb": fpeak, **imp}
    if not args.no_test:
        t0 = time.perf_counter()
        proc = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
        summary["make_test_s"] = time.perf_counter() - t0
        status = "passed" if proc.returncode == 0 else f"FAILED (exit {proc.returncode})"
        print(f"make test with a warm environment: {summary['make_test_s']:.1f} s, {status}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (out / f"bench-{stamp}.json").write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

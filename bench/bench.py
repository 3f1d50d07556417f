"""make bench: what each notebook costs, measured against a floor that every charted, quizzed notebook pays.

Prints, per notebook:
- run-all time / floor run-all time (goal <= 1.3). Floor = kernel start + import matplotlib.pyplot and
  ipywidgets + one small figure. Notebook and floor runs alternate in the same process, ROUNDS times each,
  and the medians are compared, so machine load affects both alike.
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


# Run in the kernel after the notebook: its peak resident memory in MB (ru_maxrss is in KiB on Linux, bytes on macOS).
PEAK_CODE = (
    "import resource as _r, sys as _s\n"
    "print(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss / (2**20 if _s.platform == 'darwin' else 2**10))"
)


def peak_rss_mb(client, index: int) -> float | None:
    """The kernel's peak memory so far, in MB, or None where the resource module is missing (Windows)."""
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(PEAK_CODE)
    client.nb.cells.append(cell)
    client.execute_cell(cell, index)
    text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
    try:
        return float(text.strip())
    except ValueError:
        return None


def run_all(nb, cwd: Path) -> tuple[float, float | None]:
    """Seconds from kernel start to the end of the last cell, and the kernel's peak memory in MB."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # a fresh copy each run
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    t0 = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        elapsed = time.perf_counter() - t0
        peak = peak_rss_mb(client, len(nb.cells))
    return elapsed, peak


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
    floor_times, floor_peaks = [], []
    print(f"{'notebook':32} {'run-all s':>10} {'floor s':>8} {'ratio':>6} {'peak MB':>8}   (goals: ratio <= 1.3, "
          f"peak <= 120 MB; medians of {args.rounds})")
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        times, peaks, ftimes = [], [], []
        for _ in range(args.rounds):
            t, _p = run_all(floor, path.parent)
            ftimes.append(t)
            floor_peaks.append(_p)
            t, p = run_all(nb, path.parent)
            times.append(t)
            peaks.append(p)
        floor_times += ftimes
        med, fmed = statistics.median(times), statistics.median(ftimes)
        peak = max((p for p in peaks if p is not None), default=None)
        results[path.stem] = {"run_all_s": med, "floor_s": fmed, "ratio": med / fmed, "peak_mb": peak}
        print(f"{path.stem:32} {med:10.2f} {fmed:8.2f} {med / fmed:6.2f} {peak or float('nan'):8.0f}")
    fpeak = max((p for p in floor_peaks if p is not None), default=None)
    print(f"{'(floor notebook)':32} {statistics.median(floor_times):10.2f} {'':8} {'':6} {fpeak or float('nan'):8.0f}")
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

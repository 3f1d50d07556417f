"""`make nbgrader`: nbgrader itself grades the module's nbgrader source, on two submissions.

    python tests/nbgrader/run.py COURSE_DIR      (with the Python of the nbgrader venv, from the repository root)

1. ``python -m course nbgrader-source COURSE_DIR`` (this working tree's notebooks and model solutions);
2. ``nbgrader generate_assignment``: the student version, solutions replaced by nbgrader's stub;
3. ``nbgrader validate`` on one untouched student notebook: it must report failing tests (not "Success!");
4. two submissions: ``untouched`` (the student version as released) and ``solved`` (each solution cell holding
   the model solution, ``course.exercises.solution``, as a student who solved everything would have it);
5. ``nbgrader autograde``; then, from nbgrader's gradebook: the untouched submission scores 0 on every
   notebook, the solved one full marks. Prints the scores; exit 1 (with what differs) otherwise.

Everything it writes is under COURSE_DIR (made afresh); progress files go to COURSE_DIR/progress.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = "kg-russia-module"


def run(args: list[str], cwd: Path, env: dict[str, str], expect_ok: bool = True) -> subprocess.CompletedProcess:
    print("$", " ".join(args), flush=True)
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)
    if expect_ok and done.returncode != 0:
        sys.exit(f"failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def solve(notebook: Path) -> int:
    """Put the model solution into each solution cell of a released notebook; returns how many."""
    sys.path.insert(0, str(REPO))
    from course.exercises import solution

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    count = 0
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and grade_id.endswith("-answer"):
            cell["source"] = solution(grade_id.removesuffix("-answer"))
            count += 1
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return count


def main(course: Path) -> int:
    started = time.monotonic()
    if course.exists():
        shutil.rmtree(course)
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
           "COURSE_PROGRESS_DIR": str(course.parent / "progress"), "JUPYTER_DATA_DIR": str(course.parent / "data"),
           "MPLBACKEND": "Agg"}
    nbgrader = [str(Path(bindir) / "nbgrader")]
    run([sys.executable, "-m", "course", "nbgrader-source", str(course), "--assignment", ASSIGNMENT], REPO, env)
    run([*nbgrader, "generate_assignment", ASSIGNMENT], course, env)
    released = sorted((course / "release" / ASSIGNMENT).glob("*.ipynb"))
    if not released:
        sys.exit("nbgrader generate_assignment wrote no notebook")
    for path in released:
        text = path.read_text(encoding="utf-8")
        if "### BEGIN SOLUTION" in text:
            sys.exit(f"{path.name}: a solution is left in the student version")

    problems = []
    check = run([*nbgrader, "validate", str(released[0])], course, env, expect_ok=False)
    said = check.stdout + check.stderr
    if "Success!" in said or "failed" not in said.lower():
        problems.append(f"nbgrader validate on the untouched {released[0].name} did not report failing tests:\n"
                        f"{said[-1500:]}")
    else:
        print(f"validate on the untouched {released[0].name}: failing tests reported, as they should be")

    solved_cells = 0
    for student in ("untouched", "solved"):
        target = course / "submitted" / student / ASSIGNMENT
        shutil.copytree(course / "release" / ASSIGNMENT, target)
        if student == "solved":
            solved_cells = sum(solve(p) for p in sorted(target.glob("*.ipynb")))
    run([*nbgrader, "autograde", ASSIGNMENT, "--create"], course, env)

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        print(f"\n{'notebook':34} {'untouched':>10} {'solved':>10} {'max':>6}")
        totals = {"untouched": 0.0, "solved": 0.0, "max": 0.0}
        for path in released:
            name = path.stem
            scores = {s: gb.find_submission_notebook(name, ASSIGNMENT, s) for s in ("untouched", "solved")}
            maximum = scores["solved"].max_score
            print(f"{name:34} {scores['untouched'].score:>10g} {scores['solved'].score:>10g} {maximum:>6g}")
            totals["untouched"] += scores["untouched"].score
            totals["solved"] += scores["solved"].score
            totals["max"] += maximum
            if scores["untouched"].score != 0:
                problems.append(f"{name}: the untouched submission scored {scores['untouched'].score}, not 0")
            if scores["solved"].score != maximum or maximum == 0:
                problems.append(f"{name}: the solved submission scored {scores['solved'].score} of {maximum}")
        print(f"{'total':34} {totals['untouched']:>10g} {totals['solved']:>10g} {totals['max']:>6g}")
    print(f"\n{len(released)} notebooks, {solved_cells} exercises; {time.monotonic() - started:.0f} s")
    for problem in problems:
        print(f"PROBLEM  {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]).resolve()))

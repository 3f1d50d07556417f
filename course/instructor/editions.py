"""Editions of the module made from the instructor's copy: the student edition (``release``) and the nbgrader
source (``nbgrader_source``).

Where the exercises' model solutions come from (``exercise_solutions``): ``course.exercises.solution(id)``, the
one home of each solution beside its check, when the package has it; otherwise (an older copy of the module)
the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` in the notebooks.

An exercise in a notebook is a code cell (metadata ``{"course": {"exercise": id}}``, or a solution between the
markers) followed by its check cell (``{"course": {"check": id}}``, or a cell calling ``check("NN-name", ...)``).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ..paths import REPO
from . import InstructorError

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
CHECK_CALL = re.compile(r"""^\s*(?:\w+\s*=\s*)?(?:course\.)?check\(\s*["']([0-9]{2}-[\w-]+)["']""", re.M)
#: A file at the top of every student edition: hub-link tells an edition from the instructor's source by it.
EDITION_MARKER = ".course-edition.json"


# --- exercises in a notebook -------------------------------------------------------------------------------------

def _source(cell: dict[str, Any]) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _course_meta(cell: dict[str, Any], key: str) -> str | None:
    value = (cell.get("metadata", {}).get("course") or {}).get(key)
    return value if isinstance(value, str) and value else None


def check_id(cell: dict[str, Any]) -> str | None:
    """The exercise a check cell checks ("03-pp-change"), or None if the cell is no check."""
    if cell.get("cell_type") != "code":
        return None
    found = CHECK_CALL.search(_source(cell))
    return _course_meta(cell, "check") or (found.group(1) if found else None)


def exercise_cells(nb: dict[str, Any], name: str = "") -> list[tuple[int, int, str]]:
    """(exercise cell index, check cell index, exercise id) for each exercise of a notebook, in order."""
    cells = nb["cells"]
    out = []
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        own = _course_meta(cell, "exercise")
        if own is None and BEGIN not in _source(cell):
            continue
        for j in range(i + 1, len(cells)):
            cid = check_id(cells[j])
            if cid is not None and (own is None or cid == own):
                out.append((i, j, own or cid))
                break
        else:
            raise InstructorError(f"{name} cell {i + 1}: an exercise with no check cell after it")
    return out


def _contract() -> Any:
    """``course.exercises`` when it is the one home of the solutions (it has ``solution``), else None."""
    from .. import exercises

    return exercises if callable(getattr(exercises, "solution", None)) else None


def _between_markers(source: str) -> str:
    lines, inside = [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside:
            lines.append(line)
    return "\n".join(lines)


def _notebooks(notebooks_dir: Path | None) -> list[Path]:
    notebooks_dir = Path(notebooks_dir) if notebooks_dir else REPO / "notebooks"
    paths = sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise InstructorError(f"no notebooks (NN_name.ipynb) in {notebooks_dir}")
    return paths


def _read(path: Path) -> dict[str, Any]:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InstructorError(f"{path}: not a readable notebook ({err})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise InstructorError(f"{path}: not a notebook (no list of cells)")
    return nb


def exercise_solutions(notebooks_dir: Path | None = None) -> dict[str, str]:
    """Each exercise's model solution (the complete code of its answer cell), by exercise id, in order."""
    contract = _contract()
    if contract is not None and callable(getattr(contract, "exercise_ids", None)):
        return {eid: contract.solution(eid).strip("\n") for eid in sorted(contract.exercise_ids())}
    out: dict[str, str] = {}
    for path in _notebooks(notebooks_dir):
        nb = _read(path)
        for i, _j, eid in exercise_cells(nb, path.name):
            out[eid] = _between_markers(_source(nb["cells"][i])).strip("\n")
    return out


# --- the student edition -----------------------------------------------------------------------------------------

def strip_solutions(source: str, where: str = "") -> tuple[str, bool]:
    """Replace every BEGIN/END SOLUTION block by nbgrader's stub. Returns (new source, whether anything changed)."""
    out: list[str] = []
    inside = False
    changed = False
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise InstructorError(f"{where}: line {number}: '{BEGIN}' inside another solution block")
            inside, changed = True, True
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + s for s in STUB]
        elif stripped == END:
            if not inside:
                raise InstructorError(f"{where}: line {number}: '{END}' without '{BEGIN}'")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise InstructorError(f"{where}: '{BEGIN}' is never closed by '{END}'")
    return "\n".join(out), changed


def release_notebook(nb: dict[str, Any], name: str = "") -> dict[str, Any]:
    """The student version of one notebook (as nbformat JSON): instructor cells removed, outputs of exercise and
    check cells cleared. The notebooks are unsolved already (each exercise cell holds its stub, the model
    solutions live in course/, see course.exercises); a notebook that still has nbgrader's BEGIN/END SOLUTION
    markers gets them replaced by nbgrader's stub. Quiz cells keep their (answer-free) outputs."""
    cells = []
    for i, cell in enumerate(nb["cells"]):
        if "instructor" in cell.get("metadata", {}).get("tags", []):
            continue
        cell = json.loads(json.dumps(cell))
        if cell["cell_type"] == "code":
            new, changed = strip_solutions(_source(cell), f"{name} cell {i + 1}")
            if changed or check_id(cell) or _course_meta(cell, "exercise"):
                cell["source"] = new
                cell["outputs"] = []
                cell["execution_count"] = None
        cells.append(cell)
    out = dict(nb)
    out["cells"] = cells
    return out


RELEASE_FILES = ["pyproject.toml", "constraints.txt", "LICENSE"]  # and a Makefile of its own: student_makefile
RELEASE_DIRS = ["course", "data", "docs/img"]
STUDENT_GITIGNORE = ".ipynb_checkpoints/\n__pycache__/\n*.pyc\n.venv/\nprogress-*.json\n"


#: The targets of the student edition's Makefile: what needs only course/, data/ and the notebooks.
STUDENT_TARGETS = {"lab": "set up (once) and open JupyterLab on the first notebook (PORT=8888)",
                   "check": "check the question banks and the data tables",
                   "clean": "remove the set-up (.venv), to start again"}
_RULE = re.compile(r"^([^\s#=:][^=:]*?)\s*:(?!=)", re.MULTILINE)


def student_makefile(text: str) -> str:
    """The student edition's Makefile, made from the instructor's: its set-up rule and the targets in
    STUDENT_TARGETS, word for word, and a help of its own. The other targets (test, unit, notebooks, bench,
    classroom, nbgrader...) run tests/, tools/ or bench/, which the edition leaves out: copied, they would fail."""
    kept = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        if not kept and all(line.startswith("#") for line in block.splitlines()):
            continue  # the instructor's heading (it names make test)
        rules = set(_RULE.findall(block))
        if any(name in block for name in ("CLASSROOM", "NBGRADER", "HUB_", ".PHONY")):
            continue  # the classroom's and nbgrader's set-ups, and the instructor's list of targets
        if not rules or rules <= {"$(STAMP)", *STUDENT_TARGETS}:
            kept.append(block)
    missing = {"$(STAMP)", *STUDENT_TARGETS} - set(_RULE.findall("\n\n".join(kept)))
    if missing:
        raise InstructorError(f"the Makefile has no rule for {', '.join(sorted(missing))}: the student edition "
                              "needs them")
    width = max(map(len, STUDENT_TARGETS))
    help_rule = "help:\n" + "".join(f'\t@echo "  make {name:<{width}}  {what}"\n'
                                     for name, what in STUDENT_TARGETS.items())
    first_rule = next(i for i, block in enumerate(kept) if _RULE.search(block))
    kept.insert(first_rule, f".PHONY: {' '.join([*STUDENT_TARGETS, 'help'])}\n\n{help_rule.rstrip()}")  # the default
    head = ("# The student edition's Makefile, made by `python -m course release` from the module's own.\n"
            "# make lab: set up (once) and open JupyterLab on the first notebook.\n\n")
    # students need the package, not the tools that test it (pytest, Playwright, ruff...: the dev extra)
    return head + "\n\n".join(kept).replace('-e ".[dev]"', "-e .") + "\n"


def _title(nb: dict[str, Any], fallback: str) -> str:
    for cell in nb["cells"]:
        if cell.get("cell_type") == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def student_readme(titles: list[tuple[str, str]]) -> str:
    """The README of the student edition: how to open the notebooks and hand in progress; nothing else."""
    heading = "Japarov tells Putin: reading one article about Kyrgyzstan and Russia"
    readme = REPO / "README.md"
    if readme.is_file():
        first = readme.read_text(encoding="utf-8").splitlines()[:1]
        if first and first[0].startswith("# "):
            heading = first[0][2:].strip()
    rows = "\n".join(f"| `{stem}` | {title} |" for stem, title in titles)
    return f"""# {heading}

Notebooks that walk you through one news article and check its claims against other sources and data. You
answer quizzes and short exercises as you go; no programming experience is needed.

## How to open it

- **On your class's JupyterHub:** click the link your instructor gave you, and log in. The notebooks open in
  a folder of your own; clicking the link again later brings you your instructor's updates and keeps your work.
- **On your own computer** (Python 3.10 or newer and `make`): in this folder, run `make lab`. The first time,
  it installs what the notebooks need (a few minutes).

Start with `notebooks/00_start_here.ipynb`.

## The notebooks

| Notebook | Topic |
|---|---|
{rows}

## Your answers

Your quiz answers and exercise checks are saved as you go, in a progress file of your own (notebook 00 shows
where). To hand them in, use the **Export my progress** button in `06_review`, or run in a terminal:

```bash
python -m course export-progress --student "Your Name"
```

It writes a file `progress-<your name>.json` in the current folder: hand that file to your instructor.
"""


def _clear_checkout(out_dir: Path, force: bool) -> None:
    """Empty a git checkout for a new edition, keeping ``.git``. Refuses uncommitted changes unless forced."""
    try:
        status = subprocess.run(["git", "-C", str(out_dir), "status", "--porcelain"], capture_output=True,
                                text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as err:
        raise InstructorError(f"{out_dir} is a git checkout, but git could not be run ({err})") from None
    if status.returncode != 0:
        raise InstructorError(f"{out_dir} has a .git that git cannot read: {status.stderr.strip()}")
    if status.stdout.strip() and not force:
        changed = [line[3:] for line in status.stdout.splitlines()]
        listed = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        raise InstructorError(f"{out_dir} has uncommitted changes ({listed}): commit or discard them first, or "
                              "give --force to replace them by the new edition")
    for entry in out_dir.iterdir():
        if entry.name == ".git":
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _source_commit() -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def release(out_dir: Path, notebooks_dir: Path | None = None, *, force: bool = False) -> list[Path]:
    """Write a student edition of the module into ``out_dir``: a new or empty folder, or a git checkout (of the
    class's repository), whose files are replaced and whose ``.git`` is kept. Returns the notebooks written."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InstructorError(f"{out_dir} is a file, not a folder")
    here = REPO.resolve()
    if out_dir.exists() and (out_dir.resolve() == here or out_dir.resolve() in here.parents):
        raise InstructorError(f"{out_dir} holds the module's own source; choose another folder")
    released = []
    for path in _notebooks(notebooks_dir):
        nb = _read(path)
        released.append((path.name, release_notebook(nb, path.name), _title(nb, path.stem)))
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / ".git").exists():
            raise InstructorError(f"{out_dir} is not empty and is not a git checkout; choose a new folder, or a "
                                  "clone of the class's repository (its files are replaced, its .git kept)")
        _clear_checkout(out_dir, force)
    (out_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    written = []
    for name, nb, _ in released:
        target = out_dir / "notebooks" / name
        target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    for name in RELEASE_FILES:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, out_dir / name)
    if (REPO / "Makefile").exists():
        makefile = student_makefile((REPO / "Makefile").read_text(encoding="utf-8"))
        (out_dir / "Makefile").write_text(makefile, encoding="utf-8")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for name in RELEASE_DIRS:
        if (REPO / name).exists():
            shutil.copytree(REPO / name, out_dir / name, ignore=ignore, dirs_exist_ok=True)
    (out_dir / "README.md").write_text(student_readme([(Path(n).stem, t) for n, _nb, t in released]),
                                       encoding="utf-8")
    (out_dir / ".gitignore").write_text(STUDENT_GITIGNORE, encoding="utf-8")
    from .. import __version__

    marker = {"edition": "student", "module_version": __version__, "source_commit": _source_commit()}
    (out_dir / EDITION_MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
    return written


def _git(args: list[str], env: dict[str, str] | None = None, cwd: Path = REPO) -> str:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, timeout=120,
                              env={**os.environ, **(env or {})})
    except (OSError, subprocess.SubprocessError) as err:
        raise InstructorError(f"git could not be run ({err})") from None
    if done.returncode != 0:
        raise InstructorError(f"git {' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip()


def release_branch(branch: str, notebooks_dir: Path | None = None, message: str | None = None,
                   repo: Path = REPO) -> str | None:
    """Commit a student edition to ``branch`` of the git repository ``repo`` (default: the one the module is
    in), without touching its working tree or the branch checked out. The branch is created if needed; each
    release is one new commit on it. Returns the new commit, or None when the edition has not changed since the
    branch's last commit."""
    branch = branch.strip()
    if not branch or _git_ok(["check-ref-format", "--branch", branch], repo) is None:
        raise InstructorError(f"{branch!r} is not a valid branch name")
    if _git_ok(["rev-parse", "--absolute-git-dir"], repo) is None:
        raise InstructorError(f"{repo} is not a git repository: --branch needs one (or give a folder instead)")
    ref = f"refs/heads/{branch}"
    for line in _git(["worktree", "list", "--porcelain"], cwd=repo).splitlines():
        if line.strip() == f"branch {ref}":
            raise InstructorError(f"the branch {branch!r} is checked out; choose a branch that is not, e.g. "
                                  "'student'")
    parent = _git_ok(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], repo)
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        edition = Path(tmp) / "edition"
        release(edition, notebooks_dir)
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index"),
               "GIT_DIR": _git(["rev-parse", "--absolute-git-dir"], cwd=repo), "GIT_WORK_TREE": str(edition)}
        _git(["add", "--all", "."], env, cwd=edition)
        tree = _git(["write-tree"], env, cwd=edition)
    if parent and _git(["rev-parse", f"{parent}^{{tree}}"], cwd=repo) == tree:
        return None
    source = _source_commit()
    text = message or f"Student edition (python -m course release --branch {branch})" + (
        f" from {source[:12]}" if source else "")
    commit = _git(["commit-tree", tree, *(["-p", parent] if parent else []), "-m", text], cwd=repo)
    _git(["update-ref", ref, commit, *([parent] if parent else [])], cwd=repo)
    return commit


def _git_ok(args: list[str], repo: Path = REPO) -> str | None:
    """git's output (possibly empty) if it succeeds, else None."""
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as err:
        raise InstructorError(f"git could not be run ({err})") from None
    return done.stdout.strip() if done.returncode == 0 else None


# --- the nbgrader source -----------------------------------------------------------------------------------------

NBGRADER_CONFIG = '''\
# Written by `python -m course nbgrader-source`. nbgrader reads this file in the course directory.
c = get_config()  # noqa: F821
c.CourseDirectory.root = __file__.rpartition("/")[0] or "."
# The stub a student finds where a solution was: the cell's own runnable stub comes first, so Run All goes on.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# A cell may take a while on a busy grading server (the charts); nbgrader's default is 30 s per cell.
c.Execute.timeout = 300
'''


def _is_check_call(node: ast.AST) -> bool:
    func = node.func if isinstance(node, ast.Call) else None
    return (isinstance(func, ast.Name) and func.id == "check") or (
        isinstance(func, ast.Attribute) and func.attr == "check")


def graded_check(source: str, where: str = "") -> str:
    """A check cell as an nbgrader autograder test: the check's verdict is shown, and an exercise not solved
    raises AssertionError (with the check's hint), so nbgrader gives no points for it."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise InstructorError(f"{where}: the check cell is not valid Python ({err.msg})") from None
    calls = [n for n in tree.body if isinstance(n, ast.Expr) and _is_check_call(n.value)]
    if not calls:
        raise InstructorError(f"{where}: no check(...) call in the check cell")
    node = calls[-1]
    lines = source.splitlines()
    start, end = node.lineno - 1, node.end_lineno or node.lineno
    call = lines[start:end]
    call[0] = "_verdict = " + call[0]
    return "\n".join([*lines[:start], *call, *lines[end:], "display(_verdict)",
                      "assert _verdict.ok, _verdict.message"])


def _nbgrader(cell: dict[str, Any], grade_id: str, solution: bool, points: int = 0) -> dict[str, Any]:
    meta = {"grade": not solution, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if not solution:
        meta["points"] = points
    out = json.loads(json.dumps(cell))
    out.setdefault("metadata", {})["nbgrader"] = meta
    out["outputs"], out["execution_count"] = [], None
    return out


def nbgrader_notebook(nb: dict[str, Any], name: str = "", points: int = 1) -> tuple[dict[str, Any], int]:
    """One notebook as nbgrader source: each exercise a solution cell (its runnable stub, then the model
    solution between nbgrader's markers), each check an autograder test worth ``points``. Instructor cells are
    left out; no other cell holds a solution marker. Returns (notebook, total points)."""
    contract = _contract()
    exercises = exercise_cells(nb, name)
    answer_at = {i: eid for i, _j, eid in exercises}
    check_at = {j: eid for _i, j, eid in exercises}
    cells = []
    for k, cell in enumerate(nb["cells"]):
        where = f"{name} cell {k + 1}"
        if "instructor" in cell.get("metadata", {}).get("tags", []):
            continue
        if k in answer_at:
            eid, source = answer_at[k], _source(cell)
            if BEGIN not in source:  # the stub students see, then the model solution from its one home
                if contract is None:
                    raise InstructorError(f"{where}: exercise {eid!r} has no solution (no markers, no "
                                          "course.exercises.solution)")
                solution = contract.solution(eid).strip("\n")
                source = f"{source.rstrip()}\n{BEGIN}\n{solution}\n{END}"
            cell = _nbgrader({**cell, "source": source}, f"{eid}-answer", solution=True)
        elif k in check_at:
            cell = _nbgrader({**cell, "source": graded_check(_source(cell), where)}, f"{check_at[k]}-check",
                             solution=False, points=points)
        elif BEGIN in _source(cell) or END in _source(cell):
            raise InstructorError(f"{where}: a solution marker outside an exercise cell")
        cells.append(cell)
    out = dict(nb)
    out["cells"] = cells
    return out, points * len(exercises)


def nbgrader_source(out_dir: Path, notebooks_dir: Path | None = None, assignment: str = "kg-russia-module",
                    points: int = 1) -> list[tuple[Path, int]]:
    """An nbgrader course directory in ``out_dir`` (new or empty): ``nbgrader_config.py`` and
    ``source/<assignment>/`` with every notebook that has exercises. Returns [(notebook, points)]."""
    out_dir = Path(out_dir)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", assignment):
        raise InstructorError(f"{assignment!r} is not a usable assignment name (letters, digits, - _ .)")
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise InstructorError(f"{out_dir} is not an empty folder; choose a new one")
    made = []
    for path in _notebooks(notebooks_dir):
        nb, total = nbgrader_notebook(_read(path), path.name, points)
        if total:
            made.append((path.name, nb, total))
    if not made:
        raise InstructorError("no notebook has an exercise with a check")
    folder = out_dir / "source" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    (out_dir / "nbgrader_config.py").write_text(NBGRADER_CONFIG, encoding="utf-8")
    written = []
    for name, nb, total in made:
        (folder / name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append((folder / name, total))
    return written

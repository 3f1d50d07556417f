"""Tools for instructors: a student edition, printable handouts and answer keys, progress exports and a
gradebook. Each is a subcommand of ``python -m course`` (see ``python -m course --help``)."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import __version__

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
CHECK_CALL = re.compile(r"^\s*check\(\s*[\"'][0-9]{2}-", re.M)
EXPORT_FORMAT = "kg-russia-module/progress-export"
EXPORT_VERSION = 1


class InstructorError(Exception):
    """A problem with an instructor command's input; the message says what and where."""


# --- student edition ---------------------------------------------------------------------------------

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
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            new, changed = strip_solutions(source, f"{name} cell {i + 1}")
            role = cell.get("metadata", {}).get("course", {})
            if changed or CHECK_CALL.search(source) or "exercise" in role or "check" in role:
                cell["source"] = new
                cell["outputs"] = []
                cell["execution_count"] = None
        cells.append(cell)
    out = dict(nb)
    out["cells"] = cells
    return out


RELEASE_FILES = ["README.md", "pyproject.toml", "constraints.txt", "Makefile", "LICENSE"]
RELEASE_DIRS = ["course", "data", "docs/img"]


def release(out_dir: Path, notebooks_dir: Path | None = None) -> list[Path]:
    """Write a student edition of the module into `out_dir` (which must not exist or be empty)."""
    notebooks_dir = notebooks_dir or ROOT / "notebooks"
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise InstructorError(f"{out_dir} is not empty; choose a new folder")
    paths = sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise InstructorError(f"no notebooks (NN_name.ipynb) in {notebooks_dir}")
    released = []
    for path in paths:
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as err:
            raise InstructorError(f"{path}: not a readable notebook ({err})") from None
        released.append((path.name, release_notebook(nb, path.name)))
    (out_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    written = []
    for name, nb in released:
        target = out_dir / "notebooks" / name
        target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    for name in RELEASE_FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, out_dir / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in RELEASE_DIRS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, out_dir / name, ignore=ignore, dirs_exist_ok=True)
    return written


# --- handouts ----------------------------------------------------------------------------------------

def handout_markdown(bank: Any, key: bool) -> str:
    lines = [f"# {bank.title}: questions" + (" and answer key" if key else ""), ""]
    lines.append(f"*Notebook `{bank.notebook}`, {len(bank.questions)} questions.*")
    lines.append("")
    for q in bank.questions:
        lines += [f"## Question {q.label}", "", q.prompt.strip(), ""]
        for heading, marker, items in q.static_groups():
            lines += [f"*{heading}*", ""]
            bullet = {"( )": "- ( )", "[ ]": "- [ ]"}.get(marker, "-")
            lines += [f"{bullet} {item}" for item in items]
            lines.append("")
        if not key:
            if q.kind in ("numeric", "reflection"):
                lines += ["Answer: ______________________________________________", ""]
            continue
        lines += [f"**Answer:** {q.answer_text()}", "", f"**Explanation:** {q.explanation}", ""]
        notes = [(c.text, c.feedback) for c in getattr(q, "choices", ()) if c.feedback]
        if notes:
            lines.append("**If a student chose…**")
            lines += [f"- *{text}*: {feedback}" for text, feedback in notes]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


HANDOUT_CSS = """body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;line-height:1.45;color:#111}
h1{font-size:1.6em}h2{font-size:1.15em;margin-top:1.6em;border-top:1px solid #999;padding-top:.6em}
ul{list-style:none;padding-left:1em}@media print{h2{break-after:avoid}li{break-inside:avoid}}"""


def handout_html(markdown_text: str, title: str) -> str:
    from .quiz.render import markdown

    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{HANDOUT_CSS}</style></head><body>\n{markdown(markdown_text)}</body></html>\n")


def _chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def handouts(out_dir: Path, key: bool = False, pdf: bool = False) -> list[Path]:
    """Markdown + HTML handouts (and PDF if asked and Chromium is available) of every bank."""
    from .quiz.bank import BankError, bank_paths, load_bank

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for path in bank_paths():
        try:
            bank = load_bank(path)
        except BankError as err:
            raise InstructorError(str(err)) from None
        stem = f"{bank.notebook}{'_key' if key else ''}"
        md = handout_markdown(bank, key)
        (out_dir / f"{stem}.md").write_text(md, encoding="utf-8")
        page = out_dir / f"{stem}.html"
        page.write_text(handout_html(md, bank.title), encoding="utf-8")
        written += [out_dir / f"{stem}.md", page]
        if pdf:
            browser = _chromium()
            if browser is None:
                raise InstructorError("--pdf needs Chromium (or CHROMIUM=/path/to/it); HTML and Markdown were written")
            target = out_dir / f"{stem}.pdf"
            subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                            "--disable-background-networking", "--no-pdf-header-footer",
                            f"--print-to-pdf={target}", page.resolve().as_uri()],
                           check=True, capture_output=True, timeout=120)
            written.append(target)
    return written


# --- progress export and gradebook -------------------------------------------------------------------

def student_name() -> str:
    from .identity import student

    return student()


def export_progress(out: Path | None = None, student: str | None = None) -> Path:
    from .quiz.progress import store

    s = store()
    student = (student or student_name()).strip()
    if not student:
        raise InstructorError("the student name is empty; give one with --student")
    doc = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "module_version": __version__, "student": student,
           "exported": datetime.now(timezone.utc).isoformat(timespec="seconds"), "attempts": s.attempts()}
    from .identity import safe_name

    safe = safe_name(student)
    out = Path(out) if out else Path.cwd() / f"progress-{safe}.json"
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, out)
    return out


@dataclass
class Gradebook:
    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file: reason"
    students: list[str] = field(default_factory=list)


def _read_export(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise InstructorError(f"cannot be read ({getattr(err, 'strerror', None) or err})") from None
    except ValueError as err:
        raise InstructorError(f"is not valid JSON ({err})") from None
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise InstructorError("is not a progress export of this module")
    if doc.get("version") != EXPORT_VERSION:
        raise InstructorError(f"comes from another version of the export format ({doc.get('version')!r})")
    if not isinstance(doc.get("student"), str) or not doc["student"].strip():
        raise InstructorError("names no student")
    attempts = doc.get("attempts")
    if not isinstance(attempts, list) or not all(isinstance(a, dict) and isinstance(a.get("question"), str)
                                                for a in attempts):
        raise InstructorError("has a damaged list of attempts")
    return doc


def gradebook(paths: list[Path]) -> Gradebook:
    """One row per student and question: notebook, correct (ever), attempts. Bad files are reported."""
    book = Gradebook()
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            doc = _read_export(Path(path))
        except InstructorError as err:
            book.skipped.append(f"{path}: {err}")
            continue
        student = doc["student"].strip()
        if student in seen:
            book.skipped.append(f"{path}: a second export for student {student!r} (first: {seen[student]})")
            continue
        seen[student] = Path(path)
        book.students.append(student)
        per_q: dict[tuple[str, str], dict[str, Any]] = {}
        for a in doc["attempts"]:
            if a.get("kind", "answer") != "answer":
                continue
            entry = per_q.setdefault((str(a.get("notebook", "")), a["question"]),
                                     {"attempts": 0, "correct": False, "graded": a.get("correct") is not None})
            entry["attempts"] += 1
            entry["correct"] = entry["correct"] or bool(a.get("correct"))
        for (notebook, question), e in sorted(per_q.items()):
            book.rows.append({"student": student, "notebook": notebook, "question": question,
                              "correct": ("yes" if e["correct"] else "no") if e["graded"] else "ungraded",
                              "attempts": e["attempts"]})
    return book


def hardest(book: Gradebook, top: int = 5) -> list[tuple[str, int, int, float]]:
    """Graded questions ordered by share of students who got them right (lowest first), then attempts."""
    right: Counter[str] = Counter()
    tried: Counter[str] = Counter()
    attempts: defaultdict[str, int] = defaultdict(int)
    for r in book.rows:
        if r["correct"] == "ungraded":
            continue
        tried[r["question"]] += 1
        right[r["question"]] += r["correct"] == "yes"
        attempts[r["question"]] += r["attempts"]
    ranked = sorted(tried, key=lambda q: (right[q] / tried[q], -attempts[q] / tried[q], q))
    return [(q, right[q], tried[q], attempts[q] / tried[q]) for q in ranked[:top]]


def write_gradebook(book: Gradebook, out: Path | None) -> None:
    fields = ["student", "notebook", "question", "correct", "attempts"]
    fh = open(out, "w", newline="", encoding="utf-8") if out else sys.stdout
    try:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(book.rows)
    finally:
        if out:
            fh.close()


__all__ = ["Gradebook", "InstructorError", "export_progress", "gradebook", "handouts", "hardest",
           "release", "release_notebook", "strip_solutions", "write_gradebook"]

"""Instructor tools: student edition, handouts and answer keys, progress export, gradebook."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from course import instructor
from course.instructor import InstructorError, gradebook, hardest, release, release_notebook, strip_solutions

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env)


# --- solutions ---------------------------------------------------------------------------------------

def test_a_solution_block_becomes_nbgraders_stub_with_its_indentation():
    src = "x = 1\nif True:\n    ### BEGIN SOLUTION\n    y = secret()\n    ### END SOLUTION\nprint(y)"
    out, changed = strip_solutions(src)
    assert changed
    assert out == "x = 1\nif True:\n    # YOUR CODE HERE\n    raise NotImplementedError()\nprint(y)"


@pytest.mark.parametrize("src, problem", [
    ("### BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n### END SOLUTION", "without"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
])
def test_broken_solution_markers_are_reported_with_a_line(src, problem):
    with pytest.raises(InstructorError, match=problem):
        strip_solutions(src, "nb.ipynb cell 3")


def _solution_lines(nb: dict) -> set[str]:
    """The lines of the model solutions of this notebook's exercises that its stubs do not have."""
    from course.exercises import solution

    lines = set()
    for cell in nb["cells"]:
        eid = cell.get("metadata", {}).get("course", {}).get("exercise")
        if eid:
            stub = {line.strip() for line in "".join(cell["source"]).splitlines()}
            lines |= {line.strip() for line in solution(eid).splitlines()
                      if line.strip() not in stub and not line.strip().isidentifier()}  # a bare name shows no answer
    return lines


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("edition") / "student"
    release(out)
    return out


def test_the_edition_has_every_notebook_and_the_package(edition):
    assert sorted(p.name for p in (edition / "notebooks").glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    assert (edition / "course" / "quiz" / "model.py").exists() and (edition / "data" / "datapackage.json").exists()
    assert not (edition / "tests").exists()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_solution_line_survives_and_quizzes_stay(edition, path):
    original = json.loads(path.read_text(encoding="utf-8"))
    released = json.loads((edition / "notebooks" / path.name).read_text(encoding="utf-8"))
    text = json.dumps(released)
    assert instructor.BEGIN not in text and instructor.END not in text
    code = "\n".join("".join(c["source"]) for c in released["cells"] if c["cell_type"] == "code")
    for line in _solution_lines(original):
        assert line not in code, line
    # quiz cells keep their stored, answer-free outputs
    quiz_outputs = lambda nb: [c["outputs"] for c in nb["cells"] if "quiz(" in "".join(c["source"])]  # noqa: E731
    assert quiz_outputs(released) == quiz_outputs(original)


def test_instructor_cells_are_removed_and_check_outputs_cleared():
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {"tags": ["instructor"]}, "source": "Teaching note"},
        {"cell_type": "code", "metadata": {"course": {"exercise": "03-demo"}}, "execution_count": 3,
         "outputs": [{"output_type": "stream"}], "source": "# A number\nanswer = ..."},
        {"cell_type": "code", "metadata": {}, "execution_count": 4, "outputs": [{"output_type": "stream"}],
         "source": 'check("03-demo", answer)'},
        {"cell_type": "code", "metadata": {}, "execution_count": 5, "outputs": [{"output_type": "stream"}],
         "source": 'quiz("03-demo")'},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    out = release_notebook(nb)
    assert [c["cell_type"] for c in out["cells"]] == ["code", "code", "code"]
    assert out["cells"][0]["outputs"] == [] and out["cells"][0]["execution_count"] is None
    assert out["cells"][1]["outputs"] == []
    assert out["cells"][2]["outputs"] == [{"output_type": "stream"}]
    assert nb["cells"][1]["outputs"], "the instructor's notebook is not changed"


@pytest.mark.slow
def test_the_edition_runs_from_top_to_bottom_without_error(edition, tmp_path, monkeypatch):
    """Run All on the untouched student edition: no error, no exercise recorded, every check "not answered"."""
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))
    for path in sorted((edition / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                       store_widget_state=False).execute()
        for cell in nb.cells:
            if "check" in cell.metadata.get("course", {}):
                shown = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
                assert "Not answered yet" in shown, (path.name, cell.source, shown)
            if cell.cell_type == "code" and cell.source.startswith("quiz("):  # a live widget, not the static text
                assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.outputs), (
                    path.name, cell.source)
    progress = tmp_path / "progress" / "progress.json"
    attempts = json.loads(progress.read_text(encoding="utf-8"))["attempts"] if progress.exists() else []
    assert not [a for a in attempts if a.get("kind") == "exercise"]


def test_release_refuses_a_non_empty_folder_and_an_empty_notebooks_folder(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(InstructorError, match="not empty"):
        release(tmp_path / "full")
    (tmp_path / "none").mkdir()
    with pytest.raises(InstructorError, match="no notebooks"):
        release(tmp_path / "out", notebooks_dir=tmp_path / "none")


# --- handouts ----------------------------------------------------------------------------------------

def test_handouts_without_and_with_the_key(tmp_path):
    from course.quiz.bank import bank_paths, load_bank

    plain = instructor.handouts(tmp_path / "plain")
    key = instructor.handouts(tmp_path / "key", key=True)
    assert len(plain) == len(key) == 2 * len(bank_paths())
    for path in bank_paths():
        bank = load_bank(path)
        q_text = (tmp_path / "plain" / f"{bank.notebook}.md").read_text(encoding="utf-8")
        k_text = (tmp_path / "key" / f"{bank.notebook}_key.md").read_text(encoding="utf-8")
        for q in bank.questions:
            assert f"## Question {q.label}" in q_text and f"## Question {q.label}" in k_text
            assert f"**Answer:** {q.answer_text()}" in k_text
            assert q.explanation in k_text and q.explanation not in q_text
        assert "**Answer:**" not in q_text
        assert "<html" in (tmp_path / "plain" / f"{bank.notebook}.html").read_text(encoding="utf-8")


def test_handout_escapes_html_in_a_bank_and_reports_a_broken_bank(bank_dir, write_bank, tmp_path):
    write_bank("""\
notebook: 00_start_here
title: T
questions:
  - id: 00-x
    type: single
    prompt: "<script>alert(1)</script> Which?"
    explanation: Because.
    choices:
      - text: a
        correct: true
      - text: b
""", "00_start_here.yaml", bank_dir)
    instructor.handouts(tmp_path / "h")
    page = (tmp_path / "h" / "00_start_here.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    write_bank("notebook: 00_start_here\ntitle: T\nquestions: []\n", "00_start_here.yaml", bank_dir)
    with pytest.raises(InstructorError, match=r"00_start_here\.yaml, line 3, field questions"):
        instructor.handouts(tmp_path / "h2")


# --- export and gradebook ----------------------------------------------------------------------------

def _export(tmp_path: Path, student: str, attempts: list[dict]) -> Path:
    path = tmp_path / f"{student}.json"
    path.write_text(json.dumps({"format": instructor.EXPORT_FORMAT, "version": 1, "student": student,
                                "attempts": attempts}), encoding="utf-8")
    return path


def _a(q: str, correct: bool | None, kind: str = "answer") -> dict:
    return {"notebook": q[:2] + "_x", "question": q, "kind": kind, "correct": correct}


def test_export_progress_writes_every_attempt(progress_dir, tmp_path):
    from course.quiz.progress import store

    store().record("00_start_here", "00-run-cell", answer="Enter", correct=False, score=0.0, attempt=1)
    store().record("00_start_here", "00-run-cell", answer="Shift + Enter", correct=True, score=1.0, attempt=2)
    out = instructor.export_progress(tmp_path / "mine.json", student="ada")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["student"] == "ada" and doc["format"] == instructor.EXPORT_FORMAT
    assert [a["answer"] for a in doc["attempts"]] == ["Enter", "Shift + Enter"]
    book = gradebook([out])
    assert book.rows == [{"student": "ada", "notebook": "00_start_here", "question": "00-run-cell",
                          "correct": "yes", "attempts": 2}]


def test_gradebook_combines_students_and_finds_the_hardest_question(tmp_path):
    a = _export(tmp_path, "ada", [_a("03-x", False), _a("03-x", True), _a("03-y", True), _a("03-r", None),
                                  _a("03-y", None, kind="reveal")])
    b = _export(tmp_path, "bo", [_a("03-x", False), _a("03-x", False), _a("03-x", False), _a("03-y", True)])
    book = gradebook([a, b])
    assert book.students == ["ada", "bo"] and not book.skipped
    by = {(r["student"], r["question"]): r for r in book.rows}
    assert by["ada", "03-x"] == {"student": "ada", "notebook": "03_x", "question": "03-x", "correct": "yes",
                                 "attempts": 2}
    assert by["bo", "03-x"]["correct"] == "no" and by["bo", "03-x"]["attempts"] == 3
    assert by["ada", "03-r"]["correct"] == "ungraded"
    assert hardest(book)[0][:3] == ("03-x", 1, 2)
    out = io.StringIO()
    sys_stdout, sys.stdout = sys.stdout, out
    try:
        instructor.write_gradebook(book, None)
    finally:
        sys.stdout = sys_stdout
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0].keys() == {"student", "notebook", "question", "correct", "attempts"} and len(rows) == 5


@pytest.mark.parametrize("content, reason", [
    ("{not json", "not valid JSON"),
    ('{"format": "something else"}', "not a progress export"),
    (json.dumps({"format": instructor.EXPORT_FORMAT, "version": 99, "student": "x", "attempts": []}),
     "another version"),
    (json.dumps({"format": instructor.EXPORT_FORMAT, "version": 1, "student": " ", "attempts": []}), "no student"),
    (json.dumps({"format": instructor.EXPORT_FORMAT, "version": 1, "student": "x", "attempts": [1, 2]}), "damaged"),
    (b"\xff\xfe\x00garbage", "cannot be read"),
])
def test_a_bad_export_is_reported_by_name_and_skipped(tmp_path, content, reason):
    good = _export(tmp_path, "ada", [_a("03-x", True)])
    bad = tmp_path / "bad.json"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    book = gradebook([bad, good])
    assert book.students == ["ada"]
    assert len(book.skipped) == 1 and str(bad) in book.skipped[0] and reason in book.skipped[0]


def test_a_duplicate_student_is_reported_not_merged(tmp_path):
    first = _export(tmp_path, "ada", [_a("03-x", True)])
    second = tmp_path / "again.json"
    second.write_text(first.read_text())
    book = gradebook([first, second])
    assert len(book.rows) == 1 and "second export for student 'ada'" in book.skipped[0]


def test_gradebook_command_reports_skips_and_fails_on_an_empty_folder(tmp_path):
    _export(tmp_path, "ada", [_a("03-x", True)])
    (tmp_path / "broken.json").write_text("[]")
    out = run_cli("gradebook", str(tmp_path), "--out", str(tmp_path / "book.csv"))
    assert out.returncode == 0, out.stderr
    assert "SKIPPED" in out.stderr and "broken.json" in out.stderr and "Traceback" not in out.stderr
    assert "ada" in (tmp_path / "book.csv").read_text()
    (tmp_path / "empty").mkdir()
    out = run_cli("gradebook", str(tmp_path / "empty"))
    assert out.returncode == 1 and "no export files" in out.stderr and "Traceback" not in out.stderr


def test_release_and_handout_commands(tmp_path):
    out = run_cli("release", str(tmp_path / "ed"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "ed" / "notebooks" / "00_start_here.ipynb").exists()
    out = run_cli("release", str(tmp_path / "ed"))
    assert out.returncode == 1 and "not empty" in out.stderr and "Traceback" not in out.stderr
    out = run_cli("handout", "--key", "--out", str(tmp_path / "ho"))
    assert out.returncode == 0 and (tmp_path / "ho" / "00_start_here_key.html").exists()

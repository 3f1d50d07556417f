"""The student edition (`python -m course release`): into a folder, a git checkout (keeping .git) or a branch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from course import instructor
from course.instructor import InstructorError, release, release_branch, release_notebook, strip_solutions
from course.instructor.editions import EDITION_MARKER

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
    assert (edition / "course" / "quiz" / "model.py").exists()
    assert (edition / "data" / "datapackage.json").exists()
    assert not (edition / "tests").exists()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_solution_line_survives_and_quizzes_stay(edition, path):
    original = json.loads(path.read_text(encoding="utf-8"))
    released = json.loads((edition / "notebooks" / path.name).read_text(encoding="utf-8"))
    text = json.dumps(released)
    assert instructor.BEGIN not in text
    assert instructor.END not in text
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
    assert out["cells"][0]["outputs"] == []
    assert out["cells"][0]["execution_count"] is None
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


def test_the_release_command_and_its_refusals(tmp_path):
    out = run_cli("release", str(tmp_path / "ed"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "ed" / "notebooks" / "00_start_here.ipynb").exists()
    out = run_cli("release", str(tmp_path / "ed"))
    assert out.returncode == 1
    assert "not empty" in out.stderr
    assert "Traceback" not in out.stderr
    out = run_cli("release")
    assert out.returncode == 1
    assert "--branch" in out.stderr
    assert "Traceback" not in out.stderr
    out = run_cli("release", str(ROOT))
    assert out.returncode == 1
    assert "own source" in out.stderr


# --- what students get, and what they do not ---------------------------------------------------------------------

def test_the_edition_s_readme_is_for_students(edition):
    readme = (edition / "README.md").read_text(encoding="utf-8")
    assert "instructor-guide" not in readme
    assert "make test" not in readme
    assert "instructor guide" not in readme.lower()
    assert "make lab" in readme
    assert "export-progress" in readme
    assert "Export my progress" in readme
    for path in NOTEBOOKS:
        assert f"`{path.stem}`" in readme
    assert not (edition / "docs" / "instructor-guide.md").exists()
    assert json.loads((edition / EDITION_MARKER).read_text())["edition"] == "student"
    assert "progress-*.json" in (edition / ".gitignore").read_text()


def make(edition: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-C", str(edition), *args], capture_output=True, text=True, timeout=120)


def test_the_edition_s_makefile_has_what_works_without_the_tests(edition):
    shown = make(edition)  # no target: the help
    assert shown.returncode == 0, shown.stderr
    for target in ("lab", "check", "clean"):
        assert f"make {target}" in shown.stdout
        assert make(edition, "-n", target).returncode == 0
    assert "make test" not in shown.stdout
    dry = make(edition, "-n", "lab")
    assert "jupyter lab" in dry.stdout
    assert "notebooks/00_start_here.ipynb" in dry.stdout
    assert '-e ".[dev]"' not in dry.stdout  # students get the package, not pytest and Playwright
    for target in ("test", "unit", "browser", "bench", "classroom", "nbgrader"):  # they need tests/ or bench/
        assert make(edition, "-n", target).returncode != 0
    prerequisites = ("pyproject.toml", "constraints.txt", "course/quiz/keyboard.py")
    assert [p for p in prerequisites if not (edition / p).is_file()] == []


def test_the_student_makefile_is_refused_when_the_set_up_rule_is_gone():
    from course.instructor.editions import student_makefile

    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "lab:" in student_makefile(text)
    with pytest.raises(InstructorError, match=r"no rule for .*lab"):
        student_makefile(text.replace("\nlab: $(STAMP)", "\nopen: $(STAMP)"))


# --- publishing: an existing git checkout, or a branch ----------------------------------------------------------

def git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def checkout(tmp_path):
    """A clone of a class repository holding an old edition (with a file the new edition no longer has)."""
    repo = tmp_path / "class"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "old-notebook.ipynb").write_text("{}")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "old edition")
    return repo


def test_release_into_a_git_checkout_keeps_git_and_replaces_the_files(checkout):
    head = git(checkout, "rev-parse", "HEAD")
    written = release(checkout)
    assert written
    assert (checkout / ".git").is_dir()
    assert git(checkout, "rev-parse", "HEAD") == head
    assert not (checkout / "old-notebook.ipynb").exists(), "a file the edition no longer has is removed"
    assert (checkout / "notebooks" / "00_start_here.ipynb").exists()
    assert (checkout / EDITION_MARKER).exists()
    status = git(checkout, "status", "--porcelain")
    assert "D old-notebook.ipynb" in status
    assert "?? notebooks/" in status


def test_release_refuses_uncommitted_changes_in_the_checkout_unless_forced(checkout):
    (checkout / "old-notebook.ipynb").write_text('{"edited": 1}')
    with pytest.raises(InstructorError, match=r"uncommitted changes \(old-notebook.ipynb\).*--force"):
        release(checkout)
    assert (checkout / "old-notebook.ipynb").read_text() == '{"edited": 1}', "nothing was lost"
    release(checkout, force=True)
    assert not (checkout / "old-notebook.ipynb").exists()


def test_release_to_a_branch_commits_without_touching_the_working_tree(checkout):
    (checkout / "instructor-notes.md").write_text("mine")
    status = git(checkout, "status", "--porcelain")
    first = release_branch("student", repo=checkout)
    assert first
    assert git(checkout, "rev-parse", "student") == first
    assert git(checkout, "status", "--porcelain") == status
    assert git(checkout, "branch", "--show-current") == "main"
    files = git(checkout, "ls-tree", "-r", "--name-only", "student").splitlines()
    assert "notebooks/00_start_here.ipynb" in files
    assert EDITION_MARKER in files
    assert "README.md" in files
    assert "instructor-notes.md" not in files
    assert not any(f.startswith("tests/") for f in files)
    assert release_branch("student", repo=checkout) is None, "the same edition again is no new commit"
    with pytest.raises(InstructorError, match="checked out"):
        release_branch("main", repo=checkout)
    with pytest.raises(InstructorError, match="not a valid branch"):
        release_branch("no..good", repo=checkout)


def test_a_class_edition_is_published_and_linked_without_a_solution_in_its_notebooks(checkout, monkeypatch, capsys):
    """The recipe of deploy/README.md: release into the class's clone, commit, link it from there."""
    from urllib.parse import parse_qs, urlsplit

    from course.__main__ import main
    from course.exercises import exercise_ids, solution

    git(checkout, "remote", "add", "origin", "https://github.com/example/kg-russia-class.git")
    release(checkout)
    git(checkout, "add", "--all")
    git(checkout, "commit", "-q", "-m", "Student edition")
    assert git(checkout, "status", "--porcelain") == ""
    code = "\n".join("".join(c["source"]) for nb in (checkout / "notebooks").glob("*.ipynb")
                     for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code")
    stubs = {line.strip() for path in NOTEBOOKS for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
             if c.get("metadata", {}).get("course", {}).get("exercise") for line in "".join(c["source"]).splitlines()}
    for eid in exercise_ids():
        answer_lines = [line.strip() for line in solution(eid).splitlines()
                        if "=" in line and line.strip() not in stubs]  # what the stub does not already give
        assert answer_lines, eid
        assert not any(line in code for line in answer_lines), eid
    monkeypatch.chdir(checkout / "notebooks")
    assert main(["hub-link", "--hub", "https://hub.example.edu"]) == 0
    out = capsys.readouterr()
    assert parse_qs(urlsplit(out.out.strip()).query)["repo"] == ["https://github.com/example/kg-russia-class.git"]
    assert "warning" not in out.err

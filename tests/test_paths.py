"""Where the data and question banks are found (course/paths.py), in the three places the module runs:
a clone (editable install), a hub where students' copies were pulled by nbgitpuller next to an installed
package, and a plain installed wheel with no copy at all."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from course import paths
from course.quiz.bank import banks_dir

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_overrides(monkeypatch):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.delenv("COURSE_BANKS_DIR", raising=False)
    monkeypatch.delenv("COURSE_QUIZZES_DIR", raising=False)


def make_copy(root: Path, prompt: str | None = None) -> Path:
    """A pulled copy of the module: course/ (package marker and banks), data/, notebooks/."""
    shutil.copytree(REPO / "course" / "banks", root / "course" / "banks")
    (root / "course" / "__init__.py").write_text("")
    shutil.copytree(REPO / "data", root / "data")
    (root / "notebooks").mkdir()
    if prompt is not None:  # the instructor edits a question and pushes it
        import yaml

        bank = root / "course" / "banks" / "00_start_here.yaml"
        doc = yaml.safe_load(bank.read_text(encoding="utf-8"))
        doc["questions"][0]["prompt"] = prompt
        bank.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


# --- overrides and the clone ------------------------------------------------------------------------------


def test_environment_variables_win(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("COURSE_BANKS_DIR", str(tmp_path / "q"))
    monkeypatch.chdir(make_copy(tmp_path / "copy") / "notebooks")
    assert paths.data_dir() == (tmp_path / "d").resolve()
    assert paths.banks_dir() == tmp_path / "q"
    assert banks_dir() == tmp_path / "q"


@pytest.mark.parametrize("where", [".", "notebooks", "course/quiz"])
def test_inside_the_clone_its_own_folders_are_used(monkeypatch, where):
    monkeypatch.chdir(REPO / where)
    assert paths.checkout_root() == REPO
    assert paths.data_dir() == REPO / "data"
    assert banks_dir() == REPO / "course" / "banks"


def test_outside_any_copy_the_package_s_clone_is_used(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert paths.checkout_root() is None
    assert paths.data_dir() == REPO / "data"
    assert banks_dir() == REPO / "course" / "banks"


# --- a copy pulled next to the running notebook ----------------------------------------------------------------


def test_a_pulled_copy_wins_over_the_package(monkeypatch, tmp_path):
    copy = make_copy(tmp_path / "kg-russia-module")
    monkeypatch.chdir(copy / "notebooks")  # a kernel starts in the notebook's folder
    assert paths.checkout_root() == copy
    assert paths.data_dir() == copy / "data"
    assert banks_dir() == copy / "course" / "banks"


def test_an_edited_bank_in_the_pulled_copy_reaches_the_quiz(monkeypatch, tmp_path):
    from course.quiz.bank import bank_paths, load_bank

    copy = make_copy(tmp_path / "kg-russia-module", prompt="Edited by the instructor?")
    monkeypatch.chdir(copy / "notebooks")
    bank = next(load_bank(p) for p in bank_paths() if p.stem == "00_start_here")
    assert bank.path.parent == copy / "course" / "banks"
    assert "Edited by the instructor?" in bank.questions[0].prompt


def test_the_search_goes_up_a_few_folders_only(monkeypatch, tmp_path):
    copy = make_copy(tmp_path / "kg-russia-module")
    deep = copy / "notebooks" / "a" / "b"
    deep.mkdir(parents=True)
    assert paths.checkout_root(deep) == copy  # 3 levels up
    deeper = deep / "c"
    deeper.mkdir()
    assert paths.checkout_root(deeper) is None  # 4 levels up: not searched


def test_a_folder_that_only_looks_like_a_copy_is_ignored(monkeypatch, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "datapackage.json").write_text("{}")
    (tmp_path / "course" / "banks").mkdir(parents=True)  # no course/__init__.py: not the module
    monkeypatch.chdir(tmp_path)
    assert paths.checkout_root() is None
    assert paths.data_dir() == REPO / "data"


def test_a_deleted_current_folder_does_not_break_the_lookup(monkeypatch, tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert paths.checkout_root() is None
    assert paths.data_dir() == REPO / "data"


# --- an installed wheel (not editable), as on a hub or Binder ----------------------------------------------------


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package built as a wheel from a copy of the repository and installed into a bare folder."""
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    src.mkdir()
    for name in ("course", "data"):
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    built = subprocess.run(pip + ["wheel", "--no-deps", "-w", str(root / "dist"), str(src)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((root / "dist").glob("kg_russia_module-*.whl"))
    done = subprocess.run(pip + ["install", "--no-deps", "--target", str(root / "site"), str(wheel)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return root / "site"


PROBE = textwrap.dedent("""
    import json, sys
    import course, course.data
    from course import paths
    from course.quiz.bank import banks_dir, check_all
    banks, errors = check_all()
    print(json.dumps({"package": course.__file__, "data": str(paths.data_dir()), "banks": str(banks_dir()),
                      "banks_ok": len(banks), "bank_errors": [str(e) for e in errors],
                      "data_problems": course.data.validate()}))
""")


def probe(site: Path, cwd: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSE_")}
    env["PYTHONPATH"] = str(site)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # builds a wheel
def test_the_wheel_ships_every_data_file(installed):
    shipped = {p.relative_to(installed / "course" / "_data") for p in (installed / "course" / "_data").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    in_repo = {p.relative_to(REPO / "data") for p in (REPO / "data").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert in_repo <= shipped, f"missing from the wheel: {sorted(map(str, in_repo - shipped))}"
    banks = {p.name for p in (installed / "course" / "banks").glob("*.yaml")}
    assert banks == {p.name for p in (REPO / "course" / "banks").glob("*.yaml")}


@pytest.mark.slow
def test_the_wheel_ships_the_widgets_browser_files(installed):
    shipped = {p.name for p in (installed / "course" / "quiz" / "static").iterdir()}
    assert shipped >= {p.name for p in (REPO / "course" / "quiz" / "static").iterdir()}


@pytest.mark.slow
def test_an_installed_package_finds_its_own_data_and_banks(installed, tmp_path):
    got = probe(installed, tmp_path)
    assert got["package"].startswith(str(installed))
    assert got["data"] == str(installed / "course" / "_data")
    assert got["banks"] == str(installed / "course" / "banks")
    assert got["bank_errors"] == []
    assert got["banks_ok"] > 0
    assert got["data_problems"] == []


@pytest.mark.slow
def test_an_installed_package_uses_the_copy_pulled_beside_the_notebook(installed, tmp_path):
    copy = make_copy(tmp_path / "kg-russia-module")
    got = probe(installed, copy / "notebooks")
    assert got["package"].startswith(str(installed))  # the code: installed
    assert got["data"] == str(copy / "data")  # the data and banks: the student's pulled copy
    assert got["banks"] == str(copy / "course" / "banks")
    assert got["bank_errors"] == []
    assert got["data_problems"] == []


def test_the_older_banks_variable_still_works(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_BANKS_DIR", raising=False)
    monkeypatch.setenv("COURSE_QUIZZES_DIR", str(tmp_path / "old"))
    assert paths.banks_dir() == tmp_path / "old"
    monkeypatch.setenv("COURSE_BANKS_DIR", "~/new")  # the new name wins, and ~ is expanded
    assert paths.banks_dir() == Path.home() / "new"

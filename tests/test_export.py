"""Progress exports: the command, the Export button (an anywidget, driven as a student would: .click()), file
names that never collide or overwrite, the shared-login case, and `course.answer`, the scripting call that
answers as a click would. Ends with the whole class path: four students on one shared login, one gradebook."""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import course
from course.identity import safe_name
from course.instructor import EXPORT_FORMAT, InstructorError, export_progress, gradebook, write_gradebook
from course.instructor.button import ExportButton, export_button
from course.instructor.gradebook import student_rows
from course.quiz.bank import bank_paths, load_bank

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def shared_login(monkeypatch):
    """Everyone is `jovyan` (Binder, the Jupyter Docker images) and no COURSE_STUDENT is set."""
    monkeypatch.delenv("COURSE_STUDENT", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "jovyan")


@pytest.fixture
def named(monkeypatch):
    monkeypatch.setenv("COURSE_STUDENT", "Ada Lovelace")


def record_one(question: str = "00-run-cell") -> None:
    from course.quiz.progress import store

    store().record(question[:2] + "_start_here", question, answer="x", correct=False, score=0.0, attempt=1)


# --- the export file -------------------------------------------------------------------------------------------

def test_the_export_holds_every_attempt_and_is_named_after_course_student(progress_dir, named, tmp_path):
    record_one()
    out = export_progress(folder=tmp_path)
    assert out == tmp_path / f"progress-{safe_name('Ada Lovelace')}.json"
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["student"] == "Ada Lovelace"
    assert doc["format"] == EXPORT_FORMAT
    assert [a["question"] for a in doc["attempts"]] == ["00-run-cell"]


def test_an_export_never_overwrites_an_earlier_one(progress_dir, tmp_path):
    first = export_progress(folder=tmp_path, student="ada")
    before = first.read_bytes()
    record_one()
    second = export_progress(folder=tmp_path, student="ada")
    third = export_progress(tmp_path / "progress-ada.json", student="ada")  # even when asked for that very name
    assert [p.name for p in (first, second, third)] == ["progress-ada.json", "progress-ada-2.json",
                                                         "progress-ada-3.json"]
    assert first.read_bytes() == before
    assert len(json.loads(second.read_text())["attempts"]) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_two_cyrillic_names_that_transliterate_alike_get_two_files(progress_dir, tmp_path):
    a = export_progress(folder=tmp_path, student="Айгүл")
    b = export_progress(folder=tmp_path, student="Айгул")
    assert a != b
    assert a.name.startswith("progress-Aigul-")
    assert b.name.startswith("progress-Aigul-")
    assert {json.loads(p.read_text(encoding="utf-8"))["student"] for p in (a, b)} == {"Айгүл", "Айгул"}


def test_a_shared_login_is_no_name(progress_dir, shared_login, tmp_path):
    with pytest.raises(InstructorError, match="“jovyan” is shared by many people.*--student"):
        export_progress(folder=tmp_path)
    assert not list(tmp_path.iterdir())
    assert export_progress(folder=tmp_path, student="Bo").name == "progress-Bo.json"


def run_cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("COURSE_STUDENT", "JUPYTERHUB_USER")}
    base.update(PYTHONPATH=str(ROOT), LOGNAME="jovyan", USER="jovyan", **env)
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True, cwd=cwd,
                          env=base)


def test_the_command_honours_course_student_and_asks_for_a_name_on_a_shared_login(progress_dir, tmp_path):
    out = run_cli("export-progress", cwd=tmp_path)
    assert out.returncode == 1
    assert "shared by many people" in out.stderr
    assert "Traceback" not in out.stderr
    out = run_cli("export-progress", cwd=tmp_path, COURSE_STUDENT="Ada")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "progress-Ada.json").exists()
    out = run_cli("export-progress", "--student", "Ada", cwd=tmp_path, COURSE_STUDENT="Ada")
    assert out.returncode == 0
    assert (tmp_path / "progress-Ada-2.json").exists()


# --- the button ---------------------------------------------------------------------------------------------------

def test_the_button_is_one_anywidget_with_its_browser_code_in_files():
    import anywidget

    button = export_button(student="ada")
    assert isinstance(button, anywidget.AnyWidget)
    from course.instructor.button import STATIC

    assert "export default" in str(ExportButton._esm) == (STATIC / "export.js").read_text(encoding="utf-8")
    assert str(ExportButton._css) == (STATIC / "export.css").read_text(encoding="utf-8")


def test_the_button_exports_to_the_current_folder_and_says_where(progress_dir, named, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    record_one()
    button = export_button()
    assert button.ask_name is False
    assert button.message == ""
    assert button.labels["button"] == "Export my progress"
    button.click()
    expected = tmp_path / f"progress-{safe_name('Ada Lovelace')}.json"
    assert button.ok is True
    assert button.path == expected
    assert button.status == "ok"
    assert expected.name in button.message
    assert str(tmp_path) in button.message
    assert "1 recorded attempt)" in button.message


def test_on_a_shared_login_the_button_asks_for_a_name_first(progress_dir, shared_login, tmp_path):
    button = export_button(folder=tmp_path)
    assert button.ask_name is True
    assert "jovyan" in button.labels["help"]
    button.click()
    assert button.ok is False
    assert "Type your name" in button.message
    assert not list(tmp_path.iterdir())
    button.name = "jovyan"  # the shared login itself is no name either
    button.click()
    assert button.ok is False
    assert "Type your name" in button.message
    assert not list(tmp_path.iterdir())
    seq = button.seq
    button._on_msg(button, {"event": "export", "name": "  Айгүл  "}, [])  # what the browser sends on a press
    assert button.ok is True
    assert button.path.name.startswith("progress-Aigul-")
    assert button.seq == seq + 1
    assert json.loads(button.path.read_text(encoding="utf-8"))["student"] == "Айгүл"
    button.click()
    assert button.path.name.endswith("-2.json"), "a second press never overwrites the first file"


def test_an_export_with_no_answers_says_so(progress_dir, tmp_path):
    button = export_button(folder=tmp_path, student="bo")
    button.click()
    assert button.ok
    assert (tmp_path / "progress-bo.json").exists()
    assert "0 recorded attempts (none yet" in button.message


def test_a_folder_that_cannot_be_written_gives_a_message_not_a_traceback(progress_dir, tmp_path):
    button = export_button(folder=tmp_path / "no" / "such" / "folder", student="ada")
    button.click()
    assert button.ok is False
    assert button.path is None
    assert button.status == "problem"
    assert button.message.startswith("✘ Your progress could not be exported to the folder")
    assert "python -m course export-progress --out ~/progress-ada.json" in button.message


def test_a_refused_write_in_the_current_folder_gives_a_message(progress_dir, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("course.instructor.export.export_progress", refuse)
    button = export_button(student="ada")
    button.click()
    assert button.ok is False
    assert "could not be exported to this notebook's folder: Permission denied" in button.message


def test_the_stored_output_of_the_button_says_what_it_does():
    bundle = export_button(student="ada")._repr_mimebundle_()
    assert "Export my progress" in bundle["text/plain"]
    assert "run the notebook" in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_the_button_speaks_the_engine_s_language(progress_dir, shared_login, tmp_path):
    from course.quiz import messages

    messages.set_language("ru")
    button = export_button(folder=tmp_path)
    assert button.labels["button"] == "Выгрузить мои ответы"
    assert "jovyan" in button.labels["help"]
    button.click()
    assert button.message.startswith("✘ Сначала введите своё имя")
    button.name = "Айгүл"
    button.click()
    assert button.ok
    assert button.message.startswith("✔ Ваши ответы")
    assert "Выгрузить мои ответы" in button._repr_mimebundle_()["text/plain"]


def test_review_export_button_is_this_button(progress_dir):
    from course.lessons import review

    assert isinstance(review.export_button(student="ada"), ExportButton)


# --- course.answer ------------------------------------------------------------------------------------------------

def first_single(bank_name: str = "00_start_here"):
    bank = load_bank(next(p for p in bank_paths() if p.stem == bank_name))
    return [q for q in bank.questions if q.kind == "single"]


def test_answer_grades_and_records_as_a_click_does(progress_dir, real_banks):
    from course.quiz.progress import store

    q = first_single()[0]
    wrong = next(c.text for c in q.choices if not c.correct)
    said = course.answer(q.id, wrong)
    assert (said.status, said.score) == ("incorrect", 0.0)
    assert said.feedback
    said = course.answer(q.id, q.answer_text())
    assert (said.status, said.score) == ("correct", 1.0)
    records = store().attempts(question=q.id)
    assert [(r["kind"], r["answer"], r["correct"], r["score"], r["attempt"]) for r in records] == [
        ("answer", wrong, False, 0.0, 1), ("answer", q.answer_text(), True, 1.0, 2)]


def test_answer_with_no_usable_value_records_nothing(progress_dir, real_banks):
    from course.quiz.progress import store

    q = first_single()[0]
    said = course.answer(q.id, "not one of the options")
    assert said.status == "invalid"
    assert said.score is None
    assert not store().attempts(question=q.id)
    with pytest.raises(KeyError, match="00-no-such-question"):
        course.answer("00-no-such-question", "x")


# --- the whole path: four students on one shared login -------------------------------------------------------------

def test_four_students_on_one_shared_login_export_four_files_and_the_gradebook_totals_them(
        tmp_path, monkeypatch, shared_login, real_banks):
    """As on Binder: each student has their own session, all are `jovyan`; each answers some questions, presses
    Export, types their name, and hands in the file. Two names differ only in one Kyrgyz letter."""
    from course.quiz import progress

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    questions = first_single()
    assert len(questions) >= 1
    plan = {"Айгүл Осмонова": 1, "Айгул Осмонова": 0, "Ada Lovelace": 1, "Bo": 0}  # right answers to give
    for number, (name, right) in enumerate(plan.items()):
        monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / f"session-{number}"))
        monkeypatch.setattr(progress, "_STORE", None)
        q = questions[0]
        wrong = next(c.text for c in q.choices if not c.correct)
        course.answer(q.id, q.answer_text() if right else wrong)
        button = export_button(folder=inbox)
        assert button.ask_name
        button.name = name
        button.click()
        assert button.ok, button.message
    files = sorted(inbox.iterdir())
    assert len(files) == 4
    assert len({p.name for p in files}) == 4
    book = gradebook(files)
    assert not book.skipped
    assert sorted(book.students) == sorted(plan)
    rows = {r["student"]: r for r in student_rows(book)}
    for name, right in plan.items():
        assert rows[name]["00 quiz"] == str(right)
        assert rows[name]["total"] == str(right)
        assert rows[name]["total out of"] == rows["Bo"]["total out of"] != "0"
    written = write_gradebook(book, tmp_path / "grades")
    text = written[0].read_text(encoding="utf-8-sig")
    assert [r["student"] for r in csv.DictReader(io.StringIO(text))] == sorted(plan, key=str.casefold)


def test_the_guide_s_examples_of_answer_run_as_it_says(progress_dir, real_banks):
    assert course.answer("00-run-cell", "Shift + Enter").status == "correct"
    partial = course.answer("00-especially", ["energy security"])
    assert partial.status == "partial"
    assert 0 < partial.score < 1
    assert course.answer("00-schools", "12").status == "incorrect"

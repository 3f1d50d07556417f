"""The lesson registry: one list that matches the notebooks, the banks, the helper modules and the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from course import exercises, lessons
from course.lessons import LESSONS, UnknownLesson, bank_path, by_number, lesson_of, load_module

REPO = Path(__file__).resolve().parents[2]


def test_every_notebook_is_a_lesson_and_every_lesson_a_notebook():
    notebooks = sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert [lesson.stem for lesson in LESSONS] == notebooks
    for lesson in LESSONS:
        assert (REPO / lesson.notebook).is_file(), lesson.notebook


def test_every_lesson_has_its_bank_in_the_banks_folder(monkeypatch):
    monkeypatch.chdir(REPO)
    for lesson in LESSONS:
        assert bank_path(lesson) == REPO / "course" / "banks" / f"{lesson.stem}.yaml"
        assert bank_path(lesson).is_file()


@pytest.mark.parametrize("lesson", [lesson for lesson in LESSONS if lesson.module], ids=lambda lesson: lesson.stem)
def test_a_lessons_module_and_tests_are_named_after_its_notebook(lesson):
    name = lesson.stem.split("_", 1)[1]
    assert lesson.module == f"course.lessons.{name}"
    assert (REPO / "course" / "lessons" / f"{name}.py").is_file()
    assert (REPO / "tests" / "lessons" / f"test_{name}.py").is_file()
    assert load_module(lesson).__name__ == lesson.module


def test_every_exercise_belongs_to_the_lesson_whose_module_registers_it():
    for lesson in LESSONS:
        load_module(lesson)
    for exercise_id in exercises.registered():
        lesson = lesson_of(exercise_id)
        checker = exercises._checker(exercise_id)
        assert checker.__module__ == lesson.module, (exercise_id, checker.__module__)


def test_lessons_are_found_by_number_or_id():
    assert by_number("04").stem == "04_energy_food_and_trade"
    assert by_number(4) == by_number("04")
    assert lesson_of("03-share-from-russia").title == "Migration and remittances"
    assert by_number("00").module is None
    assert load_module(by_number("00")) is None


def test_an_unknown_lesson_says_which_exist():
    with pytest.raises(UnknownLesson) as err:
        by_number("09")
    assert str(err.value) == "No lesson number '09'; the lessons are numbered 00, 01, 02, 03, 04, 05, 06"


def test_importing_the_registry_imports_no_lesson_module():
    import subprocess
    import sys

    code = ("import sys, course.lessons; "
            "print(sorted(m for m in sys.modules if m.startswith('course.lessons.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"
    assert lessons.__name__ == "course.lessons"

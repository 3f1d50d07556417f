"""The lessons: one notebook, one helper module, one question bank, one test file, all named alike.

    notebooks/04_energy_food_and_trade.ipynb     what students open
    course/lessons/energy_food_and_trade.py      its helpers, exercise checks and their model solutions
    course/banks/04_energy_food_and_trade.yaml   its quiz questions (what instructors edit)
    tests/lessons/test_energy_food_and_trade.py  its tests

``LESSONS`` below is the one list of them that the rest of the module uses (exercises, review, instructor
tools), so adding a notebook means adding one line here. Importing this package imports no lesson module:
``load_module`` does that when a lesson's code is first needed.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

__all__ = ["LESSONS", "Lesson", "UnknownLesson", "bank_path", "by_number", "lesson_of", "load_module"]


@dataclass(frozen=True)
class Lesson:
    number: str           # "04"
    stem: str             # "04_energy_food_and_trade": the notebook's and the bank's file name
    title: str            # "Energy, food and trade"
    module: str | None    # "course.lessons.energy_food_and_trade", or None for a notebook with no helpers

    # the names derived from the stem, e.g. for "04_energy_food_and_trade":
    file: str = field(init=False)      # "04_energy_food_and_trade.ipynb", the notebook's file name
    notebook: str = field(init=False)  # "notebooks/04_energy_food_and_trade.ipynb", its path in a copy of the module
    bank: str = field(init=False)      # "04_energy_food_and_trade.yaml", its bank's file name in course/banks/
    name: str = field(init=False)      # "04 Energy, food and trade", as links and tables show it

    def __post_init__(self) -> None:
        for attribute, value in (("file", f"{self.stem}.ipynb"), ("notebook", f"notebooks/{self.stem}.ipynb"),
                                 ("bank", f"{self.stem}.yaml"), ("name", f"{self.number} {self.title}")):
            object.__setattr__(self, attribute, value)


def _lesson(stem: str, title: str, has_module: bool = True) -> Lesson:
    number, name = stem.split("_", 1)
    return Lesson(number, stem, title, f"{__name__}.{name}" if has_module else None)


LESSONS: tuple[Lesson, ...] = (
    _lesson("00_start_here", "Start here", has_module=False),
    _lesson("01_reading_the_article", "Reading the article"),
    _lesson("02_history_and_institutions", "History and institutions"),
    _lesson("03_migration_and_remittances", "Migration and remittances"),
    _lesson("04_energy_food_and_trade", "Energy, food and trade"),
    _lesson("05_alliances_and_challenges", "Alliances and challenges"),
    _lesson("06_review", "Review"),
)


class UnknownLesson(KeyError):
    """No lesson has this number or id."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else "unknown lesson"


def by_number(number: str | int) -> Lesson:
    """The lesson with this number: ``by_number("04")`` or ``by_number(4)``."""
    key = f"{int(number):02d}" if isinstance(number, int) or str(number).isdigit() else str(number)
    for lesson in LESSONS:
        if lesson.number == key:
            return lesson
    known = ", ".join(lesson.number for lesson in LESSONS)
    raise UnknownLesson(f"No lesson number {number!r}; the lessons are numbered {known}")


def lesson_of(item_id: str) -> Lesson:
    """The lesson a question or exercise id belongs to, by its two-digit prefix: "04-wheat-hhi" -> lesson 04."""
    return by_number(item_id[:2])


def bank_path(lesson: Lesson) -> Path:
    """Where this lesson's question bank is (see ``course.paths.banks_dir`` for which copy is used)."""
    from ..paths import banks_dir

    return banks_dir() / lesson.bank


def load_module(lesson: Lesson) -> ModuleType | None:
    """Import the lesson's helper module (which registers its exercise checks); None if it has none."""
    return importlib.import_module(lesson.module) if lesson.module else None

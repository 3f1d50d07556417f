"""Checks for the coding exercises in the notebooks: a verdict and a hint, never the answer.

An exercise in a notebook has three beats:

1. a Markdown cell with the task ("**Exercise 3.1** ...");
2. a code cell where the student writes the answer; in the instructor's copy the solution sits between
   ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers, so a student edition can be made);
3. a check cell: ``check("03-share-from-russia", share)``.

Each topic module registers its checks with ``@exercise("NN-name")``: a function that takes the student's
value and returns ``(ok, message)``. When ``ok`` is False, ``message`` is a hint that says what to look at,
not the answer. Every check is recorded in the student's progress file (kind "exercise").
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .quiz.messages import t

Checker = Callable[[Any], "tuple[bool, str]"]
_REGISTRY: dict[str, Checker] = {}


def exercise(exercise_id: str) -> Callable[[Checker], Checker]:
    """Register a check function under an id like "03-share-from-russia"."""

    def register(func: Checker) -> Checker:
        if exercise_id in _REGISTRY and _REGISTRY[exercise_id] is not func:
            raise ValueError(f"exercise {exercise_id!r} is registered twice")
        _REGISTRY[exercise_id] = func
        return func

    return register


@dataclass(frozen=True)
class CheckResult:
    exercise: str
    ok: bool
    message: str

    def __repr__(self) -> str:
        return t("exercise_ok" if self.ok else "exercise_not_yet") + " " + self.message

    def _repr_html_(self) -> str:
        headline = t("exercise_ok") + " " if self.ok else t("exercise_not_yet") + " "
        return (f'<div class="course-check course-check-{"ok" if self.ok else "hint"}" role="status">'
                f"<strong>{html.escape(headline)}</strong>{html.escape(self.message)}</div>")


def _checker(exercise_id: str) -> Checker:
    if exercise_id not in _REGISTRY:
        from .lessons import UnknownLesson, lesson_of, load_module

        try:
            load_module(lesson_of(exercise_id))  # the lesson's module registers its checks when imported
        except UnknownLesson:
            pass
    try:
        return _REGISTRY[exercise_id]
    except KeyError:
        raise KeyError(f"No exercise called {exercise_id!r}; known: {', '.join(sorted(_REGISTRY)) or 'none'}") from None


def check(exercise_id: str, value: Any, *, record: bool = True) -> CheckResult:
    """Check a student's answer to an exercise. Never raises because of what the student wrote."""
    checker = _checker(exercise_id)
    if value is Ellipsis or value is None:
        result = CheckResult(exercise_id, False, t("exercise_no_answer"))
    else:
        try:
            ok, message = checker(value)
        except Exception as err:  # a student's odd value must give a hint, not a traceback
            ok, message = False, t("exercise_unreadable", error=f"{type(err).__name__}: {err}")
        result = CheckResult(exercise_id, bool(ok), message)
    if record:
        from .quiz.progress import store

        try:
            answer: Any = value if isinstance(value, (int, float, str, bool)) else repr(value)[:200]
            store().record(_notebook_of(exercise_id), exercise_id, kind="exercise", answer=answer, correct=result.ok)
        except (TypeError, ValueError):
            pass
    return result


def _notebook_of(exercise_id: str) -> str:
    """The notebook an exercise belongs to ("03-share" -> "03_migration_and_remittances")."""
    from .lessons import UnknownLesson, lesson_of

    try:
        return lesson_of(exercise_id).stem
    except UnknownLesson:
        return exercise_id[:2]


def registered() -> list[str]:
    return sorted(_REGISTRY)

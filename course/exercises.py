"""The coding exercises in the notebooks: a stub that runs, a check with a hint, and a model solution.

An exercise in a notebook has three beats (as Data 8's and otter-grader's notebooks have):

1. a Markdown cell with the task ("**Exercise 3.1** ...");
2. the exercise cell, where the student writes the answer. The notebooks students open hold a **stub** that
   runs (``change_pp = ...``: Python's Ellipsis, with a one-line comment of what to write). The cell's metadata
   is ``{"course": {"exercise": "<check id>"}}``;
3. the check cell, ``check("03-pp-change", change_pp)``, with metadata ``{"course": {"check": "<check id>"}}``.

Each lesson module registers its checks with ``@exercise("NN-name", label="N.M", solution=...)``: a function
that takes the student's value and returns ``(ok, message)``; when ``ok`` is False, ``message`` is a hint that
says what to look at, not the answer. ``solution`` is the model solution, the whole source of the exercise cell;
it lives here, once, beside its check, and every other edition (answer key, nbgrader source) is made from it
(``solution(check_id)``). A test runs every notebook with its solutions filled in and proves each one passes.

Checks are recorded in the student's progress file (kind "exercise"), except a stub not yet answered. After at
least one real attempt, ``reveal(check_id)`` shows the model solution and records it (kind "reveal", never a
pass). An instructor can switch revealing off for a class with the environment variable ``COURSE_REVEAL=off``.
"""

from __future__ import annotations

import html
import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import unknown_name
from .quiz.messages import t

Checker = Callable[[Any], "tuple[bool, str]"]
REVEAL_SETTING = "COURSE_REVEAL"


@dataclass(frozen=True)
class Exercise:
    id: str                 # "03-pp-change"
    checker: Checker
    label: str | None       # "3.1", as the notebook's "**Exercise 3.1**" says
    solution: str | None    # the exercise cell's whole source in the model solution


_REGISTRY: dict[str, Exercise] = {}


def exercise(exercise_id: str, *, label: str | None = None, solution: str | None = None
             ) -> Callable[[Checker], Checker]:
    """Register a check function under an id like "03-share-from-russia", with its label ("3.2") and the model
    solution (the exercise cell's source; indentation common to all its lines is removed)."""
    text = textwrap.dedent(solution).strip("\n") if solution is not None else None

    def register(func: Checker) -> Checker:
        old = _REGISTRY.get(exercise_id)
        if old is not None and old.checker is not func:
            raise ValueError(f"exercise {exercise_id!r} is registered twice")
        _REGISTRY[exercise_id] = Exercise(exercise_id, func, label, text)
        return func

    return register


def _contains_ellipsis(value: Any, depth: int = 0) -> bool:
    """The stub's ``...`` still in the answer: the value itself, or an item of a list, tuple, set or dict."""
    if value is Ellipsis:
        return True
    if depth > 3:
        return False
    if isinstance(value, dict):
        return any(_contains_ellipsis(v, depth + 1) for v in (*value.keys(), *value.values()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_contains_ellipsis(v, depth + 1) for v in value)
    return False


@dataclass(frozen=True)
class CheckResult:
    exercise: str
    ok: bool
    message: str
    answered: bool = True

    @property
    def status(self) -> str:
        return "ok" if self.ok else ("hint" if self.answered else "empty")

    def _heading(self) -> str:
        if self.ok:
            return t("exercise_ok") + " "
        return (t("exercise_not_yet") if self.answered else t("exercise_empty")) + " "

    def __repr__(self) -> str:
        return self._heading() + self.message

    def _repr_html_(self) -> str:
        return (f'<div class="course-check course-check-{self.status}" role="status">'
                f"<strong>{html.escape(self._heading())}</strong>{html.escape(self.message)}</div>")


def _find(exercise_id: str) -> Exercise:
    if exercise_id not in _REGISTRY:
        from .lessons import UnknownLesson, lesson_of, load_module

        try:
            load_module(lesson_of(str(exercise_id)))  # the lesson's module registers its checks when imported
        except UnknownLesson:
            pass
    try:
        return _REGISTRY[exercise_id]
    except (KeyError, TypeError):
        _load_all()
        known = exercise_ids()
        raise unknown_name("exercise", exercise_id, known + sorted(set(_REGISTRY) - set(known))) from None


def _checker(exercise_id: str) -> Checker:
    return _find(exercise_id).checker


def reveal_enabled() -> bool:
    """False when the instructor has switched model solutions off (``COURSE_REVEAL=off``)."""
    return os.environ.get(REVEAL_SETTING, "on").strip().lower() not in ("off", "0", "false", "no")


def check(exercise_id: str, value: Any, *, record: bool = True) -> CheckResult:
    """Check a student's answer to an exercise. Never raises because of what the student wrote.

    An answer that still holds the stub's ``...`` is "not answered yet": neither a pass nor a recorded attempt.
    """
    checker = _checker(exercise_id)
    if _contains_ellipsis(value):
        part = "" if value is Ellipsis else t("exercise_part_empty") + " "
        return CheckResult(exercise_id, False, part + t("exercise_no_answer"), answered=False)
    if value is None:
        ok, message = False, t("exercise_none")
    else:
        try:
            ok, message = checker(value)
        except Exception as err:  # a student's odd value must give a hint, not a traceback
            ok, message = False, t("exercise_unreadable", error=f"{type(err).__name__}: {err}")
    if not ok and reveal_enabled() and _find(exercise_id).solution:
        message += " " + t("exercise_stuck", id=exercise_id)
    result = CheckResult(exercise_id, bool(ok), message)
    if record:
        from .quiz.progress import store

        try:
            answer: Any = value if isinstance(value, (int, float, str, bool)) else repr(value)[:200]
            store().record(_notebook_of(exercise_id), exercise_id, kind="exercise", answer=answer, correct=result.ok)
        except (TypeError, ValueError):
            pass
    return result


def solution(check_id: str) -> str:
    """The model solution of an exercise: a complete cell source that, typed into the exercise cell, passes the
    check. An unknown id is a CourseError that names the nearest ids."""
    found = _find(check_id)
    if not found.solution:
        raise LookupError(f"exercise {check_id!r} has no model solution registered")
    return found.solution


def _load_all() -> None:
    from .lessons import LESSONS, load_module

    for lesson in LESSONS:
        load_module(lesson)


def _label_key(ex: Exercise) -> tuple:
    parts = tuple(int(p) for p in (ex.label or "").split(".") if p.isdigit())
    return (ex.id[:2], parts or (999,), ex.id)


def exercise_ids() -> list[str]:
    """The ids of every exercise of the module, in notebook order (notebook, then the exercise's label)."""
    _load_all()
    return [ex.id for ex in sorted(_REGISTRY.values(), key=_label_key) if ex.solution is not None]


@dataclass(frozen=True)
class Revealed:
    """What ``reveal`` shows: the model solution, or why it is not shown (yet)."""

    exercise: str
    shown: bool
    message: str
    code: str = ""

    def __repr__(self) -> str:
        return self.message + (f"\n\n{self.code}\n" if self.code else "")

    def _repr_html_(self) -> str:
        label = html.escape(t("reveal_label"))
        code = (f'<pre class="course-solution" aria-label="{label}"><code>{html.escape(self.code)}'
                "</code></pre>") if self.code else ""
        return (f'<div class="course-check course-reveal-{"shown" if self.shown else "locked"}" role="status">'
                f"<p>{html.escape(self.message)}</p>{code}</div>")


def reveal(check_id: str) -> Revealed:
    """The model solution of an exercise, after at least one real attempt (a check of an answer that is not the
    stub). Recorded in the progress file as a reveal (never a pass). Switched off by ``COURSE_REVEAL=off``."""
    found = _find(check_id)
    name = t("exercise_name", label=found.label) if found.label else check_id
    if not reveal_enabled():
        return Revealed(check_id, False, t("reveal_off", setting=REVEAL_SETTING, name=name))
    if not found.solution:
        return Revealed(check_id, False, t("reveal_none", name=name))
    from .quiz.progress import store

    mine = store().attempts(question=check_id)
    if not any(r.get("kind") == "exercise" for r in mine):
        return Revealed(check_id, False, t("reveal_try_first", name=name))
    if not any(r.get("kind") == "reveal" for r in mine):
        store().record(_notebook_of(check_id), check_id, kind="reveal", answer=None, correct=None)
    return Revealed(check_id, True, t("reveal_shown", name=name), found.solution)


def _notebook_of(exercise_id: str) -> str:
    """The notebook an exercise belongs to ("03-share" -> "03_migration_and_remittances")."""
    from .lessons import UnknownLesson, lesson_of

    try:
        return lesson_of(exercise_id).stem
    except UnknownLesson:
        return exercise_id[:2]


def registered() -> list[str]:
    return sorted(_REGISTRY)


__all__ = ["CheckResult", "Exercise", "REVEAL_SETTING", "Revealed", "check", "exercise", "exercise_ids",
           "registered", "reveal", "reveal_enabled", "solution"]

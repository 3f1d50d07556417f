"""``course.answer(question_id, value)``: answer a quiz question from code, exactly as a click on Check does.

The question is shown as its widget would be (for this student, with this student's progress), the value is
put where the student's choice or typing would go, and Check is pressed: the same model grades it, the same
progress store records the attempt, and it counts in ``my_progress``, exports and the gradebook like any other.
For instructors' trials and for tests; a student can use it too.

    course.answer("00-run-cell", "Shift + Enter")      # single choice: the option's text
    course.answer("03-pp-change", "-5.2")              # numeric: as typed (a number works too)
    course.answer("02-members", ["CSTO", "EAEU"])      # multiple choice: the options ticked
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Answered:
    """What Check said: ``status`` ("correct", "partial", "incorrect", "recorded", or "invalid" when the value
    is no usable answer and was not counted), ``score`` (0-1, None when ungraded or invalid), ``feedback``."""

    question: str
    status: str
    score: float | None
    feedback: str

    def __repr__(self) -> str:
        return f"{self.question}: {self.status}" + (f" ({self.score:g})" if self.score is not None else "") + \
            f"\n{self.feedback}"


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment.replace("</p>", "\n"))).strip()


def answer(question_id: str, value: Any, progress: Any = None) -> Answered:
    """Answer question ``question_id`` with ``value`` as a click on Check would (graded and recorded).
    An unknown question or a broken bank raises KeyError or BankError with a message saying which."""
    from . import bank as bank_mod
    from .widgets import QuizWidget

    widget = QuizWidget(bank_mod.question(question_id), progress)
    widget.answer = value
    before = widget.session.attempts
    widget.press("check")
    counted = widget.session.attempts > before
    result = widget.session.history[-1] if counted and widget.session.history else None
    return Answered(question_id, result.status if result else "invalid", result.score if result else None,
                    _text(widget.feedback_html))

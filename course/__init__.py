"""Course package for the module "Japarov tells Putin": the mechanisms the notebooks call.

Kept light to import: submodules (quizzes, data, charts) load what they need when first used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "0.1.0"

from .errors import install as _install_error_messages  # noqa: E402
from .quiz import progress_bar, quiz  # noqa: E402

_install_error_messages()  # in a notebook, a CourseError shows as a short message, not a traceback into course/


def answer(question_id: str, value: Any) -> Any:
    """Answer a quiz question from code, as a click on Check would, e.g. ``answer("00-run-cell", "Shift + Enter")``:
    graded by the same model and recorded in your progress file. Returns what Check said (status, score)."""
    from .quiz.answer import answer as _answer

    return _answer(question_id, value)


def glossary(*terms: str) -> Any:
    """The module's glossary, or some of its entries: ``glossary("CSTO")``, ``glossary("HHI", "CIF/FOB")``."""
    from .terms import glossary as _glossary

    return _glossary(*terms)


def progress_location() -> Path:
    """The file where this student's quiz answers are kept."""
    from .quiz.progress import store

    return store().path


def reset_progress() -> Any:
    """Start the quizzes afresh. The old answers are kept in a backup file, whose path is returned."""
    from .quiz.progress import store

    return store().reset()


__all__ = ["answer", "glossary", "progress_bar", "progress_location", "quiz", "reset_progress"]

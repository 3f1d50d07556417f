"""Course package for the module "Japarov tells Putin": the mechanisms the notebooks call.

Kept light to import: submodules (quizzes, data, charts) load what they need when first used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "0.1.0"

from .quiz import progress_bar, quiz  # noqa: E402


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


__all__ = ["glossary", "progress_bar", "progress_location", "quiz", "reset_progress"]

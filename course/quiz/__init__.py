"""The quiz engine: a pure model (``model``, ``bank``, ``progress``) and an anywidget view (``widgets``).

Importing this package does not import anywidget or ipywidgets; ``quiz`` and ``progress_bar`` import the view on use.
"""

from __future__ import annotations

from typing import Any


def quiz(qid: str, **kwargs: Any) -> Any:
    """Show question `qid` as an interactive quiz, e.g. ``quiz("00-run-cell")``."""
    from .widgets import quiz as _quiz

    return _quiz(qid, **kwargs)


def progress_bar(notebook: str, **kwargs: Any) -> Any:
    """A bar showing how many of a notebook's questions this student has answered."""
    from .widgets import progress_bar as _bar

    return _bar(notebook, **kwargs)

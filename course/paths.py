"""Where the module's data and question banks live.

The same rule for every part of the package (the article, the data tables, the charts, the quizzes), so
that the module works in three places:

1. a clone of the repository with an editable install (``make lab``, ``make test``);
2. a JupyterHub where the package is installed (not editable) and each student's copy of the repository
   was pulled into their home by nbgitpuller (``python -m course hub-link``);
3. a plain ``pip install`` with no copy of the repository at all (the data and banks ship in the wheel).

The lookup, first match wins:

- ``$COURSE_DATA_DIR`` / ``$COURSE_BANKS_DIR`` if set (a hub admin can pin every student to one copy; the
  older name ``$COURSE_QUIZZES_DIR`` still works);
- the **checkout the notebook runs in**: the current folder or one of its parents (at most
  ``CHECKOUT_DEPTH`` levels up) that holds ``course/__init__.py`` and ``data/datapackage.json``. A kernel
  starts in the notebook's folder, so for ``~/kg-russia-module/notebooks/00_start_here.ipynb`` that is
  ``~/kg-russia-module``. This copy wins over the installed one on purpose: when an instructor pushes an
  edited bank or a corrected table, the students' next click on the link pulls it and the next
  ``quiz(...)`` uses it, without anyone reinstalling the package on the hub. (Python code still comes
  from the installed package: a change to ``course/*.py`` needs ``pip install --upgrade`` on the hub.);
- the repository the package itself sits in (an editable install or a plain clone): ``<repo>/data`` and
  ``<repo>/course/banks``;
- the copies shipped inside the installed package: ``course/_data`` (built from ``data/``, see
  ``pyproject.toml``) and ``course/banks``.

``python -m course where`` prints which copies are in use. Only the standard library is used, so importing
this module is fast.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CHECKOUT_DEPTH", "PACKAGE", "REPO", "SHIPPED_DATA", "checkout_root", "banks_dir", "data_dir", "env_dir"]

#: The folder of the ``course`` package.
PACKAGE = Path(__file__).resolve().parent

#: The folder holding ``course/`` (and, in a clone of the repository, ``data/``).
REPO = PACKAGE.parent

#: The copy of ``data/`` that is installed inside the package (``pip install``, not editable).
SHIPPED_DATA = PACKAGE / "_data"

#: How many folders above the current one are searched for a checkout (``notebooks/`` is one level down).
CHECKOUT_DEPTH = 3

DATA_MARKER = "datapackage.json"


def _is_checkout(folder: Path) -> bool:
    return (folder / "course" / "__init__.py").is_file() and (folder / "data" / DATA_MARKER).is_file()


def checkout_root(start: Path | str | None = None) -> Path | None:
    """The copy of the module that ``start`` (default: the current folder) is in, or None.

    A copy is a folder with ``course/__init__.py`` and ``data/datapackage.json``: a clone of the
    repository, or the folder nbgitpuller pulled it into.
    """
    try:
        here = Path(start) if start is not None else Path.cwd()
        here = here.resolve()
    except OSError:  # the current folder was deleted
        return None
    for folder in [here, *here.parents][: CHECKOUT_DEPTH + 1]:
        try:
            if _is_checkout(folder):
                return folder
        except OSError:  # a folder we may not look into
            continue
    return None


def env_dir(*names: str) -> Path | None:
    """The folder named by the first of these environment variables that is set (``~`` expanded), or None."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return Path(value).expanduser()
    return None


def data_dir() -> Path:
    """The folder holding the module's data (see the module's docstring for the order)."""
    env = env_dir("COURSE_DATA_DIR")
    if env is not None:
        return env.resolve()
    root = checkout_root()
    candidates = [root / "data"] if root else []
    if _is_checkout(REPO):
        candidates.append(REPO / "data")
    candidates.append(SHIPPED_DATA)
    for folder in candidates:
        if (folder / DATA_MARKER).is_file():
            return folder
    return REPO / "data"  # nothing found: error messages name the place a clone would have


BANKS = "banks"  # the folder of question banks inside ``course/``


def banks_dir() -> Path:
    """The folder holding the question banks (``NN_name.yaml``), in the same order as ``data_dir``."""
    env = env_dir("COURSE_BANKS_DIR", "COURSE_QUIZZES_DIR")
    if env is not None:
        return env
    root = checkout_root()
    if root is not None and (root / "course" / BANKS).is_dir():
        return root / "course" / BANKS
    return PACKAGE / BANKS  # the clone's own copy, or the one installed with the package

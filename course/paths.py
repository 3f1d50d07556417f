"""Where the module's data live.

One rule for every part of the package (the article, the data tables, the charts):
``$COURSE_DATA_DIR`` if that environment variable is set, otherwise the ``data`` folder of the
repository. Tests point ``COURSE_DATA_DIR`` at a temporary folder to try broken copies of the files.

Only the standard library is used, so importing this module is fast.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["REPO", "data_dir"]

#: The repository root (the folder holding ``course/`` and ``data/``).
REPO = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The folder holding the module's data: ``$COURSE_DATA_DIR`` if set, else ``<repo>/data``."""
    env = os.environ.get("COURSE_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return REPO / "data"

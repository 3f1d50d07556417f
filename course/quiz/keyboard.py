"""A JupyterLab (and Notebook 7) settings override so that arrow keys work inside quiz controls.

In command mode JupyterLab binds ArrowUp/ArrowDown (move to the cell above/below) and ArrowLeft/ArrowRight
(collapse/expand headings) to any focused element that is not a text field. A focused radio button or
drop-down list in a cell's output is such an element, so the arrows move between cells instead of
choosing an option. This override keeps those four shortcuts for the notebook itself but not for controls
inside an output (``.jp-OutputArea-output``): there the arrows do what they do on any web page. It helps
every widget, not only the quizzes (ipywidgets sliders too).

It is installed where JupyterLab reads default-setting overrides, ``<app dir>/settings/overrides.d/``
(``<app dir>`` is ``<sys.prefix>/share/jupyter/lab`` in the module's virtual environment), by
``make lab`` / ``make test`` (their setup step runs this module), and by hand with::

    python -m course.quiz.keyboard            # into this Python's JupyterLab
    python -m course.quiz.keyboard --prefix /opt/conda   # e.g. a JupyterHub image

It changes defaults only: a user's own keyboard-shortcut settings still win. The quiz view also keeps
plain keys inside itself (see ``static/widgets.js``), so quizzes work with the keyboard even where this
override is not installed; the override is what makes other widgets and the notebook agree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

FILENAME = "kg-russia-module.json"
COMMAND_MODE = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
OUTSIDE_OUTPUTS = f"{COMMAND_MODE}:not(.jp-OutputArea-output *)"
_ARROWS = {
    "ArrowDown": "notebook:move-cursor-down",
    "ArrowUp": "notebook:move-cursor-up",
    "ArrowLeft": "notebook:move-cursor-heading-above-or-collapse",
    "ArrowRight": "notebook:move-cursor-heading-below-or-expand",
}


def overrides() -> dict[str, Any]:
    """The settings: each arrow shortcut disabled as JupyterLab ships it, and added back outside outputs."""
    shortcuts: list[dict[str, Any]] = []
    for key, command in _ARROWS.items():
        shortcuts.append({"command": command, "keys": [key], "selector": COMMAND_MODE, "disabled": True})
        shortcuts.append({"command": command, "keys": [key], "selector": OUTSIDE_OUTPUTS})
    return {"@jupyterlab/shortcuts-extension:shortcuts": {"shortcuts": shortcuts}}


def text() -> str:
    return json.dumps(overrides(), indent=2) + "\n"


def app_dir(prefix: str | Path | None = None) -> Path:
    """JupyterLab's application folder: ``<prefix>/share/jupyter/lab``, or the one JupyterLab itself uses."""
    if prefix is not None:
        return Path(prefix) / "share" / "jupyter" / "lab"
    try:
        from jupyterlab.commands import get_app_dir

        return Path(get_app_dir())
    except ImportError:  # pragma: no cover - jupyterlab is a dependency
        return Path(sys.prefix) / "share" / "jupyter" / "lab"


def path(prefix: str | Path | None = None) -> Path:
    return app_dir(prefix) / "settings" / "overrides.d" / FILENAME


def installed(prefix: str | Path | None = None) -> bool:
    p = path(prefix)
    return p.is_file() and p.read_text(encoding="utf-8") == text()


def install(prefix: str | Path | None = None) -> Path:
    p = path(prefix)
    if not installed(prefix):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text(), encoding="utf-8")
    return p


def main(argv: list[str]) -> int:
    prefix = None
    if argv[:1] == ["--prefix"] and len(argv) == 2:
        prefix = argv[1]
    elif argv:
        print("usage: python -m course.quiz.keyboard [--prefix PREFIX]", file=sys.stderr)
        return 2
    print(f"keyboard settings for quizzes: {install(prefix)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

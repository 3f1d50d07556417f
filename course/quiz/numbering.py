"""Question numbers come from one place: the bank's order. This checks that a notebook agrees with it.

A quiz widget labels itself "Question N.M", where N is the notebook's number and M the question's position in
its bank (see ``bank.load_bank``). Notebooks also print the label in the Markdown cell above the quiz, as
``**Question N.M**`` at the start of a line, so that a reader without a kernel and a printed handout show the
same numbers. ``check_notebook`` reports every place where the two disagree:

* a ``**Question N.M**`` label that is not the label of the quiz below it (e.g. a question inserted in the
  bank's middle, with the notebook's later labels not renumbered);
* quizzes shown in another order than the bank's (the widgets' numbers would then jump about);
* a label with no quiz after it, two labels for one quiz, or a quiz id that is not in the bank.

``python -m course check`` runs it on every notebook and fails on any problem. A quiz with no label above it
(as in notebook 00, whose headings name the question types) is allowed: there is nothing to disagree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LABEL = re.compile(r"^\s*\*\*Question\s+([0-9]+\.[0-9]+)\*\*", re.MULTILINE)
QUIZ_CALL = re.compile(r"""\bquiz\(\s*["']([0-9]{2}-[a-z0-9-]+)["']""")


@dataclass(frozen=True)
class NumberingProblem:
    notebook: str
    cell: int  # 1-based, as a reader counts cells
    problem: str

    def __str__(self) -> str:
        return f"{self.notebook}, cell {self.cell}: {self.problem}"


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def check_cells(cells: Sequence[Mapping[str, Any]], bank_ids: Sequence[str], labels: Mapping[str, str],
                notebook: str) -> list[NumberingProblem]:
    """Problems in one notebook's `cells` against its bank: `bank_ids` in the bank's order, `labels` the
    label of each id as its widget shows it ("3.5")."""
    problems: list[NumberingProblem] = []
    pending: list[tuple[int, str]] = []  # labels seen since the last quiz: (cell number, "3.5")
    shown = 0
    for number, cell in enumerate(cells, start=1):
        text = _source(cell)
        if cell.get("cell_type") == "markdown":
            pending += [(number, label) for label in LABEL.findall(text)]
            continue
        if cell.get("cell_type") != "code":
            continue
        for qid in QUIZ_CALL.findall(text):
            shown += 1
            if qid not in labels:
                problems.append(NumberingProblem(notebook, number, f'quiz("{qid}") is not a question of the bank'))
                pending = []
                continue
            widget = labels[qid]
            if len(pending) > 1:
                written = ", ".join(f"**Question {label}** (cell {n})" for n, label in pending)
                problems.append(NumberingProblem(notebook, number, f'quiz("{qid}") has {len(pending)} labels '
                                                                   f"above it: {written}; keep one"))
            elif pending and pending[0][1] != widget:
                n, label = pending[0]
                problems.append(NumberingProblem(
                    notebook, n, f'says **Question {label}** but the quiz below it, quiz("{qid}"), shows '
                                 f'"Question {widget}" (its position in the bank): write **Question {widget}**'))
            position = bank_ids.index(qid) + 1
            if position != shown:
                problems.append(NumberingProblem(
                    notebook, number, f'quiz("{qid}") is the quiz number {shown} in the notebook but question '
                                      f"{position} in the bank: put the bank's questions in the notebook's order"))
            pending = []
    for n, label in pending:
        problems.append(NumberingProblem(notebook, n, f"**Question {label}** has no quiz below it"))
    return problems


def check_notebook(path: Path | str, bank: Any) -> list[NumberingProblem]:
    """Problems in the notebook at `path` against its bank (a ``bank.Bank``)."""
    path = Path(path)
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        return [NumberingProblem(path.name, 0, f"cannot be read as a notebook ({err})")]
    labels = {q.id: q.label for q in bank.questions}
    return check_cells(cells, bank.ids, labels, path.name)


def check_notebooks(notebooks: Iterable[Path], banks: Iterable[Any]) -> list[NumberingProblem]:
    """Every notebook that has a bank of the same name (``03_x.ipynb`` and ``03_x.yaml``), checked."""
    by_name = {bank.notebook: bank for bank in banks}
    problems: list[NumberingProblem] = []
    for path in sorted(notebooks):
        bank = by_name.get(path.stem)
        if bank is not None:
            problems += check_notebook(path, bank)
    return problems


def notebooks_dir() -> Path:
    """The notebooks beside the banks in use: those of the checkout the command runs in, else the repository's."""
    from ..paths import REPO, checkout_root

    return (checkout_root() or REPO) / "notebooks"


__all__ = ["LABEL", "QUIZ_CALL", "NumberingProblem", "check_cells", "check_notebook", "check_notebooks",
           "notebooks_dir"]

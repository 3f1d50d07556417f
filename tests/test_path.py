"""The path through the module: module-wide progress at the top of each notebook, previous/next links at the end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course import path
from course.lessons.review import NotebookProgress

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def cells(p: Path) -> list[dict]:
    return json.loads(p.read_text(encoding="utf-8"))["cells"]


def test_the_stops_are_the_notebooks_in_order():
    assert [s.file for s in path.stops()] == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_ends_with_its_generated_links_and_they_resolve(nb):
    last = cells(nb)[-1]
    assert last["cell_type"] == "markdown"
    assert "".join(last["source"]) == path.footer(nb.stem), "regenerate the footer with course.path.footer"
    for target in re.findall(r"\]\(([^)#]+)", path.footer(nb.stem)):
        assert (nb.parent / target).resolve().exists(), target


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_shows_the_module_progress_near_the_top(nb):
    code = ["".join(c["source"]) for c in cells(nb)[:9] if c["cell_type"] == "code"]
    assert any(f'module_progress("{nb.stem}")' in src for src in code)


def test_footer_links_previous_and_next():
    text = path.footer("03")
    assert "[02 History and institutions](02_history_and_institutions.ipynb)" in text
    assert "[04 Energy, food and trade](04_energy_food_and_trade.ipynb)" in text
    assert "Previous" not in path.footer("00_start_here")
    assert "Back to the start" in path.footer("06_review")
    with pytest.raises(KeyError):
        path.footer("99_nowhere")


def _row(nb: str, **kw) -> NotebookProgress:
    base = dict(notebook=nb, title=nb[3:], questions=2, graded=2, answered=0, correct=0, exercises=1, checked=0,
                passed=0, reveals=0)
    base.update(kw)
    return NotebookProgress(**base)


def test_a_notebook_is_done_when_every_question_is_answered_and_every_exercise_passed():
    rows = (_row("00_a", answered=2, passed=1, checked=1, correct=1), _row("01_b", answered=2, correct=2),
            _row("02_c"))
    total = _row("all", questions=6, graded=6, answered=4, correct=3, exercises=3, passed=1)
    m = path.ModuleProgress(path.Stop("01", "01_b", "b", None), rows, total)
    assert [m.state(r) for r in rows] == ["done", "started", "not started"]
    assert "1 of 3 notebooks done, 3 of 6 graded questions right, 1 of 3 exercises passed" in m.sentence()
    assert "you are here" in m._repr_html_()


def test_module_progress_reads_the_store(store):
    store.record("00_start_here", "00-run-cell", answer="x", correct=True)
    m = path.module_progress("00_start_here", store=store)
    assert m.total.correct == 1
    assert m.state(m.rows[0]) == "started"
    assert "You are in notebook 00 Start here" in repr(m)

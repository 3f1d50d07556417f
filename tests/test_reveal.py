"""Exercises start unsolved; each model solution lives once, beside its check; a solution can be revealed after
a real attempt, is recorded as revealed (never a pass), and an instructor can switch revealing off."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course import exercises
from course.exercises import check, exercise_ids, reveal, solution

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _src(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _role(cell: dict, key: str) -> str | None:
    return cell.get("metadata", {}).get("course", {}).get(key)


def test_every_exercise_has_a_label_and_a_solution_and_the_notebooks_show_them_in_order():
    in_notebooks = [_role(c, "exercise") for p in NOTEBOOKS for c in _cells(p) if _role(c, "exercise")]
    assert in_notebooks == exercise_ids()
    assert len(in_notebooks) == len(set(in_notebooks)) == 16
    for eid in in_notebooks:
        assert solution(eid).strip()
        assert not solution(eid).startswith((" ", "\n"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_exercise_cell_is_a_stub_followed_by_its_check(path):
    cells = _cells(path)
    assert not any("BEGIN SOLUTION" in _src(c) for c in cells)
    for i, cell in enumerate(cells):
        eid = _role(cell, "exercise")
        if not eid:
            continue
        stub = _src(cell)
        assert cell["cell_type"] == "code"
        assert stub.startswith("# "), stub
        assert re.search(r"= \.\.\.|\.\.\.\}|\[\.\.\.\]", stub), stub
        assert stub.strip() != solution(eid).strip()
        label = exercises._REGISTRY[eid].label
        prompt = next(_src(c) for c in reversed(cells[:i]) if c["cell_type"] == "markdown")
        assert f"**Exercise {label}**" in prompt, (eid, label)
        check_cell = next(c for c in cells[i + 1:] if c["cell_type"] == "code" and _role(c, "check"))
        assert _role(check_cell, "check") == eid
        assert f'check("{eid}"' in _src(check_cell)
        assert cell["outputs"] == [] or all(o["output_type"] != "error" for o in cell["outputs"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stored_check_output_shows_a_verdict(path):
    for cell in _cells(path):
        if _role(cell, "check"):
            shown = json.dumps(cell["outputs"], ensure_ascii=False)
            assert "Not answered yet" in shown, _src(cell)
            assert "✔" not in shown
            assert "✘" not in shown
            assert "Right" not in shown


def test_an_untouched_stub_is_not_answered_and_not_recorded(progress_dir):
    from course.quiz.progress import store

    for value in (..., [..., ...], {"US": ..., "UK": 2}, {"role": ..., "evidence": [...]}):
        result = check("05-sanctions-2025", value)
        assert not result.ok
        assert not result.answered
        assert "Not answered yet" in repr(result)
        assert "✘" not in repr(result)
        assert "reveal(" not in result.message
    assert store().attempts() == []


def test_reveal_only_after_a_real_attempt_and_recorded_as_revealed_not_passed(progress_dir):
    from course.quiz.progress import store

    check("05-school-opening", ...)
    locked = reveal("05-school-opening")
    assert not locked.shown
    assert "Try Exercise 5.1 first" in locked.message
    assert not locked.code
    assert store().attempts() == []
    wrong = check("05-school-opening", "2025-11-26")
    assert not wrong.ok
    assert 'reveal("05-school-opening")' in wrong.message
    shown = reveal("05-school-opening")
    assert shown.shown
    assert shown.code == solution("05-school-opening")
    assert "<pre" in shown._repr_html_()
    assert "first_opening" in shown._repr_html_()
    reveal("05-school-opening")  # asking twice records once
    records = store().attempts(question="05-school-opening")
    assert [(r["kind"], r["correct"]) for r in records] == [("exercise", False), ("reveal", None)]
    assert records[1]["notebook"] == "05_alliances_and_challenges"


def test_the_instructor_switch_turns_revealing_off(progress_dir, monkeypatch):
    from course.quiz.progress import store

    monkeypatch.setenv("COURSE_REVEAL", "off")
    wrong = check("02-manas-years", 12)
    assert "reveal(" not in wrong.message
    result = reveal("02-manas-years")
    assert not result.shown
    assert "COURSE_REVEAL=off" in result.message
    assert not result.code
    assert [r["kind"] for r in store().attempts()] == ["exercise"]


def test_an_unknown_exercise_names_the_nearest_ids():
    from course.errors import CourseError

    with pytest.raises(CourseError, match="02-manas-years") as info:
        solution("02-manas-year")
    assert isinstance(info.value, KeyError)
    with pytest.raises(CourseError):
        reveal(42)


def test_a_revealed_solution_counts_in_my_progress_as_revealed_not_passed(progress_dir):
    from course.lessons import review

    check("06-most-apart", "Gas coverage 2014")
    reveal("06-most-apart")
    row = review.my_progress().row("06")
    assert (row.checked, row.passed, row.reveals) == (1, 0, 1)

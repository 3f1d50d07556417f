"""Working alone: every pair/class activity in the notebooks has a solo version whose strong answer shows only
after the student has saved an answer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course import alone as alone_mod
from course.alone import AloneError, activities, alone

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ACTIVITY = re.compile(r"\*\*(Discussion \((?:pairs|whole class)[^)]*\)|The debate \(class[^)]*\))")
ALONE_CALL = re.compile(r"""alone\(\s*["']([0-9]{2}-[a-z0-9-]+)["']""")


def test_the_file_is_valid_and_every_notebook_exists():
    assert alone_mod.validate([p.stem for p in NOTEBOOKS]) == []


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_every_pair_or_class_activity_is_followed_by_its_solo_version(nb):
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    mine = [a.id for a in activities() if a.notebook == nb.stem]
    shown = []
    for i, c in enumerate(cells):
        if c["cell_type"] == "markdown" and ACTIVITY.search("".join(c["source"])):
            following = [x for x in cells[i + 1:i + 4] if x["cell_type"] == "code"]
            ids = [m for x in following for m in ALONE_CALL.findall("".join(x["source"]))]
            assert ids, f"no solo version right after: {''.join(c['source'])[:60]!r}"
            shown.append(ids[0])
    assert sorted(shown) == sorted(mine)


def test_there_are_nine_discussions_and_the_debate():
    assert len(activities()) == 10


def test_the_strong_answer_appears_only_after_a_saved_answer(store):
    w = alone("01-backyard", progress=store)
    assert w.label.startswith("Working alone")
    assert "strong answer" not in w.feedback_html
    w.answer = "   "
    w.press("check")
    assert "strong answer" not in w.feedback_html
    assert not store.attempts()
    w.answer = "Backyard makes Kyrgyzstan sound owned."
    w.press("check")
    assert "What a strong answer includes" in w.feedback_html
    assert "• " in w.feedback_html
    (rec,) = store.attempts()
    assert rec["question"] == "01-backyard-alone"
    assert rec["correct"] is None
    w.press("reveal")  # not graded: nothing to reveal early
    assert len(store.attempts()) == 1


def test_without_a_kernel_the_task_shows_but_not_the_strong_answer(store):
    bundle = alone("04-wheat-hhi", progress=store)._repr_mimebundle_()
    assert "Working alone" in bundle["text/html"]
    assert "strong answer includes appears after" in bundle["text/plain"]
    assert "It separates" not in bundle["text/plain"]
    assert "It separates" not in bundle["text/html"]


def test_an_unknown_id_is_a_message_not_a_traceback():
    assert "No solo activity" in repr(alone("01-nothing"))


def test_a_broken_file_names_the_place(tmp_path):
    bad = tmp_path / "alone.yaml"
    bad.write_text("activities:\n  - id: 01-x\n    notebook: 02_y\n    activity: a\n    task: t\n    strong: s\n")
    with pytest.raises(AloneError, match="must start with the notebook's number"):
        activities(bad)
    bad.write_text("activities:\n  - id: 01-x\n    notebook: 01_y\n    task: t\n")
    with pytest.raises(AloneError, match="missing or empty: activity, strong"):
        activities(bad)

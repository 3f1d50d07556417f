"""The times in the notebooks' headers are the estimates of tools/timings.py (the method stated in the README)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("timings", ROOT / "tools" / "timings.py")
timings = importlib.util.module_from_spec(spec)
sys.modules["timings"] = timings  # dataclasses look their module up by name
spec.loader.exec_module(timings)


def test_every_header_states_the_estimate():
    for path in timings.notebooks():
        e = timings.estimate(path)
        assert timings.stated(path) == (e.teaching, e.exercise_time), \
            f"{path.name}: run python tools/timings.py and update the Time: line"


def test_the_readme_table_and_total_match():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [timings.estimate(p) for p in timings.notebooks()]
    for r in rows:
        assert f"| `{r.notebook}` |" in readme, r.notebook
        assert f"| {r.teaching} + {r.exercise_time} min |" in readme, r.notebook
    total = sum(r.total for r in rows)
    hours, minutes = divmod(total, 60)
    assert (f"about **{hours} h {minutes} min**" if minutes else f"about **{hours} h**") in readme


def test_sections_add_up_to_the_whole():
    path = timings.notebooks()[1]
    teaching = sum(t for _, t, _ in timings.sections(path))
    exercises = sum(x for _, _, x in timings.sections(path))
    e = timings.estimate(path)
    assert abs(teaching - (e.words / timings.READING_WPM + e.shown_words / timings.SCANNING_WPM
                           + e.code_cells * timings.RUN_MINUTES + e.charts * timings.CHART_MINUTES)) < 1
    assert abs(exercises - (e.questions * timings.QUESTION_MINUTES + e.reflections * timings.REFLECTION_MINUTES
                            + e.exercises * timings.EXERCISE_MINUTES + e.activity_minutes)) < 0.01

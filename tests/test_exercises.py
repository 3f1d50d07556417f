"""The exercise checks: a verdict and a hint, recorded in progress, never a traceback."""

from __future__ import annotations

import pytest

from course import exercises
from course.exercises import CheckResult, check, exercise


@pytest.fixture
def demo():
    @exercise("00-demo-double")
    def _check(value):
        if not isinstance(value, (int, float)):
            return False, "Your answer should be a number."
        return (value == 42, "Right: 21 doubled is 42." if value == 42 else "Multiply the number by two.")

    yield "00-demo-double"
    exercises._REGISTRY.pop("00-demo-double", None)


def test_right_wrong_and_odd_answers(demo, progress_dir):
    assert check(demo, 42).ok
    wrong = check(demo, 41)
    assert not wrong.ok
    assert "Multiply" in repr(wrong)
    assert repr(wrong).startswith("✘ Not yet.")
    assert not check(demo, "forty-two").ok
    empty = check(demo, ...)
    assert not empty.ok
    assert not empty.answered
    assert repr(empty).startswith("○ Not answered yet.")
    assert "None" in check(demo, None).message
    assert check(demo, None).answered


def test_a_checker_that_trips_over_odd_input_gives_a_hint_not_a_traceback(progress_dir):
    @exercise("00-demo-fragile")
    def _fragile(value):
        return value["key"] > 1, "ok"

    try:
        result = check("00-demo-fragile", [1, 2])
        assert not result.ok
        assert "could not read your answer" in result.message
    finally:
        exercises._REGISTRY.pop("00-demo-fragile", None)


def test_checks_are_recorded_in_progress(demo, progress_dir):
    from course.quiz.progress import store

    check(demo, 41)
    check(demo, 42)
    recs = [r for r in store().attempts() if r["kind"] == "exercise"]
    assert [(r["question"], r["answer"], r["correct"]) for r in recs] == [(demo, 41, False), (demo, 42, True)]
    assert recs[0]["notebook"] == "00_start_here"


def test_unknown_exercise_names_the_known_ones(demo):
    with pytest.raises(KeyError, match="00-demo-double"):
        check("00-demo-dubble", 1, record=False)  # the nearest id is suggested


def test_html_is_escaped():
    shown = CheckResult("x", False, "<img src=x onerror=alert(1)>")._repr_html_()
    assert "<img" not in shown
    assert "&lt;img" in shown


def test_registering_two_checks_under_one_id_is_refused(demo):
    with pytest.raises(ValueError, match="twice"):
        exercise(demo)(lambda v: (True, ""))

"""`python -m course nbgrader-source DIR`: notebooks nbgrader accepts as source. (nbgrader itself runs them in
`make nbgrader`, tests/nbgrader/run.py; these tests need no nbgrader.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.exercises import exercise_ids, solution
from course.instructor import BEGIN, END, InstructorError, nbgrader_source
from course.instructor.editions import graded_check, nbgrader_notebook

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    out = tmp_path_factory.mktemp("nbgrader") / "course"
    written = nbgrader_source(out)
    return out, written


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_a_course_directory_with_every_exercise(source):
    out, written = source
    assert (out / "nbgrader_config.py").is_file()
    assert all(p.parent == out / "source" / "kg-russia-module" for p, _ in written)
    grade_ids = [c["metadata"]["nbgrader"]["grade_id"] for p, _ in written for c in cells(p)
                 if "nbgrader" in c.get("metadata", {})]
    assert len(grade_ids) == len(set(grade_ids)), "grade ids are unique"
    answers = {g.removesuffix("-answer") for g in grade_ids if g.endswith("-answer")}
    checks = {g.removesuffix("-check") for g in grade_ids if g.endswith("-check")}
    assert answers == checks == set(exercise_ids())
    assert sum(points for _, points in written) == len(exercise_ids())


def test_solution_cells_hold_the_model_solution_between_markers_and_nothing_else_does(source):
    _, written = source
    for path, _ in written:
        for cell in cells(path):
            meta = cell.get("metadata", {}).get("nbgrader")
            text = "".join(cell["source"])
            if meta and meta["solution"]:
                eid = meta["grade_id"].removesuffix("-answer")
                assert f"{BEGIN}\n{solution(eid)}\n{END}" in text
                assert cell["cell_type"] == "code"
                assert meta["grade"] is False
                assert meta["locked"] is False
            else:
                assert BEGIN not in text, (path.name, text[:80])
                assert END not in text, (path.name, text[:80])
            if meta and meta["grade"]:
                assert meta["points"] == 1
                assert meta["locked"]
                assert cell["cell_type"] == "code"
                assert text.rstrip().endswith("assert _verdict.ok, _verdict.message")
            if meta:
                assert cell["outputs"] == []
                assert cell["execution_count"] is None


def test_a_graded_check_fails_with_the_hint_and_passes_on_a_right_answer():
    class Verdict:
        def __init__(self, ok):
            self.ok, self.message = ok, "Look at the 2022 row."

    test = graded_check('# the check\ncheck("03-x",\n      answer)\nprint("after")', "cell")
    assert test.startswith('# the check\n_verdict = check("03-x",\n      answer)\nprint("after")')
    shown = []
    namespace = {"check": lambda _id, value: Verdict(value == 42), "display": shown.append, "print": lambda *a: 0}
    with pytest.raises(AssertionError, match="2022 row"):
        exec(test, {**namespace, "answer": ...})  # noqa: S102
    exec(test, {**namespace, "answer": 42})  # noqa: S102
    assert len(shown) == 2
    with pytest.raises(InstructorError, match="no check"):
        graded_check("x = 1", "nb cell 3")


def test_a_notebook_with_nbgraders_markers_is_accepted_as_it_is():
    nb = {"cells": [
        {"cell_type": "code", "metadata": {}, "source": f"{BEGIN}\nanswer = 42\n{END}\nanswer", "outputs": []},
        {"cell_type": "code", "metadata": {}, "source": 'check("03-demo", answer)', "outputs": []},
        {"cell_type": "markdown", "metadata": {"tags": ["instructor"]}, "source": "a teaching note"},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    out, points = nbgrader_notebook(nb, "demo.ipynb", points=2)
    assert points == 2
    assert len(out["cells"]) == 2
    assert out["cells"][0]["metadata"]["nbgrader"]["solution"]
    assert "answer = 42" in out["cells"][0]["source"]
    assert out["cells"][1]["metadata"]["nbgrader"]["points"] == 2


def test_a_marker_outside_an_exercise_and_an_exercise_without_check_are_refused():
    stray = {"cells": [{"cell_type": "code", "metadata": {}, "source": f"x = 1  # {BEGIN}", "outputs": []}]}
    stray["cells"][0]["source"] = f"x = 1\n{END}"
    with pytest.raises(InstructorError, match="outside an exercise"):
        nbgrader_notebook(stray, "a.ipynb")
    lonely = {"cells": [{"cell_type": "code", "metadata": {"course": {"exercise": "03-x"}}, "source": "a = ...",
                         "outputs": []}]}
    with pytest.raises(InstructorError, match="no check cell"):
        nbgrader_notebook(lonely, "b.ipynb")


def test_the_command_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x").write_text("x")
    with pytest.raises(InstructorError, match="not an empty folder"):
        nbgrader_source(tmp_path)
    with pytest.raises(InstructorError, match="assignment name"):
        nbgrader_source(tmp_path / "new", assignment="../up")

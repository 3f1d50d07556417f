"""The gradebook (`python -m course gradebook`): per student, per answer, an item analysis; spreadsheet-ready
CSVs; files that cannot be counted stop it unless --continue."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from course.instructor import EXPORT_FORMAT, gradebook, write_gradebook
from course.instructor.gradebook import (
    Item,
    answer_rows,
    discrimination,
    hardest,
    item_analysis,
    module_items,
    student_rows,
)
from course.quiz.model import Choice, MultipleChoice, Reflection, SingleChoice

ROOT = Path(__file__).resolve().parent.parent

SINGLE = SingleChoice(id="03-single", prompt="?", explanation="", choices=(
    Choice("right", True), Choice("tempting"), Choice("other")))
MULTI = MultipleChoice(id="03-multi", prompt="?", explanation="", choices=(
    Choice("a", True), Choice("b", True), Choice("c"), Choice("d")))
REFLECT = Reflection(id="03-think", prompt="?", explanation="")
ITEMS = [Item("03_money", "03-single", "quiz", SINGLE), Item("03_money", "03-multi", "quiz", MULTI),
         Item("03_money", "03-think", "reflection", REFLECT), Item("03_money", "03-ex", "exercise"),
         Item("04_trade", "04-ex", "exercise")]


def ans(q: str, answer, score: float | None, kind: str = "answer") -> dict:
    correct = None if score is None else score == 1
    return {"notebook": "03_money", "question": q, "kind": kind, "answer": answer, "correct": correct,
            "score": score}


def reveal(q: str) -> dict:
    return {"notebook": "03_money", "question": q, "kind": "reveal"}


def exercise(q: str, ok: bool) -> dict:
    return {"notebook": q[:2], "question": q, "kind": "exercise", "answer": 1, "correct": ok}


def export(folder: Path, student: str, attempts: list[dict], name: str | None = None) -> Path:
    path = folder / (name or f"{student}.json")
    path.write_text(json.dumps({"format": EXPORT_FORMAT, "version": 1, "student": student, "attempts": attempts},
                               ensure_ascii=False), encoding="utf-8")
    return path


def rows_of(book, student: str) -> dict[str, dict]:
    return {r["question"]: r for r in answer_rows(book) if r["student"] == student}


# --- scoring -------------------------------------------------------------------------------------------------

def test_partial_credit_is_kept_and_the_best_answer_counts(tmp_path):
    book = gradebook([export(tmp_path, "ada", [ans("03-multi", ["a", "c"], 0.0), ans("03-multi", ["a"], 0.5)])],
                     ITEMS)
    r = rows_of(book, "ada")["03-multi"]
    assert (r["score"], r["attempts"], r["status"], r["right_first_time"]) == ("0.5", 2, "partial", "no")


def test_an_answer_typed_after_show_answer_earns_nothing(tmp_path):
    attempts = [ans("03-single", "tempting", 0.0), ans("03-single", "other", 0.0), reveal("03-single"),
                ans("03-single", "right", 1.0)]
    r = rows_of(gradebook([export(tmp_path, "ada", attempts)], ITEMS), "ada")["03-single"]
    assert r["score"] == "0"
    assert r["revealed"] == "yes"
    assert r["attempts"] == 3
    assert r["status"] == "wrong, then revealed"


def test_right_before_the_reveal_still_counts(tmp_path):
    attempts = [ans("03-single", "right", 1.0), reveal("03-single")]
    r = rows_of(gradebook([export(tmp_path, "ada", attempts)], ITEMS), "ada")["03-single"]
    assert (r["score"], r["revealed"], r["right_first_time"]) == ("1", "yes", "yes")


def test_every_question_has_a_row_also_those_never_tried(tmp_path):
    book = gradebook([export(tmp_path, "ada", [exercise("03-ex", True)])], ITEMS)
    rows = rows_of(book, "ada")
    assert list(rows) == [i.id for i in ITEMS]
    assert rows["03-single"] == {"student": "ada", "notebook": "03_money", "question": "03-single", "type": "quiz",
                                 "score": "0", "attempts": 0, "revealed": "no", "not_attempted": "yes",
                                 "right_first_time": "", "status": "not attempted"}
    assert rows["03-ex"]["score"] == "1"
    assert rows["03-think"]["score"] == ""
    assert rows["03-think"]["status"] == "not attempted"


def test_a_reflection_is_saved_not_scored(tmp_path):
    r = rows_of(gradebook([export(tmp_path, "ada", [ans("03-think", "my view", None)])], ITEMS), "ada")["03-think"]
    assert (r["score"], r["status"], r["not_attempted"]) == ("", "saved", "no")


def test_one_row_per_student_with_each_notebook_and_the_totals(tmp_path):
    a = export(tmp_path, "ada", [ans("03-single", "right", 1.0), ans("03-multi", ["a"], 0.5),
                                 exercise("03-ex", False), exercise("03-ex", True), exercise("04-ex", True)])
    b = export(tmp_path, "bo", [ans("03-single", "tempting", 0.0)])
    rows = {r["student"]: r for r in student_rows(gradebook([a, b], ITEMS))}
    assert rows["ada"] == {"student": "ada", "03 quiz": "1.5", "03 quiz out of": "2", "03 exercises": "1",
                           "03 exercises out of": "1", "04 quiz": "0", "04 quiz out of": "0", "04 exercises": "1",
                           "04 exercises out of": "1", "quiz": "1.5", "quiz out of": "2", "exercises": "2",
                           "exercises out of": "2", "total": "3.5", "total out of": "4"}
    assert rows["bo"]["total"] == "0"
    assert rows["bo"]["total out of"] == "4"


# --- item analysis -------------------------------------------------------------------------------------------

def test_item_analysis_first_time_right_most_chosen_wrong_and_discrimination(tmp_path):
    files = [
        export(tmp_path, "s1", [ans("03-single", "right", 1.0), ans("03-multi", ["a", "b"], 1.0),
                                exercise("03-ex", True), exercise("04-ex", True)]),
        export(tmp_path, "s2", [ans("03-single", "tempting", 0.0), ans("03-single", "right", 1.0),
                                ans("03-multi", ["a", "b"], 1.0), exercise("03-ex", True)]),
        export(tmp_path, "s3", [ans("03-single", "tempting", 0.0), ans("03-multi", ["a", "c"], 0.0)]),
        export(tmp_path, "s4", [ans("03-single", "other", 0.0), ans("03-single", "tempting", 0.0),
                                ans("03-multi", ["c", "d"], 0.0)]),
    ]
    items = {r["question"]: r for r in item_analysis(gradebook(files, ITEMS))}
    single = items["03-single"]
    assert single["tried"] == "4"
    assert single["right_first_time"] == "0.25"
    assert single["mean_score"] == "0.5"
    assert (single["most_chosen_wrong"], single["chosen_by"]) == ("tempting", "3")
    assert items["03-multi"]["most_chosen_wrong"] == "c"
    assert items["03-multi"]["chosen_by"] == "2"
    assert items["03-multi"]["discrimination"] == "1", "the two strongest got it, the two weakest did not"
    assert "03-think" not in items, "reflections are not scored, so not analysed"
    assert items["04-ex"]["tried"] == "1"
    assert hardest(gradebook(files, ITEMS))[0]["question"] == "03-single"


def test_discrimination_ranks_by_the_other_questions_and_needs_four_students():
    assert discrimination({"a": 1, "b": 1, "c": 0}, {"a": 3, "b": 2, "c": 0}) is None
    assert discrimination({"a": 1, "b": 1, "c": 0, "d": 0}, {"a": 3, "b": 2, "c": 1, "d": 0}) == 1
    assert discrimination({"a": 0, "b": 0, "c": 1, "d": 1}, {"a": 3, "b": 2, "c": 1, "d": 0}) == -1


# --- files ---------------------------------------------------------------------------------------------------

def test_the_csvs_carry_a_byte_order_mark_and_keep_cyrillic_names(tmp_path):
    files = [export(tmp_path, "Айгүл Осмонова", [ans("03-single", "right", 1.0)], "a.json"),
             export(tmp_path, "Бакыт", [], "b.json")]
    written = write_gradebook(gradebook(files, ITEMS), tmp_path / "grades")
    assert [p.name for p in written] == ["students.csv", "answers.csv", "items.csv"]
    for path in written:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
    students = list(csv.DictReader(io.StringIO(written[0].read_text(encoding="utf-8-sig"))))
    assert [s["student"] for s in students] == ["Айгүл Осмонова", "Бакыт"]
    answers = list(csv.DictReader(io.StringIO(written[1].read_text(encoding="utf-8-sig"))))
    assert len(answers) == 2 * len(ITEMS)


@pytest.mark.parametrize("content, reason", [
    ("{not json", "not valid JSON"),
    ('{"format": "something else"}', "not a progress export"),
    (json.dumps({"format": EXPORT_FORMAT, "version": 99, "student": "x", "attempts": []}), "another version"),
    (json.dumps({"format": EXPORT_FORMAT, "version": 1, "student": " ", "attempts": []}), "no student"),
    (json.dumps({"format": EXPORT_FORMAT, "version": 1, "student": "x", "attempts": [1, 2]}), "damaged"),
    (b"\xff\xfe\x00garbage", "cannot be read"),
    ("[" * 100_000, "not valid JSON"),
])
def test_a_bad_export_is_reported_by_name_and_skipped(tmp_path, content, reason):
    good = export(tmp_path, "ada", [ans("03-single", "right", 1.0)])
    bad = tmp_path / "bad.json"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    book = gradebook([bad, good], ITEMS)
    assert book.students == ["ada"]
    assert len(book.skipped) == 1
    assert str(bad) in book.skipped[0]
    assert reason in book.skipped[0]


def test_a_second_export_of_the_same_progress_counts_once_a_different_one_is_skipped(tmp_path):
    early = export(tmp_path, "ada", [ans("03-single", "tempting", 0.0)], "progress-ada.json")
    late = export(tmp_path, "ada", [ans("03-single", "tempting", 0.0), ans("03-single", "right", 1.0)],
                  "progress-ada-2.json")
    book = gradebook([early, late], ITEMS)
    assert book.students == ["ada"]
    assert not book.skipped
    assert "progress-ada-2.json" in book.notes[0]
    assert rows_of(book, "ada")["03-single"]["score"] == "1"
    other = export(tmp_path, "ada", [ans("03-multi", ["a"], 0.5)], "another-ada.json")
    book = gradebook([early, other], ITEMS)
    assert book.students == ["ada"]
    assert "a second, different export for student 'ada'" in book.skipped[0]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True, cwd=ROOT)


def test_the_command_stops_on_a_file_it_cannot_count_unless_told_to_continue(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    export(exports, "ada", [{"notebook": "00_start_here", "question": "00-run-cell", "kind": "answer",
                             "answer": "Shift + Enter", "correct": True, "score": 1.0}])
    (exports / "broken.json").write_text("[]")
    out = run_cli("gradebook", str(exports), "--out", str(tmp_path / "grades"))
    assert out.returncode == 1
    assert "SKIPPED" in out.stderr
    assert "broken.json" in out.stderr
    assert "--continue" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "grades").exists(), "nothing is written when a file was skipped"
    out = run_cli("gradebook", str(exports), "--out", str(tmp_path / "grades"), "--continue")
    assert out.returncode == 0, out.stderr
    students = list(csv.DictReader(io.StringIO((tmp_path / "grades" / "students.csv").read_text("utf-8-sig"))))
    assert students[0]["student"] == "ada"
    assert students[0]["00 quiz"] == "1"
    answers = (tmp_path / "grades" / "answers.csv").read_text("utf-8-sig")
    assert answers.count("\nada,") == len(module_items())
    out = run_cli("gradebook", str(exports), "--continue", "--out", str(tmp_path / "grades.csv"))
    assert out.returncode == 1
    assert "takes a folder" in out.stderr
    assert not (tmp_path / "grades.csv").exists()
    (tmp_path / "empty").mkdir()
    out = run_cli("gradebook", str(tmp_path / "empty"))
    assert out.returncode == 1
    assert "no export files" in out.stderr
    assert "Traceback" not in out.stderr


def test_an_exercise_passed_only_after_its_solution_was_shown_earns_nothing(tmp_path):
    attempts = [exercise("03-ex", False), reveal("03-ex"), exercise("03-ex", True)]
    r = rows_of(gradebook([export(tmp_path, "ada", attempts)], ITEMS), "ada")["03-ex"]
    assert (r["score"], r["revealed"], r["attempts"], r["status"]) == ("0", "yes", 2, "wrong, then revealed")

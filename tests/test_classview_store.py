"""The class view's store (course/classview/store.py): validation, SQLite in WAL mode, what the view shows, the
gradebook's long form. No hub needed."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from course.classview.store import GRADEBOOK_FIELDS, InvalidAttempt, Store, answer_text, to_csv, validate

T0 = "2026-12-03T09:00:00+00:00"


def att(uid, question="03-share", *, notebook="03_migration_and_remittances", kind="answer", answer="B",
        correct=False, score=None, attempt=1, time=T0, **extra):
    if score is None and correct is not None and kind == "answer":
        score = 1.0 if correct else 0.0
    return {"id": f"{uid:0>8}", "notebook": notebook, "question": question, "kind": kind, "answer": answer,
            "correct": correct, "score": score, "attempt": attempt, "time": time, **extra}


def add(store, student, *items):
    return store.add(student, [validate(i) for i in items])


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "cv.sqlite")
    yield s
    s.close()


def test_the_database_is_sqlite_in_wal_mode_and_survives_a_reopen(tmp_path):
    path = tmp_path / "sub" / "cv.sqlite"
    s = Store(path)
    assert s.journal_mode == "wal"
    assert add(s, "ada", att(1), att(2, attempt=2, correct=True)) == (2, 0)
    s.close()
    again = Store(path)
    assert again.count() == 2
    assert again.count("ada") == 2
    assert again.count("bob") == 0
    assert [a["attempt"] for a in again.student_record("ada")] == [1, 2]
    again.close()


def test_a_newer_schema_is_refused_not_overwritten(tmp_path):
    path = tmp_path / "cv.sqlite"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=99")
    db.close()
    with pytest.raises(RuntimeError, match="another version"):
        Store(path)


def test_the_same_attempt_sent_twice_is_stored_once_per_student(store):
    assert add(store, "ada", att(1), att(2)) == (2, 0)
    assert add(store, "ada", att(2), att(3)) == (1, 1)
    assert add(store, "bob", att(1)) == (1, 0)  # ids are unique per student, not across the class
    assert store.count() == 4
    assert store.count("ada") == 3


@pytest.mark.parametrize("change, field", [
    ({"id": "short"}, "id"), ({"id": "bad id with spaces"}, "id"), ({"id": 12345678}, "id"),
    ({"notebook": ""}, "notebook"), ({"notebook": "../../etc/passwd"}, "notebook"), ({"question": None}, "question"),
    ({"question": "x" * 101}, "question"), ({"kind": "delete"}, "kind"), ({"correct": "yes"}, "correct"),
    ({"score": 2}, "score"), ({"score": float("nan")}, "score"), ({"score": True}, "score"),
    ({"attempt": -1}, "attempt"), ({"attempt": 1.5}, "attempt"), ({"attempt": True}, "attempt"),
    ({"time": "yesterday"}, "time"), ({"time": None}, "time"), ({"answer": "x" * 20_001}, "answer"),
    ({"answer": {1, 2}}, "answer"),
])
def test_bad_fields_are_refused_with_the_field_named(change, field):
    with pytest.raises(InvalidAttempt, match=f"^{field}"):
        validate({**att(1), **change})


def test_validation_ignores_a_student_field_and_normalises_the_time():
    clean = validate(att(1, student="someone-else", time="2026-12-03T12:00:00+03:00"))
    assert "student" not in clean
    assert clean["time"] == "2026-12-03T09:00:00+00:00"
    assert validate(att(1, time="2026-12-03T09:00:00"))["time"] == T0  # no zone: taken as UTC
    with pytest.raises(InvalidAttempt):
        validate(["not", "an", "object"])


def test_per_question_answered_right_first_time_wrong_answers_and_stuck(store):
    q = "03-share"
    add(store, "ada", att(1, q, answer="A", correct=True))  # right first time
    add(store, "bob", att(2, q, answer="B"), att(3, q, answer="C", attempt=2), att(4, q, answer="A", correct=True,
                                                                                attempt=3))
    add(store, "cy", att(5, q, answer="B"), att(6, q, answer="B", attempt=2), att(7, q, answer="C", attempt=3),
        att(8, q, kind="reveal", answer=None, correct=None, attempt=3))
    add(store, "di", att(9, q, answer="B"), att(10, q, answer="C", attempt=2))  # two tries: not stuck yet
    view = store.summary()
    (nb,) = view["notebooks"]
    (row,) = nb["questions"]
    assert row["answered"] == 4
    assert row["right_first"] == 1
    assert row["right_ever"] == 2
    assert row["graded"]
    assert row["wrong"] == [{"answer": "B", "count": 4}, {"answer": "C", "count": 3}]
    assert row["stuck"] == ["cy"]
    assert row["revealed"] == 1
    assert row["attempts"] == 9
    assert view["stuck"] == [{"student": "cy", "notebook": nb["notebook"], "question": q, "attempts": 3,
                              "revealed": True, "last": T0}]
    students = {s["student"]: s for s in view["students"]}
    assert students["bob"] == {"student": "bob", "answered": 1, "right_first": 0, "attempts": 3, "revealed": 0,
                               "stuck": 0, "last": T0}
    assert students["cy"]["stuck"] == 1
    assert students["cy"]["revealed"] == 1
    assert view["attempts"] == 10  # nine answers and one reveal


def test_the_first_attempt_is_the_kernels_first_even_when_it_arrives_late(store):
    add(store, "ada", att(2, answer="A", correct=True, attempt=2, time="2026-12-03T09:05:00+00:00"))
    add(store, "ada", att(1, answer="B", attempt=1))  # waited in the kernel while the service was down
    (row,) = store.summary()["notebooks"][0]["questions"]
    assert row["right_first"] == 0
    assert row["right_ever"] == 1


def test_multiple_choice_answers_and_reflections_read_as_text(store):
    add(store, "ada", att(1, "03-multi", answer=["Remittances", "Trade"], score=0.5))
    add(store, "ada", att(2, "03-reflect", answer="<script>alert(1)</script> my view", correct=None, score=None))
    rows = {q["question"]: q for q in store.summary()["notebooks"][0]["questions"]}
    assert rows["03-multi"]["wrong"] == [{"answer": "Remittances; Trade", "count": 1}]
    refl = rows["03-reflect"]
    assert not refl["graded"]
    assert refl["reflections"][0]["text"] == "<script>alert(1)</script> my view"
    assert refl["stuck"] == []
    assert refl["right_first"] == 0
    assert answer_text(3.0) == "3"
    assert answer_text({"a": [1, 2]}) == "a → 1; 2"
    assert answer_text(None) == ""


def test_questions_come_in_bank_order_with_their_text(store):
    add(store, "ada", att(1, "03-b"), att(2, "03-a"))
    meta = {("03_migration_and_remittances", "03-a"): {"text": "First?", "label": "3.1", "kind": "single", "order": 0,
                                                       "title": "Migration"},
            ("03_migration_and_remittances", "03-b"): {"text": "Second?", "label": "3.2", "kind": "single",
                                                       "order": 1, "title": "Migration"}}
    nb = store.summary(meta)["notebooks"][0]
    assert nb["title"] == "Migration"
    assert [q["question"] for q in nb["questions"]] == ["03-a", "03-b"]
    assert nb["questions"][0]["text"] == "First?"
    assert nb["questions"][0]["label"] == "3.1"


def test_the_summary_is_cached_until_the_next_attempt(store):
    add(store, "ada", att(1))
    first = store.summary()
    assert store.summary() is first
    add(store, "ada", att(2, attempt=2))
    assert store.summary()["attempts"] == 2


def test_gradebook_long_form(store):
    add(store, "ada", att(1, "03-a", answer="B"), att(2, "03-a", answer="A", correct=True, attempt=2))
    add(store, "ada", att(3, "03-m", answer=["x"], score=0.5), att(4, "03-m", kind="reveal", answer=None,
                                                                    correct=None, attempt=1))
    add(store, "ada", att(5, "03-r", answer="my thoughts", correct=None, score=None))
    add(store, "bob", att(6, "03-ex", kind="exercise", answer="42", correct=True, score=None))
    add(store, "bob", att(7, "03-a", kind="reveal", answer=None, correct=None, attempt=0))
    rows = store.gradebook_rows()
    assert list(rows[0]) == GRADEBOOK_FIELDS == ["student", "notebook", "question", "score", "attempts", "revealed"]
    got = {(r["student"], r["question"]): (r["score"], r["attempts"], r["revealed"]) for r in rows}
    assert got == {("ada", "03-a"): ("1", 2, "no"), ("ada", "03-m"): ("0.5", 1, "yes"),
                   ("ada", "03-r"): ("", 1, "no"), ("bob", "03-ex"): ("1", 1, "no"), ("bob", "03-a"): ("", 0, "yes")}


def test_csv_neutralises_spreadsheet_formulas():
    text = to_csv([{"student": "=HYPERLINK(\"http://x\")", "n": 3}, {"student": "-1+2", "n": 4}], ["student", "n"])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["student"] == "'=HYPERLINK(\"http://x\")"
    assert rows[1]["student"] == "'-1+2"
    assert rows[0]["n"] == "3"


def test_attempt_rows_read_as_text(store):
    add(store, "ada", att(1, answer=["a", "b"], score=0.5))
    (row,) = store.attempt_rows()
    assert row["answer"] == "a; b"
    assert row["correct"] == "no"
    assert row["score"] == "0.5"
    assert row["attempt"] == 1


def test_the_summary_after_a_restart_is_the_summary_before(tmp_path):
    path = tmp_path / "cv.sqlite"
    s = Store(path)
    add(s, "ada", att(1, answer="B"), att(2, answer="C", attempt=2), att(3, answer="C", attempt=3))
    add(s, "bob", att(4, "03-r", answer="<b>x</b>", correct=None, score=None), att(5, kind="reveal", answer=None,
                                                                                 correct=None, attempt=0))
    before = s.summary()
    s.close()
    again = Store(path)
    after = again.summary()
    assert {k: v for k, v in after.items()} == before
    assert after["attempts"] == 5
    add(again, "ada", att(6, answer="A", correct=True, attempt=4))  # only ada's group is worked out again
    assert again.summary()["stuck"] == []
    assert again.summary()["attempts"] == 6
    again.close()

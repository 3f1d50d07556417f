"""Question banks that YAML could misread, and bank errors a non-programmer can act on (issue 12, items 1-2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from course.quiz import bank as bank_mod
from course.quiz.bank import BankError, check_all, load_bank
from course.quiz.widgets import QuizProblem, QuizWidget, progress_bar, quiz
from tests.test_bank import HEADER, SINGLE

REPO = Path(__file__).resolve().parent.parent


def numeric(value: str, name: str = "answer", qid: str = "00-n") -> str:
    other = "    tolerance: 0.5\n" if name == "answer" else "    answer: 9\n"
    return (f"  - id: {qid}\n    type: numeric\n    prompt: How much?\n    explanation: Nine.\n"
            f"{other}    {name}: {value}\n")


def write(tmp_path: Path, text: str, name: str = "00_start_here.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path) -> list[BankError]:
    with pytest.raises(BankError) as info:
        load_bank(path)
    return info.value.errors


# --- 1. numbers YAML 1.1 misreads -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, words",
    [
        ("010", "write 10, or put it in quotes"),
        ("-010", "write -10"),
        ("1:30", "base-60 number 90"),
        ("0x1A", "hexadecimal number 26: write 26"),
        ("0b101", "binary number 5"),
        ("1_000", "write 1000 without the underscore"),
        ("1_000.5", "write 1000.5"),
        (".inf", "infinity or not-a-number"),
        ("-.inf", "infinity or not-a-number"),
        (".nan", "infinity or not-a-number"),
        (".NaN", "infinity or not-a-number"),
    ],
)
@pytest.mark.parametrize("name", ["answer", "tolerance"])
def test_yaml_1_1_number_forms_are_refused_with_file_line_field_and_fix(tmp_path, value, words, name):
    text = HEADER + SINGLE + numeric(value, name)
    path = write(tmp_path, text)
    line = text.splitlines().index(f"    {name}: {value}") + 1
    errors = errors_of(path)
    assert len(errors) == 1, [e.text for e in errors]  # not also "expected number, found str"
    err = errors[0]
    assert (err.line, err.question, err.qid, err.field) == (line, "0.2", "00-n", name)
    assert err.text.startswith(f"{path}, line {line}, question 0.2 (id 00-n), field {name}: ") or \
        f"line {line}, question 0.2 (id 00-n), field {name}: " in err.text
    assert words in err.text
    assert "quotes" in err.text


@pytest.mark.parametrize("value, expected", [("1e6", 1e6), ("2.5E-3", 0.0025), ("-1e3", -1000.0), ("10", 10.0),
                                             ("0", 0.0), ("0.5", 0.5), (".5", 0.5), ("1.", 1.0)])
def test_plain_and_scientific_numbers_are_read(tmp_path, value, expected):
    bank = load_bank(write(tmp_path, HEADER + numeric(value)))
    assert bank.get("00-n").answer == expected


@pytest.mark.parametrize("value, fix", [("97,21", "write it as 97.21"), ("5 000", "write it as 5000"),
                                        ("3,600", "write it as 3600 or 3.6")])
def test_a_number_written_as_people_write_it_gets_the_plain_form(tmp_path, value, fix):
    [err] = errors_of(write(tmp_path, HEADER + numeric(value)))
    assert err.field == "answer"
    assert fix in err.problem
    assert "no commas" in err.problem


@pytest.mark.parametrize("quoted", ['"010"', "'1:30'"])
def test_a_quoted_yaml_1_1_form_is_text_and_named_as_such(tmp_path, quoted):
    [err] = errors_of(write(tmp_path, HEADER + numeric(quoted)))
    assert err.field == "answer"
    assert "expected number, found str" in err.problem


def test_yaml_1_1_forms_in_a_text_field_are_refused_too(tmp_path):
    text = HEADER + SINGLE.replace("text: wrong", "text: 1:30")
    [err] = errors_of(write(tmp_path, text))
    assert (err.question, err.field) == ("0.1", "choices[1].text")
    assert '"1:30"' in err.problem


@pytest.mark.parametrize("value", ["10000000000000000", "1e16", "-2e15"])
def test_an_answer_no_student_can_type_is_refused(tmp_path, value):
    [err] = errors_of(write(tmp_path, HEADER + numeric(value)))
    assert (err.field, err.question) == ("answer", "0.1")
    assert "no answer, not even the right one, could match it" in err.problem


def test_a_tolerance_that_accepts_everything_is_refused(tmp_path):
    [err] = errors_of(write(tmp_path, HEADER + numeric("1e16", "tolerance")))
    assert err.field == "tolerance"
    assert "every answer would count as right" in err.problem


def test_an_answer_at_the_limit_can_be_matched(tmp_path):
    q = load_bank(write(tmp_path, HEADER + numeric("1e15"))).get("00-n")
    assert q.grade("1000000000000000").status == "correct"


def test_course_check_refuses_every_misreadable_number_with_its_line(tmp_path):
    text = HEADER + numeric("010", qid="00-a") + numeric("1:30", "tolerance", qid="00-b") + numeric("1e6", qid="00-c")
    write(tmp_path, text)
    proc = subprocess.run([sys.executable, "-m", "course", "check", "--dir", str(tmp_path)], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert proc.returncode == 1
    lines = [x for x in proc.stderr.splitlines() if x.startswith("ERROR")]
    assert len(lines) == 2, proc.stderr
    at = text.splitlines().index
    assert f"line {at('    answer: 010') + 1}, question 0.1 (id 00-a), field answer:" in lines[0]
    assert "write 10" in lines[0]
    assert f"line {at('    tolerance: 1:30') + 1}, question 0.2 (id 00-b), field tolerance:" in lines[1]
    assert "90" in lines[1]


# --- 2. every error at once, in plain words, numbered as the notebook does ---------------------------------


def test_every_error_in_a_bank_is_reported_at_once_in_line_order(tmp_path):
    text = (HEADER.replace("title: Start here", "title: ''")
            + SINGLE.replace("correct: true", "correct: false")
            + numeric("010", qid="00-b")
            + SINGLE.replace("00-a", "00-c").replace("type: single", "type: essay"))
    path = write(tmp_path, text)
    errors = errors_of(path)
    found = [(e.line, e.question, e.field) for e in errors]
    at = text.splitlines().index
    assert found == [(2, None, "title"), (at("    choices:") + 1, "0.1", "choices"),
                     (at("    answer: 010") + 1, "0.2", "answer"), (at("    type: essay") + 1, "0.3", "type")], \
        [e.text for e in errors]
    message = str(errors_of(path)[0].errors[0])
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert str(info.value).splitlines() == [e.text for e in errors]
    assert message == errors[0].text


def test_questions_are_numbered_as_the_notebook_numbers_them(tmp_path):
    questions = "".join(SINGLE.replace("00-a", f"03-q{i}") for i in range(1, 7))
    questions += SINGLE.replace("00-a", "03-broken").replace("correct: true", "correct: false")
    text = HEADER.replace("00_start_here", "03_migration") + questions
    [err] = errors_of(write(tmp_path, text, "03_migration.yaml"))
    assert "question 3.7 (id 03-broken), field choices:" in err.text
    assert "questions[" not in err.text


def test_a_duplicate_id_names_the_other_question_by_its_number(tmp_path):
    text = HEADER + SINGLE + SINGLE
    [err] = errors_of(write(tmp_path, text))
    assert err.question == "0.2"
    assert "also question 0.1" in err.problem


@pytest.mark.parametrize(
    "text, line, words",
    [
        (HEADER + "  - id: 00-a\n    type: single\n   prompt: P\n", 6, "indented differently"),
        (HEADER + "  - id: 00-a\n    type: single\n      prompt: P\n", 6, "indented differently"),
        (HEADER + "  - id: 00-a\n    type: single\n    prompt: Note: this breaks\n", 6,
         "colon followed by a space"),
        (HEADER + "  - id: 00-a\n\ttype: single\n", 5, "tab character"),
        (HEADER + '  - id: 00-a\n    prompt: "never closed\n    explanation: E\n', 5, "never closed"),
        (HEADER + "  - id: 00-a\n    items: [a, b\n    explanation: E\n", 5, "square brackets"),
        (HEADER + '  - id: 00-a\n    prompt: "C:\\Users"\n', 5, "backslash"),
        (HEADER + "  - id: 00-a\n    prompt: *who\n", 5, "alias"),
        (HEADER + "  - id: 00-a\n - id: 00-b\n", 5, "indented differently"),
    ],
)
def test_yaml_syntax_errors_are_explained_in_plain_words_first(tmp_path, text, line, words):
    [err] = errors_of(write(tmp_path, text))
    assert err.line == line, err.text
    assert words in err.problem
    plain, _, parser = err.problem.partition("(not valid YAML; the reader says:")
    assert words in plain
    assert parser.strip()


def test_a_yaml_file_whose_name_does_not_fit_is_reported(tmp_path):
    write(tmp_path, HEADER + SINGLE)
    for name in ("3_migration.yaml", "review.yaml", "04_energy.yml", "04-energy.yaml"):
        write(tmp_path, HEADER + SINGLE, name)
    (tmp_path / "notes.txt").write_text("not a bank")
    banks, errors = check_all(tmp_path)
    assert [b.path.name for b in banks] == ["00_start_here.yaml"]
    named = sorted(Path(e.path).name for e in errors)
    assert named == ["04-energy.yaml", "04_energy.yml", "3_migration.yaml", "review.yaml"]
    assert all("NN_name" in e.problem or "two digits" in e.problem for e in errors)


def test_course_check_names_a_misnamed_bank(tmp_path):
    write(tmp_path, HEADER + SINGLE)
    write(tmp_path, HEADER + SINGLE, "review.yaml")
    proc = subprocess.run([sys.executable, "-m", "course", "check", "--dir", str(tmp_path)], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert proc.returncode == 1
    assert "review.yaml: this file is not read" in proc.stderr


# --- one bad question does not hide the others -------------------------------------------------------------


@pytest.fixture
def half_broken(tmp_path, monkeypatch):
    text = (HEADER + SINGLE + SINGLE.replace("00-a", "00-b").replace("correct: true", "correct: false")
            + numeric("010", qid="00-c") + SINGLE.replace("00-a", "00-d"))
    write(tmp_path, text)
    monkeypatch.setenv("COURSE_QUIZZES_DIR", str(tmp_path))
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))
    bank_mod._cached.cache_clear()
    yield tmp_path
    bank_mod._cached.cache_clear()


def test_one_bad_question_leaves_the_others_of_its_notebook_working(half_broken):
    assert isinstance(quiz("00-a"), QuizWidget)
    assert isinstance(quiz("00-d"), QuizWidget)
    assert quiz("00-d").label == "Question 0.4"  # numbers do not shift when a question is left out
    for qid, words in (("00-b", "exactly one choice"), ("00-c", "write 10")):
        shown = quiz(qid)
        assert isinstance(shown, QuizProblem)
        assert f"id {qid}" in shown.message
        assert words in shown.message
    bar = progress_bar("00_start_here")
    assert bar.max == 2


def test_strict_loading_still_refuses_the_half_broken_bank(half_broken):
    errors = errors_of(half_broken / "00_start_here.yaml")
    assert [e.qid for e in errors] == ["00-b", "00-c"]
    partial = load_bank(half_broken / "00_start_here.yaml", partial=True)
    assert partial.ids == ["00-a", "00-d"]
    assert sorted(partial.broken) == ["00-b", "00-c"]


def test_a_mistake_outside_the_questions_still_stops_the_bank(tmp_path):
    path = write(tmp_path, HEADER.replace("title: Start here", "title: ''") + SINGLE)
    with pytest.raises(BankError):
        load_bank(path, partial=True)

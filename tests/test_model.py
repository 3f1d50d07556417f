"""Tests for course.quiz.model (question types, parse_number, QuestionSession) and the message table."""

from __future__ import annotations

import ast
import itertools
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.quiz import messages
from course.quiz.messages import MESSAGES, placeholders, set_language, t
from course.quiz.model import (
    MAX_MAGNITUDE,
    QUESTION_TYPES,
    AnswerError,
    Choice,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    QuestionSession,
    Reflection,
    Result,
    SingleChoice,
    parse_number,
)

QUIZ_SRC = Path(__file__).resolve().parent.parent / "course" / "quiz"
FAST = settings(max_examples=200, deadline=None)

# --- questions used throughout -------------------------------------------------------------------------


def make_single() -> SingleChoice:
    return SingleChoice(
        id="00-single",
        prompt="Which key runs a cell?",
        explanation="EXPLAIN-SINGLE: Shift+Enter runs it.",
        hints=("first hint", "second hint"),
        reveal_after=2,
        label="0.1",
        notebook="00_start_here",
        choices=(
            Choice("Shift + Enter", True, "FB-right"),
            Choice("Enter", False, "FB-enter: a new line"),
            Choice("Esc", False, "FB-esc: leaves the cell"),
            Choice("Ctrl + S", False, ""),
        ),
    )


def make_multiple() -> MultipleChoice:
    return MultipleChoice(
        id="00-multiple",
        prompt="Tick all that apply.",
        explanation="EXPLAIN-MULTI",
        reveal_after=3,
        notebook="00_start_here",
        choices=(
            Choice("energy", True),
            Choice("food", True),
            Choice("water", True),
            Choice("banking", False, "FB-banking: not in the article"),
            Choice("education", False, "FB-education: later paragraph"),
        ),
    )


def make_numeric(unit: str | None = "%", tolerance: float = 0.1, answer: float = 3.5) -> Numeric:
    return Numeric(
        id="00-numeric",
        prompt="How much?",
        explanation="EXPLAIN-NUMERIC",
        notebook="00_start_here",
        answer=answer,
        tolerance=tolerance,
        unit=unit,
        unit_aliases=("percent", "pct") if unit else (),
    )


def make_ordering() -> Ordering:
    return Ordering(
        id="00-ordering",
        prompt="Order them.",
        explanation="EXPLAIN-ORDER",
        notebook="00_start_here",
        items=("first", "second", "third", "fourth"),
    )


def make_matching() -> Matching:
    return Matching(
        id="00-matching",
        prompt="Match them.",
        explanation="EXPLAIN-MATCH",
        notebook="00_start_here",
        pairs=(("Japarov quote", "Japarov"), ("Putin quote", "Putin"), ("schools", "Putin"), ("backyard", "nobody")),
        distractors=("Lavrov",),
    )


def make_reflection() -> Reflection:
    return Reflection(
        id="00-reflection",
        prompt="What do you think?",
        explanation="EXPLAIN-REFLECT",
        notebook="00_start_here",
        model_answer="MODEL-ANSWER text",
        hints=("think",),
    )


MAKERS = {
    "single": make_single,
    "multiple": make_multiple,
    "numeric": make_numeric,
    "ordering": make_ordering,
    "matching": make_matching,
    "reflection": make_reflection,
}

CORRECT_ANSWERS = {
    "single": "Shift + Enter",
    "multiple": ["energy", "food", "water"],
    "numeric": "3.5",
    "ordering": ["first", "second", "third", "fourth"],
    "matching": {"Japarov quote": "Japarov", "Putin quote": "Putin", "schools": "Putin", "backyard": "nobody"},
    "reflection": "I think the article is one-sided.",
}


def test_question_types_table_lists_all_six():
    assert set(QUESTION_TYPES) == set(MAKERS)
    for kind, maker in MAKERS.items():
        assert isinstance(maker(), QUESTION_TYPES[kind])


# --- correct answers, for every type --------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_correct_answer_of_every_type(kind):
    q = MAKERS[kind]()
    result = q.grade(CORRECT_ANSWERS[kind])
    assert isinstance(result, Result)
    if kind == "reflection":
        assert result.status == "recorded"
        assert result.score is None
        assert result.correct is None
        assert result.lines[0] == t("recorded")
        assert any("MODEL-ANSWER text" in line for line in result.lines)
    else:
        assert result.status == "correct"
        assert result.score == 1.0
        assert result.correct is True
        assert result.lines[0] == t("correct")
    assert q.explanation in result.lines  # the explanation comes with a correct (or saved) answer


def test_single_correct_by_position_and_with_spaces():
    q = make_single()
    assert q.grade(0).status == "correct"
    assert q.grade("  Shift + Enter \n").status == "correct"
    assert q.grade(1).status == "incorrect"


def test_single_correct_shows_choice_feedback_and_explanation():
    r = make_single().grade("Shift + Enter")
    assert r.lines == (t("correct"), "FB-right", "EXPLAIN-SINGLE: Shift+Enter runs it.")
    assert r.answer == "Shift + Enter"


@pytest.mark.parametrize("choice, feedback", [("Enter", "FB-enter: a new line"), ("Esc", "FB-esc: leaves the cell")])
def test_single_wrong_shows_that_choices_feedback_not_the_explanation(choice, feedback):
    r = make_single().grade(choice)
    assert r.status == "incorrect"
    assert r.score == 0.0
    assert r.correct is False
    assert r.lines[0] == t("incorrect")
    assert feedback in r.lines
    assert not any("EXPLAIN" in line for line in r.lines)  # no answer given away on a wrong try
    assert not any("FB-right" in line for line in r.lines)
    assert r.answer == choice


def test_single_wrong_without_feedback_has_no_empty_lines():
    r = make_single().grade("Ctrl + S")
    assert r.status == "incorrect"
    assert all(line.strip() for line in r.lines)


def test_single_answer_text_is_the_correct_choice():
    assert make_single().answer_text() == "Shift + Enter"


# --- multiple: partial credit = max(0, (right - wrong) / total) ---------------------------------------------


@pytest.mark.parametrize(
    "picked, status, score",
    [
        (["energy", "food", "water"], "correct", 1.0),
        (["energy", "food"], "partial", 2 / 3),
        (["energy"], "partial", 1 / 3),
        (["energy", "food", "water", "banking"], "partial", 2 / 3),
        (["energy", "food", "banking"], "partial", 1 / 3),
        (["energy", "banking"], "incorrect", 0.0),
        (["energy", "banking", "education"], "incorrect", 0.0),
        (["banking"], "incorrect", 0.0),
        (["banking", "education"], "incorrect", 0.0),
        (["energy", "food", "water", "banking", "education"], "partial", 1 / 3),
    ],
)
def test_multiple_partial_credit_table(picked, status, score):
    r = make_multiple().grade(picked)
    assert r.status == status
    assert r.score == pytest.approx(score)
    if status == "partial":
        assert r.lines[0] == t("partial", score=round(score * 100))
        assert f"{round(score * 100)}%" in r.lines[0]


@FAST
@given(st.sets(st.sampled_from(["energy", "food", "water", "banking", "education"]), min_size=1))
def test_multiple_score_formula_for_every_selection(picked):
    q = make_multiple()
    right = len(picked & {"energy", "food", "water"})
    wrong = len(picked) - right
    r = q.grade(sorted(picked))
    assert r.score == pytest.approx(max(0.0, (right - wrong) / 3))
    expected_status = "correct" if (right == 3 and wrong == 0) else ("partial" if right > wrong else "incorrect")
    assert r.status == expected_status
    if expected_status != "correct":
        assert t("multi_detail", right=right, total=3, wrong=wrong) in r.lines
        assert not any("EXPLAIN" in line for line in r.lines)
    # the stored answer lists the ticked options in the bank's order, whatever order they came in
    assert r.answer == [c.text for c in q.choices if c.text in picked]


def test_multiple_wrong_choice_feedback_shown_only_for_ticked_wrong_choices():
    r = make_multiple().grade(["energy", "banking"])
    assert "Not right: “banking”. FB-banking: not in the article" in r.lines
    assert not any("FB-education" in line for line in r.lines)
    r = make_multiple().grade(["education", "banking"])
    assert {"Not right: “banking”. FB-banking: not in the article",
            "Not right: “education”. FB-education: later paragraph"} <= set(r.lines)


def test_multiple_correct_has_explanation_and_no_wrong_feedback():
    r = make_multiple().grade(["water", "energy", "food"])
    assert r.lines == (t("correct"), "EXPLAIN-MULTI")


def test_multiple_accepts_positions_tuples_sets_and_repeats():
    q = make_multiple()
    assert q.grade([0, 1, 2]).status == "correct"
    assert q.grade(("energy", "food", "water")).status == "correct"
    assert q.grade({"energy", "food", "water"}).status == "correct"
    assert q.grade(["energy", "energy", "food", "water"]).score == 1.0  # a repeat counts once


# --- numeric -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["3.5", "3,5", " 3.5 %", "3.5%", "+3.5", "3.5 percent", "3.5 PCT", "3.45", "3.6", "３.５", "3.5\u00a0%", 3.5, 3.55],
)
def test_numeric_correct_within_tolerance(raw):
    r = make_numeric().grade(raw)
    assert r.status == "correct", raw
    read_as = (t("numeric_read_as", value="3.5"),) if raw == "3,5" else ()  # a comma: say how it was read
    assert r.lines == (t("correct"), *read_as, "EXPLAIN-NUMERIC")
    assert isinstance(r.answer, float)


@pytest.mark.parametrize(
    "raw, detail",
    [
        ("3.3", "numeric_too_low"),
        ("-3.5", "numeric_too_low"),
        ("4", "numeric_too_high"),
        ("0", "numeric_too_low"),
        ("1e3", "numeric_too_high"),
        (3, "numeric_too_low"),
        ("3.65 %", "numeric_too_high"),
    ],
)
def test_numeric_wrong_says_too_low_or_too_high(raw, detail):
    q = make_numeric()
    r = q.grade(raw)
    assert r.status == "incorrect"
    assert r.score == 0.0
    assert r.correct is False
    assert r.lines == (t("incorrect"), t(detail))
    assert not any("EXPLAIN" in line for line in r.lines)


def test_numeric_answer_text_has_unit_and_tolerance():
    assert make_numeric().answer_text() == "3.5 % (± 0.1)"
    assert make_numeric(unit=None, tolerance=0).answer_text() == "3.5"


@FAST
@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.data(),
)
def test_numeric_any_finite_value_within_tolerance_is_correct(answer, tolerance, data):
    q = make_numeric(unit="kg", tolerance=tolerance, answer=answer)
    value = data.draw(
        st.floats(min_value=answer - tolerance, max_value=answer + tolerance, allow_nan=False, allow_infinity=False)
    )
    assert q.grade(value).status == "correct"
    assert q.grade(repr(value)).status == "correct"
    assert q.grade(f"{value!r} kg").status == "correct"


@FAST
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.floats(min_value=1e-3, max_value=1e6))
def test_numeric_values_clearly_outside_tolerance_are_incorrect(answer, offset):
    q = make_numeric(unit=None, tolerance=1.0, answer=answer)
    assert q.grade(answer + 1.0 + offset * (1 + 1e-6) + abs(answer) * 1e-8).status == "incorrect"
    low = q.grade(answer - 1.0 - offset * (1 + 1e-6) - abs(answer) * 1e-8)
    assert low.status == "incorrect"
    assert t("numeric_too_low") in low.lines


# --- ordering and matching: partial credit is the fraction in the right place --------------------------------


@FAST
@given(st.permutations(["first", "second", "third", "fourth"]))
def test_ordering_score_is_fraction_in_right_position(order):
    r = make_ordering().grade(order)
    right = sum(a == b for a, b in zip(order, ["first", "second", "third", "fourth"], strict=True))
    assert r.score == pytest.approx(right / 4)
    assert r.status == ("correct" if right == 4 else "partial" if right else "incorrect")
    if right < 4:
        assert t("ordering_detail", right=right, total=4) in r.lines
        assert "EXPLAIN-ORDER" not in r.lines
    else:
        assert "EXPLAIN-ORDER" in r.lines
    assert r.answer == list(order)


def test_ordering_examples():
    q = make_ordering()
    half = q.grade(["second", "first", "third", "fourth"])
    assert (half.status, half.score) == ("partial", 0.5)
    assert half.lines[0] == t("partial", score=50)
    none = q.grade(["fourth", "third", "first", "second"])
    assert (none.status, none.score) == ("incorrect", 0.0)


def test_ordering_display_order_is_stable_and_never_already_solved():
    q = make_ordering()
    assert q.display_order() == q.display_order()
    assert sorted(q.display_order()) == sorted(q.items)
    assert q.display_order() != list(q.items)
    for n in range(2, 7):
        items = tuple(f"item{i}" for i in range(n))
        for qid in (f"00-x{k}" for k in range(30)):
            assert Ordering(id=qid, prompt="p", explanation="e", items=items).display_order() != list(items)


@FAST
@given(st.lists(st.sampled_from(["Japarov", "Putin", "nobody", "Lavrov"]), min_size=4, max_size=4))
def test_matching_score_is_fraction_of_pairs_right(rights):
    q = make_matching()
    lefts = ["Japarov quote", "Putin quote", "schools", "backyard"]
    expected = ["Japarov", "Putin", "Putin", "nobody"]
    right = sum(a == b for a, b in zip(rights, expected, strict=True))
    for raw in (dict(zip(lefts, rights, strict=True)), list(rights)):
        r = q.grade(raw)
        assert r.score == pytest.approx(right / 4)
        assert r.status == ("correct" if right == 4 else "partial" if right else "incorrect")
        assert r.answer == dict(zip(lefts, rights, strict=True))
        if right < 4:
            assert t("matching_detail", right=right, total=4) in r.lines
            assert "EXPLAIN-MATCH" not in r.lines


def test_matching_right_options_include_distractors_once():
    q = make_matching()
    assert sorted(q.right_options()) == ["Japarov", "Lavrov", "Putin", "nobody"]
    assert q.right_options() == q.right_options()


def test_reflection_is_saved_not_graded_and_keeps_the_text():
    q = make_reflection()
    r = q.grade("  Бишкек 比什凯克 🙂 \n")
    assert r.status == "recorded"
    assert r.score is None
    assert r.correct is None
    assert r.answer == "Бишкек 比什凯克 🙂"
    assert t("model_answer", answer="MODEL-ANSWER text") in r.lines
    assert q.graded is False


# --- bad and odd answers: at least 30 per type, each an AnswerError with a message -----------------------

HUGE = "x" * 10**6
HUGE_SPACES = " " * 10**6


class Weird:
    def __str__(self) -> str:  # pragma: no cover - must never be called to grade
        raise RuntimeError("str() of an answer must not be used")


def _generator():
    yield "Shift + Enter"


COMMON_BAD = [
    ("none", None),
    ("empty", ""),
    ("spaces", "   "),
    ("tab-newline", "\t\n"),
    ("dict", {"a": 1}),
    ("bytes", b"3.5"),
    ("bytearray", bytearray(b"abc")),
    ("nan", float("nan")),
    ("true", True),
    ("false", False),
    ("object", object()),
    ("weird-object", Weird()),
    ("huge-string", HUGE),
    ("huge-spaces", HUGE_SPACES),
    ("nul", "\x00"),
    ("zero-width", "\u200b"),
    ("rtl-mark", "\u200f"),
    ("bom", "\ufeff"),
    ("ideographic-space", "\u3000"),
    ("memoryview", memoryview(b"ab")),
    ("complex", 1j),
]

BAD = {
    "single": COMMON_BAD
    + [
        ("empty-list", []),
        ("empty-tuple", ()),
        ("set", {"Enter"}),
        ("list-of-choice", ["Shift + Enter"]),
        ("cyrillic", "Бишкек"),
        ("chinese", "比什凯克"),
        ("arabic-digits", "٣٫٥"),
        ("emoji", "🙂"),
        ("unknown-choice", "Alt + F4"),
        ("lowercase-choice", "shift + enter"),
        ("choice-with-nul", "Shift + Enter\x00"),
        ("choice-with-zwsp", "Shift\u200b + Enter"),
        ("choice-with-rtl", "\u200fShift + Enter"),
        ("float-position", 0.0),
        ("negative-position", -1),
        ("position-too-big", 4),
        ("huge-int", 10**400),
        ("inf", float("inf")),
        ("generator", _generator()),
    ],
    "multiple": COMMON_BAD
    + [
        ("empty-list", []),
        ("empty-tuple", ()),
        ("empty-set", set()),
        ("plain-string", "energy"),
        ("list-of-none", [None]),
        ("list-of-empty", [""]),
        ("list-of-spaces", ["  "]),
        ("unknown-choice", ["energy", "oil"]),
        ("cyrillic", ["Бишкек"]),
        ("emoji", ["🙂"]),
        ("nested-list", [["energy"]]),
        ("bool-in-list", [True]),
        ("float-in-list", [0.0]),
        ("nan-in-list", [float("nan")]),
        ("position-too-big", [9]),
        ("negative-position", [-1]),
        ("bytes-in-list", [b"energy"]),
        ("dict-in-list", [{"energy": True}]),
        ("choice-with-nul", ["energy\x00"]),
        ("generator", _generator()),
        ("huge-list-item", [HUGE]),
    ],
    "numeric": COMMON_BAD
    + [
        ("empty-list", []),
        ("list", [3.5]),
        ("set", {3.5}),
        ("inf", float("inf")),
        ("-inf", float("-inf")),
        ("huge-int", 10**400),
        ("too-large", 1e16),
        ("text-nan", "nan"),
        ("text-inf", "inf"),
        ("text-infinity", "-Infinity"),
        ("overflow", "1e400"),
        ("cyrillic", "Бишкек"),
        ("chinese", "比什凯克"),
        ("arabic-digits", "٣٫٥"),
        ("arabic-three", "٣"),
        ("emoji", "🙂"),
        ("two-points", "1.2.3"),
        ("separators", "1,23,4.5"),
        ("two-commas", "1,2,3"),
        ("wrong-unit", "3.5 kg"),
        ("digits-after", "3.5 % 2"),
        ("letters", "three"),
        ("zwsp-inside", "3\u200b.5"),
        ("rtl-before", "\u200f3.5"),
        ("nul-after", "3.5\x00"),
        ("sixty-one", "1" * 61),
        ("just-sign", "-"),
        ("just-point", "."),
        ("double-sign", "--3"),
        ("fraction", "1/2"),
    ],
    "ordering": COMMON_BAD
    + [
        ("empty-list", []),
        ("empty-tuple", ()),
        ("set", {"first", "second", "third", "fourth"}),
        ("plain-string", "first second third fourth"),
        ("too-short", ["first", "second", "third"]),
        ("too-long", ["first", "second", "third", "fourth", "first"]),
        ("missing-position", ["first", None, "third", "fourth"]),
        ("blank-position", ["first", "second", "  ", "fourth"]),
        ("duplicate", ["first", "first", "third", "fourth"]),
        ("unknown-item", ["first", "second", "third", "fifth"]),
        ("cyrillic", ["Бишкек", "second", "third", "fourth"]),
        ("ints", [0, 1, 2, 3]),
        ("bools", [True, False, True, False]),
        ("nested", [["first"], "second", "third", "fourth"]),
        ("dict-of-positions", {1: "first", 2: "second", 3: "third", 4: "fourth"}),
        ("padded-item", [" first", "second", "third", "fourth"]),
        ("nul-item", ["first\x00", "second", "third", "fourth"]),
        ("all-none", [None] * 4),
        ("generator", (x for x in ["first"])),
        ("bytes-items", [b"first", b"second", b"third", b"fourth"]),
    ],
    "matching": COMMON_BAD
    + [
        ("empty-list", []),
        ("empty-tuple", ()),
        ("set", {"Putin"}),
        ("plain-string", "Putin"),
        ("empty-mapping", {}),
        ("missing-pair", {"Japarov quote": "Japarov", "Putin quote": "Putin", "schools": "Putin"}),
        ("none-value", {"Japarov quote": "Japarov", "Putin quote": None, "schools": "Putin", "backyard": "nobody"}),
        ("blank-value", {"Japarov quote": "Japarov", "Putin quote": " ", "schools": "Putin", "backyard": "nobody"}),
        (
            "unknown-right",
            {"Japarov quote": "Japarov", "Putin quote": "Stalin", "schools": "Putin", "backyard": "nobody"},
        ),
        (
            "extra-left",
            {
                "Japarov quote": "Japarov",
                "Putin quote": "Putin",
                "schools": "Putin",
                "backyard": "nobody",
                "extra": "Putin",
            },
        ),
        ("int-value", {"Japarov quote": 1, "Putin quote": "Putin", "schools": "Putin", "backyard": "nobody"}),
        (
            "list-value",
            {"Japarov quote": ["Japarov"], "Putin quote": "Putin", "schools": "Putin", "backyard": "nobody"},
        ),
        ("short-list", ["Japarov", "Putin", "Putin"]),
        ("long-list", ["Japarov", "Putin", "Putin", "nobody", "Lavrov"]),
        ("list-with-none", ["Japarov", None, "Putin", "nobody"]),
        ("list-unknown", ["Japarov", "Putin", "Putin", "Бишкек"]),
        ("list-emoji", ["🙂", "Putin", "Putin", "nobody"]),
        ("list-bools", [True, False, True, False]),
        ("int-keys", {0: "Japarov", 1: "Putin", 2: "Putin", 3: "nobody"}),
        ("value-with-nul", ["Japarov\x00", "Putin", "Putin", "nobody"]),
        ("left-as-right", ["Japarov quote", "Putin", "Putin", "nobody"]),
    ],
    "reflection": COMMON_BAD
    + [
        ("empty-list", []),
        ("list", ["my answer"]),
        ("tuple", ("my answer",)),
        ("set", {"my answer"}),
        ("int", 42),
        ("float", 3.5),
        ("inf", float("inf")),
        ("nuls", "\x00\x00\x00"),
        ("zero-widths", "\u200b\u200c\u200d\u2060"),
        ("rtl-marks", "\u200f\u200e\u202b"),
        ("line-separator", "\u2028"),
        ("nbsp", "\u00a0\u00a0"),
        ("control-chars", "\x01\x02\x7f"),
        ("mixed-invisible", " \u200b\t\ufeff\n\x00 "),
        ("too-long", "word " * 1100),
        ("too-long-cyrillic", "Бишкек" * 1000),
        ("generator", (x for x in "abc")),
        ("bytes-utf8", "Бишкек".encode()),
    ],
}


def _bad_params():
    for kind, cases in BAD.items():
        for name, raw in cases:
            yield pytest.param(kind, raw, id=f"{kind}-{name}")


@pytest.mark.parametrize("kind", sorted(BAD))
def test_at_least_thirty_bad_answers_per_type(kind):
    assert len(BAD[kind]) >= 30
    assert len({name for name, _ in BAD[kind]}) == len(BAD[kind])


@pytest.mark.parametrize("kind, raw", list(_bad_params()))
def test_bad_answer_is_an_answer_error_with_a_message(kind, raw):
    q = MAKERS[kind]()
    with pytest.raises(AnswerError) as info:
        q.grade(raw)
    err = info.value
    assert err.key in MESSAGES["en"]
    message = str(err)
    assert message.strip()
    assert len(message) < 500  # a sentence for the student, never the whole input echoed back
    assert "Traceback" not in message


@pytest.mark.parametrize("kind, raw", list(_bad_params()))
def test_bad_answer_through_session_is_invalid_and_not_an_attempt(kind, raw):
    session = QuestionSession(MAKERS[kind]())
    session.submit(CORRECT_ANSWERS[kind] if kind != "reflection" else "first thoughts")
    assert session.attempts == 1
    fb = session.submit(raw)  # must not raise
    assert fb.status == "invalid"
    assert fb.result is None
    assert fb.attempt is None
    assert len(fb.lines) == 1
    assert fb.lines[0].startswith("⚠ ")
    assert len(fb.lines[0]) > 3
    assert session.attempts == 1
    assert len(session.history) == 1


# --- parse_number ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, unit, value",
    [
        ("3.5", None, 3.5),
        ("3,5", None, 3.5),
        (" 3.5 %", "%", 3.5),
        ("3.5%", "%", 3.5),
        ("+3.5", None, 3.5),
        ("\u22123.5", None, -3.5),
        ("-3.5", None, -3.5),
        ("\u20133.5", None, -3.5),
        ("３.５", None, 3.5),
        ("1 234", None, 1234.0),
        ("1\u00a0234", None, 1234.0),
        ("1e3", None, 1000.0),
        ("1E-2", None, 0.01),
        (".5", None, 0.5),
        (",5", None, 0.5),
        ("3.", None, 3.0),
        ("  42  ", None, 42.0),
        ("0", None, 0.0),
        ("1000000000000000", None, 1e15),
        ("-2 %", "%", -2.0),
        ("12 kg", "KG", 12.0),
    ],
)
def test_parse_number_accepts(text, unit, value):
    assert parse_number(text, unit) == pytest.approx(value)


@pytest.mark.parametrize(
    "text, unit, key",
    [
        ("1,23.5", None, "err_separators"),
        ("1.23,5", None, "err_separators"),
        ("1,2,3", None, "err_separators"),
        ("12 34", None, "err_separators"),
        ("1 234,567,8", None, "err_separators"),
        ("5,000", None, "err_ambiguous_comma"),
        ("1.2.3", None, "err_not_number"),
        ("nan", None, "err_not_finite"),
        ("NaN", None, "err_not_finite"),
        ("inf", None, "err_not_finite"),
        ("-Infinity", None, "err_not_finite"),
        ("∞", None, "err_not_finite"),
        ("1e400", None, "err_too_large"),
        ("-1e400", None, "err_too_large"),
        ("2e15", None, "err_too_large"),
        ("٣", None, "err_digits"),
        ("٣٫٥", None, "err_digits"),
        ("", None, "err_empty"),
        ("   ", None, "err_empty"),
        ("abc", None, "err_not_number"),
        ("3.5 kg", "%", "err_wrong_unit"),
        ("3.5 %", None, "err_no_unit_expected"),
        ("3.5%", None, "err_no_unit_expected"),
        ("x" * 61, None, "err_too_long"),
        ("3.5 % 2", "%", "err_not_number"),
    ],
)
def test_parse_number_rejects(text, unit, key):
    with pytest.raises(AnswerError) as info:
        parse_number(text, unit)
    assert info.value.key == key
    assert str(info.value).strip()


def test_wrong_unit_message_names_both_units():
    with pytest.raises(AnswerError) as info:
        parse_number("3.5 kg", "%")
    assert "%" in str(info.value)
    assert "kg" in str(info.value)
    assert info.value.params == {"unit": "%", "given": "kg"}


def test_unit_given_where_none_is_expected_says_so():
    with pytest.raises(AnswerError) as info:
        parse_number("3.5 %")
    assert info.value.key == "err_no_unit_expected"
    assert "%" in str(info.value)


def test_unit_aliases_are_accepted_case_insensitively():
    assert parse_number("3.5 Percent", "%", ("percent",)) == 3.5
    with pytest.raises(AnswerError):
        parse_number("3.5 per", "%", ("percent",))


@pytest.mark.parametrize(
    "raw, key",
    [
        (None, "err_empty"),
        (True, "err_wrong_type"),
        (10**400, "err_too_large"),
        (-(10**400), "err_too_large"),
        (float("nan"), "err_not_finite"),
        (float("-inf"), "err_not_finite"),
        (MAX_MAGNITUDE * 10, "err_too_large"),
        ([1], "err_wrong_type"),
        (b"1", "err_wrong_type"),
    ],
)
def test_parse_number_non_text(raw, key):
    with pytest.raises(AnswerError) as info:
        parse_number(raw)
    assert info.value.key == key


def test_parse_number_accepts_plain_numbers():
    assert parse_number(7) == 7.0
    assert isinstance(parse_number(7), float)
    assert parse_number(-2.25) == -2.25


@FAST
@given(st.text(max_size=80))
def test_parse_number_on_any_text_returns_a_sensible_float_or_answer_error(text):
    for unit in (None, "%"):
        try:
            value = parse_number(text, unit, ("percent",) if unit else ())
        except AnswerError as err:
            assert str(err).strip()
        else:
            assert isinstance(value, float)
            assert math.isfinite(value)
            assert abs(value) <= MAX_MAGNITUDE


@FAST
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.+-eE%\u2212\u00a0٣３")), max_size=30))
def test_parse_number_on_number_like_text_never_raises_anything_else(text):
    try:
        value = parse_number(text, "%")
    except AnswerError:
        return
    assert math.isfinite(value)


@FAST
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-MAX_MAGNITUDE, max_value=MAX_MAGNITUDE))
def test_parse_number_reads_back_any_float_repr(value):
    assert parse_number(repr(value)) == value
    comma = repr(value).replace(".", ",") if "e" not in repr(value) else repr(value)
    if re.fullmatch(r"-?[1-9][0-9]{0,2},[0-9]{3}", comma):  # 1,125: a thousands comma or a decimal comma
        with pytest.raises(AnswerError) as info:
            parse_number(comma)
        assert info.value.key == "err_ambiguous_comma"
        assert info.value.params["decimal"] == repr(value)
    else:
        assert parse_number(comma) == value


@pytest.mark.parametrize("kind", sorted(MAKERS))
@FAST
@given(text=st.text(max_size=200))
def test_grading_any_text_gives_a_result_or_an_answer_error(kind, text):
    q = MAKERS[kind]()
    try:
        result = q.grade(text)
    except AnswerError as err:
        assert str(err).strip()
    else:
        assert result.status in {"correct", "partial", "incorrect", "recorded"}


ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.binary(max_size=5)
    | st.sampled_from(["Shift + Enter", "energy", "first", "Putin", "Japarov quote", "3.5"]),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=15) | st.integers(), children, max_size=5)
    ),
    max_leaves=12,
)


@pytest.mark.parametrize("kind", sorted(MAKERS))
@FAST
@given(raw=ANY_VALUE)
def test_grading_any_value_gives_a_result_or_an_answer_error(kind, raw):
    q = MAKERS[kind]()
    try:
        result = q.grade(raw)
    except AnswerError as err:
        assert str(err).strip()
    else:
        assert result.status in {"correct", "partial", "incorrect", "recorded"}
        assert result.score is None or 0.0 <= result.score <= 1.0


# --- QuestionSession --------------------------------------------------------------------------------------


def test_session_counts_valid_attempts_and_keeps_best():
    s = QuestionSession(make_multiple())
    fb1 = s.submit(["banking"])
    fb2 = s.submit(["energy", "food"])
    fb3 = s.submit(["energy"])
    assert (fb1.attempt, fb2.attempt, fb3.attempt) == (1, 2, 3)
    assert s.attempts == 3
    assert [r.status for r in s.history] == ["incorrect", "partial", "partial"]
    assert s.best.score == pytest.approx(2 / 3)
    assert fb2.status == "partial"
    assert fb2.lines == fb2.result.lines


def test_session_reveal_is_locked_until_reveal_after_attempts():
    q = make_single()  # reveal_after = 2
    s = QuestionSession(q)
    assert not s.can_reveal
    locked = s.reveal()
    assert locked.status == "invalid"
    assert locked.lines == (t("show_answer_locked_tooltip", n=2),)
    assert not s.revealed
    s.submit("")  # invalid: does not count
    s.submit("Enter")
    assert s.attempts == 1
    assert not s.can_reveal
    assert s.reveal().status == "invalid"
    s.submit("Esc")
    assert s.can_reveal
    fb = s.reveal()
    assert fb.status == "revealed"
    assert s.revealed
    assert fb.lines[0] == t("revealed")
    assert t("answer_is", answer="Shift + Enter") in fb.lines
    assert q.explanation in fb.lines


@pytest.mark.parametrize("reveal_after", [1, 3, 5])
def test_session_reveal_after_is_honoured(reveal_after):
    q = make_numeric()
    q.reveal_after = reveal_after
    s = QuestionSession(q)
    for i in range(reveal_after):
        assert not s.can_reveal
        assert s.submit(str(10 + i)).status == "incorrect"
    assert s.can_reveal
    assert s.reveal().status == "revealed"


def test_session_solved_question_can_be_revealed_at_once():
    s = QuestionSession(make_numeric())
    assert s.submit("3.5").status == "correct"
    assert s.attempts == 1
    assert s.can_reveal
    assert any("3.5 %" in line for line in s.reveal().lines)


def test_session_reflection_never_reveals_and_shows_model_answer_in_reveal_lines():
    q = make_reflection()
    s = QuestionSession(q)
    for _ in range(5):
        assert s.submit("some thoughts").status == "recorded"
    assert not s.can_reveal
    assert s.reveal().status == "invalid"
    assert t("model_answer", answer="MODEL-ANSWER text") in q.reveal_lines()


def test_session_hints_in_sequence_then_last_hint():
    s = QuestionSession(make_single())
    assert s.next_hint() == t("hint_n", i=1, n=2, hint="first hint")
    assert "Hint 1 of 2" in t("hint_n", i=1, n=2, hint="first hint")
    assert s.next_hint() == t("hint_n", i=2, n=2, hint="second hint")
    assert s.next_hint() == t("no_more_hints")
    assert s.next_hint() == t("no_more_hints")
    assert s.hints_shown == 2


def test_session_without_hints_gives_empty_hint():
    assert QuestionSession(make_multiple()).next_hint() == ""


def test_session_continues_counting_from_previous_attempts():
    previous = [
        {"question": "00-single", "kind": "answer", "correct": False},
        {"question": "00-single", "correct": False},  # records without "kind" are answers
        {"question": "00-single", "kind": "answer", "correct": False},
    ]
    s = QuestionSession(make_single(), previous=previous)
    assert s.attempts == 3
    assert s.can_reveal
    assert not s.revealed
    assert s.submit("Enter").attempt == 4


def test_session_previous_reveal_and_other_kinds():
    previous = [
        {"question": "00-single", "kind": "answer", "correct": False},
        {"question": "00-single", "kind": "reveal", "attempt": 1},
    ]
    s = QuestionSession(make_single(), previous=previous)
    assert s.attempts == 1  # the reveal is not an attempt
    assert s.revealed
    assert s.can_reveal


def test_session_previously_solved_question_can_still_be_revealed():
    # solved at the first attempt in an earlier kernel (reveal_after = 2): the answer may be shown now,
    # as it could have been before the restart
    s = QuestionSession(make_single(), previous=[{"question": "00-single", "kind": "answer", "correct": True}])
    assert s.attempts == 1
    assert s.can_reveal
    wrong_before = QuestionSession(
        make_single(), previous=[{"question": "00-single", "kind": "answer", "correct": False}]
    )
    assert not wrong_before.can_reveal


# --- messages ---------------------------------------------------------------------------------------------


def _message_calls():
    """Every t("key", ...) and AnswerError("key", ...) in the engine: (file, key, keyword names or None)."""
    for path in sorted(QUIZ_SRC.glob("*.py")):
        if path.name == "messages.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("t", "AnswerError")
                and node.args
            ):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names = [kw.arg for kw in node.keywords]
                yield path.name, first.value, None if None in names else set(names)


def _used_keys() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for filename, key, _ in _message_calls():
        used.setdefault(key, set()).add(filename)
    return used


def test_every_message_key_used_in_the_code_exists_in_english():
    used = _used_keys()
    assert {"model.py", "widgets.py"} <= set().union(*used.values())
    assert len(used) >= 30  # the scan found the engine's messages (it would fail silently otherwise)
    missing = {key: files for key, files in used.items() if key not in MESSAGES["en"]}
    assert not missing


def test_every_message_call_passes_exactly_the_placeholders():
    checked = 0
    for filename, key, names in _message_calls():
        if names is None or key not in MESSAGES["en"]:  # t(key, **params), or reported by the test above
            continue
        assert placeholders(MESSAGES["en"][key]) == names, f"{filename}: {key} called with {sorted(names)}"
        checked += 1
    assert checked >= 40


@pytest.mark.parametrize("lang", sorted(set(MESSAGES) - {"en"}))
def test_translations_use_the_same_placeholders_as_english(lang):
    assert MESSAGES[lang]
    for key, template in MESSAGES[lang].items():
        assert key in MESSAGES["en"], f"{lang}:{key} is not an English key"
        assert placeholders(template) == placeholders(MESSAGES["en"][key]), f"{lang}:{key}"
        assert template.strip()


def test_placeholders_helper():
    assert placeholders("{a} and {b}, {a}") == {"a", "b"}
    assert placeholders("none here") == set()


def test_set_language_changes_the_check_label():
    english = t("check")
    set_language("ru")
    assert messages.language() == "ru"
    assert t("check") == MESSAGES["ru"]["check"] != english
    assert t("multi_detail", right=1, total=2, wrong=0) == MESSAGES["ru"]["multi_detail"].format(
        right=1, total=2, wrong=0
    )
    with pytest.raises(AnswerError) as info:
        parse_number("")
    assert str(info.value) == MESSAGES["ru"]["err_empty"]
    set_language("en")
    assert t("check") == english


@pytest.mark.parametrize("code", ["xx", "", "english", "r"])
def test_unknown_language_raises_value_error(code):
    before = messages.language()
    with pytest.raises(ValueError, match="language"):
        set_language(code)
    assert messages.language() == before


def test_every_message_formats_in_every_language():
    for lang in MESSAGES:
        set_language(lang)
        for key, template in MESSAGES["en"].items():
            params = {name: "X" for name in placeholders(template)}
            assert t(key, **params).strip()


def test_no_combination_of_unit_and_alias_makes_a_correct_answer_unparseable():
    for unit, alias in itertools.product(["%", "kg", "км", "USD"], ["", "percent", "млн"]):
        q = Numeric(
            id="00-n", prompt="p", explanation="e", answer=2.0, unit=unit, unit_aliases=(alias,) if alias else ()
        )
        assert q.grade(f"2 {unit}").status == "correct"
        if alias:
            assert q.grade(f"2 {alias}").status == "correct"

"""Tests for course.numbers: the one place numbers are read (typed, plain, Python values) and written."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course import numbers
from course.numbers import NumberError, as_number, as_numbers, as_whole_number, for_people, read_plain, read_typed
from course.quiz.messages import t
from course.quiz.model import AnswerError, Numeric

# --- typed numbers: thousands separators and decimal commas ---------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,234,567", 1234567.0),
        ("5 000", 5000.0),
        ("5\u00a0000", 5000.0),  # no-break space
        ("5\u202f000", 5000.0),  # narrow no-break space (French, Russian typography)
        ("5\u2009000", 5000.0),  # thin space
        ("1 234 567,5", 1234567.5),
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("3,5", 3.5),
        ("3,25", 3.25),
        ("0,500", 0.5),  # a leading zero is no thousands group
        ("1000,500", 1000.5),  # four digits before the comma: no thousands group
        ("-1,234,567", -1234567.0),
        ("1,5e3", 1500.0),
        ("5.000", 5.0),  # a single point is always a decimal point
    ],
)
def test_typed_separators_are_read_as_people_write_them(text, value):
    reading = read_typed(text)
    assert reading.value == value
    assert reading.other is None


@pytest.mark.parametrize("text, thousands, decimal", [("5,000", 5000.0, 5.0), ("3,600", 3600.0, 3.6),
                                                      ("-1,125", -1125.0, -1.125), ("999,999", 999999.0, 999.999)])
def test_a_comma_before_three_digits_has_two_readings(text, thousands, decimal):
    reading = read_typed(text)
    assert (reading.value, reading.other) == (thousands, decimal)


@pytest.mark.parametrize("text, key", [("12 34", "err_separators"), ("1,23,456", "err_separators"),
                                       ("1 234,567,8", "err_separators"), ("1,2,3", "err_separators"),
                                       ("1.2.3", "err_not_number"), ("٢٣", "err_digits"), ("1e999", "err_too_large")])
def test_typed_numbers_that_are_not_grouped_in_threes_are_refused(text, key):
    with pytest.raises(NumberError) as info:
        read_typed(text)
    assert info.value.key == key


def _numeric(answer: float, tolerance: float = 0.0) -> Numeric:
    return Numeric(id="04-x", prompt="How much?", explanation="EXPLAIN", answer=answer, tolerance=tolerance)


def test_five_thousand_with_a_comma_is_five_thousand_when_both_readings_agree():
    # Q4.7 was answered "too low" for 5,000 (read as 5.0); both readings are too low for 10,000, so it is judged
    result = _numeric(10_000).grade("5,000")
    assert result.status == "incorrect"
    assert result.answer == 5000.0
    assert t("numeric_read_as", value="5,000") in result.lines
    assert t("numeric_too_low") in result.lines


def test_thousands_separators_are_correct_answers():
    for text in ("3 600", "3\u00a0600", "3,600.0", "3.600,0"):  # unambiguous: a point or a space
        result = _numeric(3600).grade(text)
        assert result.status == "correct", text
        assert t("numeric_read_as", value="3,600") in result.lines
    assert _numeric(1_234_567).grade("1,234,567").status == "correct"


def test_ambiguous_comma_with_different_verdicts_asks_the_student():
    with pytest.raises(AnswerError) as info:
        _numeric(3600).grade("3,600")  # 3600 is right, 3.6 is not: the student must say which
    err = info.value
    assert err.key == "err_ambiguous_comma"
    assert err.params == {"text": "3,600", "thousands": "3600", "decimal": "3.6"}
    assert "3600" in str(err)
    assert "3.6" in str(err)
    assert "without the comma" in str(err)


def test_ambiguous_comma_is_judged_when_both_readings_are_right():
    result = _numeric(3.6, tolerance=4000).grade("3,600")
    assert result.status == "correct"


def test_ambiguity_is_an_invalid_answer_in_the_session_not_an_attempt():
    from course.quiz.model import QuestionSession

    session = QuestionSession(_numeric(3600))
    fb = session.submit("3,600")
    assert fb.status == "invalid"
    assert session.attempts == 0
    assert session.submit("3600").status == "correct"


# --- writing numbers for people ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        (-5.980000000000004, "-5.98"),
        (26.58 - 32.56, "-5.98"),
        (370.79999999999995, "370.8"),
        (2406850000.0, "2,406,850,000"),
        (596253, "596,253"),
        (0.1 + 0.2, "0.3"),
        (-0.0, "0"),
        (1.23e-7, "1.23e-07"),
        (10**16, "10,000,000,000,000,000"),
        (None, ""),
        ("text", "text"),
        (True, "True"),
        (math.inf, "inf"),
    ],
)
def test_for_people(value, text):
    assert for_people(value) == text


def test_for_people_minus_sign_for_prose():
    assert for_people(-5.980000000000004, minus="\u2212") == "\u22125.98"


def test_for_people_in_russian():
    assert for_people(1234567.5, language="ru") == "1\u00a0234\u00a0567,5"
    assert for_people(-5.980000000000004, language="ru") == "-5,98"


def test_the_reading_is_shown_in_the_students_language():
    from course.quiz.messages import set_language

    set_language("ru")
    try:
        result = _numeric(10_000).grade("5 000")
    finally:
        set_language("en")
    assert "Ваш ответ прочитан как 5\u00a0000." in result.lines


def test_numeric_answer_text_is_for_people():
    assert _numeric(3600, tolerance=0.5).answer_text() == "3,600 (± 0.5)"
    assert _numeric(26.58 - 32.56).answer_text() == "-5.98"


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_for_people_reads_back_within_rounding(value):
    shown = for_people(value)
    if "e" in shown:
        assert abs(value) < 1e-6
        return
    assert abs(float(shown.replace(",", "")) - value) <= 5e-7 + 1e-15 * abs(value)


# --- Python values and plain numbers -----------------------------------------------------------------------


def test_as_number_family():
    assert as_number(3) == 3.0
    assert as_number(2.5) == 2.5
    assert as_number(True) is None
    assert as_number("3") is None
    assert as_number(math.nan) is None
    assert as_number(10**400) is None
    assert as_numbers([1, 2.5]) == [1.0, 2.5]
    assert as_numbers({"a": 1}) == [1.0]
    assert as_numbers([1, "2"]) is None
    assert as_numbers("12") is None
    assert as_whole_number(3.0) == 3
    assert as_whole_number(True) is None
    assert as_whole_number(3.5) is None


@pytest.mark.parametrize("text, value", [("23", 23), ("-4", -4), ("2.5", 2.5), ("1e6", 1e6), (".5", 0.5)])
def test_read_plain_accepts(text, value):
    assert read_plain(text) == value
    assert type(read_plain(text)) is type(value)


@pytest.mark.parametrize("text, words", [("1e999", "too large"), ("inf", "not an ordinary number"),
                                         ("-Infinity", "not an ordinary number"), ("nan", "not an ordinary number"),
                                         ("٢٣", "another script"), ("２３", "another script"), ("1,5", "no commas")])
def test_read_plain_refuses(text, words):
    with pytest.raises(ValueError, match=words):
        read_plain(text)
    assert numbers.plain_problem(text) is not None

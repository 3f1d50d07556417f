"""Mistakes in calls to the helpers students use give one short message in plain words, with what to type and the
nearest valid names; in IPython the message replaces the traceback into course/."""

from __future__ import annotations

import datetime as dt

import pytest

from course import data
from course.errors import CourseError, CourseTypeError, CourseValueError, nearest, parse_day
from course.lessons import history_and_institutions as history
from course.lessons import migration_and_remittances as remittances
from course.lessons import reading_the_article as reading
from course.lessons.energy_food_and_trade import by_partner, hhi, share


def test_nearest_names_prefer_the_same_letters_in_another_case_then_close_spellings():
    assert nearest("russia", ["Kazakhstan", "Russia"]) == ["Russia"]
    assert nearest("Rusia", ["Kazakhstan", "Russia"]) == ["Russia"]
    assert nearest("Mongolia", ["Kazakhstan", "Russia"]) == []


@pytest.mark.parametrize("call, words", [
    (lambda: share({"Russia": 351.4, "Kazakhstan": 19.4}, "russia"), ["'russia'", "Did you mean 'Russia'?"]),
    (lambda: share({"Russia": 351.4, "Kazakhstan": 19.4}, 5), ["name written in quotes", "the number 5"]),
    (lambda: history.standing("2010-1-1"), ['"2010-01-01"']),
    (lambda: history.standing("1/1/2010"), ['"2010-01-01"']),
    (lambda: history.standing("2010-02-30"), ["not a real date"]),
    (lambda: history.standing(2010), ["text in quotes", "YYYY-MM-DD"]),
    (lambda: history.standing("2010-01-01", state="kyrgyzstan"), ["Did you mean 'Kyrgyzstan'?"]),
    (lambda: data.load("remitances"), ["Did you mean 'remittances'?"]),
    (lambda: data.load(3), ["name written in quotes", "'remittances'"]),
    (lambda: remittances.value("2021", "personal_remittances_pct_gdp"), ["whole number without quotes"]),
    (lambda: hhi(["94.8", "5.2"]), ["must be a number", "'94.8'"]),
    (lambda: by_partner("food", year="2023", product="wheat", measure="imports"), ["no rows of data/food.csv"]),
    (lambda: reading.who_uses(""), ["give a word or phrase"]),
    (lambda: remittances.value(2021, "Personal_Remittances_pct_gdp"), ["Did you mean 'personal_remittances_pct_gdp'?"]),
])
def test_helpers_explain_a_wrong_call(call, words):
    with pytest.raises(CourseError) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, message
    assert "Traceback" not in message
    assert len(message) < 700


def test_errors_are_still_the_built_in_kinds():
    with pytest.raises(KeyError):
        share({"Russia": 1}, "russia")
    with pytest.raises(ValueError):
        parse_day("2010-1-1")
    with pytest.raises(TypeError):
        parse_day(2010)
    assert parse_day(" 2010-01-01 ") == dt.date(2010, 1, 1)
    assert issubclass(CourseValueError, ValueError)
    assert issubclass(CourseTypeError, TypeError)


@pytest.fixture
def shell():
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    from course.errors import install

    assert install(sh)
    yield sh
    sh.set_custom_exc((), None)
    InteractiveShell.clear_instance()


def test_in_ipython_a_course_error_is_a_short_message_about_the_students_line(shell, capsys):
    result = shell.run_cell('from course.lessons.energy_food_and_trade import share\n'
                            'wheat = {"Russia": 351.4, "Kazakhstan": 19.4}\n'
                            'share(wheat, "russia")\nprint("not reached")')
    shown = capsys.readouterr().out
    assert not result.success
    assert isinstance(result.error_in_exec, CourseError)
    assert "Line 3 of your cell" in shown
    assert 'share(wheat, "russia")' in shown
    assert "Did you mean 'Russia'?" in shown
    assert "Traceback" not in shown
    assert "course/" not in shown
    assert "not reached" not in shown
    assert len(shown.splitlines()) <= 6


def test_in_ipython_other_errors_keep_their_traceback(shell, capsys):
    result = shell.run_cell("1 / 0")
    shown = capsys.readouterr().out
    assert not result.success
    assert "ZeroDivisionError" in shown
    assert "Traceback" in shown

"""Tests for course.lessons.history_and_institutions (notebook 02):
timeline and membership tables, disagreements, standing on a day, the
obligations table, the sources list, the question bank's sources, and the checks of the three exercises."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
import yaml

from course import article, data
from course.exercises import check
from course.lessons import history_and_institutions as history
from course.quiz.bank import load_bank

REPO = Path(__file__).resolve().parents[2]
BANK = REPO / "course" / "banks" / "02_history_and_institutions.yaml"
NOTEBOOK = REPO / "notebooks" / "02_history_and_institutions.ipynb"


def ok(exercise_id, value):
    return check(exercise_id, value, record=False)


# --- dates in words ------------------------------------------------------------------------------------------


class _R:
    def __init__(self, date, precision="day"):
        self.date, self.date_precision = date, precision


@pytest.mark.parametrize(
    "date, precision, text",
    [
        (dt.date(2001, 12, 16), "day", "16 December 2001"),
        (dt.date(2003, 10, 1), "month", "October 2003"),
        (dt.date(2000, 1, 1), "year", "2000"),
        (None, "unknown", "date not given"),
    ],
)
def test_when_is_as_precise_as_the_source(date, precision, text):
    assert history.when(_R(date, precision)) == text


# --- the timeline --------------------------------------------------------------------------------------------


def test_events_filter_and_sort():
    rows = history.events(themes=history.THEMES)
    assert rows
    assert {r.category for r in rows} == set(history.THEMES)
    assert [r.date for r in rows] == sorted(r.date for r in rows)
    manas = history.events(contains="manas")  # any case
    assert [r.date.year for r in manas] == [2001, 2014, 2025]
    assert all(2001 <= r.date.year <= 2017 for r in history.events(themes="security", start=2001, end=2017))


def test_event_table_names_every_source():
    table = history.event_table(history.events(themes="politics"))
    assert len(table) == 6
    assert all(row[3] and row[3] != "not stated" for row in table)
    assert table[0][0] == "4 April 2005"
    assert "<table" in table._repr_html_()
    assert "Whose source" in repr(table)


def test_every_label_belongs_to_one_event_on_a_theme_shown():
    rows = history.events(themes=history.THEMES)
    labelled = [r for r in rows if history.label(r)]
    assert len(labelled) == len(history._LABELS)  # each label is used, and used once
    assert history.label(_R(None)) is None


# --- memberships ---------------------------------------------------------------------------------------------


def test_memberships_of_kyrgyzstan_in_the_eaeu():
    rows = history.memberships("Kyrgyzstan", "EAEU")
    assert [(r.status, r.date.isoformat()) for r in rows] == [
        ("treaty_signed", "2014-12-23"),
        ("joined", "2015-08-06"),
        ("joined", "2015-08-06"),
        ("joined", "2015-08-12"),
    ]
    assert len(history.memberships(None, "SCO")) > len(history.memberships("Kyrgyzstan", "SCO"))


def test_membership_table_labels_the_collective_security_treaty():
    table = history.membership_table(history.memberships("Kyrgyzstan", "CSTO"))
    assert table.column("Organisation") == ["CSTO (then the Collective Security Treaty)", "CSTO"]
    assert table.column("What happened") == ["founding signatory", "founding signatory"]


def test_every_status_has_words():
    resources = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    fields = next(r for r in resources if r["name"] == "memberships")["schema"]["fields"]
    allowed = next(f for f in fields if f["name"] == "status")["constraints"]["enum"]
    assert set(allowed) <= set(history.STATUS_WORDS)


def test_disagreements_show_both_versions_and_skip_compatible_dates():
    table = history.disagreements()
    pairs = {(row[0], row[1], row[3]) for row in table}
    assert ("EAEU", "Kyrgyzstan", "6 August 2015") in pairs
    assert ("EAEU", "Kyrgyzstan", "12 August 2015") in pairs
    assert ("SCO", "Belarus", "4 July 2024") in pairs
    assert ("SCO", "Belarus", "8 August 2024") in pairs
    states = {(row[0], row[1]) for row in table}
    assert ("CIS", "Ukraine") not in states  # "May 2018" and "19 May 2018" can both be right
    assert ("CSTO", "Kyrgyzstan") not in states  # the 1992 treaty and the 2002 charter are two events
    assert all(row[4] for row in table)
    only_eaeu = history.disagreements("EAEU")
    assert {row[0] for row in only_eaeu} == {"EAEU"}


def test_standing_on_a_day():
    now = history.standing("2025-11-27")
    assert now.column("Standing") == ["Member"] * 4
    then = history.standing(dt.date(2010, 1, 1))
    assert then.column("Standing").count("Member") == 3
    assert then.column("Standing")[2] == "no record yet"  # the EAEU
    early = history.standing("1991-09-01")
    assert early.column("Standing") == ["no record yet"] * 4


@pytest.mark.parametrize("bad", ["27/11/2025", "", 2025, None])
def test_standing_explains_how_to_write_a_day(bad):
    with pytest.raises((ValueError, TypeError), match="YYYY-MM-DD"):  # a number or None is a CourseTypeError
        history.standing(bad)


def test_organisations_table():
    table = history.organisations()
    assert table.column("Organisation") == ["CIS", "CSTO", "EAEU", "SCO"]
    members = dict(zip(table.column("Organisation"), table.column("Members")))
    assert members["CSTO"].startswith("6: ")
    assert "Armenia (participation frozen since 22 February 2024)" in members["CSTO"]
    assert "Uzbekistan" not in members["CSTO"]  # its membership was suspended in 2012, not frozen
    assert members["SCO"].startswith("10: ")
    assert table.column("Founding signatures")[1] == "15 May 1992; 7 October 2002"


def test_only_four_states_belong_to_all_four_organisations():
    """The map's title and question 2.2 rest on this."""
    status = data.membership_status("2025-11-27")
    sets = [{s for (o, s), st in status.items() if o == org and st.category == "member"}
            for org in history.ORGANISATIONS]
    assert set.intersection(*sets) == {"Belarus", "Kazakhstan", "Kyrgyzstan", "Russia"}


def test_obligations_rest_on_sources_or_are_questions():
    table = history.obligations()
    assert table.column("Organisation") == list(history.ORGANISATIONS)
    assert all(q.endswith("?") for q in table.column("Question to research"))
    notes = " ".join(r.note or "" for r in data.load("memberships"))
    assert "defines a member as a state that ratified the Charter" in notes
    assert "12 months after notification" in notes
    assert any("Collective Rapid Reaction Forces airfield at Kant" in r.fact for r in data.load("facts"))
    quoted = "provides an institutional framework for the free movement of goods, capital, and labor"
    assert quoted in article.paragraph("II.2").text


def test_facts_by_topic():
    table = history.facts("military_base")
    assert len(table) == 7
    assert "15 years" in table.column("Figure")
    assert "4.5 million USD per year" in table.column("Figure")
    assert len(history.facts("visit_dates", "visit_statements")) == 7
    with pytest.raises(KeyError, match="military_base"):
        history.facts("no_such_topic")


def test_sources_cover_every_row_the_notebook_uses():
    cites = history.sources()
    assert cites == sorted(cites, key=str.casefold)
    assert len(cites) == len(set(cites))
    used = {r.source["id"] for r in data.load("memberships")}
    used |= {r.source["id"] for r in history.events(themes=history.THEMES)}
    used |= {r.source["id"] for r in data.load("facts") if r.topic in history.FACT_TOPICS}
    assert {data.citation(data.source(i)) for i in used} == set(cites)


# --- the question bank ---------------------------------------------------------------------------------------


def test_every_question_names_sources_that_exist():
    bank = load_bank(BANK)
    raw = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    ids = {s["id"] for s in json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))["sources"]}
    paragraphs = {p.id for p in article.paragraphs()}
    for q in raw["questions"]:
        assert q.get("sources"), q["id"]
        for src in q["sources"]:
            if src.startswith("article:"):
                assert src.split(":", 1)[1] in paragraphs, (q["id"], src)
            else:
                assert src in ids, (q["id"], src)
    kinds = {q.kind for q in bank.questions}
    assert {"ordering", "matching"} <= kinds
    assert len(kinds) >= 5


def test_ordering_questions_follow_the_timeline():
    bank = load_bank(BANK)
    rows = data.load("timeline")

    def date_of(fragment):
        (match,) = [r.date for r in rows if fragment in r.event]
        return match

    milestones = ["adopts the Declaration of Independence", "sign the Protocol to the CIS",
                  "Shanghai Cooperation Organisation is established", "US forces begin using",
                  "The Russian air base at Kant opens", "accession to the EAEU comes into force"]
    assert [date_of(f) for f in milestones] == sorted(date_of(f) for f in milestones)
    assert len(bank.get("02-milestones-order").items) == len(milestones)
    politics = history.events(themes="politics")
    assert len(bank.get("02-upheavals-order").items) == len(politics)


def test_numeric_answer_is_the_sourced_figure():
    q = load_bank(BANK).get("02-base-agreement")
    (row,) = [r for r in data.load("facts") if r.source["id"] == "rusnavy-2012-09-20-base"]
    assert math.isclose(q.answer, row.value)
    assert row.unit == "years"


# --- exercise 2.1 ---------------------------------------------------------------------------------------------


def test_count_2010_right():
    assert ok("02-count-2010", 3).ok
    assert ok("02-count-2010", 3.0).ok


@pytest.mark.parametrize(
    "value, hint",
    [
        (4, "27 November 2025"),
        (2, "Too few"),
        (7, "only 4 organisations"),
        ("3", "whole number"),
        (True, "whole number"),
        (["CIS", "CSTO", "SCO"], "len(...)"),
        (float("nan"), "whole number"),
        ({}, "whole number"),
    ],
)
def test_count_2010_hints(value, hint):
    result = ok("02-count-2010", value)
    assert not result.ok
    assert hint in result.message


# --- exercise 2.2 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        ["2015-08-06", "2015-08-12"],
        ("2015-08-12", "2015-08-06", "2015-08-06"),
        {dt.date(2015, 8, 6), dt.date(2015, 8, 12)},
        [dt.datetime(2015, 8, 6, 0, 0), " 2015-08-12 "],
    ],
)
def test_eaeu_joined_right(value):
    result = ok("02-eaeu-joined", value)
    assert result.ok
    assert "EUobserver" in result.message
    assert "TASS" in result.message


@pytest.mark.parametrize(
    "value, hint",
    [
        (["2015-08-06"], "2 different dates"),
        ("2015-08-06", "2 different dates"),
        (["2014-12-23", "2015-08-06", "2015-08-12"], "signed"),
        (["2015-08-07", "2015-08-12"], "not in the EAEU rows"),
        ([], "empty"),
        (["6 August 2015"], "list of dates"),
        ([2015], "list of dates"),
        (2015, "list of dates"),
        ({"a": 1}, "list of dates"),
    ],
)
def test_eaeu_joined_hints(value, hint):
    result = ok("02-eaeu-joined", value)
    assert not result.ok
    assert hint in result.message
    assert "2015-08-12" not in result.message  # a hint, not the answer


# --- exercise 2.3 ---------------------------------------------------------------------------------------------


def test_manas_years_right():
    result = ok("02-manas-years", 13)
    assert result.ok
    assert "your calculation" in result.message
    assert ok("02-manas-years", 13.0).ok


@pytest.mark.parametrize(
    "value, hint",
    [
        (24, "airport"),
        (11, "Kant"),
        (12, "whole years"),
        (-13, "negative"),
        (40, "Subtract"),
        ("13", "whole number"),
        (12.5, "whole number"),
        (dt.date(2014, 6, 3), "number of years"),
        (dt.timedelta(days=4552), "number of years"),
        ([2001, 2014], "whole number"),
    ],
)
def test_manas_years_hints(value, hint):
    result = ok("02-manas-years", value)
    assert not result.ok
    assert hint in result.message


@pytest.mark.parametrize("exercise_id", ["02-count-2010", "02-eaeu-joined", "02-manas-years"])
@pytest.mark.parametrize("value", [None, ..., "", object(), float("inf"), [None], b"13"])
def test_odd_answers_give_a_hint_not_an_exception(exercise_id, value):
    result = ok(exercise_id, value)
    assert not result.ok
    assert result.message


# --- the notebook ---------------------------------------------------------------------------------------------


def test_notebook_exercises_and_discussion_are_there():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    text = ["".join(c["source"]) for c in cells]
    for n in (1, 2, 3):
        assert any(f"**Exercise 2.{n}**" in t for t in text)
    assert sum(c.get("metadata", {}).get("course", {}).get("exercise") is not None for c in cells) == 3
    assert any("**Discussion" in t for t in text)
    for exercise_id in ("02-count-2010", "02-eaeu-joined", "02-manas-years"):
        assert any(f'check("{exercise_id}"' in t for t in text)

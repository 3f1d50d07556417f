"""Tests for course.lessons.alliances_and_challenges:
looking up facts and events, the evidence cards, and the checks of notebook 05's
exercises (right answers pass; wrong, odd or empty answers get a hint, never an exception)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from course import data
from course.exercises import check
from course.lessons import alliances_and_challenges as challenges


def fact(topic, text):
    return SimpleNamespace(topic=topic, fact=text)


def event(date, category, text):
    return SimpleNamespace(date=date, category=category, event=text)


# --- pure helpers --------------------------------------------------------------------------------------------


def test_filter_facts_by_topic_and_word_keeps_the_order():
    rows = [fact("a", "Schools to OPEN in 2027"), fact("b", "A railway"), fact("a", "Nine schools")]
    assert challenges.filter_facts(rows, topic="a") == [rows[0], rows[2]]
    assert challenges.filter_facts(rows, contains="open") == [rows[0]]
    assert challenges.filter_facts(rows, topic="a", contains="  nine ") == [rows[2]]
    assert challenges.filter_facts(rows) == rows
    assert challenges.filter_facts([], topic="a") == []


def test_filter_events_by_category_year_and_word():
    rows = [event(dt.date(2024, 6, 6), "economy", "Railway agreement"),
            event(dt.date(2025, 1, 15), "sanctions", "OFAC acts"),
            event(None, "sanctions", "Undated")]
    assert challenges.filter_events(rows, category="sanctions") == rows[1:]
    assert challenges.filter_events(rows, year=2025) == [rows[1]]
    assert challenges.filter_events(rows, contains="RAILWAY") == [rows[0]]


@pytest.mark.parametrize("text, who", [
    ("The US Treasury's Office of Foreign Assets Control (OFAC) imposes sanctions on a bank", "US"),
    ("OFAC redesignates Garantex", "US"),
    ("The United Kingdom adds Keremet Bank to its sanctions list", "UK"),
    ("The UK sanctions Kyrgyz lender Capital Bank", "UK"),
    ("The EU adds two Kyrgyz banks to its sanctions lists", "EU"),
    ("Putin arrives in Bishkek", None),
    ("The Eurasian Economic Union meets", None),  # "EU" inside a word is not the EU
])
def test_imposer_reads_who_imposes_the_sanctions(text, who):
    assert challenges.imposer(text) == who


def test_every_2025_sanctions_event_has_an_imposer():
    rows = challenges.filter_events(data.load("timeline"), "sanctions", 2025)
    assert rows
    assert all(challenges.imposer(r.event) for r in rows)
    assert challenges._sanctions_count(2025) == {"US": 2, "UK": 2, "EU": 1}


# --- tables --------------------------------------------------------------------------------------------------


def test_facts_table_shows_each_row_with_its_publisher():
    table = challenges.facts("language_education")
    assert len(table) == len([r for r in data.load("facts") if r.topic == "language_education"])
    assert table.columns[-1] == "Whose (publisher)"
    assert all(row[-1] for row in table)
    assert "(not shown)" in table.column("Date")  # rows whose source shows no date say so
    assert "Government of the Russian Federation (government.ru)" in table.column("Whose (publisher)")


def test_facts_of_an_unknown_topic_name_the_topics():
    with pytest.raises(KeyError, match="military_base"):
        challenges.facts("schools")


def test_events_show_month_only_dates_as_such():
    table = challenges.events("sanctions", year=2025)
    assert table.column("Date")[:2] == ["2025-01-15", "2025-02 (month only)"]
    with pytest.raises(KeyError, match="sanctions"):
        challenges.events("sanction")


def test_tables_are_the_same_on_every_call():
    assert repr(challenges.evidence()) == repr(challenges.evidence())
    assert repr(challenges.dependence()) == repr(challenges.dependence())


def test_evidence_cards_keep_figures_exactly_as_stored():
    cards = challenges.evidence_items()
    assert [c.id for c in cards] == [f"E{i}" for i in range(1, len(cards) + 1)]
    for c in cards:
        row = next(r for r in data.load(c.table) if r.row == c.row)
        assert row.source_id == c.source_id
        assert c.publisher == row.source["publisher"]
        assert c.roles
        assert set(c.roles) <= set(challenges.ROLES)
    by_id = {c.id: c for c in cards}
    assert "4.5 million USD per year" in by_id["E2"].text
    assert "22.7 USD billion" in by_id["E18"].text
    assert "General Administration of Customs of China" in by_id["E18"].text


def test_the_cards_named_in_the_notebook_and_the_bank_are_the_sanctions_cards():
    by_id = {c.id: c for c in challenges.evidence_items()}
    assert "Keremet" in by_id["E22"].text
    assert "Keremet" in by_id["E23"].text
    assert "Capital Bank" in by_id["E24"].text
    assert "Tolubay" in by_id["E25"].text


def test_every_role_has_cards_and_aliases_work():
    for role in challenges.ROLES:
        assert len(challenges.evidence(role)) >= 2
    assert len(challenges.evidence("Chinese investor")) == len(challenges.evidence("investor"))
    with pytest.raises(KeyError, match="government"):
        challenges.evidence("president")


def test_trade_chart_rows_and_labels():
    rows = challenges.trade_2024()
    assert sorted(r.source_id for r in rows) == sorted(challenges.TRADE_2024_SIDES)
    assert all(r.year == 2024 and r.unit == "USD billion" for r in rows)
    assert challenges.whose_side(rows[0]).startswith(challenges.TRADE_2024_SIDES[rows[0].source_id] + ": ")


def test_recent_events_and_labels():
    rows = challenges.recent_events()
    assert rows
    assert all(r.date.year >= 2020 and r.category in challenges.RECENT_THEMES for r in rows)
    labelled = [r for r in rows if challenges.recent_label(r)]
    assert len(labelled) == len(challenges.RECENT_LABELS)  # every label finds its event
    csto = [r for r in rows if r.date == dt.date(2025, 11, 27)]
    assert {challenges.recent_label(r) for r in csto} == {"CSTO summit in Bishkek", None}


def test_sources_cover_the_rows_shown_once_each():
    lines = challenges.sources()
    assert lines == sorted(lines, key=str.casefold)
    assert len(lines) == len(set(lines))
    urls = [line.rsplit(" ", 1)[-1] for line in lines]
    assert len(urls) == len(set(urls))
    for sid in ("chelorg-2017-02-28-base", "timesca-2025-remit", "gazprom-de-2023-07", "issi-sco"):
        assert data.source(sid)["url"] in urls
    assert "https://tass.ru/obschestvo/25732505" in urls  # a report of the talks carrying the schools quotation
    assert len(challenges.schools_reports()) == 5


# --- exercise 5.1: the opening date ---------------------------------------------------------------------------


def test_the_opening_date_is_read_from_the_data():
    assert challenges._opening_dates() == {dt.date(2027, 9, 1)}


@pytest.mark.parametrize("answer", ["2027-09-01", "1 September 2027", "September 1, 2027", "01.09.2027",
                                    " 2027-9-1 ", dt.date(2027, 9, 1), dt.datetime(2027, 9, 1, 8, 0)])
def test_school_opening_right(answer, progress_dir):
    result = check("05-school-opening", answer)
    assert result.ok
    assert "1 September 2027" in result.message


@pytest.mark.parametrize("answer, hint", [
    ("2025-11-26", "Date column"),
    ("2023-09-01", "Date column"),
    ("2025-09-01", "2023"),
    ("2027", "Right year"),
    (2027, "Right year"),
    ("2027-01-09", "Right year"),
    ("2030-01-31", "not a date the rows give"),
    ("soon", "year-month-day"),
    ("2027-02-30", "year-month-day"),
    ("", "year-month-day"),
    (["2027-09-01"], "year-month-day"),
    (3.5, "year-month-day"),
    (True, "year-month-day"),
])
def test_school_opening_wrong_gives_a_hint(answer, hint, progress_dir):
    result = check("05-school-opening", answer)
    assert not result.ok
    assert hint.lower() in result.message.lower()
    assert "2027-09-01" not in result.message
    assert "1 September 2027" not in result.message


def test_school_opening_nothing_yet(progress_dir):
    assert "Not answered yet" in repr(check("05-school-opening", ...))


# --- exercise 5.2: sanctions by who imposed them ----------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    {"US": 2, "UK": 2, "EU": 1},
    {"United States": 2, "United Kingdom": 2, "European Union": 1},
    {"eu": 1.0, "uk": 2, "usa": 2},
])
def test_sanctions_right(answer, progress_dir):
    result = check("05-sanctions-2025", answer)
    assert result.ok
    assert "not an official total" in result.message


@pytest.mark.parametrize("answer, hint", [
    ({"US": 1, "UK": 2, "EU": 1}, "US is too low"),
    ({"US": 2, "UK": 3, "EU": 1}, "UK is too high"),
    ({"US": 2, "UK": 2}, "not given a count for EU"),
    ({"US": 2, "UK": 2, "EU": 1, "Russia": 0}, "'Russia' is not one"),
    ({"US": 2, "USA": 2, "UK": 2, "EU": 1}, "twice"),
    ({"US": "2", "UK": 2, "EU": 1}, "whole number"),
    ({"US": -1, "UK": 2, "EU": 1}, "whole number"),
    ({"US": True, "UK": 2, "EU": 1}, "whole number"),
    ({}, "not given a count"),
    ([2, 2, 1], "dictionary"),
    ("US 2, UK 2, EU 1", "dictionary"),
    (5, "dictionary"),
])
def test_sanctions_wrong_gives_a_hint(answer, hint, progress_dir):
    result = check("05-sanctions-2025", answer)
    assert not result.ok
    assert hint.lower() in result.message.lower()


def test_a_wrong_us_count_mentions_ofac(progress_dir):
    assert "OFAC" in check("05-sanctions-2025", {"US": 1, "UK": 2, "EU": 1}).message


# --- exercise 5.3: role and evidence ------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    {"role": "bank", "evidence": ["E22", "E24", "E25"]},
    {"role": "Chinese investor", "evidence": ["e15", "E18"]},
    {"role": "family", "evidence": [30, 7]},
    {"role": "government", "evidence": ("E1", "E3")},
])
def test_role_evidence_right(answer, progress_dir):
    result = check("05-role-evidence", answer)
    assert result.ok
    assert "Name the source" in result.message


def test_role_evidence_names_whose_each_card_is_and_flags_a_card_far_from_the_role(progress_dir):
    result = check("05-role-evidence", {"role": "bank", "evidence": ["E22", "E1"]})
    assert result.ok
    assert "E22: Trend News Agency" in result.message
    assert "why E1 matters" in result.message


@pytest.mark.parametrize("answer, hint", [
    ({"role": "bank", "evidence": ["E22"]}, "at least two"),
    ({"role": "bank", "evidence": ["E22", "e22"]}, "at least two"),
    ({"role": "bank", "evidence": ["E1", "E2"]}, 'challenges.evidence("bank")'),
    ({"role": "bank", "evidence": ["E99", "E22"]}, "not a card"),
    ({"role": "bank", "evidence": [None, "E22"]}, "not a card"),
    ({"role": "bank", "evidence": "E22, E24"}, "list"),
    ({"role": "bank", "evidence": 22}, "list of card ids"),
    ({"role": "president", "evidence": ["E1", "E2"]}, "Choose one of the roles"),
    ({"role": 3, "evidence": ["E1", "E2"]}, "Choose one of the roles"),
    ({"evidence": ["E1", "E2"]}, "two keys"),
    (["bank", "E1", "E2"], "two keys"),
    ("bank", "two keys"),
])
def test_role_evidence_wrong_gives_a_hint(answer, hint, progress_dir):
    result = check("05-role-evidence", answer)
    assert not result.ok
    assert hint.lower() in result.message.lower()

"""Readable in the browser: tables that never break words and show labels, chart footnotes that are at least
8 pt on screen, a map that explains its codes, timelines with a key to every marker. (No test markers in cells:
tests/test_notebooks.py.)"""

from __future__ import annotations

import re

import pytest

from course import charts, maps
from course.lessons import alliances_and_challenges as challenges
from course.lessons import migration_and_remittances as remittances
from course.tables import Table, label


@pytest.mark.parametrize("identifier, words", [
    ("share_of_demand_covered_range_low", "Share of demand covered (low end of range)"),
    ("imports_jan_aug", "Imports January-August"),
    ("personal_remittances_pct_gdp", "Personal remittances percent of GDP"),
    ("csto_2025", "CSTO 2025"),
    ("military_base", "Military base"),
])
def test_identifiers_show_as_words(identifier, words):
    assert label(identifier) == words


@pytest.mark.parametrize("text", ["government", "E12", "2018-10", "Kyrgyz Republic", "03-pp-change", "", "a_B"])
def test_other_text_is_left_alone(text):
    assert label(text) == text


def test_tables_never_break_inside_a_word_and_show_labels():
    t = Table("c", ("Measure", "Source"), (("share_of_needs_covered", "https://24.kg/english/352354_Japarov_to_Putin/"),))
    out = t._repr_html_()
    assert "anywhere" not in out
    assert "break-all" not in out
    assert out.count("overflow-wrap:normal") == 4  # every header and cell
    assert "Share of needs covered" in out
    assert "share_of_needs_covered" not in out
    assert "https://<wbr>24.<wbr>kg/<wbr>english/" in out  # a long address breaks after punctuation only
    assert "Share of needs covered" in repr(t)
    assert t.column("Measure") == ["share_of_needs_covered"]  # the data itself is unchanged


def _charts():
    yield "time_series", remittances.migrant_chart()
    yield "partner_comparison", charts.partner_comparison(challenges.trade_2024(), label=challenges.whose_side,
                                                          xlabel="Trade turnover in 2024", title="Trade")
    yield "timeline", charts.timeline(challenges.recent_events(), labels=challenges.recent_label,
                                      categories=challenges.RECENT_THEMES, title="Events")
    yield "membership_map", maps.membership_map(organisations=("CSTO", "SCO"), title="Map")


@pytest.fixture(scope="module")
def built():
    return dict(_charts())


@pytest.mark.parametrize("kind", ["time_series", "partner_comparison", "timeline", "membership_map"])
def test_footnotes_and_source_lines_are_at_least_8_pt_on_screen(built, kind):
    fig = built[kind].figure
    width = fig.get_size_inches()[0]
    foot = fig._supxlabel
    assert charts.displayed_pt(foot.get_fontsize(), width) >= 8.0 - 1e-9
    if kind == "membership_map":  # the small print under each map
        small = [t for ax in fig.axes for t in ax.texts if t.get_text().startswith(("Suspended", "Observer", "Left",
                                                                                     "All states"))]
        assert small
        assert all(charts.displayed_pt(t.get_fontsize(), width) >= 8.0 - 1e-9 for t in small)


def test_the_map_explains_every_code_it_shows(built):
    fig = built["membership_map"].figure
    foot = fig._supxlabel.get_text().replace("\n", " ")
    codes = {t.get_text() for ax in fig.axes for t in ax.texts if re.fullmatch(r"[A-Z]{3}", t.get_text())}
    assert codes
    assert all(re.search(rf"\b{c} [A-Z][a-z]", foot) for c in codes), codes


def test_a_timeline_has_a_key_to_every_marker(built):
    chart = built["timeline"]
    events = challenges.recent_events()
    assert len(chart.key) == len(events)
    assert {row[2] for row in chart.key} == {r.event for r in events}
    bundle = chart._repr_mimebundle_()
    assert "Key to the markers" in bundle["text/html"]
    assert "Key to the markers" in bundle["text/plain"]

"""Tests for course.lessons.migration_and_remittances:
migrant counts, remittance figures, the what-if model and its sliders, and the
checks of notebook 03's exercises."""

from __future__ import annotations

import math

import pytest

from course import data
from course.exercises import check
from course.lessons import migration_and_remittances as remittances


@pytest.fixture(scope="module")
def _agg():
    import matplotlib

    matplotlib.use("Agg")


# --- migrant counts ----------------------------------------------------------------------------------------


def test_every_migrant_row_has_a_named_series_and_the_census_stands_apart():
    rows = data.load("migrants")
    labels = {remittances.migrant_series(r) for r in rows}
    assert labels == set(remittances._SERIES_ORDER)
    census = [r for r in rows if "census" in r.reported_by]
    assert census
    assert all("ALL countries" in remittances.migrant_series(r) for r in census)
    # no series mixes the census with a Russia-only count
    for label in labels:
        members = [r for r in rows if remittances.migrant_series(r) == label]
        assert len({remittances._is_russia_only(r) for r in members}) == 1


def test_the_connected_series_each_count_one_thing_once_a_year():
    rows = data.load("migrants")
    for label in remittances._CONNECTED:
        members = [r for r in rows if remittances.migrant_series(r) == label]
        assert len(members) >= 2
        assert len({r.year for r in members}) == len(members), label
        assert len({r.reported_by for r in members}) == 1, label


def test_migrant_counts_all_and_one_year():
    everything = remittances.migrant_counts()
    assert len(everything) == len(data.load("migrants"))
    assert everything.columns == ("Year", "Count", "What is counted", "Who reports it", "Note")
    y2023 = remittances.migrant_counts(2023)
    assert len(y2023) == 9
    assert set(y2023.column("Year")) == {2023}
    assert "650,000" in y2023.column("Count")
    assert "392,528" in y2023.column("Count")
    assert len(remittances.migrant_counts(1999)) == 0
    assert "(nothing found)" in repr(remittances.migrant_counts(1999))
    with pytest.raises(KeyError):
        y2023.column("Nope")


def test_count_range_leaves_out_the_census():
    rng = remittances.count_range()
    russia_only = [r for r in data.load("migrants") if "ALL destinations" not in r.what_is_counted
                   and "UNOFFICIAL" not in r.what_is_counted]
    assert rng.n == len(russia_only) == 19
    assert rng.lowest.count == min(r.count for r in russia_only) == 350000
    assert rng.highest.count == max(r.count for r in russia_only) == 700000
    assert rng.latest.year == 2025
    assert rng.latest.count == 525000
    assert "Ushakov" in rng.latest.reported_by
    text = repr(rng)
    assert "Lowest:  350,000 (2024" in text
    assert "Highest: 700,000 (2021" in text
    assert "964,600" not in text
    assert "1,000,000" not in text
    assert "unofficial estimates" in text


def test_migrant_chart_states_the_range_and_its_sources(_agg):
    chart = remittances.migrant_chart()
    assert "Official counts" in chart.title
    assert "350,000 to 700,000" in chart.title
    assert "an unofficial estimate reaches 1,000,000" in chart.title
    assert "10 series" in chart.alt_text
    assert "964,600" in chart.alt_text
    assert "Unofficial estimate" in chart.alt_text
    assert "data/migrants.csv" in chart.source_line
    assert repr(chart) == repr(remittances.migrant_chart())  # the same text on every run


# --- the article's claim -----------------------------------------------------------------------------------


def test_article_claim_gives_the_two_sentences_and_the_research_note():
    claim = remittances.article_claim()
    assert len(claim.sentences) == 2
    assert "hundreds of thousands of Kyrgyz citizens working in Russia" in claim.sentences[0]
    assert claim.sentences[1].startswith("Labor migration and remittances")
    assert "24.kg" in claim.finding
    assert "reported speech" in claim.finding
    assert "para. II.3" in claim.citation
    assert "<blockquote>" in claim._repr_html_()
    assert "&quot;" in claim._repr_html_()


def test_article_claim_without_a_matching_quotation_says_nothing_recorded():
    claim = remittances.article_claim("II.3", words=("remittances",))
    assert claim.finding == "nothing recorded"
    assert len(claim.sentences) == 1


# --- remittances as a share of GDP -------------------------------------------------------------------------


def test_wdi_coverage():
    cov = remittances.wdi_coverage()
    assert (cov.first, cov.last, cov.missing_inside, cov.other_years) == (2008, 2022, (), (2010, 2019, 2024))
    assert "2023 onwards" in repr(cov)


def test_remittance_chart_title_matches_the_data(_agg):
    chart = remittances.remittance_chart()
    wdi = [r.value for r in data.load("remittances") if r.source_id == "wb-wdi-remit-pct"]
    assert min(wdi) > 20
    assert max(wdi) < 100 / 3
    assert "between a fifth and a third" in chart.title
    assert "2008 to 2022" in chart.title
    assert "4 series" in chart.alt_text
    assert "rounded to 2 decimals" in chart.alt_text


# --- money transfers -----------------------------------------------------------------------------------------


def test_transfer_figures_label_partial_years_and_leave_out_the_gdp_share():
    table = remittances.transfer_figures()
    rows = [r for r in data.load("remittances") if r.measure != "personal_remittances_pct_gdp"]
    assert len(table) == len(rows)
    periods = table.column("Period")
    assert periods.count("whole year") == sum(1 for r in rows if not r.measure.endswith(("jan_may", "jan_jun",
                                                                                         "jan_nov", "part_year")))
    assert "January-May only" in periods
    assert "January-November only" in periods
    assert "part of a year (period not stated exactly)" in periods  # the NBKR's 'about 95 percent' of June 2018
    assert table.column("Year") == sorted(table.column("Year"))
    assert "2,406,850,000" in table.column("Value")


def test_transfer_chart_for_2017_and_a_year_without_figures(_agg):
    chart = remittances.transfer_chart()
    assert "3 bars" in chart.alt_text
    assert "Central Bank of Russia" in chart.alt_text
    with pytest.raises(ValueError, match="no whole-year"):
        remittances.transfer_chart(2011)


def test_value_reads_one_figure_and_explains_ambiguity():
    assert remittances.value(2021, "personal_remittances_pct_gdp") == 32.56
    assert remittances.value(2017, "money_transfers_inflow_usd") == 2.4
    assert remittances.value(2017, "transfers_from_russia_usd", source_id="vesti-uz-2018-cbr") == 2.21
    with pytest.raises(LookupError, match="2 sources") as err:
        remittances.value(2017, "transfers_from_russia_usd")
    assert "trend-2018-remit" in str(err.value)
    assert "vesti-uz-2018-cbr" in str(err.value)
    with pytest.raises(LookupError, match="measures in data/remittances.csv are"):
        remittances.value(2017, "no_such_measure")
    with pytest.raises(LookupError, match="no 'personal_remittances_pct_gdp' for 1990$"):
        remittances.value(1990, "personal_remittances_pct_gdp")


# --- the what-if: arithmetic ---------------------------------------------------------------------------------


def test_base_figures_come_from_the_data_with_their_sources():
    base = remittances.base_figures()
    assert (base.year, base.total_usd_bn, base.from_russia_usd_bn, base.pct_gdp) == (2017, 2.4, 2.2, 32.27)
    assert [f.source["id"] for f in base.figures] == ["trend-2018-remit", "trend-2018-remit", "wb-wdi-remit-pct"]
    text = repr(base)
    assert "Trend News Agency" in text
    assert "32.27" in text
    assert "approximate" in text
    assert "<table" in base._repr_html_()
    with pytest.raises(LookupError):
        remittances.base_figures(2019)


@pytest.mark.parametrize(("amount", "pct", "expected"), [(2.2, 0, 2.2), (2.2, 50, 1.1), (2.2, 100, 0.0),
                                                          (1.0, 12.5, 0.875)])
def test_the_two_falls(amount, pct, expected):
    assert remittances.after_migrant_fall(amount, pct) == pytest.approx(expected)
    assert remittances.after_ruble_fall(amount, pct) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [-1, 101, float("nan"), float("inf"), True, "20", None])
def test_the_falls_reject_what_is_not_a_percent(bad):
    with pytest.raises(ValueError):
        remittances.after_migrant_fall(1.0, bad)
    with pytest.raises(ValueError):
        remittances.after_ruble_fall(1.0, bad)
    with pytest.raises(ValueError):
        remittances.scenario(ruble_fall=bad)


def test_no_change_gives_the_base():
    s = remittances.scenario()
    assert s.total == pytest.approx(2.4)
    assert s.pct_gdp == pytest.approx(32.27)
    assert s.change_usd_bn == pytest.approx(0)
    assert s.change_pp == pytest.approx(0)
    assert "no change" in repr(s)


def test_a_ruble_fall_of_a_fifth():
    s = remittances.scenario(ruble_fall=20)
    assert s.from_russia == pytest.approx(1.76)
    assert s.from_elsewhere == pytest.approx(0.2)
    assert s.total == pytest.approx(1.96)
    assert s.pct_gdp == pytest.approx(32.27 * 1.96 / 2.4)
    assert round(s.pct_gdp, 2) == 26.35  # the answer of quiz 03-what-if-ruble
    assert s.change_pct == pytest.approx(-100 * 0.44 / 2.4)
    assert "26.35% (−5.92 percentage points)" in repr(s)


def test_both_falls_multiply_and_their_order_does_not_matter():
    s = remittances.scenario(ruble_fall=50, migrant_fall=50)
    assert s.from_russia == pytest.approx(2.2 * 0.5 * 0.5)
    b = remittances.base_figures()
    assert remittances.after_ruble_fall(remittances.after_migrant_fall(2.2, 30), 10) == pytest.approx(
        remittances.after_migrant_fall(remittances.after_ruble_fall(2.2, 10), 30))
    everything_gone = remittances.scenario(ruble_fall=100, base=b)
    assert everything_gone.total == pytest.approx(b.total_usd_bn - b.from_russia_usd_bn)


def test_bigger_falls_never_raise_the_result():
    last = math.inf
    for pct in range(0, 101, 5):
        s = remittances.scenario(ruble_fall=pct, migrant_fall=pct / 2)
        assert s.pct_gdp <= last
        last = s.pct_gdp


def test_scenario_text_is_stable_and_html_is_escaped():
    s = remittances.scenario(migrant_fall=50)
    assert repr(s) == repr(remittances.scenario(migrant_fall=50))
    assert repr(s).splitlines()[0].startswith("What if the ruble loses 0% of its value")
    assert "$1.30 billion (−$1.10 billion; −45.8%)" in repr(s)
    html = s._repr_html_()
    assert html.startswith("<table")
    assert "<caption" in html
    assert 'scope="row"' in html


# --- the what-if: sliders ------------------------------------------------------------------------------------


def test_what_if_starts_at_the_base_and_follows_the_sliders():
    w = remittances.what_if()
    assert (w.ruble_fall, w.migrant_fall) == (0, 0)
    assert "32.27% (no change)" in w.result_html
    assert "32.27% (no change)" in w.summary
    w.set_state({"ruble_fall": 20})  # what a browser's update message does
    assert w.current.ruble_fall_pct == 20
    assert "26.35%" in w.result_html
    assert w.summary == ("Model result: all money transfers $1.96 billion (−$0.44 billion; −18.3%); remittances as "
                         "a share of GDP 26.35% (−5.92 percentage points).")
    w.set_state({"migrant_fall": 50})
    assert w.current.from_russia == pytest.approx(2.2 * 0.8 * 0.5)
    assert "50% fewer" in w.result_html
    assert w.result_html == w.current._repr_html_()
    assert w.summary.startswith("Model result: all money transfers $1.08 billion")
    w.ruble_fall = 0  # from Python (a notebook cell), as well
    w.migrant_fall = 0
    assert "32.27% (no change)" in w.result_html
    assert "32.27% (no change)" in w.summary
    assert repr(w) == repr(remittances.scenario())


def test_what_if_sends_its_results_to_the_browser(monkeypatch):
    w = remittances.what_if()
    sent = []  # what the kernel sends to the browser
    monkeypatch.setattr(w.comm, "publish_msg", lambda msg_type, data=None, **_: sent.append(data))
    # the message a browser sends when a slider moves, through the widget's comm
    w.comm.handle_msg({"content": {"data": {"method": "update", "state": {"ruble_fall": 10}, "buffer_paths": []}},
                       "buffers": []})
    assert w.ruble_fall == 10
    updates = [m["state"] for m in sent if m["method"] == "update"]
    assert [set(u) for u in updates] == [{"summary", "result_html"}]  # both in one message; no echo of the value
    assert "10% of its value" in updates[0]["result_html"]
    assert updates[0]["summary"] == w.summary
    state = w.get_state()
    assert state["ruble_fall"] == 10
    assert "10% of its value" in state["result_html"]
    assert state["summary"] == w.summary


@pytest.mark.parametrize(("sent", "kept"), [(-5, 0), (3, 5), (12, 10), (50, 50), (55, 50), (1000, 50)])
def test_what_if_keeps_values_on_the_sliders_range_and_steps(sent, kept):
    w = remittances.what_if()
    w.set_state({"ruble_fall": sent, "migrant_fall": sent})
    assert (w.ruble_fall, w.migrant_fall) == (kept, kept)
    assert w.current == remittances.scenario(kept, kept)
    assert remittances.what_if(ruble_fall=sent).ruble_fall == kept


def test_what_if_starts_where_it_is_told():
    w = remittances.what_if(ruble_fall=20, migrant_fall=10)
    assert (w.ruble_fall, w.migrant_fall) == (20, 10)
    assert w.current == remittances.scenario(20, 10)
    assert "26.35%" not in w.summary
    assert w.result_html == remittances.scenario(20, 10)._repr_html_()


def test_what_if_shows_text_without_a_kernel():
    w = remittances.what_if()
    bundle = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == repr(remittances.scenario()) + "\n(Run the notebook to move the sliders.)"
    assert "Run the notebook to move the sliders" in bundle["text/html"]
    assert "The model assumes" in bundle["text/html"]
    assert bundle["text/plain"] == remittances.what_if()._repr_mimebundle_()["text/plain"]


def test_what_if_lists_every_assumption_and_labels_its_sliders():
    w = remittances.what_if()
    for a in remittances.ASSUMPTIONS:
        assert a.replace("'", "&#x27;") in w.notes_html
    assert [s["name"] for s in w.sliders] == ["ruble_fall", "migrant_fall"]
    ruble, migrants = w.sliders
    assert "ruble" in ruble["label"].lower()
    assert "migrants" in migrants["label"].lower()
    for s in w.sliders:
        assert (s["min"], s["max"], s["step"]) == (0, 50, 5)
        assert s["valuetext"].startswith("{value} percent ")
    assert ruble["valuetext"].format(value=20) == "20 percent fall"
    assert "arrow keys" in w.intro_html
    assert "Home" in w.intro_html


def test_what_if_view_is_built_for_the_keyboard_and_screen_readers():
    """The browser half draws what unit tests cannot click: a real range input per slider with its own label and
    a value in words, a live region for the result, and keys kept from JupyterLab's command mode
    (tests/browser run it; axe fails on any unnamed slider)."""
    esm = str(remittances.WhatIf._esm)
    assert 'type: "range"' in esm
    assert "h(\"label\", { for: id" in esm
    assert "aria-valuetext" in esm
    assert 'role: "status"' in esm
    assert '"aria-live": "polite"' in esm
    assert 'window.addEventListener("keydown", guardKeys, true)' in esm
    assert "stopPropagation" in esm
    assert "noUi" not in esm
    assert "role: \"slider\"" not in esm


def test_what_if_is_drawn_by_the_shared_view():
    w = remittances.what_if()
    assert isinstance(w, remittances.WhatIf)
    assert w.view == "whatif"
    assert "whatif: renderWhatIf" in str(w._esm)


# --- sources ---------------------------------------------------------------------------------------------------


def test_sources_cover_the_article_and_both_tables():
    lines = remittances.sources()
    assert lines[0].startswith("Times Tengri")
    assert "II.3" in lines[0]
    assert any("24.kg news agency [news agency], Japarov to Putin" in line for line in lines)
    for name in ("migrants", "remittances"):
        for citation in data.sources(name):
            assert citation in lines


# --- exercise checks --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [26.58 - 32.56, -5.98, -5.975, -5.985])
def test_pp_change_right(answer, progress_dir):
    result = check("03-pp-change", answer)
    assert result.ok
    assert "−5.98 percentage points" in result.message


@pytest.mark.parametrize(("answer", "hint"), [
    (5.98, "sign"),
    (-18.37, "percent of the 2021 value"),
    (18.37, "percent of the 2021 value"),
    (-0.1837, "percent of the 2021 value"),
    (26.58, "one of the two shares"),
    (32.56, "one of the two shares"),
    (-3.0, "value(2022"),
    ("-5.98", "text"),
    ([26.58, 32.56], "one number"),
    (True, "one number"),
    (float("nan"), "one number"),
])
def test_pp_change_wrong_gives_a_hint_not_the_answer(answer, hint, progress_dir):
    result = check("03-pp-change", answer)
    assert not result.ok
    assert hint in result.message
    assert "5.98" not in result.message


@pytest.mark.parametrize("answer", [2.2 / 2.4 * 100, 91.67, 91.7, 91.6])
def test_share_from_russia_right(answer, progress_dir):
    result = check("03-share-from-russia", answer)
    assert result.ok
    assert "91.67%" in result.message
    assert "'about 95 percent'" in result.message


@pytest.mark.parametrize(("answer", "hint"), [
    (2.2 / 2.4, "fraction"),
    (2.4 / 2.2 * 100, "wrong way round"),
    (2.4 / 2.2, "wrong way round"),
    (100 - 2.2 / 2.4 * 100, "did NOT come from Russia"),
    (2.21 / 2.4 * 100, "Central Bank of Russia"),
    (94, "January-May"),
    (97, "January-May"),
    (95, "the National Bank itself published"),
    (50, "Divide the money from Russia"),
    ("91.67", "text"),
    ({"share": 91.67}, "one number"),
    (float("inf"), "one number"),
])
def test_share_from_russia_wrong_gives_a_hint_not_the_answer(answer, hint, progress_dir):
    result = check("03-share-from-russia", answer)
    assert not result.ok
    assert hint in result.message
    assert "91.6" not in result.message


def test_missing_answers_are_hints_not_errors(progress_dir):
    for exercise_id in ("03-pp-change", "03-share-from-russia"):
        assert "Not answered yet" in repr(check(exercise_id, ...))
        assert not check(exercise_id, None).ok


def test_checks_are_recorded_under_notebook_03(progress_dir):
    from course.quiz.progress import store

    check("03-pp-change", 5.98)
    check("03-share-from-russia", 91.67)
    recs = [r for r in store().attempts() if r["kind"] == "exercise"]
    assert [(r["notebook"], r["question"], r["correct"]) for r in recs] == [
        ("03_migration_and_remittances", "03-pp-change", False),
        ("03_migration_and_remittances", "03-share-from-russia", True),
    ]

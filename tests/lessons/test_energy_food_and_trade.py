"""Tests for course.lessons.energy_food_and_trade:
a partner's share, the Herfindahl-Hirschman index, reading figures by partner from
one source, the display helpers, and the checks of notebook 04's exercises."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.exercises import check
from course.lessons import energy_food_and_trade as dependence
from course.lessons.energy_food_and_trade import by_partner, hhi, share, shares

# --- share: hand-computed cases ---------------------------------------------------------------------------


def test_share_of_three_out_of_four_is_75_percent():
    assert share({"A": 3, "B": 1}, "A") == 75.0
    assert share({"A": 3, "B": 1}, "B") == 25.0


def test_share_of_a_single_partner_is_100_percent():
    assert share({"Russia": 238.2}, "Russia") == 100.0


def test_share_with_decimals_and_a_zero_partner():
    assert share({"A": 0.5, "B": 1.5, "C": 0}, "B") == pytest.approx(75.0)
    assert share({"A": 0.5, "B": 1.5, "C": 0}, "C") == 0.0


def test_shares_keep_the_order_and_add_up_to_100():
    result = shares({"Russia": 351.4, "Kazakhstan": 19.4})
    assert list(result) == ["Russia", "Kazakhstan"]
    assert sum(result.values()) == pytest.approx(100.0)
    assert result["Russia"] == pytest.approx(100 * 351.4 / 370.8)


@pytest.mark.parametrize(
    "values, partner, error, words",
    [
        ([351.4, 19.4], "Russia", TypeError, "dict of partner"),
        ({}, "Russia", ValueError, "empty"),
        ({"Russia": 1}, "China", KeyError, "There is no partner 'China'"),
        ({"Russia": -1, "China": 2}, "China", ValueError, "negative"),
        ({"Russia": "351.4"}, "Russia", TypeError, "must be a number"),
        ({"Russia": True}, "Russia", TypeError, "must be a number"),
        ({"Russia": math.nan}, "Russia", ValueError, "finite"),
        ({"Russia": 0, "China": 0}, "China", ValueError, "add up to 0"),
    ],
)
def test_share_rejects_bad_input_with_a_clear_message(values, partner, error, words):
    with pytest.raises(error) as info:
        share(values, partner)
    assert words in str(info.value)


def test_an_unknown_partner_lists_the_known_ones_in_plain_text():
    with pytest.raises(KeyError) as info:
        share({"Russia": 1, "Kazakhstan": 2}, "russia")
    assert str(info.value).startswith("There is no partner 'russia' in these figures. Did you mean 'Russia'?")
    assert "The partners in these figures are: 'Russia', 'Kazakhstan'." in str(info.value)


# --- hhi: hand-computed cases ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given_shares, expected",
    [
        ([100], 10000),  # one partner: the maximum
        ([50, 50], 5000),  # two equal halves: 50² + 50²
        ([60, 30, 10], 4600),  # 3600 + 900 + 100
        ([25, 25, 25, 25], 2500),  # n equal partners: 10,000 / n
        ([90, 10], 8200),  # 8100 + 100
        ({"Russia": 80, "China": 20}, 6800),  # a dict: its values are the shares
        ((70, 30), 5800),  # a tuple works like a list
    ],
)
def test_hhi_hand_computed(given_shares, expected):
    assert hhi(given_shares) == pytest.approx(expected)


def test_hhi_accepts_shares_rounded_to_one_decimal():
    assert hhi([94.8, 5.2]) == pytest.approx(94.8**2 + 5.2**2)
    assert hhi([33.3, 33.3, 33.3]) == pytest.approx(3 * 33.3**2)  # adds up to 99.9


@pytest.mark.parametrize(
    "bad, error, words",
    [
        ([0.9, 0.1], ValueError, "fractions"),
        ([60, 30], ValueError, "add up to 90"),
        ([], ValueError, "empty"),
        ("50,50", TypeError, "list of numbers"),
        (5000, TypeError, "list of numbers"),
        (["50", "50"], TypeError, "must be a number"),
        ([110, -10], ValueError, "negative"),
        ([math.inf, 0], ValueError, "finite"),
    ],
)
def test_hhi_rejects_bad_input_with_a_clear_message(bad, error, words):
    with pytest.raises(error) as info:
        hhi(bad)
    assert words in str(info.value)


@given(st.lists(st.floats(min_value=0.001, max_value=1e6, allow_nan=False), min_size=1, max_size=12))
def test_hhi_of_any_set_of_amounts_lies_between_its_bounds(amounts):
    values = {f"P{i}": a for i, a in enumerate(amounts)}
    index = hhi(shares(values))
    n = len(values)
    assert 10000 / n - 1e-6 <= index <= 10000 + 1e-6


# --- reading figures by partner ----------------------------------------------------------------------------


def test_wheat_2023_by_partner_from_one_source():
    wheat = by_partner("food", year=2023, product="wheat", measure="imports")
    assert dict(wheat) == {"Russia": 351.4, "Kazakhstan": 19.4}
    assert wheat.total == 370.8
    assert wheat.unit == "thousand tonnes"
    assert {r.source_id for r in wheat.records} == {"eadaily-2024-04-18-wheat"}
    assert sum(shares(wheat).values()) == pytest.approx(100.0)


def test_gas_jan_aug_2023_by_partner_and_its_period_in_words():
    gas = by_partner("energy", year=2023, product="natural gas", measure="imports_jan_aug")
    assert dict(gas) == {"Russia": 233.663, "Uzbekistan": 27.009}
    assert gas.caption.startswith("Natural gas, January-August 2023: imports by partner. Whose figures: Trend")
    text = repr(gas)
    assert "The partners listed add up to 260.672 million cubic metres." in text
    assert "own total for all partners: 260.673 million cubic metres (National Statistical Committee" in text
    assert "<table" in gas._repr_html_()
    assert "260.672" in gas._repr_html_()


def test_by_partner_refuses_to_mix_sources_and_says_how_to_choose():
    with pytest.raises(ValueError, match="3 sources.*source="):
        by_partner("food", year=2023, product="wheat", measure="imports_jan_jul")
    with pytest.raises(ValueError, match="only a total, no figure by partner"):  # this source gives only the total
        by_partner("food", year=2023, product="wheat", measure="imports_jan_jul", source="bishkekpost-2023-10-17-flour")


def test_by_partner_refuses_to_mix_units():
    # one source, but Turkey's row is in kg and the others in tonnes: they cannot be added up
    with pytest.raises(ValueError, match="different units"):
        by_partner("food", year=2023, product="wheat", measure="imports_jan_jul",
                   source="astanaherald-2023-10-17-wheat")


def test_by_partner_with_lower_bounds_says_shares_are_approximate():
    flour = by_partner("food", year=2023, product="flour", measure="imports")
    assert "lower bounds" in repr(flour)


def test_by_partner_with_no_match_lists_what_the_table_has():
    with pytest.raises(ValueError, match="For this product the table has: .*2023 imports"):
        by_partner("food", year=1999, product="wheat", measure="imports")


def test_by_partner_works_on_the_trade_table_with_its_flow_column():
    imports = by_partner("trade", year=2022, measure="imports")
    assert dict(imports) == {"Kazakhstan": 770.215}
    assert imports.unit == "USD million"


# --- display helpers -----------------------------------------------------------------------------------------


def test_figures_show_whose_figure_and_years_without_separators():
    table = dependence.figures("trade", year=2024, partner="China")
    assert table.columns == ("Year", "Partner", "Flow", "Value", "Unit", "Reporter", "Published by", "Note")
    assert [row[0] for row in table] == ["2024", "2024", "2024"]
    assert table.column("Reporter")[0] == "General Administration of Customs of China"
    assert table.column("Published by")[0].endswith("(2025)")


def test_figures_accept_a_list_meaning_any_of_and_format_big_numbers():
    table = dependence.figures("energy", measure="duty_free_indicative_balance", product=["gasoline", "diesel"])
    assert table.column("Value") == ["560,000", "390,000", "460,000", "485,000"]


def test_figures_name_the_columns_when_one_is_unknown():
    with pytest.raises(TypeError, match="no column 'country'.*partner"):
        dependence.figures("trade", country="China")


def test_facts_show_a_month_only_date_without_a_day():
    table = dependence.facts("gas_ownership")
    assert "2014-04" in table.column("Date")
    assert "2013-12" in table.column("Date")
    assert "2014-04-10" in table.column("Date")
    assert "no date in the source" in table.column("Date")
    assert "RT (2014)" in table.column("Published by")


def test_facts_of_an_unknown_topic_list_the_topics():
    with pytest.raises(KeyError, match="topics in data/energy_facts.csv are: 'gas_ownership'"):
        dependence.facts("oil")


def test_value_needs_exactly_one_row():
    assert dependence.value("trade", year=2023, partner="total", flow="turnover") == 15.66
    with pytest.raises(ValueError, match="2 rows"):
        dependence.value("trade", year=2023, partner="China")


def test_labels_for_charts():
    rows = {(r.year, r.partner, r.measure): r for r in dependence.data.load("food")}
    rail = rows[(2022, "Russia", "rail_shipments_from_russia")]
    assert dependence.bar_label(rail) == "Russia: shipped by rail, as counted by Russian Railways"
    assert dependence.bar_label(rows[(2023, "Kazakhstan", "imports")]) in {"Kazakhstan", "Kazakhstan (at least)"}
    gas = next(r for r in dependence.data.load("energy") if r.measure == "imports_jan_mar" and r.year == 2024)
    assert dependence.period(gas) == "January-March 2024"
    assert dependence.group_label(gas) == "Natural gas, January-March 2024 (Neftegaz/Oilcapital)"
    trade = next(r for r in dependence.data.load("trade") if r.source_id == "prime-2025-ushakov")
    assert dependence.bar_label(trade) == "Russian presidential aide Yury Ushakov (PRIME)"


# --- the exercise checks --------------------------------------------------------------------------------------


def _wheat_shares():
    return list(shares(by_partner("food", year=2023, product="wheat", measure="imports")).values())


def _gas_hhi():
    return hhi(shares(by_partner("energy", year=2023, product="natural gas", measure="imports_jan_aug")))


def test_wheat_shares_right_answers():
    right = _wheat_shares()
    for answer in (right, tuple(right), list(reversed(right)), [round(s, 1) for s in right],
                   {"Russia": right[0], "Kazakhstan": right[1]}):
        result = check("04-wheat-shares", answer, record=False)
        assert result.ok, (answer, result.message)
    assert "your calculation" in check("04-wheat-shares", right, record=False).message


@pytest.mark.parametrize(
    "answer, hint",
    [
        ([0.9477, 0.0523], "fractions"),
        ([94.77], "2 partners"),
        ([90, 20], "must add up"),
        ([50, 50], "do not match"),
        ([95, 5], "round"),
        (94.77, "one number"),
        ("94.77, 5.23", "list of numbers"),
        (["94.77", "5.23"], "no quotation marks"),
        ([], "0 share"),
        ({"Russia": 94.77, "China": 5.23}, "not a partner"),
        ({"Russia": 5.2319, "Kazakhstan": 94.7681}, "do not match"),  # the right numbers, swapped partners
        ([math.nan, 100], "list of numbers"),
    ],
)
def test_wheat_shares_wrong_answers_get_a_hint(answer, hint):
    result = check("04-wheat-shares", answer, record=False)
    assert not result.ok
    assert hint in result.message, result.message


def test_wheat_hhi_right_answers():
    right = hhi(_wheat_shares())
    for answer in (right, round(right), round(right, 1), 94.8**2 + 5.2**2):
        assert check("04-wheat-hhi", answer, record=False).ok, answer
    assert "your calculation" in check("04-wheat-hhi", right, record=False).message


@pytest.mark.parametrize(
    "answer, hint",
    [
        (100.0, "Square the shares first"),
        (10000, "100 squared"),
        (0.9008, "fractions"),
        (94.76806903991371**2, "only Russia's share squared"),
        (5.2319309600862995**2, "only Kazakhstan's share squared"),
        (12000, "never be more than 10,000"),
        (9050, "round"),  # 95² + 5²
        (6000, "Not yet"),
        ([8981.0, 27.4], "one number"),
        ("9008", "one number"),
        (math.inf, "one number"),
        (True, "one number"),
    ],
)
def test_wheat_hhi_wrong_answers_get_a_hint(answer, hint):
    result = check("04-wheat-hhi", answer, record=False)
    assert not result.ok
    assert hint in result.message, result.message


def test_gas_hhi_right_and_the_wheat_index_by_mistake():
    assert check("04-gas-hhi", _gas_hhi(), record=False).ok
    mixed_up = check("04-gas-hhi", hhi(_wheat_shares()), record=False)
    assert not mixed_up.ok
    assert "other figures" in mixed_up.message
    mixed_up = check("04-wheat-hhi", _gas_hhi(), record=False)
    assert not mixed_up.ok
    assert "other figures" in mixed_up.message


@pytest.mark.parametrize("exercise_id", ["04-wheat-shares", "04-wheat-hhi", "04-gas-hhi"])
@pytest.mark.parametrize("odd", [None, ..., "", object(), {"a": object()}, -1, float("nan")])
def test_odd_answers_never_raise(exercise_id, odd):
    result = check(exercise_id, odd, record=False)
    assert not result.ok
    assert result.message


def test_a_check_is_recorded_in_the_progress_file(progress_dir):
    from course.quiz.progress import store

    check("04-wheat-hhi", 100.0)
    (attempt,) = store().attempts(question="04-wheat-hhi")
    assert attempt["kind"] == "exercise"
    assert attempt["correct"] is False
    assert attempt["notebook"] == "04_energy_food_and_trade"

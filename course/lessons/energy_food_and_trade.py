"""Measuring dependence on trade partners: a partner's share, and how concentrated imports are.

Notebook 04 (energy, food and trade) calls these helpers.

    from course.lessons import energy_food_and_trade as dependence
    from course.lessons.energy_food_and_trade import by_partner, hhi, share

    wheat = by_partner("food", year=2023, product="wheat", measure="imports")   # one source, one year
    share(wheat, "Russia")                 # Russia's share of the partners' total, in percent
    hhi([94.8, 5.2])                       # Herfindahl-Hirschman index of shares given in percent
    dependence.figures("trade", year=2024) # every row of a table that matches, with whose figure it is
    dependence.facts("gas_ownership")      # the text facts of data/energy_facts.csv on one topic

**The two measures.**

* A partner's **share** is its amount divided by the total of all partners, times 100:
  ``share = 100 * amount / total``. The shares of all partners add up to 100.
* The **Herfindahl-Hirschman index** (HHI) squares each partner's share (in percent) and adds the squares:
  ``HHI = s1² + s2² + ...``. With a single partner it is 100² = 10,000, the highest possible value. With ``n``
  partners of equal size it is 10,000 / n (two equal partners: 5,000), the lowest possible value for ``n``
  partners. The more the amounts are concentrated on one partner, the closer the index is to 10,000. Squaring
  makes large shares count much more than small ones.

Shares only make sense **within one set of figures**: one source (whose statistics), one period, one unit.
``by_partner`` refuses to mix sources, periods or units, and says how to choose.

``share`` and ``hhi`` are pure functions (no data files, no side effects). The exercise checks of notebook 04
(``04-wheat-shares``, ``04-wheat-hhi``, ``04-gas-hhi``) are registered here; they give a hint, not the answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .. import data
from ..errors import CourseNameError, CourseTypeError, CourseValueError, unknown_name
from ..exercises import exercise
from ..numbers import as_numbers, for_people
from ..tables import Table

__all__ = [
    "PartnerFigures",
    "by_partner",
    "facts",
    "figures",
    "group_label",
    "hhi",
    "bar_label",
    "period",
    "share",
    "shares",
    "value",
]

#: ``partner`` values that are not a supplying country: totals and the like.
NOT_A_PARTNER = ("all partners", "not applicable", "domestic production", "domestic refineries")
#: How close to 100 the shares given to ``hhi`` must add up (rounding to one decimal is fine).
SUM_TOLERANCE = 0.5

_PERIODS = {
    "jan_mar": "January-March",
    "jan_apr": "January-April",
    "jan_may": "January-May",
    "jan_jun": "January-June",
    "jan_jul": "January-July",
    "jan_aug": "January-August",
    "jan_sep": "January-September",
    "jan_nov": "January-November",
    "first_half": "first half of",
    "part_year": "part of",
}
_MEASURE_WORDS = {
    "rail_shipments_from_russia": "shipped by rail, as counted by Russian Railways",
}


# --------------------------------------------------------------------------------------------------
# The two measures (pure functions)
# --------------------------------------------------------------------------------------------------


class PartnerError(CourseNameError):
    """A partner (or topic) that is not in the figures. A ``KeyError`` whose message prints as plain text."""


def _number(v: Any, what: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise CourseTypeError(f"{what} must be a number, not {type(v).__name__} ({v!r})")
    if not math.isfinite(v):
        raise CourseValueError(f"{what} must be a finite number, not {v!r}")
    if v < 0:
        raise CourseValueError(f"{what} must not be negative ({v!r})")
    return float(v)


def share(values: Mapping[str, float], partner: str) -> float:
    """``partner``'s share of the total of ``values``, in percent: ``100 * values[partner] / sum(values)``.

    ``values`` maps each partner to an amount, all in one unit and from one source, e.g.
    ``{"Russia": 351.4, "Kazakhstan": 19.4}``. The total is the sum of the amounts given, so list every partner.
    """
    if not isinstance(values, Mapping):
        raise CourseTypeError(
            "values must be a dict of partner: amount, e.g. {'Russia': 351.4, 'Kazakhstan': 19.4} "
            f"(got {type(values).__name__})"
        )
    if not values:
        raise CourseValueError("values is empty: give at least one partner and its amount")
    amounts = {name: _number(v, f"the amount for {name!r}") for name, v in values.items()}
    if partner not in amounts:
        raise unknown_name("partner", partner, list(amounts), where=" in these figures", cls=PartnerError)
    total = sum(amounts.values())
    if total == 0:
        raise CourseValueError("the amounts add up to 0, so no share can be calculated")
    return 100 * amounts[partner] / total


def shares(values: Mapping[str, float]) -> dict[str, float]:
    """Every partner's share of ``values`` in percent, in the same order: ``{partner: share}``."""
    return {name: share(values, name) for name in values}


def hhi(shares: Iterable[float] | Mapping[str, float]) -> float:
    """The Herfindahl-Hirschman index of ``shares`` given in percent: the sum of the squared shares.

    ``shares`` is a list of percentages (or a dict partner: percentage) that must add up to 100, give or take
    ``SUM_TOLERANCE``. The result lies between 10,000 / n (n equal partners) and 10,000 (one partner).
    """
    items = list(shares.values()) if isinstance(shares, Mapping) else shares
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise CourseTypeError(
            f"shares must be a list of numbers in percent, e.g. [94.8, 5.2] (got {type(shares).__name__})")
    nums = [_number(s, "each share") for s in items]
    if not nums:
        raise CourseValueError("shares is empty: give one share (in percent) per partner")
    total = sum(nums)
    if abs(total - 1) <= 0.01:
        raise CourseValueError(
            "the shares add up to 1: they look like fractions. Give them in percent (multiply each by 100), "
            "so that they add up to 100"
        )
    if abs(total - 100) > SUM_TOLERANCE:
        raise CourseValueError(
            f"the shares add up to {_fmt(round(total, 3))}, but shares of all partners must add up to 100. "
            "Give one share for every partner, each calculated from the same total"
        )
    return sum(s * s for s in nums)


# --------------------------------------------------------------------------------------------------
# Reading the tables
# --------------------------------------------------------------------------------------------------


_fmt = for_people  # a value for display: thousands separators, no float noise (370.79999999999995 -> 370.8)


def _date(d: Any) -> str:
    """A date for display. The data store the 1st of the month (or 1 January) when a source gives only the month
    (or the year); such dates are shown as "2014-04" (or "2013"), so no one reads a day the source never gave."""
    if d is None:
        return "no date in the source"
    if d.day != 1:
        return d.isoformat()
    return str(d.year) if d.month == 1 else f"{d.year}-{d.month:02d}"


def _cell(v: Any, ftype: str, exact_dates: bool = False) -> str:
    if v is None:
        return ""
    if ftype == "year":
        return str(v)
    if ftype == "date":
        return v.isoformat() if exact_dates else _date(v)
    return _fmt(v)


def _publisher(src: dict) -> str:
    """A short publisher name: the part before any bracket or ', citing ...'."""
    p = re.sub(r"\s*\([^)]*\)", "", src.get("publisher") or "")
    p = re.split(r",\s*(?:citing|quoting|reporting|text from|statement)\b|\s+via\s+", p)[0]
    return p.strip(" ,") or (src.get("publisher") or "").strip()


def _whose(src: dict) -> str:
    year = src.get("year")
    return f"{src.get('publisher')} ({'n.d.' if year is None else year})"


def _matches(record: Any, where: Mapping[str, Any]) -> bool:
    for name, wanted in where.items():
        have = getattr(record, name)
        if isinstance(wanted, (list, tuple, set, frozenset)):
            if have not in wanted:
                return False
        elif have != wanted:
            return False
    return True


def _select(table: str, where: Mapping[str, Any]) -> list:
    rows = data.load(table)
    fields = [f["name"] for f in data.describe(table)["fields"]]
    unknown = [k for k in where if k not in fields]
    if unknown:
        raise unknown_name("column", unknown[0], fields, where=f" in the {table!r} table", cls=CourseTypeError)
    return [r for r in rows if _matches(r, where)]


def figures(table: str, **where: Any) -> Table:
    """The rows of ``table`` whose columns equal the values given (a list means "any of these"), with whose
    figure each one is. ``figures("trade", year=2024)``, ``figures("energy", product=["gasoline", "diesel"])``."""
    rows = _select(table, where)
    described = data.describe(table)["fields"]
    types = {f["name"]: f["type"] for f in described}
    fields = [f["name"] for f in described if f["name"] not in ("source_id", "note")]
    has_note = "note" in types
    columns = [f.replace("_", " ").capitalize() for f in fields] + ["Published by"] + (["Note"] if has_note else [])
    body = []
    for r in rows:
        cells = [_cell(getattr(r, f), types[f], "date_precision" in types) for f in fields] + [_whose(r.source)]
        if has_note:
            cells.append(r.note or "")
        body.append(tuple(cells))
    shown = ", ".join(f"{k}={v!r}" for k, v in where.items())
    caption = f"data/{table}.csv" + (f", rows with {shown}" if shown else "") + f": {len(body)} row(s)"
    return Table(caption, tuple(columns), tuple(body))


def facts(topic: str | Iterable[str]) -> Table:
    """The facts of ``data/energy_facts.csv`` on a topic (e.g. "gas_ownership"), in the file's order, with
    their date and who published them."""
    topics = [topic] if isinstance(topic, str) else list(topic)
    known = list(dict.fromkeys(r.topic for r in data.load("energy_facts")))
    unknown = [t for t in topics if t not in known]
    if unknown:
        raise unknown_name("topic", unknown[0], known, where=" in data/energy_facts.csv", cls=PartnerError)
    rows = _select("energy_facts", {"topic": topics})
    body = tuple((_date(r.date), data.fact_text(r), _whose(r.source)) for r in rows)
    return Table(f"data/energy_facts.csv, topic {' / '.join(topics)}: {len(body)} fact(s) "
                 "(a date such as 2014-04 means the source gives only the month)",
                 ("Date", "Fact", "Published by"), body)


def value(table: str, **where: Any) -> Any:
    """The value of the one row of ``table`` that matches ``where``; an error if none or several match."""
    rows = _select(table, where)
    if len(rows) != 1:
        shown = ", ".join(f"{k}={v!r}" for k, v in where.items())
        raise CourseValueError(
            f"{len(rows)} rows of data/{table}.csv match {shown}; add conditions so that exactly one does "
            f"(see dependence.figures({table!r}, {shown}))"
        )
    return rows[0].value


class PartnerFigures(dict):
    """Amounts by partner from ONE source, for one period, in one unit: a dict ``{partner: amount}``.

    Also: ``unit``, ``total`` (the source's own figure for all partners, or ``None``), ``records`` (the rows
    used) and ``caption``. Shown in a notebook as a table with whose figures they are.
    """

    def __init__(self, amounts: dict, *, unit: str, total: Any, records: list, caption: str):
        super().__init__(amounts)
        self.unit = unit
        self.total = total
        self.records = records
        self.caption = caption

    def table(self) -> Table:
        rows = [r for r in self.records if r.partner not in NOT_A_PARTNER]
        body = tuple((r.partner, _fmt(r.value), r.note or "") for r in rows)
        return Table(self.caption, ("Partner", f"Amount ({self.unit})", "Note"), body)

    def footer(self) -> list[str]:
        lines = [f"The partners listed add up to {_fmt(sum(self.values()))} {self.unit}."]
        if self.total is not None:
            note = next((r.note for r in self.records if r.partner == "all partners" and r.note), "")
            lines.append(f"The source's own total for all partners: {_fmt(self.total)} {self.unit}"
                         + (f" ({note})." if note else "."))
        if any("lower bound" in (r.note or "") for r in self.records):
            lines.append("Some figures are lower bounds ('more than ...'): "
                         "shares calculated from them are approximate.")
        return lines

    def __repr__(self) -> str:
        return repr(self.table()) + "\n" + "\n".join(self.footer())

    def _repr_html_(self) -> str:
        import html

        foot = "".join(f"<p>{html.escape(line)}</p>" for line in self.footer())
        return self.table()._repr_html_() + foot


def by_partner(table: str, *, year: int, measure: str, product: str | None = None,
               source: str | None = None) -> PartnerFigures:
    """The amounts by partner in ``table`` ("food", "energy" or "trade") for one year, measure and product.

    Rows whose partner is "all partners" give the source's own total (``.total``); other rows that are not
    a supplying country (domestic production, ...) are left out. Raises ``ValueError`` when no row matches,
    or when the rows come from several sources or are in several units: shares are only meaningful within one
    source's figures, so choose one with ``source="..."`` (a source id).
    """
    where: dict[str, Any] = {"year": year, "measure": measure}
    if product is not None:
        where["product"] = product
    if table == "trade":  # the trade table calls the measure "flow"
        where["flow"] = where.pop("measure")
    rows = _select(table, where)
    if source is not None:
        rows = [r for r in rows if r.source_id == source]
    if not rows:
        options = sorted({(r.year, getattr(r, "measure", None) or getattr(r, "flow", None))
                          for r in data.load(table)
                          if product is None or getattr(r, "product", None) == product})
        listed = "; ".join(f"{y} {m}" for y, m in options)
        raise CourseValueError(f"no rows of data/{table}.csv match {where}"
                               + (f" (source {source!r})" if source else "")
                               + (f". For this product the table has: {listed}" if listed else ""))
    ids = list(dict.fromkeys(r.source_id for r in rows))
    if len(ids) > 1:
        raise CourseValueError(
            f"these figures come from {len(ids)} sources ({', '.join(ids)}). A share is only meaningful within one "
            "source's figures: choose one with source='...'"
        )
    units = list(dict.fromkeys(r.unit for r in rows))
    if len(units) > 1:
        raise CourseValueError(f"the rows are in different units ({', '.join(units)}); they cannot be added up")
    amounts: dict[str, Any] = {}
    total = None
    for r in rows:
        if r.partner == "all partners":
            total = r.value
        elif r.partner in NOT_A_PARTNER:
            continue
        elif r.partner in amounts:
            raise CourseValueError(f"two rows for {r.partner!r} in the same source; add conditions so that one is left")
        else:
            amounts[r.partner] = r.value
    if not amounts:
        raise CourseValueError(f"the rows that match {where} give only a total, no figure by partner")
    src = rows[0].source
    what = f"{(product or table).capitalize()}, {period(rows[0])}: {_base_measure(measure)} by partner"
    caption = f"{what}. Whose figures: {_whose(src)}"
    return PartnerFigures(amounts, unit=units[0], total=total, records=rows, caption=caption)


def _base_measure(measure: str) -> str:
    """ "imports_jan_aug" -> "imports": the measure without its period."""
    for key in _PERIODS:
        if measure.endswith("_" + key):
            measure = measure[: -len(key) - 1]
            break
    return measure.replace("_", " ")


# --------------------------------------------------------------------------------------------------
# Labels for charts
# --------------------------------------------------------------------------------------------------


def period(record: Any) -> str:
    """The period a row covers, in words: "2023", "January-August 2023", ..."""
    measure = getattr(record, "measure", "") or ""
    for key, words in _PERIODS.items():
        if measure.endswith(key):
            return f"{words} {record.year}"
    return str(record.year)


def group_label(record: Any) -> str:
    """A heading for a group of bars: product, period and publisher, e.g. "Wheat, 2023 (EADaily)"."""
    return f"{record.product.capitalize()}, {period(record)} ({_publisher(record.source)})"


def bar_label(record: Any) -> str:
    """A label for one bar. Trade rows: whose statistics (the reporter) and the publisher. Other rows: the
    partner, with what is counted when it is not ordinary imports, and "at least" for a lower bound."""
    if hasattr(record, "reporter"):
        return f"{record.reporter} ({_publisher(record.source)})"
    label = record.partner
    words = _MEASURE_WORDS.get(getattr(record, "measure", ""))
    if words:
        label = f"{label}: {words}"
    if "lower bound" in (getattr(record, "note", "") or ""):
        label = f"{label} (at least)"
    return label


# --------------------------------------------------------------------------------------------------
# Exercise checks (notebook 04)
# --------------------------------------------------------------------------------------------------

SHARE_TOLERANCE = 0.06  # percentage points: shares rounded to one decimal still count
HHI_TOLERANCE = 10.0  # index points: shares rounded to one decimal before squaring still count


def _wheat() -> PartnerFigures:
    return by_partner("food", year=2023, product="wheat", measure="imports")


def _gas() -> PartnerFigures:
    return by_partner("energy", year=2023, product="natural gas", measure="imports_jan_aug")


_as_numbers = as_numbers


@exercise("04-wheat-shares", label="4.1", solution="""
    russia_share = share(wheat, "Russia")
    kazakhstan_share = share(wheat, "Kazakhstan")
    wheat_shares = [russia_share, kazakhstan_share]
""")
def _check_wheat_shares(value: Any) -> tuple[bool, str]:
    """Exercise 4.1: each partner's share of Kyrgyzstan's wheat imports in 2023, in percent."""
    wheat = _wheat()
    expected = shares(wheat)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return False, ("That is one number. Give a list with one share per partner, in square brackets: "
                       "[russia_share, kazakhstan_share].")
    nums = _as_numbers(value)
    if nums is None:
        return False, ("Give a list of numbers in square brackets, like [russia_share, kazakhstan_share]. "
                       "The shares are numbers: no quotation marks around them.")
    if isinstance(value, Mapping):
        names = list(value)
        wrong = [n for n in names if n not in expected]
        if wrong:
            return False, (f"{wrong[0]!r} is not a partner in the wheat figures; "
                           f"the partners are: {', '.join(expected)}.")
    n = len(expected)
    if len(nums) != n:
        return False, (f"You gave {len(nums)} share(s), but the wheat figures have {n} partners. "
                       "Give one share for each partner.")
    total = sum(nums)
    if abs(total - 1) <= 0.01:
        return False, ("Your shares add up to 1: they are fractions. In this module shares are in percent: "
                       "multiply by 100 (share() does this for you).")
    if abs(total - 100) > SUM_TOLERANCE:
        return False, (f"Your shares add up to {_fmt(round(total, 2))}, but the shares of all partners must add up "
                       "to 100. Did you divide each amount by the same total (the sum of all partners)?")
    if isinstance(value, Mapping):
        pairs = [(value[k], expected[k]) for k in expected]
    else:
        pairs = list(zip(sorted(nums), sorted(expected.values())))
    off = max(abs(a - b) for a, b in pairs)
    if off > 1:
        return False, ("Your shares add up to 100 but do not match the 2023 wheat figures. Use the `wheat` figures "
                       "loaded above, and share(wheat, partner) for each partner.")
    if off > SHARE_TOLERANCE:
        return False, "Close. Did you round the shares? Keep them as share() gives them."
    parts = ", ".join(f"{p} {s:.1f}%" for p, s in expected.items())
    return True, (f"Right. By your calculation from the figures of {_whose(wheat.records[0].source)}: {parts}. "
                  "The shares add up to 100.")


def _check_hhi(value: Any, figures_: PartnerFigures, other: PartnerFigures | None, name: str) -> tuple[bool, str]:
    expected_shares = shares(figures_)
    expected = hhi(expected_shares)
    if isinstance(value, (list, tuple, dict)):
        return False, ("That is a list of numbers; the HHI is one number. Square each share, then add the squares "
                       "into a single number.")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return False, "The HHI is one number: square each partner's share (in percent) and add up the squares."
    if abs(value - expected) <= HHI_TOLERANCE:
        return True, (f"Right: an HHI of about {expected:,.0f} by your calculation, out of a possible 10,000 (a single "
                      f"partner). With {len(expected_shares)} partners it cannot go below "
                      f"{10000 / len(expected_shares):,.0f} (equal shares).")
    if other is not None and abs(value - hhi(shares(other))) <= HHI_TOLERANCE:
        return False, f"That is the HHI of the other figures. Use the {name} figures for this one."
    if abs(value - 100) <= 1:
        return False, "You added the shares: they always add up to 100. Square the shares first, then add the squares."
    if abs(value - 10000) <= 1:
        return False, ("That is 100 squared: you added the shares and then squared the sum. Square each share "
                       "first, then add the squares.")
    if 0 < value <= 1.0001:
        return False, ("Your HHI is between 0 and 1: you used fractions. Use the shares in percent (0 to 100); "
                       "the HHI then runs up to 10,000.")
    for partner, s in expected_shares.items():
        if abs(value - s * s) <= HHI_TOLERANCE:
            return False, f"That is only {partner}'s share squared. Add the squares of every partner's share."
    if value > 10000:
        return False, ("An HHI can never be more than 10,000 (one partner with 100%). Square each share in "
                       "percent and add the squares.")
    if abs(value - expected) <= 100:
        return False, "Close. Did you round the shares before squaring them? Use them as share() gives them."
    return False, "Not yet. Square each partner's share (in percent), then add the squares."


@exercise("04-wheat-hhi", label="4.2", solution="""
    wheat_hhi = share(wheat, "Russia") ** 2 + share(wheat, "Kazakhstan") ** 2
    wheat_hhi
""")
def _check_wheat_hhi(value: Any) -> tuple[bool, str]:
    """Exercise 4.2: the HHI of Kyrgyzstan's wheat imports by partner in 2023."""
    return _check_hhi(value, _wheat(), _gas(), "wheat")


@exercise("04-gas-hhi", label="4.3", solution="""
    gas_shares = [share(gas, "Russia"), share(gas, "Uzbekistan")]
    gas_hhi = hhi(gas_shares)
    gas_hhi
""")
def _check_gas_hhi(value: Any) -> tuple[bool, str]:
    """Exercise 4.3: the HHI of Kyrgyzstan's natural gas imports by partner, January-August 2023."""
    return _check_hhi(value, _gas(), _wheat(), "gas")

"""Migration and remittances: the counts of Kyrgyz citizens in Russia, the money they send home, and a what-if.

Notebook 03 calls these helpers; each one is a few lines of plain rules, so a student can read how it works.

    from course.lessons import migration_and_remittances as remittances
    remittances.migrant_counts(2023)        # every count for 2023, with what it counts and who reports it
    remittances.migrant_chart()             # one series per reporter and kind of count
    remittances.remittance_chart()          # World Bank: remittances as a share of GDP, by year
    remittances.transfer_figures()          # the National Bank's (and others') money-transfer figures
    remittances.value(2017, "money_transfers_inflow_usd")   # one figure from data/remittances.csv
    remittances.scenario(ruble_fall=20)     # the what-if model's arithmetic, without sliders
    remittances.what_if()                   # the what-if with two sliders

**The what-if model.** Its base figures are the three that ``data/remittances.csv`` holds for one and the same
year, 2017 (the only year with all three): the National Bank of the Kyrgyz Republic's total of money transfers
into the country (about US$2.4 billion) and the part sent from Russia (US$2.2 billion), both as reported by TASS
and Trend, and the World Bank's personal remittances received as a share of GDP (32.27%). The data hold no
World Bank remittance total in US dollars for any year, so the dollar figures are the National Bank's. The model
makes these simplifications, all on purpose:

1. money sent from Russia falls in proportion to the number of Kyrgyz migrants in Russia (each migrant sends the
   same amount on average); money sent from other countries does not change;
2. money sent from Russia is earned and sent in rubles, so if the ruble loses X% of its value in US dollars,
   the dollar value of that money falls by X%; migrants do not send more rubles to make up for it;
3. GDP does not change;
4. the World Bank's share of GDP changes in the same proportion as the National Bank's transfer total (they
   measure different things, so this too is a simplification).

It is a model for thinking, not a forecast. The arithmetic is in pure functions (``after_migrant_fall``,
``after_ruble_fall``, ``scenario``), unit-tested; ``what_if`` only wires two sliders to ``scenario``.

Tables (``Table``) show as HTML in JupyterLab and as plain lines elsewhere; their rows are always in the same
order, so stored notebook outputs do not change from one run to the next.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import traitlets

from .. import article, data
from ..errors import CourseTypeError, CourseValueError, unknown_name
from ..exercises import exercise
from ..numbers import as_number, for_people
from ..quiz.widgets import CourseWidget
from ..tables import Table

__all__ = [
    "ASSUMPTIONS",
    "BASE_YEAR",
    "Base",
    "Scenario",
    "Table",
    "after_migrant_fall",
    "after_ruble_fall",
    "article_claim",
    "base_figures",
    "count_range",
    "migrant_chart",
    "migrant_counts",
    "migrant_series",
    "remittance_chart",
    "remittance_series",
    "scenario",
    "sources",
    "transfer_chart",
    "transfer_figures",
    "value",
    "wdi_coverage",
    "what_if",
]

#: The year of the what-if's base figures: the only year for which data/remittances.csv holds the National
#: Bank's total, the part sent from Russia (same source) and the World Bank share of GDP.
BASE_YEAR = 2017
_BASE_SOURCES = {
    "money_transfers_inflow_usd": "trend-2018-remit",
    "transfers_from_russia_usd": "trend-2018-remit",
    "personal_remittances_pct_gdp": "wb-wdi-remit-pct",
}

#: The what-if's simplifications, in plain words (shown in the notebook and under the sliders).
ASSUMPTIONS = (
    "Money sent from Russia falls in proportion to the number of Kyrgyz migrants in Russia; money sent from "
    "other countries does not change.",
    "Money sent from Russia is in rubles: if the ruble loses X% of its value in US dollars, the dollar value of "
    "that money falls by X%. Migrants do not send more rubles to make up for it.",
    "Kyrgyzstan's GDP does not change.",
    "The World Bank's share of GDP changes in the same proportion as the National Bank's transfer total, "
    "although the two measure different things.",
)

_WDI = "wb-wdi-remit-pct"


# --- tables ------------------------------------------------------------------------------------------------


# Table comes from course.tables (one table class for every notebook).


_num = for_people  # a number as the data give it, with thousands separators and no float noise: 596,253 · 2.4


# --- the migrant counts ------------------------------------------------------------------------------------

#: Russia-only counts vs the census row, which counts labour migrants in ALL countries.
_ALL_DESTINATIONS = "ALL destinations"


#: Estimates that name no official count behind them are labelled so in what_is_counted, and kept out of the range.
_UNOFFICIAL = "UNOFFICIAL ESTIMATE"


def _is_russia_only(r: Any) -> bool:
    return _ALL_DESTINATIONS not in r.what_is_counted


def _is_official(r: Any) -> bool:
    return _UNOFFICIAL not in r.what_is_counted


def migrant_series(r: Any) -> str:
    """The chart series of one row of migrants.csv: who reports the figure, and what kind of count it is.

    Rows from the same reporter that count the same thing share a series; the census (all countries) and the
    Russian Interior Ministry's registrations are kept apart from the Kyrgyz ministries' counts of people.
    """
    who, what = r.reported_by, r.what_is_counted
    if not _is_russia_only(r):
        return "Kyrgyz census 2022: labour migrants in ALL countries, not only Russia"
    if not _is_official(r):
        return "Unofficial estimate, no source named (Novosti.kg): a range"
    if "Ushakov" in who:
        return "Russian presidential aide Ushakov: migrant workers living in Russia"
    if "Kulubaev" in who:
        return "Russian Interior Ministry (MVD), quoted by Foreign Minister Kulubaev: migrants registered"
    if "MVD" in who:
        return "Russian Interior Ministry (MVD), via Kyrgyz Foreign Ministry: registrations, first half of 2023"
    if "citing Russian" in who:
        return "Kyrgyz Foreign Ministry, citing Russian authorities: citizens staying in Russia"
    if "Deputy Foreign Minister" in who:
        return "Kyrgyz Deputy Foreign Minister: estimate ('about')"
    if "Foreign Affairs" in who:
        return "Kyrgyz Foreign Ministry, other statements: citizens in or registered in Russia"
    if "Labour" in who:
        return "Kyrgyz Labour Ministry: migrants working or staying in Russia"
    if "State Migration Service" in who:
        return "Kyrgyz State Migration Service: citizens in or working in Russia"
    return f"{who}: {what}"


#: The series drawn with lines: one reporter counting the same thing, year after year.
_CONNECTED = (
    "Kyrgyz Foreign Ministry, citing Russian authorities: citizens staying in Russia",
    "Russian Interior Ministry (MVD), quoted by Foreign Minister Kulubaev: migrants registered",
)
#: The order of the series in the chart's legend (and so their colours): the lines first, the census last
#: (it gets the palette's pale yellow, drawn with a dark edge, which suits a single marker better than a line).
_SERIES_ORDER = _CONNECTED + (
    "Kyrgyz State Migration Service: citizens in or working in Russia",
    "Kyrgyz Deputy Foreign Minister: estimate ('about')",
    "Kyrgyz Labour Ministry: migrants working or staying in Russia",
    "Kyrgyz Foreign Ministry, other statements: citizens in or registered in Russia",
    "Russian Interior Ministry (MVD), via Kyrgyz Foreign Ministry: registrations, first half of 2023",
    "Russian presidential aide Ushakov: migrant workers living in Russia",
    "Unofficial estimate, no source named (Novosti.kg): a range",
    "Kyrgyz census 2022: labour migrants in ALL countries, not only Russia",
)


def migrant_counts(year: int | None = None) -> Table:
    """Every count of Kyrgyz migrants in data/migrants.csv (or those of one ``year``), in file order."""
    rows = [r for r in data.load("migrants") if year is None or r.year == year]
    caption = "Counts of Kyrgyz migrants" + (f" for {year}" if year is not None else ", all years")
    caption += ", with what each counts and who reports it (data/migrants.csv)"
    return Table(
        caption,
        ("Year", "Count", "What is counted", "Who reports it", "Note"),
        tuple((r.year, _num(r.count), r.what_is_counted, r.reported_by, r.note or "") for r in rows),
    )


@dataclass(frozen=True)
class CountRange:
    """The smallest, largest and latest official Russia-only counts in migrants.csv, each with its row."""

    n: int
    lowest: Any
    highest: Any
    latest: Any

    def __repr__(self) -> str:
        def one(r: Any) -> str:
            return f"{_num(r.count)} ({r.year}; {r.what_is_counted}; {r.reported_by})"

        return (f"{self.n} figures count Kyrgyz citizens in Russia only (the census figure counts all countries, "
                f"and the unofficial estimates name no count behind them: both are left out).\n"
                f"Lowest:  {one(self.lowest)}\nHighest: {one(self.highest)}\n"
                f"Latest:  {one(self.latest)}")


def count_range() -> CountRange:
    """The range of the official Russia-only counts, and the latest one (the last row of the latest year)."""
    rows = [r for r in data.load("migrants") if _is_russia_only(r) and _is_official(r)]
    latest_year = max(r.year for r in rows)
    return CountRange(
        n=len(rows),
        lowest=min(rows, key=lambda r: r.count),
        highest=max(rows, key=lambda r: r.count),
        latest=[r for r in rows if r.year == latest_year][-1],
    )


def migrant_chart() -> Any:
    """The counts of Kyrgyz migrants, one series per reporter and kind of count (a ``course.charts.Chart``)."""
    from .. import charts

    rng = count_range()
    title = (f"Official counts of Kyrgyz citizens in Russia run from {_num(rng.lowest.count)} to "
             f"{_num(rng.highest.count)}, depending on who counts, what, and when")
    unofficial = [r.count for r in data.load("migrants") if not _is_official(r)]
    if unofficial:
        title += f"; an unofficial estimate reaches {_num(max(unofficial))}"
    def order(r: Any) -> tuple[int, int, int]:
        label = migrant_series(r)
        rank = _SERIES_ORDER.index(label) if label in _SERIES_ORDER else len(_SERIES_ORDER)
        return rank, r.year, r.row

    return charts.time_series(
        sorted(data.load("migrants"), key=order),
        title=title,
        y="count",
        series=migrant_series,
        ylabel="Number counted (persons or registrations)",
        subtitle="Each colour and marker is one reporter and one kind of count; lines join only like with like",
        connect=_CONNECTED,
        note=("Agencies count different things (citizens staying, registrations, workers; Russia or all countries) "
              "at different moments of the year. Never add the figures up or read them as one series."),
        height=6.8,
    )


# --- the article's claim -----------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r'(?<=[.!?]")\s+|(?<=[.!?])\s+(?=[A-Z"])')


@dataclass(frozen=True)
class Claim:
    """Sentences of the article with their paragraph id and what other reports say about them."""

    paragraph: str
    sentences: tuple[str, ...]
    citation: str
    finding: str

    def __repr__(self) -> str:
        lines = [f"The article, para. {self.paragraph}:"] + [f"  {s}" for s in self.sentences]
        return "\n".join(lines + ["", f"What the module's research found: {self.finding}", f"({self.citation})"])

    def _repr_html_(self) -> str:
        quoted = "".join(f"<p>{html.escape(s)}</p>" for s in self.sentences)
        return (f'<div class="course-claim"><p><strong>The article, para. {html.escape(self.paragraph)}:</strong>'
                f"</p><blockquote>{quoted}</blockquote><p><strong>What the module's research found:</strong> "
                f"{html.escape(self.finding)}</p><p><em>{html.escape(self.citation)}</em></p></div>")


def article_claim(pid: str = "II.3", words: Sequence[str] = ("hundreds of thousands", "remittances")) -> Claim:
    """The sentences of paragraph ``pid`` that contain any of ``words``, with the research note on them."""
    text = article.paragraph(pid).text
    sentences = tuple(s for s in _SENTENCE_END.split(text) if any(w.lower() in s.lower() for w in words))
    q_ids = {q.id for q in article.quotations() if q.paragraph == pid and any(w in q.text for w in words)}
    notes = [p["note"] for p in article.provenance() if q_ids and set(p["quotation_ids"]) == q_ids]
    return Claim(pid, sentences, article.cite(pid), notes[0] if notes else "nothing recorded")


# --- remittances: the World Bank share of GDP ---------------------------------------------------------------


def remittance_series(r: Any) -> str:
    """The chart series of one share-of-GDP row: which World Bank publication, and how it was read."""
    labels = {
        _WDI: "World Bank WDI (extract rounded to 2 decimals)",
        "asiaplus-2011-mdb17": "World Bank Migration and Development Brief 17 (via Asia-Plus)",
        "wb-kg-overview": "World Bank country overview ('about 28 percent')",
        "wb-journey-ahead-2025": "World Bank report 'The Journey Ahead' (via Kursiv)",
    }
    return labels.get(r.source_id, r.source.get("publisher", r.source_id))


def _pct_rows() -> list:
    return [r for r in data.load("remittances") if r.measure == "personal_remittances_pct_gdp"]


@dataclass(frozen=True)
class Coverage:
    """Which years the World Bank WDI extract covers, and which years in that span are missing."""

    first: int
    last: int
    missing_inside: tuple[int, ...]
    other_years: tuple[int, ...]

    def __repr__(self) -> str:
        gaps = ", ".join(map(str, self.missing_inside)) or "none"
        return (f"World Bank WDI extract: every year from {self.first} to {self.last} (missing years inside that "
                f"span: {gaps}).\nNot in the extract: the years before {self.first}, and {self.last + 1} onwards.\n"
                f"Single figures from other World Bank publications: "
                f"{', '.join(map(str, self.other_years))} (they do not match the WDI series exactly).")


def wdi_coverage() -> Coverage:
    """The span of years of the WDI share-of-GDP series in remittances.csv, and its gaps."""
    rows = _pct_rows()
    years = sorted(r.year for r in rows if r.source_id == _WDI)
    first, last = years[0], years[-1]
    return Coverage(
        first,
        last,
        tuple(y for y in range(first, last + 1) if y not in years),
        tuple(sorted({r.year for r in rows if r.source_id != _WDI})),
    )


def remittance_chart() -> Any:
    """Remittances received as a share of GDP, by year and by World Bank publication (a ``Chart``)."""
    from .. import charts

    rows = _pct_rows()
    wdi = [r for r in rows if r.source_id == _WDI]
    lo, hi = min(r.value for r in wdi), max(r.value for r in wdi)
    share = "a fifth" if lo >= 20 else "a sixth" if lo >= 100 / 6 else "less than a sixth"
    top = "a third" if hi <= 100 / 3 else "more than a third"
    cov = wdi_coverage()
    return charts.time_series(
        rows,
        title=(f"Money sent home by migrants was worth between {share} and {top} of Kyrgyzstan's GDP "
               f"every year from {cov.first} to {cov.last}"),
        series=remittance_series,
        connect=[remittance_series(wdi[0])],
        ylabel="Personal remittances received",
        note=(f"{cov.first}-{cov.last}: World Development Indicators as read in a GitHub extract that rounds to "
              f"2 decimals; the extract has no value for {cov.last + 1} or later, or before {cov.first}. "
              "The single points come from other World Bank publications and differ from the WDI series."),
    )


# --- remittances: money transfers and the part from Russia ---------------------------------------------------

_MEASURES = {
    "money_transfers_inflow_usd": "money transfers into Kyrgyzstan, in total",
    "transfers_from_russia_usd": "money transfers from Russia",
    "share_from_russia_pct": "share of money transfers that came from Russia",
    "net_inflow_money_transfers_usd": "NET money transfers (inflow minus outflow)",
}
_PERIODS = {"jan_may": "January-May only", "jan_jun": "January-June only", "jan_nov": "January-November only",
            "part_year": "part of a year (period not stated exactly)"}


def _split_measure(measure: str) -> tuple[str, str]:
    """("transfers_from_russia_usd", "jan_may") for "transfers_from_russia_usd_jan_may"; period "" = whole year."""
    for suffix in _PERIODS:
        if measure.endswith("_" + suffix):
            return measure[: -len(suffix) - 1], suffix
    return measure, ""


def transfer_figures() -> Table:
    """The money-transfer figures in remittances.csv (everything but the share of GDP), by year."""
    rows = sorted((r for r in data.load("remittances") if r.measure != "personal_remittances_pct_gdp"),
                  key=lambda r: (r.year, r.row))
    out = []
    for r in rows:
        base, period = _split_measure(r.measure)
        out.append((r.year, _PERIODS.get(period, "whole year"), _MEASURES.get(base, base), _num(r.value), r.unit,
                    r.source["publisher"]))
    return Table("Money transfers into Kyrgyzstan, and the part from Russia, as published (data/remittances.csv)",
                 ("Year", "Period", "What", "Value", "Unit", "Whose figure"), tuple(out))


def _transfer_label(r: Any) -> str:
    pub = r.source.get("publisher", "")
    if "Central Bank of Russia" in pub:
        who = "Central Bank of Russia data, via Vesti"
    else:
        who = "National Bank of the Kyrgyz Republic, via TASS and Trend"
    note = (r.note or "").lower()
    return who + (" (approximate)" if "about" in note or "approximate" in note else "")


def transfer_chart(year: int = BASE_YEAR) -> Any:
    """Bars: the whole-year total of money transfers and the part from Russia in ``year``, whose figure each is."""
    from .. import charts

    rows = [r for r in data.load("remittances") if r.year == year
            and r.measure in ("money_transfers_inflow_usd", "transfers_from_russia_usd")]
    if not rows:
        raise CourseValueError(f"remittances.csv has no whole-year transfer figures for {year}")
    return charts.partner_comparison(
        rows,
        title=(f"In {year} most of the money sent home to Kyrgyzstan came from Russia, and the two central banks' "
               "figures for it agree closely"),
        category=lambda r: (f"All money transfers into Kyrgyzstan, {r.year}" if r.measure.startswith("money")
                            else f"Money transfers from Russia, {r.year}"),
        label=_transfer_label,
        xlabel=f"Money transfers in {year}",
        subtitle=f"Money transfers into Kyrgyzstan in {year} (USD billion), by whose figure it is",
        note=("Figures as the press reported them; 'approximate': the source gave a rounded figure "
              "(e.g. 'about $2.4 billion'). The National Bank's figures are for 'the past year' as reported in "
              "June 2018, filed under 2017; the Central Bank of Russia's is for calendar 2017."),
    )


def value(year: int, measure: str, source_id: str | None = None) -> int | float:
    """One figure from data/remittances.csv, exactly as stored, e.g. ``value(2021, "personal_remittances_pct_gdp")``.

    When two sources give a figure for the same year and measure, name the one you want with ``source_id``;
    the error message lists them. Check the unit with ``transfer_figures()``: it differs from row to row.
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise CourseTypeError(f"The year must be a whole number without quotes, like 2021; you gave {year!r}.")
    all_rows = data.load("remittances")
    if not isinstance(measure, str) or measure not in {r.measure for r in all_rows}:
        raise unknown_name("measure", measure, list(dict.fromkeys(r.measure for r in all_rows)),
                           where=" in data/remittances.csv")
    rows = [r for r in all_rows if r.year == year and r.measure == measure]
    if source_id is not None:
        rows = [r for r in rows if r.source_id == source_id]
    if len(rows) == 1:
        return rows[0].value
    if not rows:
        measures = sorted({r.measure for r in data.load("remittances") if r.year == year})
        raise LookupError(f"remittances.csv has no {measure!r} for {year}"
                          + (f" from source {source_id!r}" if source_id else "")
                          + (f"; for {year} it has: {', '.join(measures)}" if measures else ""))
    options = "; ".join(f"source_id={r.source_id!r} ({r.source['publisher']}): {_num(r.value)} {r.unit}"
                        for r in rows)
    raise LookupError(f"{len(rows)} sources give {measure!r} for {year}. Choose one with source_id=...: {options}")


# --- the what-if model: pure arithmetic ---------------------------------------------------------------------


def _percent(x: Any, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise CourseValueError(f"{name} must be a number of percent between 0 and 100, not {x!r}")
    if not 0 <= x <= 100:
        raise CourseValueError(f"{name} must be between 0 and 100 (percent), not {x}")
    return float(x)


def after_migrant_fall(amount: float, migrant_fall_pct: float) -> float:
    """``amount`` after the number of migrants falls by ``migrant_fall_pct`` percent (proportional: assumption 1)."""
    return amount * (1 - _percent(migrant_fall_pct, "migrant_fall_pct") / 100)


def after_ruble_fall(usd: float, ruble_fall_pct: float) -> float:
    """The dollar value of ruble money after the ruble loses ``ruble_fall_pct`` percent of its dollar value
    (assumption 2: the same number of rubles is worth that much less in dollars)."""
    return usd * (1 - _percent(ruble_fall_pct, "ruble_fall_pct") / 100)


@dataclass(frozen=True)
class BaseFigure:
    """One sourced base figure of the what-if: what it is, its year, value and unit, and whose figure it is."""

    what: str
    year: int
    value: int | float
    unit: str
    source: dict
    note: str


@dataclass(frozen=True)
class Base:
    """The what-if's base: money transfers in total and from Russia (USD billion) and the share of GDP (%)."""

    year: int
    total_usd_bn: float
    from_russia_usd_bn: float
    pct_gdp: float
    figures: tuple[BaseFigure, ...]

    def table(self) -> Table:
        return Table(
            f"The what-if's base figures ({self.year}), each as its source gives it",
            ("What", "Year", "Value", "Unit", "Whose figure", "Note"),
            tuple((f.what, f.year, _num(f.value), f.unit, f.source["publisher"], f.note) for f in self.figures),
        )

    def __repr__(self) -> str:
        return repr(self.table())

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()


_BASE_WHAT = {
    "money_transfers_inflow_usd": "Money transfers into Kyrgyzstan, in total",
    "transfers_from_russia_usd": "Money transfers from Russia",
    "personal_remittances_pct_gdp": "Personal remittances received, share of GDP",
}
_BILLIONS = {"USD billion": 1.0, "USD million": 1e-3, "USD": 1e-9}


def base_figures(year: int = BASE_YEAR) -> Base:
    """The what-if's three base figures for ``year``, read from data/remittances.csv with their sources."""
    figs = []
    for measure, sid in _BASE_SOURCES.items():
        rows = [r for r in data.load("remittances") if r.year == year and r.measure == measure and r.source_id == sid]
        if len(rows) != 1:
            raise LookupError(f"remittances.csv has no single {measure!r} for {year} from {sid!r}")
        r = rows[0]
        figs.append(BaseFigure(_BASE_WHAT[measure], r.year, r.value, r.unit, r.source, r.note or ""))
    total, russia, pct = figs
    for f in (total, russia):
        if f.unit not in _BILLIONS:
            raise ValueError(f"unexpected unit {f.unit!r} for {f.what}")
    return Base(year, total.value * _BILLIONS[total.unit], russia.value * _BILLIONS[russia.unit], float(pct.value),
                tuple(figs))


@dataclass(frozen=True)
class Scenario:
    """The what-if's result for one setting of the two sliders. All money in USD billion; shares in percent."""

    ruble_fall_pct: float
    migrant_fall_pct: float
    base: Base
    from_russia: float
    from_elsewhere: float
    total: float
    pct_gdp: float

    @property
    def change_usd_bn(self) -> float:
        return self.total - self.base.total_usd_bn

    @property
    def change_pct(self) -> float:
        """The change in the transfer total, in percent of the base total."""
        return 100 * self.change_usd_bn / self.base.total_usd_bn

    @property
    def change_pp(self) -> float:
        """The change in the share of GDP, in percentage points."""
        return self.pct_gdp - self.base.pct_gdp

    def lines(self) -> list[tuple[str, str, str]]:
        """(what, base, model) for each line of the result; base figures as the data give them."""
        b = self.base

        def change(x: float, fmt: str, before: str = "", after: str = "") -> str:
            if abs(x) < 5e-10:
                return "no change"
            return ("+" if x > 0 else "−") + before + format(abs(x), fmt) + after

        return [
            ("Money transfers from Russia", f"${_num(b.from_russia_usd_bn)} billion",
             f"${self.from_russia:.2f} billion"),
            ("Money transfers from elsewhere", f"${_num(b.total_usd_bn - b.from_russia_usd_bn)} billion",
             f"${self.from_elsewhere:.2f} billion (unchanged)"),
            ("All money transfers", f"${_num(b.total_usd_bn)} billion",
             f"${self.total:.2f} billion (no change)" if abs(self.change_usd_bn) < 5e-10 else
             f"${self.total:.2f} billion ({change(self.change_usd_bn, '.2f', '$', ' billion')}; "
             f"{change(self.change_pct, '.1f', after='%')})"),
            ("Remittances as a share of GDP", f"{_num(b.pct_gdp)}%",
             f"{self.pct_gdp:.2f}% ({change(self.change_pp, '.2f', after=' percentage points')})"),
        ]

    def heading(self) -> str:
        return (f"What if the ruble loses {self.ruble_fall_pct:g}% of its value in US dollars and there are "
                f"{self.migrant_fall_pct:g}% fewer Kyrgyz migrants in Russia? (model; base year {self.base.year})")

    def __repr__(self) -> str:
        rows = [("", f"base ({self.base.year})", "model")] + self.lines()
        w0 = max(len(r[0]) for r in rows)
        w1 = max(len(r[1]) for r in rows)
        body = [f"{a:<{w0}}  {b:>{w1}}  →  {c}" if a else f"{a:<{w0}}  {b:>{w1}}     {c}" for a, b, c in rows]
        return "\n".join([self.heading()] + body)

    def _repr_html_(self) -> str:
        pad = "padding:0.25em 0.9em;line-height:1.4;"
        head = (f'<tr><td style="{pad}"></td><th scope="col" style="{pad}text-align:right">'
                f'Base ({self.base.year})</th><td style="{pad}"></td>'
                f'<th scope="col" style="{pad}text-align:left">Model</th></tr>')
        body = "".join(
            f'<tr><th scope="row" style="{pad}text-align:left">{html.escape(a)}</th>'
            f'<td style="{pad}text-align:right">{html.escape(b)}</td><td style="{pad}" aria-hidden="true">→</td>'
            f'<td style="{pad}text-align:left">{html.escape(c)}</td></tr>'
            for a, b, c in self.lines()
        )
        return (f'<table class="course-table course-what-if" style="border-collapse:collapse">'
                f'<caption style="text-align:left;line-height:1.4;padding-bottom:0.4em">'
                f"<strong>{html.escape(self.heading())}</strong></caption>"
                f"<thead>{head}</thead><tbody>{body}</tbody></table>")


def scenario(ruble_fall: float = 0, migrant_fall: float = 0, base: Base | None = None) -> Scenario:
    """The what-if for a fall of ``ruble_fall`` percent in the ruble's dollar value and of ``migrant_fall``
    percent in the number of Kyrgyz migrants in Russia (both 0-100), under the model's ``ASSUMPTIONS``.

    money from Russia  = base from Russia × (1 − migrant_fall/100) × (1 − ruble_fall/100)
    money from elsewhere = base total − base from Russia (unchanged)
    share of GDP       = base share × new total / base total (GDP unchanged)
    """
    b = base or base_figures()
    russia = after_ruble_fall(after_migrant_fall(b.from_russia_usd_bn, migrant_fall), ruble_fall)
    elsewhere = b.total_usd_bn - b.from_russia_usd_bn
    total = russia + elsewhere
    return Scenario(float(ruble_fall), float(migrant_fall), b, russia, elsewhere, total,
                    b.pct_gdp * total / b.total_usd_bn)


# --- the what-if view: two labelled range inputs wired to scenario() --------------------------------------------
#
# An anywidget drawn by course/quiz/static/widgets.js (like the quiz view), not ipywidgets sliders: an ipywidgets
# slider's handle (role=slider) gets no accessible name, since ipywidgets does not tie the description to it.
# Here each slider is a native <input type="range"> with a visible <label for>, an aria-valuetext in words
# ("20 percent fall") and the browser's own keyboard handling (arrow keys: one step; Page Up/Down; Home: 0%;
# End: 50%). Keys pressed in the widget stay in it, so JupyterLab's command-mode shortcuts (arrows move between
# cells, Enter edits a cell, ...) do not act on a focused slider. The result's summary is a live region
# (role="status"), announced when a slider moves; the full table follows it.
#
# State: set by the browser: ``ruble_fall`` and ``migrant_fall`` (percent, 0-50, steps of 5); set by Python,
# recomputed by an observer whenever either changes: ``summary`` (one sentence, the live region's text) and
# ``result_html`` (the Scenario's table). Fixed: ``sliders`` (label, range, value texts), ``intro_html``,
# ``notes_html`` (the assumptions).

#: The what-if's sliders: the trait each one sets, its visible label, and its value in words ({value}: percent).
WHAT_IF_MIN, WHAT_IF_MAX, WHAT_IF_STEP = 0, 50, 5
_SLIDERS = (
    {"name": "ruble_fall", "label": "The ruble's fall against the US dollar", "valuetext": "{value} percent fall"},
    {"name": "migrant_fall", "label": "Fewer Kyrgyz migrants in Russia", "valuetext": "{value} percent fewer"},
)

_WHAT_IF_INTRO = (
    "<p><strong>Move the sliders</strong> (from 0% to 50%, in steps of 5%): how much value the ruble loses against "
    "the US dollar, and how many fewer Kyrgyz migrants there are in Russia, both in percent. With the keyboard: "
    "Tab to a slider, then use the arrow keys (Home: 0%, End: 50%).</p>"
)


def _assumptions_html() -> str:
    items = "".join(f'<li style="line-height:1.4">{html.escape(a)}</li>' for a in ASSUMPTIONS)
    return f'<p style="margin:0.6em 0 0 0;line-height:1.4"><strong>The model assumes:</strong></p><ol>{items}</ol>'


def _what_if_summary(s: Scenario) -> str:
    """The what-if's result in one sentence (the text of its live region), from the lines of its table."""
    lines = s.lines()
    return f"Model result: all money transfers {lines[2][2]}; remittances as a share of GDP {lines[3][2]}."


def _snap(value: int) -> int:
    """A slider value as the browser's range input holds it: between 0 and 50, on a step of 5."""
    return min(WHAT_IF_MAX, max(WHAT_IF_MIN, WHAT_IF_STEP * round(value / WHAT_IF_STEP)))


class WhatIf(CourseWidget):
    """Two sliders (the ruble's fall, the fall in migrant numbers, in %) and the model's result below them.

    ``ruble_fall`` and ``migrant_fall`` are the sliders' values (set them as the browser does:
    ``w.ruble_fall = 20``); ``current`` is the ``Scenario`` for them, and ``summary`` (one sentence) and
    ``result_html`` (its table) are recomputed whenever either changes. Values are kept between 0 and 50,
    on a step of 5, as the browser's range inputs keep them.
    """

    view = traitlets.Unicode("whatif").tag(sync=True)  # drawn by course/quiz/static/widgets.js
    ruble_fall = traitlets.CInt(0).tag(sync=True)
    migrant_fall = traitlets.CInt(0).tag(sync=True)
    sliders = traitlets.List().tag(sync=True)
    intro_html = traitlets.Unicode("").tag(sync=True)
    summary = traitlets.Unicode("").tag(sync=True)
    result_html = traitlets.Unicode("").tag(sync=True)
    notes_html = traitlets.Unicode("").tag(sync=True)

    def __init__(self, base: Base | None = None, ruble_fall: int = 0, migrant_fall: int = 0, **kwargs: Any):
        self.base = base or base_figures()
        self.current = scenario(0, 0, self.base)
        sliders = [dict(s, min=WHAT_IF_MIN, max=WHAT_IF_MAX, step=WHAT_IF_STEP) for s in _SLIDERS]
        super().__init__(ruble_fall=ruble_fall, migrant_fall=migrant_fall, sliders=sliders,
                         intro_html=_WHAT_IF_INTRO, notes_html=_assumptions_html(), **kwargs)
        self._on_change()

    @traitlets.validate("ruble_fall", "migrant_fall")
    def _valid(self, proposal: Any) -> int:
        return _snap(proposal["value"])

    @traitlets.observe("ruble_fall", "migrant_fall")
    def _on_change(self, _change: Any = None) -> None:
        self.current = scenario(self.ruble_fall, self.migrant_fall, self.base)
        with self.hold_sync():
            self.summary = _what_if_summary(self.current)
            self.result_html = self.current._repr_html_()

    def __repr__(self) -> str:
        return repr(self.current)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs)
        data_ = dict((bundle[0] if isinstance(bundle, tuple) else bundle) or {})
        data_["text/plain"] = repr(self.current) + "\n(Run the notebook to move the sliders.)"
        data_["text/html"] = (self.current._repr_html_() + _assumptions_html()
                              + "<p><em>Run the notebook to move the sliders.</em></p>")
        return data_


def what_if(ruble_fall: int = 0, migrant_fall: int = 0) -> WhatIf:
    """The what-if with two sliders: move them and read the change in remittances and their share of GDP."""
    return WhatIf(ruble_fall=ruble_fall, migrant_fall=migrant_fall)


# --- sources ------------------------------------------------------------------------------------------------


def sources() -> data.Citations:
    """Every source notebook 03 relies on: the article, the report it was checked against, and the data tables."""
    meta = article.metadata()
    lines = [f'{meta["outlet_as_printed"]}, "{meta["title"]}" (undated; cited here: paragraphs II.3 and IV.1). '
             f'{meta["url_found"]}']
    lines += [data.citation(s) for s in article.source_records() if s["id"] == "24kg-en-japarov-to-putin"]
    return lines + data.sources(["migrants", "remittances"])  # a data.Citations


# --- exercise checks (notebook 03) ---------------------------------------------------------------------------


_as_number = as_number


def _near(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol


def _one_number(answer: Any, what: str) -> tuple[float, str | None]:
    """The student's answer as one number, or (nan, a hint saying what kind of answer is wanted)."""
    if isinstance(answer, str):
        return math.nan, "Your answer is text (it is in quotes). Give the number itself, without quotes."
    v = _as_number(answer)
    if v is None:
        return math.nan, f"Your answer should be one number: {what}."
    return v, None


@exercise("03-pp-change", label="3.1", solution="""
    share_2021 = remittances.value(2021, "personal_remittances_pct_gdp")
    share_2022 = remittances.value(2022, "personal_remittances_pct_gdp")
    change_pp = share_2022 - share_2021
""")
def _check_pp_change(answer: Any) -> tuple[bool, str]:
    """Exercise 3.1: the change in remittances' share of GDP from 2021 to 2022 (WDI), in percentage points."""
    v21 = value(2021, "personal_remittances_pct_gdp", _WDI)
    v22 = value(2022, "personal_remittances_pct_gdp", _WDI)
    expected = v22 - v21
    v, problem = _one_number(answer, "the 2022 value minus the 2021 value")
    if problem:
        return False, problem
    if _near(v, expected, 0.011):
        diff = format(expected, ".2f").replace("-", "−")
        return True, (f"Right: {_num(v22)} − {_num(v21)} = {diff} percentage points, your calculation from the "
                      "World Bank's figures. The share fell by almost six points in one year.")
    if _near(v, -expected, 0.011):
        return False, "Check the sign: take the later year minus the earlier year. Did the share rise or fall?"
    rel = 100 * expected / v21
    if _near(abs(v), abs(rel), 0.06) or _near(abs(v), abs(rel) / 100, 0.0006):
        return False, ("That is the change in percent of the 2021 value. The question asks for percentage points: "
                       "simply subtract one share from the other.")
    if _near(v, v21, 0.006) or _near(v, v22, 0.006):
        return False, "That is one of the two shares. Subtract the 2021 share from the 2022 share."
    return False, ('Use value(2022, "personal_remittances_pct_gdp") minus value(2021, "personal_remittances_pct_gdp"), '
                   "and make sure you typed the years correctly.")


@exercise("03-share-from-russia", label="3.2", solution="""
    total = remittances.value(2017, "money_transfers_inflow_usd")
    from_russia = remittances.value(2017, "transfers_from_russia_usd", source_id="trend-2018-remit")
    share_from_russia = from_russia / total * 100
""")
def _check_share_from_russia(answer: Any) -> tuple[bool, str]:
    """Exercise 3.2: the share (%) of money transfers that came from Russia, calculated from the National Bank's
    two figures 'over the past year' (reported in June 2018, filed under 2017 in the data)."""
    sid = _BASE_SOURCES["transfers_from_russia_usd"]
    total = value(BASE_YEAR, "money_transfers_inflow_usd")
    russia = value(BASE_YEAR, "transfers_from_russia_usd", sid)
    expected = 100 * russia / total
    others = [r.value for r in data.load("remittances") if r.year == BASE_YEAR
              and r.measure == "transfers_from_russia_usd" and r.source_id != sid]
    published = [r for r in data.load("remittances") if r.measure.startswith("share_from_russia_pct")]
    own = [r.value for r in published if r.source_id == sid]
    other_years = [r.value for r in published if r.source_id != sid]
    v, problem = _one_number(answer, "a share in percent, such as 50.0")
    if problem:
        return False, problem
    if _near(v, expected, 0.1):
        said = f"'about {_num(own[0])} percent'" if own else "its own share"
        return True, (f"Right: {_num(russia)} / {_num(total)} × 100 = {expected:.2f}%, your calculation from the "
                      "National Bank's figures as reported by TASS and Trend. In the same message the National Bank "
                      f"published {said}. Yours differs because both dollar figures are rounded ('about') and the "
                      "period is not pinned down; quote the published share as the National Bank's, and yours as "
                      "your calculation.")
    if _near(v, expected / 100, 0.001):
        return False, "That is a fraction (a part of 1). Multiply it by 100 to turn it into a percent."
    if _near(v, 100 * total / russia, 0.1) or _near(v, total / russia, 0.001):
        return False, "You divided the wrong way round: the part (from Russia) goes on top, the whole (total) below."
    if _near(v, 100 - expected, 0.1):
        return False, "That is the share that did NOT come from Russia. Which part goes on top of the fraction?"
    if any(_near(v, 100 * o / total, 0.1) for o in others):
        return False, ("You used the Central Bank of Russia's figure for the part from Russia with the Kyrgyz "
                       "National Bank's total. Take both figures from the same source "
                       '(source_id="trend-2018-remit").')
    if any(_near(v, p, 0.5) for p in own):
        return False, ("That is the share the National Bank itself published. The exercise asks you to calculate "
                       "the share from the two dollar figures; then compare your result with the published one.")
    if any(_near(v, p, 0.5) for p in other_years):
        return False, ("That is a published share for January-May of another year. Calculate the share from the two "
                       "dollar figures the data files under 2017.")
    return False, (f"Divide the money from Russia by the total (both filed under {BASE_YEAR}, in USD billion), "
                   "and multiply by 100.")

"""Notebook 05 (alliances and challenges): look up sourced facts and dated events, the evidence cards for the
scenario exercise, and the checks of the notebook's exercises.

    from course.lessons import alliances_and_challenges as challenges
    challenges.facts("military_base")          # the rows of data/facts.csv on one topic, with whose they are
    challenges.facts(contains="open")          # ... or every row whose text contains a word
    challenges.events("sanctions", year=2025)  # the rows of data/timeline.csv on one theme (and year)
    challenges.roles()                         # the four roles of the scenario exercise
    challenges.evidence("bank")                # numbered evidence cards (E1, E2, ...) useful to one role

Every figure shown comes from a row of ``data/``, as its source gives it; nothing here computes a new figure.
The tables show as HTML in JupyterLab and as plain lines elsewhere, always in the same order (the order of the
CSV files), so stored notebook outputs do not change between runs. Only the standard library is used.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import data
from ..errors import unknown_name
from ..exercises import exercise
from ..tables import Table

__all__ = [
    "RECENT_LABELS",
    "RECENT_THEMES",
    "ROLES",
    "SIDES",
    "TRADE_2024_SIDES",
    "Evidence",
    "dependence",
    "evidence",
    "evidence_items",
    "events",
    "facts",
    "filter_events",
    "filter_facts",
    "imposer",
    "recent_events",
    "recent_label",
    "report_citations",
    "role_of",
    "roles",
    "schools_reports",
    "sources",
    "topics",
    "trade_2024",
    "whose_side",
]


# --- looking things up --------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(str(text).lower().split())


def filter_facts(records: Iterable[Any], topic: str | None = None, contains: str | None = None) -> list:
    """The records (rows of facts.csv) on ``topic`` and/or whose text contains ``contains`` (any case).

    A pure function: it only filters the list it is given, in its order.
    """
    out = []
    for r in records:
        if topic is not None and r.topic != topic:
            continue
        if contains is not None and _norm(contains) not in _norm(r.fact):
            continue
        out.append(r)
    return out


def filter_events(records: Iterable[Any], category: str | None = None, year: int | None = None,
                  contains: str | None = None) -> list:
    """The records (rows of timeline.csv) of one ``category``, ``year`` and/or containing a word, in order."""
    out = []
    for r in records:
        if category is not None and r.category != category:
            continue
        if year is not None and (r.date is None or r.date.year != year):
            continue
        if contains is not None and _norm(contains) not in _norm(r.event):
            continue
        out.append(r)
    return out


def topics() -> list[str]:
    """The topics of data/facts.csv, in the order they first appear."""
    return list(dict.fromkeys(r.topic for r in data.load("facts")))


def _figure(value: Any, unit: str | None) -> str:
    if value is None:
        return ""
    return f"{value} {unit}" if unit else str(value)


def _when(r: Any) -> str:
    """A row's date as its source gives it: the day, or only the month or the year."""
    if r.date is None:
        return "(not shown)"
    precision = getattr(r, "date_precision", "day")
    if precision == "month":
        return f"{r.date:%Y-%m} (month only)"
    if precision == "year":
        return f"{r.date:%Y} (year only)"
    return r.date.isoformat()


def facts(topic: str | None = None, contains: str | None = None) -> Table:
    """Rows of data/facts.csv on ``topic`` (see ``topics()``) and/or containing a word, with whose they are.

    The "Figure" column is the row's value and unit, exactly as stored; "Date" is the date of the statement
    or event ("(not shown)" when the source's copy shows none).
    """
    known = topics()
    if topic is not None and topic not in known:
        raise unknown_name("topic", topic, known, where=" in data/facts.csv")
    rows = filter_facts(data.load("facts"), topic, contains)
    what = " and ".join(p for p in (f"topic {topic!r}" if topic else "", f"containing {contains!r}" if contains
                                    else "") if p) or "all topics"
    return Table(
        f"Facts from data/facts.csv ({what})",
        ("Row", "Topic", "Fact", "Figure", "Date", "Whose (publisher)"),
        tuple((r.row, r.topic, data.fact_text(r), _figure(r.value, r.unit), _when(r), r.source["publisher"])
              for r in rows),
    )


def events(category: str | None = None, year: int | None = None, contains: str | None = None) -> Table:
    """Rows of data/timeline.csv of one theme (``category``), ``year`` and/or containing a word."""
    known = list(dict.fromkeys(r.category for r in data.load("timeline")))
    if category is not None and category not in known:
        raise unknown_name("category", category, known, where=" in data/timeline.csv")
    rows = filter_events(data.load("timeline"), category, year, contains)
    parts = [p for p in (f"theme {category!r}" if category else "", f"year {year}" if year else "",
                         f"containing {contains!r}" if contains else "") if p]
    return Table(
        f"Events from data/timeline.csv ({', '.join(parts) or 'all'})",
        ("Date", "Event", "Whose (publisher)"),
        tuple((_when(r), r.event, r.source["publisher"]) for r in rows),
    )


#: The 2024 trade figures shown in the notebook's chart: one per speaker and partner, with whose side it is.
#: (Putin's figure for Russia is also given by TASS via Gazeta.ru and by his aide Yury Ushakov: the same 4.1.)
TRADE_2024_SIDES = {
    "finmarket-2025-kulubaev": "Kyrgyz side",
    "trt-2025-putin-visit": "Russian side",
    "24kg-2025-torobaev-china": "Kyrgyz side",
    "24kg-2025-gacc-china": "Chinese side",
}


def trade_2024() -> list:
    """Rows of data/trade.csv: 2024 trade turnover (USD billion) with Russia and with China, one row per
    source in ``TRADE_2024_SIDES``, in the order of the file."""
    return [r for r in data.load("trade") if r.year == 2024 and r.flow == "turnover" and r.unit == "USD billion"
            and r.source_id in TRADE_2024_SIDES]


def whose_side(r: Any) -> str:
    """A bar label for a trade row: whose side the figure comes from, and who gave it."""
    return f"{TRADE_2024_SIDES.get(r.source_id, 'Source')}: {r.reporter}"


#: The themes of the notebook's timeline figure, top to bottom, and the events it labels (by date).
RECENT_THEMES = ("politics", "security", "language_education", "economy", "sanctions", "diplomacy")
RECENT_LABELS = {
    ("2020-10-15", "politics"): "Jeenbekov resigns",
    ("2021-01-10", "politics"): "Japarov elected",
    ("2022-09-14", "security"): "Kyrgyz-Tajik border clashes",
    ("2025-11-27", "security"): "CSTO summit in Bishkek",
    ("2023-07-17", "language_education"): "Law on the state language",
    ("2023-09-01", "language_education"): "Capsules laid for the first Russian-language schools",
    ("2024-06-06", "economy"): "China-Kyrgyzstan-Uzbekistan railway agreement",
    ("2024-12-27", "economy"): "Railway construction launched",
    ("2023-07-20", "sanctions"): "US sanctions Kyrgyz firms",
    ("2024-06-24", "sanctions"): "EU export limits incl. Kyrgyz firms",
    ("2025-01-15", "sanctions"): "US sanctions Keremet Bank",
    ("2025-10-01", "sanctions"): "EU lists two Kyrgyz banks",
    ("2025-11-26", "diplomacy"): "Putin's state visit",
}


def recent_label(r: Any) -> str | None:
    """The short label of a timeline row in the notebook's figure (``RECENT_LABELS``), or None."""
    return RECENT_LABELS.get((r.date.isoformat(), r.category)) if r.date else None


def recent_events(since: int = 2020) -> list:
    """Rows of data/timeline.csv from the year ``since`` on, in the themes of ``RECENT_THEMES``."""
    return [r for r in data.load("timeline") if r.date is not None and r.date.year >= since
            and r.category in RECENT_THEMES]


def report_citations(source_ids: Sequence[str]) -> list[str]:
    """Citation strings for reports listed in data/article.json (``sources``), in the order given."""
    from .. import article

    by_id = {s["id"]: s for s in article.source_records()}
    out = []
    for sid in source_ids:
        s = by_id[sid]
        out.append(f"{s['publisher']}, {s['title']} ({s.get('year') or 'n.d.'}). {s['url']}")
    return out


def sources() -> data.Citations:
    """Citation strings for everything notebook 05 shows: the facts, timeline and membership tables, the trade
    rows of the chart, the evidence cards, the dependence table, and the reports of the talks that carry the
    nine-schools quotation (sorted; a report listed both in data/ and in data/article.json appears once)."""
    ids = {r.source_id for name in ("facts", "timeline", "memberships") for r in data.load(name)}
    ids |= {r.source_id for r in trade_2024()}
    ids |= {c.source_id for c in evidence_items()}
    ids |= {sid for _, _, sid, _ in _DEPENDENCE}
    cited = {data.source(i)["url"]: data.citation(data.source(i)) for i in ids}
    for line in schools_reports():
        url = line.rsplit(" ", 1)[-1]
        cited.setdefault(url, line)
    return data.Citations(sorted(cited.values(), key=str.casefold))


def schools_reports() -> list[str]:
    """Citation strings for the reports of the talks that carry the article's nine-schools quotation (q10)."""
    from .. import article

    found = [sid for p in article.provenance() if "q10" in p["quotation_ids"] and len(p["quotation_ids"]) == 1
             for sid in p["found_in"]]
    return report_citations(found)


# --- sanctions: who imposed them ----------------------------------------------------------------------------

#: Words in a timeline event that name the side imposing the sanctions (checked in this order).
IMPOSER_WORDS = (
    ("US", ("ofac", "us treasury", "united states", "u.s.")),
    ("UK", ("united kingdom", "the uk ", "britain")),
    ("EU", ("the eu ", "european union")),
)


def imposer(event: str) -> str | None:
    """Who imposes the sanctions in a timeline event's text: "US", "UK", "EU", or None when none is named."""
    text = " " + _norm(event) + " "
    for name, words in IMPOSER_WORDS:
        if any(w in text for w in words):
            return name
    return None


def _sanctions_count(year: int = 2025) -> dict[str, int]:
    rows = filter_events(data.load("timeline"), "sanctions", year)
    return dict(Counter(imposer(r.event) or "?" for r in rows))


# --- the scenario: roles and evidence cards -----------------------------------------------------------------

#: The four roles of the scenario exercise: what each one cares about.
ROLES = {
    "government": ("The Kyrgyz government",
                   "security (the base, the CSTO), Russian investment and companies, gas, and trade partners"),
    "family": ("A Kyrgyz migrant family",
               "work and documents in Russia, money sent home, schooling and language for the children"),
    "bank": ("A Kyrgyz bank under sanctions pressure",
             "US, UK and EU sanctions on Kyrgyz banks, and payments linked to Russia"),
    "investor": ("A Chinese investor",
                 "trade with China, the railway through Kyrgyzstan, and the risk of sanctions on goods and banks"),
}
#: Which side of the motion ("Kyrgyzstan should tie itself even more closely to Russia") each role argues:
#: two for, two against, each with evidence cards of its own.
SIDES = {"government": "for", "family": "for", "bank": "against", "investor": "against"}
_ROLE_WORDS = {
    "government": ("government", "kyrgyz government", "the kyrgyz government", "gov"),
    "family": ("family", "migrant family", "a migrant family", "a kyrgyz migrant family", "kyrgyz migrant family",
               "migrant", "migrants"),
    "bank": ("bank", "a bank", "kyrgyz bank", "a kyrgyz bank", "a kyrgyz bank under sanctions pressure"),
    "investor": ("investor", "chinese investor", "a chinese investor"),
}


def _lower_first(text: str) -> str:
    """"The Kyrgyz government" -> "the Kyrgyz government" (only the first letter changes)."""
    return text[:1].lower() + text[1:]


def roles() -> Table:
    """The four roles of the scenario exercise, with what each one cares about and the side it argues."""
    return Table("The roles of the scenario: two argue for the motion, two against",
                 ("Role (write this)", "Who you are", "What you care about", "Your side of the motion"),
                 tuple((key, who, cares, SIDES[key]) for key, (who, cares) in ROLES.items()))


def role_of(case: Any) -> str | None:
    """The role chosen in Exercise 5.3 (``{"role": "bank", ...}``, or just ``"bank"``), or None if there is none yet.
    Used to show the model statement for that role: ``quiz("05-role-argument", model_for=challenges.role_of(my_case))``.
    """
    if isinstance(case, dict):
        case = case.get("role")
    return _role_key(case)


@dataclass(frozen=True)
class Evidence:
    """One evidence card: ``id`` ("E1"), ``theme``, ``text`` (built from one data row), ``publisher``,
    ``source_id``, ``table`` and ``row`` (where the row is), and the ``roles`` it is most useful to."""

    id: str
    theme: str
    text: str
    publisher: str
    source_id: str
    table: str
    row: int
    roles: tuple[str, ...]


def _fact_text(r: Any) -> str:
    text = r.fact
    if r.value is not None and str(r.value) not in text.replace(",", ""):
        text += f" (figure: {_figure(r.value, r.unit)})"
    return text


def _event_text(r: Any) -> str:
    return f"{_when(r)}: {r.event}"


def _trade_text(r: Any) -> str:
    if r.unit.startswith("percent"):
        return (f"{r.partner}'s share of Kyrgyzstan's foreign trade in {r.year}: {r.value} {r.unit}, "
                f"according to {r.reporter}")
    return f"Kyrgyzstan's trade turnover with {r.partner} in {r.year}: {r.value} {r.unit}, according to {r.reporter}"


def _migrant_text(r: Any) -> str:
    when = "" if str(r.year) in r.what_is_counted else f", {r.year}"
    return f"{r.what_is_counted}{when}: {r.count:,} (figure of: {r.reported_by})"


def _remittance_text(r: Any) -> str:
    what = {
        "share_from_russia_pct_jan_may": "Share of money transfers to Kyrgyzstan sent from Russia",
        "personal_remittances_pct_gdp": "Remittances received by Kyrgyzstan as a share of GDP",
    }[r.measure]
    note = (r.note or "").split(";")[0].strip()
    return f"{what}, {r.year}: {r.value} {r.unit}" + (f" ({note})" if note else "")


# (theme, table, source_id, words the row contains, roles): each selects exactly one row
_CARDS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("security", "facts", "chelorg-2017-02-28-base", "four facilities", ("government",)),
    ("security", "facts", "chelorg-2017-02-28-base", "rent", ("government",)),
    ("security", "facts", "rusnavy-2012-09-20-base", "15 years", ("government",)),
    ("security", "facts", "24kg-2025-11-27-csto-docs", "collective security strategy", ("government",)),
    ("security", "facts", "24kg-2025-11-27-csto-results", "chairs the csto", ("government",)),
    ("migration", "facts", "rbc-2025-11-26-documents", "migration", ("family", "government")),
    ("language and schools", "facts", "tass-ru-2025-11-26-schools", "launched a project", ("family", "government")),
    ("language and schools", "facts", "govru-overchuk-school", "three stages", ("family",)),
    ("language and schools", "facts", "24kg-2023-09-01-schools", "certificates of both countries", ("family",)),
    ("language and schools", "facts", "interfax-2024-06-24-language", "official status", ("family", "government")),
    ("economy", "facts", "centralasianlight-2025-11", "first six months", ("government", "investor")),
    ("economy", "facts", "moscowtimes-2025-11-26", "1,700", ("government", "investor")),
    ("economy", "facts", "centralasianlight-2025-11", "1,800", ("government", "investor")),
    ("economy", "timeline", "rt-2014-04-10-gazprom", "kyrgyzgaz", ("government", "family")),
    ("China", "facts", "trend-2024-06-06-railway", "railway agreement", ("investor", "government")),
    ("China", "facts", "trend-2024-06-06-railway", "dead-end", ("investor", "government")),
    ("China", "timeline", "24kg-2024-12-27-railway", "launches construction", ("investor",)),
    ("trade", "trade", "24kg-2025-gacc-china", "", ("investor",)),
    ("trade", "trade", "24kg-2025-torobaev-china", "turnover", ("investor", "government")),
    ("trade", "trade", "finmarket-2025-kulubaev", "", ("government",)),
    ("trade", "trade", "interfax-2025-kasymaliev", "", ("government", "investor")),
    ("sanctions", "facts", "trend-2025-01-16-ofac-keremet", "keremet", ("bank",)),
    ("sanctions", "facts", "trend-2025-01-23-mfa-sanctions", "keremet", ("bank", "government")),
    ("sanctions", "timeline", "pravda-2025-08-20-uk", "capital bank", ("bank",)),
    ("sanctions", "timeline", "24kg-2026-01-31-eu", "tolubay", ("bank",)),
    ("sanctions", "facts", "worldecr-2025-08-uk", "a7a5", ("bank",)),
    ("EU concerns", "facts", "24kg-2026-01-31-eu", "20th package", ("bank", "investor", "government")),
    ("EU concerns", "facts", "rferl-2026-02-26-osullivan", "dual-use", ("bank", "investor")),
    ("migration", "migrants", "tass-2025-migrants", "", ("family",)),
    ("remittances", "remittances", "timesca-2025-remit", "share_from_russia", ("family", "bank")),
    ("remittances", "remittances", "wb-journey-ahead-2025", "", ("family", "government")),
)
_DESCRIBE: dict[str, Callable[[Any], str]] = {
    "facts": _fact_text, "timeline": _event_text, "trade": _trade_text, "migrants": _migrant_text,
    "remittances": _remittance_text, "energy_facts": lambda r: r.fact,
}


def _row_text(table: str, r: Any) -> str:
    return " ".join(str(v) for v in vars(r).values() if isinstance(v, str))


def _one_row(table: str, sid: str, words: str, label: str) -> Any:
    rows = [r for r in data.load(table) if r.source_id == sid and _norm(words) in _norm(_row_text(table, r))]
    if len(rows) != 1:
        raise data.DataError(f"{label}: expected one row of data/{table}.csv from {sid!r} containing {words!r}, "
                             f"found {len(rows)}")
    return rows[0]


def evidence_items() -> list[Evidence]:
    """All evidence cards, numbered E1, E2, ... in a fixed order. Each card is one row of data/, described
    in words, with its figure exactly as stored."""
    cards = []
    for i, (theme, table, sid, words, who) in enumerate(_CARDS, start=1):
        r = _one_row(table, sid, words, f"evidence card E{i}")
        cards.append(Evidence(f"E{i}", theme, _DESCRIBE[table](r), r.source["publisher"], sid, table, r.row, who))
    return cards


# (dimension, table, source_id, words the row contains): the rows shown by dependence()
_DEPENDENCE: tuple[tuple[str, str, str, str], ...] = (
    ("money sent home", "remittances", "wb-journey-ahead-2025", ""),
    ("money sent home", "remittances", "timesca-2025-remit", "share_from_russia"),
    ("gas", "timeline", "rt-2014-04-10-gazprom", "kyrgyzgaz"),
    ("gas", "energy_facts", "gazprom-de-2023-07", "owner of the gas transmission"),
    ("trade", "trade", "interfax-2025-kasymaliev", ""),
    ("trade", "trade", "finmarket-2025-kulubaev", ""),
    ("trade", "trade", "24kg-2025-torobaev-china", "turnover"),
    ("investment", "facts", "centralasianlight-2025-11", "first six months"),
)


def dependence() -> Table:
    """Sourced facts on how far Kyrgyzstan's economy depends on Russia, one dimension at a time (money sent
    home, gas, trade, investment). Each line is one row of data/, its figure exactly as stored."""
    rows = []
    for dimension, table, sid, words in _DEPENDENCE:
        r = _one_row(table, sid, words, "dependence()")
        rows.append((dimension, _DESCRIBE[table](r), r.source["publisher"]))
    return Table("Economic ties with Russia, by dimension", ("Dimension", "What the source says", "Whose (publisher)"),
                 tuple(rows))


def _role_key(role: Any) -> str | None:
    if not isinstance(role, str):
        return None
    text = _norm(role).strip(" .'\"")
    return next((key for key, words in _ROLE_WORDS.items() if text == key or text in words), None)


def evidence(role: str | None = None) -> Table:
    """The evidence cards (all, or those most useful to one role: "government", "family", "bank", "investor")."""
    key = None
    if role is not None:
        key = _role_key(role)
        if key is None:
            raise unknown_name("role", role, list(ROLES))
    cards = [c for c in evidence_items() if key is None or key in c.roles]
    caption = "Evidence cards" + (f" most useful to: {ROLES[key][0]}" if key else " (all roles)")
    return Table(caption, ("Card", "Theme", "What the source says", "Whose (publisher)", "Data row"),
                 tuple((c.id, c.theme, c.text, c.publisher, f"{c.table}.csv row {c.row}") for c in cards))


# --- exercise checks ----------------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"), start=1)}
_DATE_IN_TEXT = re.compile(r"\b(\d{1,2}) (" + "|".join(m.capitalize() for m in _MONTHS) + r") (\d{4})\b")


def _opening_dates() -> set[_dt.date]:
    """The opening dates that the rows about the schools give ("... open ... 1 September 2027")."""
    out = set()
    for r in filter_facts(data.load("facts"), "language_education", "open"):
        for day, month, year in _DATE_IN_TEXT.findall(r.fact):
            out.add(_dt.date(int(year), _MONTHS[month.lower()], int(day)))
    return out


def _as_date(value: Any) -> _dt.date | int | None:
    """A student's date: a date, or text like "2027-09-01", "1 September 2027", "September 1, 2027",
    "01.09.2027". A year alone gives an int. Anything else gives None."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1900 <= value <= 2100 else None
    if not isinstance(value, str):
        return None
    text = _norm(value).strip(" .").replace(",", " ")
    text = " ".join(text.split())
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        y, mo, d = map(int, m.groups())
    elif m := re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text):
        d, mo, y = map(int, m.groups())
    elif m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+) (\d{4})", text):
        d, y = int(m.group(1)), int(m.group(3))
        mo = _MONTHS.get(m.group(2), 0)
    elif m := re.fullmatch(r"([a-z]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})", text):
        d, y = int(m.group(2)), int(m.group(3))
        mo = _MONTHS.get(m.group(1), 0)
    else:
        return None
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        return None


@exercise("05-school-opening", label="5.1", solution="""
    first_opening = "2027-09-01"
""")
def _check_school_opening(value: Any) -> tuple[bool, str]:
    """Exercise 5.1: the opening date of the first schools, as the rows about the schools give it."""
    expected = _opening_dates()
    when = _as_date(value)
    if when is None:
        return False, ('Write the date as text in quotes, year-month-day, like "2030-01-31". '
                       'Find it inside the text of the rows that mention "open".')
    if isinstance(when, int):
        if any(d.year == when for d in expected):
            return False, "Right year. Now give the day and the month too, written as \"YYYY-MM-DD\"."
        if when in (2023, 2025):
            return False, ("That year comes from the dates of statements or from the 2023 plan. Look for the "
                           "rows that mention \"open\" and read the date inside their text.")
        return False, 'Look for the rows that mention "open" and read the date inside their text.'
    if when in expected:
        return True, ("Right: 1 September 2027. Two sources give it: Putin, as reported by TASS, says the first "
                      "three schools are to open *by* that day, and the Russian government says the Bishkek "
                      "school (first stage) is to open *on* it. Notice also what none of them says: that all "
                      "nine are under construction now.")
    stated = {r.date for r in filter_facts(data.load("facts"), "language_education") if r.date}
    if when in stated:
        return False, ("That is in the Date column: the day a statement was made or reported, not the opening "
                       "date. The opening date is written inside the text of the fact.")
    if when.year == 2025:
        return False, ("In 2023, 24.kg reported a plan for the first three schools to work in 2025. The sources "
                       "of 2025 give a later date: look at the rows that mention \"open\".")
    if any(d.year == when.year for d in expected):
        return False, "Right year. Check the day and the month in the text of the rows that mention \"open\"."
    return False, ('Not a date the rows give. Run challenges.facts(contains="open") and read the date inside the '
                   "text of each row.")


_IMPOSER_ALIASES = {
    "US": ("us", "usa", "u.s.", "u.s", "united states", "united states of america", "america", "ofac",
           "us treasury", "the us", "the united states"),
    "UK": ("uk", "u.k.", "united kingdom", "britain", "great britain", "the uk", "the united kingdom"),
    "EU": ("eu", "e.u.", "european union", "the eu", "the european union"),
}


def _imposer_key(key: Any) -> str | None:
    if not isinstance(key, str):
        return None
    text = _norm(key).strip(" '\"")
    return next((name for name, words in _IMPOSER_ALIASES.items() if text in words), None)


@exercise("05-sanctions-2025", label="5.2", solution="""
    sanctions_2025 = {"US": 2, "UK": 2, "EU": 1}
""")
def _check_sanctions(value: Any) -> tuple[bool, str]:
    """Exercise 5.2: the 2025 sanctions events in the timeline, counted by who imposed them."""
    expected = _sanctions_count(2025)
    if not isinstance(value, dict):
        return False, 'Write a dictionary in curly brackets, like {"US": 0, "UK": 0, "EU": 0}, with your counts.'
    counts: dict[str, int] = {}
    for key, n in value.items():
        name = _imposer_key(key)
        if name is None:
            return False, (f"{key!r} is not one of the sides that impose sanctions in these events. Use "
                           '"US", "UK" and "EU" as the names.')
        if isinstance(n, float) and n.is_integer():
            n = int(n)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            return False, f"The count for {name} should be a whole number, like 2 (no quotes)."
        if name in counts:
            return False, f"You give {name} twice (under two names). Give each side once."
        counts[name] = n
    missing = [name for name in expected if name not in counts and expected[name]]
    if missing:
        return False, (f"You have not given a count for {', '.join(missing)}. Read each 2025 event: who does the "
                       "sanctioning?")
    for name in ("US", "UK", "EU"):
        want, got = expected.get(name, 0), counts.get(name, 0)
        if got != want:
            extra = " OFAC is an office of the US Treasury." if name == "US" else ""
            return False, (f"Your count for {name} is too {'high' if got > want else 'low'}.{extra} "
                           "Read the events again.")
    total = sum(expected.values())
    return True, (f"Right: {', '.join(f'{k} {v}' for k, v in expected.items())}, {total} events in 2025. This is "
                  "your count of the rows in the module's timeline, not an official total: the timeline holds only "
                  "the events its sources report.")


@exercise("05-role-evidence", label="5.3", solution="""
    my_case = {"role": "bank", "evidence": ["E22", "E24", "E25"]}
""")
def _check_role_evidence(value: Any) -> tuple[bool, str]:
    """Exercise 5.3: a role and at least two evidence cards for it."""
    if not isinstance(value, dict) or "role" not in value or "evidence" not in value:
        return False, 'Write a dictionary with two keys, like {"role": "bank", "evidence": ["E1", "E2"]}.'
    key = _role_key(value["role"])
    if key is None:
        return False, f"Choose one of the roles: {', '.join(repr(k) for k in ROLES)}."
    chosen = value["evidence"]
    if isinstance(chosen, str):
        return False, 'Put the cards in a list, even a short one: ["E1", "E2"].'
    if not isinstance(chosen, (list, tuple, set)):
        return False, 'The evidence should be a list of card ids, like ["E1", "E2"].'
    cards = {c.id: c for c in evidence_items()}
    ids = []
    for item in chosen:
        cid = f"E{item}" if isinstance(item, int) and not isinstance(item, bool) else str(item).strip().upper()
        if cid not in cards:
            return False, f"{item!r} is not a card. Card ids run from E1 to E{len(cards)}; see challenges.evidence()."
        if cid not in ids:
            ids.append(cid)
    if len(ids) < 2:
        return False, "Choose at least two different cards: every argument in the debate needs two sourced facts."
    useful = [cid for cid in ids if key in cards[cid].roles]
    if not useful:
        return False, (f"None of these cards is about what {_lower_first(ROLES[key][0])} cares about. Run "
                       f'challenges.evidence("{key}") to see the cards most useful to your role.')
    whose = "; ".join(f"{cid}: {cards[cid].publisher}" for cid in ids)
    other = [cid for cid in ids if cid not in useful]
    note = (f" Be ready to explain why {', '.join(other)} matters to your role." if other else "")
    return True, (f"Ready for the debate as {_lower_first(ROLES[key][0])}. Name the source each time you use a card "
                  f"({whose}).{note}")

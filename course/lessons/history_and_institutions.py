"""History and institutions: the helpers of notebook 02 (from the Soviet Union to the 2025 visit).

Everything here reads ``data/timeline.csv``, ``data/memberships.csv`` and ``data/facts.csv`` through
:mod:`course.data`, and shows rows *as their sources give them*, each with whose source it is:

    from course.lessons import history_and_institutions as history
    history.events(contains="Manas")              # timeline rows whose text mentions Manas
    history.event_table(rows)                     # the same rows as a table, with dates and sources
    history.memberships("Kyrgyzstan", "EAEU")     # membership rows of one state (and organisation)
    history.membership_table(rows)                # ... as a table, with whose source each row is
    history.disagreements()                       # where sources give different dates for one event
    history.standing("2010-01-01")                # where Kyrgyzstan stood in each organisation that day
    history.organisations()                       # the four organisations: founding, members, Kyrgyzstan
    history.obligations()                         # what the module's sources say each one obliges
    history.facts("military_base")                # sourced facts about the Russian base

Nothing is computed into a new figure: counts of members come from
:func:`course.data.membership_status`, which applies the membership events in date order.

Tables (:class:`course.tables.Table`) show as HTML in JupyterLab and as plain lines elsewhere, always in the
same order, so stored notebook outputs do not change from one run to the next.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Any

from .. import data
from ..errors import CourseTypeError, parse_day, require_name, unknown_name
from ..exercises import exercise
from ..numbers import as_whole_number, for_people
from ..tables import Table

__all__ = [
    "ORGANISATIONS",
    "STATUS_WORDS",
    "THEMES",
    "disagreements",
    "event_table",
    "events",
    "facts",
    "label",
    "membership_table",
    "memberships",
    "obligations",
    "organisations",
    "sources",
    "standing",
    "when",
]

#: The four organisations of ``memberships.csv``, with their full names.
ORGANISATIONS = {
    "CIS": "Commonwealth of Independent States",
    "CSTO": "Collective Security Treaty Organization",
    "EAEU": "Eurasian Economic Union",
    "SCO": "Shanghai Cooperation Organisation",
}

#: The timeline's themes shown in notebook 02 (economy, language and sanctions are in notebooks 04 and 05).
THEMES = ("independence", "institutions", "security", "politics", "diplomacy")

#: The ``status`` codes of ``memberships.csv`` in plain words.
STATUS_WORDS = {
    "founding": "founding signatory",
    "joined": "joined",
    "signed": "signed the treaty",
    "treaty_signed": "accession treaty signed",
    "ratified": "ratified",
    "ratified_creation_agreement": "ratified the Creation Agreement",
    "charter_ratified": "ratified the Charter",
    "rejoined": "rejoined",
    "associate": "became an associate member",
    "observer": "observer",
    "dialogue_partner": "dialogue partner",
    "did_not_renew": "did not renew the treaty",
    "suspension_requested": "asked to suspend its membership",
    "suspended": "membership suspended",
    "froze_participation": "froze its participation",
    "notified_withdrawal": "gave notice of leaving",
    "left": "left",
    "not_member": "never became a member state",
    "ended_participation": "ended its participation",
}

# The CSTO rows dated before its charter refer to the Collective Security Treaty that preceded it
# (datapackage.json, description of the memberships table).
_CSTO_CHARTER = _dt.date(2002, 10, 7)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")

# Short labels for the timeline figure: (ISO date, theme) -> text. Keyed by theme too, because two events of
# 27 November 2025 share a day.
_LABELS = {
    ("1991-08-31", "independence"): "Independence declared",
    ("1991-12-21", "institutions"): "Joins the CIS",
    ("1992-05-15", "security"): "Collective Security Treaty signed",
    ("2000-07-27", "diplomacy"): "Declaration on Eternal Friendship",
    ("2001-06-15", "institutions"): "SCO founded",
    ("2001-12-16", "security"): "US forces start using Manas",
    ("2003-10-01", "security"): "Russian air base at Kant opens",
    ("2014-06-03", "security"): "US hands Manas back",
    ("2015-08-06", "institutions"): "EAEU accession in force",
    ("2005-04-04", "politics"): "Akayev resigns",
    ("2010-04-07", "politics"): "Bakiyev flees",
    ("2020-10-15", "politics"): "Jeenbekov resigns",
    ("2021-01-10", "politics"): "Japarov elected",
    ("2012-09-01", "security"): "New base agreement",
    ("2025-11-26", "diplomacy"): "2025 state visit",
    ("2025-11-27", "security"): "CSTO summit in Bishkek",
}


# --- dates and sources -----------------------------------------------------------------------------------------


def when(record: Any) -> str:
    """A record's date in words, as precise as its source: "16 December 2001", "October 2003", "2000".

    Uses the record's ``date`` and, if it has one, ``date_precision``; "date not given" when there is no date.
    """
    date = getattr(record, "date", None)
    if not isinstance(date, _dt.date):
        return "date not given"
    precision = getattr(record, "date_precision", "day")
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{_MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def _publisher(record: Any) -> str:
    return (getattr(record, "source", None) or {}).get("publisher", "not stated")


def _day(value: Any) -> _dt.date:
    return parse_day(value, "day")


# --- the timeline ----------------------------------------------------------------------------------------------


def events(contains: str | None = None, themes: Iterable[str] | None = None, start: int | None = None,
           end: int | None = None) -> list:
    """Rows of ``timeline.csv`` in date order, optionally only those whose ``event`` text contains ``contains``
    (any case), whose ``category`` is one of ``themes``, or whose year lies from ``start`` to ``end``."""
    rows = data.load("timeline")
    if contains is not None:
        word = str(contains).casefold()
        rows = [r for r in rows if word in r.event.casefold()]
    if themes is not None:
        wanted = {themes} if isinstance(themes, str) else set(themes)
        rows = [r for r in rows if r.category in wanted]
    if start is not None:
        rows = [r for r in rows if r.date.year >= start]
    if end is not None:
        rows = [r for r in rows if r.date.year <= end]
    return sorted(rows, key=lambda r: (r.date, r.row))


def event_table(records: Sequence[Any], caption: str = "Events, as each source gives them") -> Table:
    """Timeline rows as a table: date (as precise as the source), theme, event, whose source."""
    rows = tuple((when(r), r.category.replace("_", " "), r.event, _publisher(r))
                 for r in sorted(records, key=lambda r: (r.date, r.row)))
    return Table(caption, ("Date", "Theme", "Event (the source's account, paraphrased)", "Whose source"), rows)


def label(record: Any) -> str | None:
    """The short label notebook 02 writes on the timeline figure for this event, or None (no label)."""
    date = getattr(record, "date", None)
    if not isinstance(date, _dt.date):
        return None
    return _LABELS.get((date.isoformat(), getattr(record, "category", None)))


# --- memberships -----------------------------------------------------------------------------------------------


def memberships(state: str | None = "Kyrgyzstan", organisation: str | None = None) -> list:
    """Rows of ``memberships.csv`` for one state (default Kyrgyzstan; None for all) and, optionally, one
    organisation, in date order (rows without a date first)."""
    rows = data.load("memberships")
    if state is not None:
        rows = [r for r in rows if r.member_state == state]
    if organisation is not None:
        rows = [r for r in rows if r.organisation == organisation]
    return sorted(rows, key=lambda r: (r.date or _dt.date.min, r.row))


def _organisation_label(record: Any) -> str:
    if record.organisation == "CSTO" and record.date is not None and record.date < _CSTO_CHARTER:
        return "CSTO (then the Collective Security Treaty)"
    return record.organisation


def membership_table(records: Sequence[Any], caption: str | None = None) -> Table:
    """Membership rows as a table: organisation, state, what happened, date, whose source, the source's note."""
    rows = tuple(
        (_organisation_label(r), r.member_state, STATUS_WORDS.get(r.status, r.status), when(r), _publisher(r),
         r.note or "")
        for r in records
    )
    return Table(caption or "Membership events, as each source gives them",
                 ("Organisation", "State", "What happened", "Date", "Whose source", "The source's note"), rows)


def _period(record: Any) -> tuple[_dt.date, _dt.date] | None:
    """The days a dated record can mean: one day, a whole month or a whole year (by its date_precision)."""
    d = record.date
    if d is None:
        return None
    precision = getattr(record, "date_precision", "day")
    if precision == "year":
        return d, _dt.date(d.year, 12, 31)
    if precision == "month":
        nxt = _dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return d, nxt - _dt.timedelta(days=1)
    return d, d


def _conflict(group: Sequence[Any]) -> bool:
    """True when two rows give dates that cannot both be right ("May 2018" and "19 May 2018" can)."""
    periods = [p for p in (_period(r) for r in group) if p is not None]
    return any(a[1] < b[0] or b[1] < a[0] for i, a in enumerate(periods) for b in periods[i + 1:])


def disagreements(organisation: str | None = None) -> Table:
    """Events that two or more sources date differently: same organisation, state and kind of event, but
    dates that cannot both be right ("May 2018" and "19 May 2018" can, so they are not listed). One line per
    source, so both versions are shown with whose each is."""
    groups: dict[tuple[str, str, str], list] = {}
    for r in data.load("memberships"):
        if organisation is None or r.organisation == organisation:
            groups.setdefault((_organisation_label(r), r.member_state, r.status), []).append(r)
    rows = []
    for key in sorted(groups):
        group = groups[key]
        if _conflict(group):
            rows += [(_organisation_label(r), r.member_state, STATUS_WORDS.get(r.status, r.status), when(r),
                      _publisher(r), r.note or "")
                     for r in sorted(group, key=lambda r: (r.date or _dt.date.min, r.row))]
    return Table("Where sources give different dates for the same event",
                 ("Organisation", "State", "Event", "Date", "Whose source", "The source's note"), tuple(rows))


def standing(on: Any = "2025-11-27", state: str = "Kyrgyzstan") -> Table:
    """Where ``state`` stood in each organisation on the day ``on`` ("YYYY-MM-DD"), worked out by
    :func:`course.data.membership_status` from the membership events up to that day, with the event
    that put it there. Organisations where the state has no event yet are listed as "no record yet"."""
    day = _day(on)
    require_name("state", state, sorted({r.member_state for r in data.load("memberships")}))
    status = data.membership_status(day)
    rows = []
    for org in ORGANISATIONS:
        st = status.get((org, state))
        if st is None:
            rows.append((org, "no record yet", "", "", ""))
        else:
            ev = st.event
            rows.append((org, st.label, STATUS_WORDS.get(ev.status, ev.status), when(ev), _publisher(ev)))
    return Table(f"{state} in the four organisations on {day.isoformat()}, according to the membership data",
                 ("Organisation", "Standing", "Because of this event", "Date of the event", "Whose source"),
                 tuple(rows))


def organisations(on: Any = "2025-11-27") -> Table:
    """The four organisations: full name, the dates of their founding events in the data, their member states on
    the day ``on`` (standing worked out from the data), and Kyrgyzstan's first recorded event.

    A state that froze its participation without leaving (Armenia in the CSTO since 2024) is still a member
    state, listed with the freeze; a suspended membership (Uzbekistan's in the CSTO since 2012) is not."""
    day = _day(on)
    status = data.membership_status(day)
    rows = []
    for org, name in ORGANISATIONS.items():
        recs = memberships(None, org)
        founded = "; ".join(dict.fromkeys(when(r) for r in recs if r.status == "founding"))
        members = sorted(
            s if st.category == "member" else f"{s} (participation frozen since {when(st.event)})"
            for (o, s), st in status.items()
            if o == org and (st.category == "member" or st.event.status == "froze_participation")
        )
        first_kg = next((r for r in recs if r.member_state == "Kyrgyzstan" and r.date is not None), None)
        kg = f"{STATUS_WORDS[first_kg.status]}, {when(first_kg)}" if first_kg else "no record"
        rows.append((org, name, founded, f"{len(members)}: {', '.join(members)}", kg))
    return Table(f"The four organisations, according to the membership data (members on {day.isoformat()})",
                 ("Organisation", "Full name", "Founding signatures", "Members", "Kyrgyzstan's first recorded event"),
                 tuple(rows))


# What the module's sources say about what membership obliges, and what is left for students to find out.
# Each "says" entry is taken from a row of data/ (its source id is given) or from the article (labelled a claim).
_OBLIGATIONS = (
    ("CIS",
     "A member state is one that ratified the 1993 CIS Charter; a notice of leaving takes effect 12 months "
     "after it is given.",
     "Wikipedia (Member states of the CIS); PanARMENIAN.Net, via the notes in data/memberships.csv",
     "Apart from these rules on joining and leaving, what does the CIS Charter oblige its members to do? "
     "Is any of it binding?"),
    ("CSTO",
     "Not stated in the module's sources. (facts.csv only describes the airfield at Kant as the airfield of the "
     "CSTO Collective Rapid Reaction Forces.)",
     "chelorg.com (RIA Novosti report, 2017)",
     "Read the Collective Security Treaty (1992) and the CSTO Charter (2002): what must members do if one of "
     "them is attacked, and who decides?"),
    ("EAEU",
     "The Treaty on the Eurasian Economic Union (in force since 1 January 2015) creates an economic union that "
     "provides for free movement of goods, services, capital and labour, with coordinated or single policies in "
     "the sectors it names. (The article's II.2 says much the same, leaving out services.)",
     "Eurasian Economic Commission, 'The Treaty on the Eurasian Economic Union is effective' (2015)",
     "Which sectors does the Treaty leave to national policy? What did Kyrgyzstan have to accept to join in "
     "2015?"),
    ("SCO",
     "Not stated in the module's sources.",
     "none",
     "Is the SCO an alliance? Does its charter oblige members to defend each other, or only to cooperate?"),
)


def obligations() -> Table:
    """What each organisation obliges its members to do, as far as the module's sources say, and a question
    to research where they say nothing."""
    return Table("What membership obliges: what the module's sources say, and what is left to research",
                 ("Organisation", "What the module's sources say", "Whose source", "Question to research"),
                 _OBLIGATIONS)


# --- other facts and the sources -------------------------------------------------------------------------------


#: How the topics of ``facts.csv`` used in notebook 02 are named in table captions.
_TOPIC_NAMES = {
    "military_base": "the Russian military base",
    "visit_dates": "the dates of the visit",
    "visit_statements": "statements at the talks",
}


def facts(*topics: str) -> Table:
    """Rows of ``facts.csv`` on one or more topics (e.g. "military_base"), in the order of the file."""
    known = sorted({r.topic for r in data.load("facts")})
    unknown = [t for t in topics if t not in known]
    if not topics:
        raise CourseTypeError("Name at least one topic in quotes, like facts(\"military_base\").",
                              hint=f"The topics are: {', '.join(map(repr, known))}.")
    if unknown:
        raise unknown_name("topic", unknown[0], known, where=" in data/facts.csv")
    rows = [r for r in data.load("facts") if r.topic in topics]
    out = []
    for r in rows:
        figure = "" if r.value is None else f"{for_people(r.value)} {r.unit or ''}".strip()
        out.append((data.fact_text(r), figure, when(r) if r.date else "not shown", _publisher(r)))
    names = " and ".join(_TOPIC_NAMES.get(t, t.replace("_", " ")) for t in topics)
    return Table(f"Facts on {names}, as each source gives them",
                 ("Fact (the source's account)", "Figure", "Date of the report", "Whose source"), tuple(out))


#: The topics of ``facts.csv`` that notebook 02 uses.
FACT_TOPICS = ("military_base", "visit_dates", "visit_statements")


def sources() -> data.Citations:
    """Citations of every source notebook 02 relies on: the rows of the timeline on the themes in ``THEMES``, all
    rows of the membership table, and the rows of ``facts.csv`` on the topics in ``FACT_TOPICS``. Sorted, one
    string per source."""
    cites = set(data.sources("memberships"))
    ids = {r.source["id"] for r in data.load("timeline") if r.category in THEMES}
    ids |= {r.source["id"] for r in data.load("facts") if r.topic in FACT_TOPICS}
    cites |= {data.citation(data.source(i)) for i in ids}
    return data.Citations(sorted(cites, key=str.casefold))


# --- exercise checks (notebook 02) -----------------------------------------------------------------------------


_whole_number = as_whole_number


@exercise("02-count-2010", label="2.1", solution="""
    on_2010 = history.standing("2010-01-01")
    count_2010 = on_2010.column("Standing").count("Member")
    on_2010
""")
def _check_count_2010(value: Any) -> tuple[bool, str]:
    """Exercise 2.1: how many of the four organisations Kyrgyzstan was a member of on 1 January 2010."""
    status = data.membership_status("2010-01-01")
    members = sorted(o for (o, s), st in status.items() if s == "Kyrgyzstan" and st.category == "member")
    expected = len(members)
    now = sum(1 for (o, s), st in data.membership_status().items() if s == "Kyrgyzstan" and st.category == "member")
    if isinstance(value, (list, tuple, set)):
        return False, "That is a list. Give the number of organisations: count them, or wrap the list in len(...)."
    n = _whole_number(value)
    if n is None:
        return False, "Your answer should be a whole number, like 2 (no quotes)."
    if n == expected:
        return True, (f"Right: {', '.join(members)}. The Eurasian Economic Union is missing: Kyrgyzstan's accession "
                      "came later. (This is your count from the membership data, not a figure from one source.)")
    if n == now and n != expected:
        return False, ("That is the count for 27 November 2025. Did you give standing() the day 1 January 2010, "
                       'written "2010-01-01"?')
    if n > len(ORGANISATIONS) or n < 0:
        return False, f"There are only {len(ORGANISATIONS)} organisations in the data. Count the rows that say Member."
    if n > expected:
        return False, "Too many. Count only the rows whose standing is \"Member\", not \"no record yet\"."
    return False, ("Too few. Look at every row of the table: the CSTO row before 2002 counts too, because the data "
                   "records the Collective Security Treaty under CSTO.")


def _as_days(value: Any) -> list[_dt.date] | None:
    if isinstance(value, (_dt.date, str)):
        value = [value]
    if not isinstance(value, (list, tuple, set, frozenset)):
        return None
    days = []
    for v in value:
        if isinstance(v, _dt.datetime):
            v = v.date()
        if isinstance(v, _dt.date):
            days.append(v)
        elif isinstance(v, str):
            try:
                days.append(_dt.date.fromisoformat(v.strip()))
            except ValueError:
                return None
        else:
            return None
    return days


@exercise("02-eaeu-joined", label="2.2", solution="""
    kyrgyz_eaeu = [r for r in memberships if r.member_state == "Kyrgyzstan" and r.organisation == "EAEU"]
    joined_dates = [r.date for r in kyrgyz_eaeu if r.status == "joined"]
    history.membership_table(kyrgyz_eaeu)
""")
def _check_eaeu_joined(value: Any) -> tuple[bool, str]:
    """Exercise 2.2: the dates on which the sources say Kyrgyzstan joined the EAEU (status "joined")."""
    rows = memberships("Kyrgyzstan", "EAEU")
    expected = {r.date for r in rows if r.status == "joined"}
    signed = {r.date for r in rows if r.status == "treaty_signed"}
    if isinstance(value, (list, tuple, set, frozenset)) and not value:
        return False, "Your list is empty. Put the dates of the rows whose status is \"joined\" in it."
    days = _as_days(value)
    if days is None:
        return False, ('Give a list of dates written as text, like ["2001-06-15", "2002-10-07"] '
                       "(or the .date values of the rows).")
    given = set(days)
    if given & signed:
        return False, ("One of your dates is the day the accession treaty was signed. Signing is not joining: "
                       "keep only the rows whose status is \"joined\".")
    if given - expected:
        return False, ("At least one of your dates is not in the EAEU rows for Kyrgyzstan. Check the year, month "
                       "and day against the table.")
    if len(given) < len(expected):
        return False, (f"You have {len(given)} date(s); the sources give {len(expected)} different dates for joining. "
                       "Look at every row whose status is \"joined\".")
    by_day = {d: sorted({_publisher(r) for r in rows if r.status == "joined" and r.date == d}) for d in sorted(given)}
    parts = [f"{d.isoformat()} according to {' and '.join(p)}" for d, p in by_day.items()]
    return True, ("Right: " + "; ".join(parts) + ". The sources disagree by a few days, so a careful text says "
                  "whose date it uses.")


@exercise("02-manas-years", label="2.3", solution="""
    first_use, handover = manas_rows[0], manas_rows[1]
    manas_years = handover.date.year - first_use.date.year
""")
def _check_manas_years(value: Any) -> tuple[bool, str]:
    """Exercise 2.3: the year of the handover of Manas minus the year US forces began using it."""
    rows = [r for r in events(contains="Manas") if r.category == "security"]
    first, last = rows[0], rows[-1]
    expected = last.date.year - first.date.year
    airport = [r for r in events(contains="Manas") if r.category != "security"]
    kant = events(contains="Kant", themes="security")
    n = _whole_number(value)
    if isinstance(value, (_dt.date, _dt.timedelta)):
        return False, "Give a number of years: subtract the two years, e.g. 2014 - 2001 would be written like that."
    if n is None:
        return False, "Your answer should be a whole number of years, like 5 (no quotes)."
    if n == expected:
        return True, (f"Right: {last.date.year} - {first.date.year} = {expected}. That is your calculation from two "
                      f"rows: {_publisher(first)} (first use, {when(first)}) and {_publisher(last)} (handover, "
                      f"{when(last)}).")
    if airport and n == airport[-1].date.year - first.date.year:
        return False, ("One of the rows you used is about Manas airport in 2025, not the US centre. Use the "
                       "row where the United States hands the centre back.")
    if kant and n == last.date.year - kant[0].date.year:
        return False, "That starts from the Russian base at Kant. Start from the first US use of Manas."
    if n == expected - 1:
        return False, ("Did you count whole years between the two days? The task asks for the difference between "
                       "the two years: the later year minus the earlier one.")
    if n < 0:
        return False, "Your number is negative: subtract the earlier year from the later one."
    return False, ('Find the two rows with history.events(contains="Manas"): the first US use and the handover. '
                   "Subtract the first year from the second.")

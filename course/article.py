"""The article as a citable source.

The article "Japarov Tells Putin: Russia Remains Our Ally and Strategic Partner" (printed as by
"Times Tengri") is stored in ``data/article.json``. The file holds its sections, paragraphs with stable ids
("I.1", "II.3", ...), every quotation, what we found about where the quotations came from
(provenance), and the reports we checked them against (sources).

Typical use in a notebook::

    from course import article
    article.paragraph("II.3").text
    article.cite("II.3")
    article.search("Eurasian Economic Union")
    article.quotations(speaker="Vladimir Putin")

Only the standard library is used, so importing this module is fast.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import CourseError, CourseTypeError, CourseValueError, unknown_name
from .paths import data_dir

__all__ = [
    "ArticleError",
    "ArticleDataError",
    "Paragraph",
    "Quotation",
    "data_dir",
    "metadata",
    "sections",
    "paragraph",
    "paragraphs",
    "quotations",
    "search",
    "cite",
    "sources",
    "source_records",
    "provenance",
    "KINDS",
]

FILENAME = "article.json"
KINDS = ("direct_quotation", "scare_quote")
_SNIPPET_CONTEXT = 40


class ArticleError(CourseError, KeyError):
    """An unknown paragraph or section id was asked for.

    A subclass of ``KeyError``, so ``except KeyError`` also catches it, but its message is printed
    as plain text (a bare ``KeyError`` shows its message in quotes). A ``CourseError``: a notebook shows it as a
    short message with the nearest valid ids.
    """


class ArticleDataError(ValueError):
    """``data/article.json`` is missing, is not valid JSON, or lacks a part this module needs."""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the article: ``id`` like "II.3", its ``section`` ("II") and exact ``text``."""

    id: str
    section: str
    number: int
    text: str


@dataclass(frozen=True)
class Quotation:
    """Words the article sets in quotation marks.

    ``kind`` is "direct_quotation" (words attributed to a speaker) or "scare_quote" (a word the article
    itself puts in quotation marks, such as "backyard"; ``speaker`` is then ``None``).
    ``attribution`` is how the article introduces the words, e.g. "He declared,".
    """

    id: str
    paragraph: str
    text: str
    speaker: str | None
    kind: str
    attribution: str
    attribution_explicit: bool
    note: str | None = None


def _require(mapping: object, key: str, where: str, path: Path) -> object:
    if not isinstance(mapping, dict) or key not in mapping:
        raise ArticleDataError(f"{path}: {where} has no {key!r} entry")
    return mapping[key]


@functools.lru_cache(maxsize=4)
def _load(path_str: str) -> dict:
    """Read and check the JSON file once per path (cached)."""
    path = Path(path_str)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ArticleDataError(
            f"{path}: file not found. Set COURSE_DATA_DIR to the folder that holds {FILENAME}."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ArticleDataError(f"{path}: cannot be read ({exc})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleDataError(
            f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(raw, dict):
        raise ArticleDataError(f"{path}: the top level must be a JSON object, not {type(raw).__name__}")
    for key in ("metadata", "sections", "quotations", "provenance", "sources"):
        _require(raw, key, "the top level", path)
    title = _require(raw["metadata"], "title", "metadata", path)
    outlet = _require(raw["metadata"], "outlet_as_printed", "metadata", path)

    section_list: list[tuple[str, str]] = []
    paras: dict[str, Paragraph] = {}
    for i, sec in enumerate(raw["sections"]):
        where = f"sections[{i}]"
        sid = _require(sec, "id", where, path)
        heading = _require(sec, "heading", where, path)
        section_list.append((sid, heading))
        for j, p in enumerate(_require(sec, "paragraphs", where, path)):
            pwhere = f"{where}.paragraphs[{j}]"
            pid = _require(p, "id", pwhere, path)
            ptext = _require(p, "text", pwhere, path)
            if not isinstance(pid, str) or not isinstance(ptext, str):
                raise ArticleDataError(f"{path}: {pwhere} needs a string 'id' and 'text'")
            if pid in paras:
                raise ArticleDataError(f"{path}: paragraph id {pid!r} appears twice")
            paras[pid] = Paragraph(id=pid, section=sid, number=j + 1, text=ptext)

    quotes: list[Quotation] = []
    for i, q in enumerate(raw["quotations"]):
        where = f"quotations[{i}]"
        fields = {k: _require(q, k, where, path) for k in ("id", "paragraph", "text", "speaker", "kind")}
        if fields["paragraph"] not in paras:
            raise ArticleDataError(f"{path}: {where} names unknown paragraph {fields['paragraph']!r}")
        if fields["kind"] not in KINDS:
            raise ArticleDataError(f"{path}: {where} has kind {fields['kind']!r}; expected one of {KINDS}")
        quotes.append(
            Quotation(
                attribution=q.get("attribution", ""),
                attribution_explicit=bool(q.get("attribution_explicit", False)),
                note=q.get("note"),
                **fields,
            )
        )

    return {
        "raw": raw,
        "title": title,
        "outlet": outlet,
        "sections": section_list,
        "paragraphs": paras,
        "quotations": quotes,
    }


def _data() -> dict:
    return _load(str(data_dir() / FILENAME))


def metadata() -> dict:
    """The article's metadata (title, outlet, dates as printed, provenance note, ...) as a new dict."""
    return copy.deepcopy(_data()["raw"]["metadata"])


def sections() -> list[tuple[str, str]]:
    """The sections in order, as ``(id, heading)`` pairs, e.g. ``("II", "Pillars of ...")``."""
    return list(_data()["sections"])


def _valid_ids() -> str:
    return ", ".join(_data()["paragraphs"])


def paragraph(pid: str) -> Paragraph:
    """The paragraph with id ``pid`` (e.g. "II.3"). Raises ``ArticleError`` listing the valid ids."""
    paras = _data()["paragraphs"]
    key = pid.strip() if isinstance(pid, str) else pid
    if key not in paras:
        raise unknown_name("paragraph id", pid, list(paras), where=" in the article", cls=ArticleError, limit=40)
    return paras[key]


def paragraphs(section: str | None = None) -> list[Paragraph]:
    """All paragraphs in order, or only those of ``section`` ("I" ... "V")."""
    paras = list(_data()["paragraphs"].values())
    if section is None:
        return paras
    known = [sid for sid, _ in _data()["sections"]]
    if section not in known:
        raise unknown_name("section id", section, known, where=" in the article", cls=ArticleError)
    return [p for p in paras if p.section == section]


def quotations(speaker: str | None = None, kind: str | None = "direct_quotation") -> list[Quotation]:
    """Quotations in order of appearance.

    ``speaker`` keeps only words attributed to that person ("Sadyr Japarov" or "Vladimir Putin").
    ``kind`` is "direct_quotation" (the default), "scare_quote", or ``None`` for both.
    """
    if kind is not None and kind not in KINDS:
        raise CourseValueError(f"kind must be one of {KINDS} or None, not {kind!r}")
    result = _data()["quotations"]
    if kind is not None:
        result = [q for q in result if q.kind == kind]
    if speaker is not None:
        result = [q for q in result if q.speaker == speaker]
    return list(result)


def search(term: str) -> list[tuple[str, str]]:
    """Find ``term`` in the paragraphs, ignoring case.

    Returns one ``(paragraph id, snippet)`` pair per match; the snippet shows the match with some
    text either side. Raises ``ValueError`` for an empty or blank term.
    """
    if not isinstance(term, str):
        raise CourseTypeError(f"The search term must be text in quotes, like search(\"Eurasian\"), not {term!r}.")
    needle = term.strip().lower()
    if not needle:
        raise CourseValueError("The search term is empty: give a word or phrase to look for, e.g. search('Eurasian')")
    hits: list[tuple[str, str]] = []
    for p in _data()["paragraphs"].values():
        hay = p.text.lower()  # same length as p.text for this text, so offsets line up
        start = hay.find(needle)
        while start != -1:
            end = start + len(needle)
            left = max(0, start - _SNIPPET_CONTEXT)
            right = min(len(p.text), end + _SNIPPET_CONTEXT)
            snippet = ("…" if left > 0 else "") + p.text[left:right] + ("…" if right < len(p.text) else "")
            hits.append((p.id, snippet))
            start = hay.find(needle, end)
    return hits


def cite(pid: str) -> str:
    """A citation for one paragraph, e.g. 'Times Tengri, "Japarov Tells Putin: ...", para. II.3'."""
    p = paragraph(pid)
    d = _data()
    return f'{d["outlet"]}, "{d["title"]}", para. {p.id}'


def source_records() -> list[dict]:
    """The reports the article was checked against, as dicts (id, publisher, title, year, url, ...)."""
    return copy.deepcopy(_data()["raw"]["sources"])


def sources() -> list[str]:
    """The reports the article was checked against, as citation strings "Publisher, Title (Year). URL"."""
    return [f"{s['publisher']}, {s['title']} ({s['year']}). {s['url']}" for s in _data()["raw"]["sources"]]


def provenance() -> list[dict]:
    """Findings on where the quotations came from: ``quotation_ids``, ``found_in``, ``first_published_by``,
    ``note``. ``found_in`` and ``first_published_by`` use the ids of ``source_records()``."""
    return copy.deepcopy(_data()["raw"]["provenance"])

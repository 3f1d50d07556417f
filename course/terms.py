"""The module's glossary (shown by ``course.glossary(...)``): the terms a newcomer meets (CSTO, EAEU, HHI, ...).

The entries are data, in ``data/glossary.csv`` (one row per term, each naming its source in
``data/datapackage.json``). A notebook shows them with ``course.glossary(...)``; ``docs/glossary.md`` is the same
glossary as a page that the notebooks link to where each term first appears (``[CSTO](../docs/glossary.md#csto)``),
written by ``python -m course.terms --write``.

    from course import glossary
    glossary()                      # every entry
    glossary("CSTO", "EAEU")        # some entries, by term, id or full name, in any case
    glossary("country codes")       # the entry and every code on the maps with its country
"""

from __future__ import annotations

import difflib
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import data

__all__ = ["Glossary", "GlossaryError", "codes_on_maps", "entries", "glossary", "link", "markdown"]

#: Where the glossary page lives, relative to the repository, and as a notebook in notebooks/ links to it.
PAGE = Path("docs") / "glossary.md"
LINK_FROM_NOTEBOOKS = "../docs/glossary.md"


class GlossaryError(KeyError):
    """A term that is not in the glossary; the message names the nearest terms."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


def entries() -> list[Any]:
    """Every glossary row (term_id, term, short, definition, first_notebook, source), in the file's order."""
    return data.load("glossary")


def _keys(entry: Any) -> set[str]:
    def norm(text: str) -> str:
        return " ".join(text.casefold().replace("/", " ").replace("-", " ").split())

    return {norm(entry.term_id), norm(entry.term), norm(entry.short), norm(f"{entry.term} ({entry.short})")}


def _find(term: Any, rows: list[Any]) -> Any:
    if not isinstance(term, str) or not term.strip():
        raise GlossaryError(f"Give a term as text in quotes, like glossary(\"CSTO\"); you gave {term!r}.")
    wanted = " ".join(term.casefold().replace("/", " ").replace("-", " ").split())
    for entry in rows:
        if wanted in _keys(entry):
            return entry
    # a plural, or a code such as "KGZ"
    for entry in rows:
        if wanted.rstrip("s") in {k.rstrip("s") for k in _keys(entry)}:
            return entry
    if wanted.upper() in codes_on_maps():
        return next(e for e in rows if e.term_id == "country-codes")
    names = [e.term for e in rows]
    near = difflib.get_close_matches(term.strip(), names, n=3, cutoff=0.4) or names
    raise GlossaryError(f"{term.strip()!r} is not in the glossary. Try: {', '.join(repr(n) for n in near)}.")


def codes_on_maps() -> dict[str, str]:
    """The three-letter code of every country the membership maps label, with its name: {"KGZ": "Kyrgyzstan", ...}.
    The codes are those stored with each outline in data/geo/ (Natural Earth's iso_a3 field)."""
    from .maps import _NE_NAMES, _boundaries_path

    geo = json.loads(_boundaries_path().read_text(encoding="utf-8"))
    on_maps = {r.member_state for r in data.load("memberships")}
    out = {}
    for feature in geo["features"]:
        name = feature["properties"]["name"]
        if _NE_NAMES.get(name, name) in on_maps:
            out[feature["properties"].get("iso_a3") or name[:3].upper()] = _NE_NAMES.get(name, name)
    return dict(sorted(out.items()))


def link(term_id: str) -> str:
    """The Markdown link target for a term, as written in a notebook: ``../docs/glossary.md#csto``."""
    if term_id not in {e.term_id for e in entries()}:
        raise GlossaryError(f"No glossary entry with the id {term_id!r}.")
    return f"{LINK_FROM_NOTEBOOKS}#{term_id}"


def _source_text(entry: Any) -> str:
    s = entry.source
    return f"{s['publisher']}, {s['title']}. {s['url']}"


@dataclass(frozen=True)
class Glossary:
    """Some glossary entries (and, for the country codes, the codes): HTML in JupyterLab, plain text elsewhere."""

    rows: tuple[Any, ...]

    def _codes(self) -> dict[str, str]:
        return codes_on_maps() if any(e.term_id == "country-codes" for e in self.rows) else {}

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        lines = []
        for e in self.rows:
            lines += [f"{e.term} ({e.short})", f"    {e.definition}", f"    Source: {_source_text(e)}"]
        codes = self._codes()
        if codes:
            lines.append("    Codes on the maps: " + "; ".join(f"{c} {n}" for c, n in codes.items()))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = []
        for e in self.rows:
            s = e.source
            parts.append(
                f'<dt><strong>{html.escape(e.term)}</strong> ({html.escape(e.short)})</dt>'
                f'<dd style="margin:0 0 0.6em 1.2em"><p style="margin:0">{html.escape(e.definition)}</p>'
                f'<p style="margin:0.2em 0 0;font-size:0.92em">Source: {html.escape(s["publisher"])}, '
                f'<a href="{html.escape(s["url"], quote=True)}" target="_blank" rel="noopener">'
                f'{html.escape(s["title"])}</a>.</p></dd>')
        codes = self._codes()
        table = ""
        if codes:
            body = "".join(f"<tr><td>{html.escape(c)}</td><td>{html.escape(n)}</td></tr>" for c, n in codes.items())
            table = ('<table class="course-table"><caption style="text-align:left">The country codes on the maps'
                     '</caption><thead><tr><th scope="col" style="text-align:left">Code</th>'
                     f'<th scope="col" style="text-align:left">Country</th></tr></thead><tbody>{body}</tbody></table>')
        return f'<div class="course-glossary"><dl>{"".join(parts)}</dl>{table}</div>'


def glossary(*terms: str) -> Glossary:
    """The glossary, or the entries for some terms: ``glossary("CSTO")``, ``glossary("HHI", "CIF/FOB")``."""
    rows = entries()
    if not terms:
        return Glossary(tuple(rows))
    chosen: list[Any] = []
    for term in terms:
        entry = _find(term, rows)
        if entry not in chosen:
            chosen.append(entry)
    return Glossary(tuple(chosen))


def markdown() -> str:
    """docs/glossary.md: every entry with an anchor (its term_id), its definition and its source."""
    lines = ["# Glossary", "",
             "Terms you meet in the module, each defined from the source named under it. The entries are kept in",
             "`data/glossary.csv`; in a notebook, `course.glossary(\"CSTO\")` shows one. This page is written by",
             "`python -m course.terms --write`: edit the CSV, not this page.", ""]
    for e in entries():
        s = e.source
        lines += [f'<a id="{e.term_id}" name="{e.term_id}"></a>', "", f"## {e.term} ({e.short})", "", e.definition, "",
                  f"*Source:* {s['publisher']}, [{s['title']}]({s['url']}). "
                  f"Introduced in notebook {e.first_notebook:02d}.", ""]
        if e.term_id == "country-codes":
            lines += ["| Code | Country |", "|---|---|"]
            lines += [f"| {c} | {n} |" for c, n in codes_on_maps().items()] + [""]
    return "\n".join(lines)


def _main(argv: list[str]) -> int:
    from .paths import REPO

    target = REPO / PAGE
    if argv == ["--write"]:
        target.write_text(markdown(), encoding="utf-8")
        print(f"wrote {PAGE}")
        return 0
    if argv == ["--check"]:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != markdown():
            print(f"{PAGE} is out of date: run python -m course.terms --write")
            return 1
        return 0
    print("usage: python -m course.terms --write | --check")
    return 2


if __name__ == "__main__":
    import sys

    sys.exit(_main(sys.argv[1:]))

"""Tables for notebooks: one class for every lesson, an HTML table in JupyterLab and plain lines elsewhere.

Their content is always in the same order, so stored notebook outputs do not change from one run to the next.
Only the standard library is used.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Table", "display_value", "label"]


@dataclass(frozen=True)
class Table:
    """Rows to show in a notebook: an HTML table in JupyterLab, plain lines elsewhere.

    ``rows`` is a list of tuples, one value per column. ``len(table)`` is the number of rows, and a table can
    be looped over like a list.
    """

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, index: int) -> tuple[Any, ...]:
        return self.rows[index]

    def column(self, name: str) -> list[Any]:
        """All the values of one column, e.g. ``table.column("Label")``."""
        try:
            i = self.columns.index(name)
        except ValueError:
            raise KeyError(f"No column {name!r}; the columns are: {', '.join(self.columns)}") from None
        return [row[i] for row in self.rows]

    def __repr__(self) -> str:
        lines = [self.caption, " | ".join(self.columns)]
        lines += [" | ".join(str(display_value(v)) for v in row) for row in self.rows]
        if not self.rows:
            lines.append("(nothing found)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        # a column without a name gets an empty <td>, not an empty <th> (a header with no text announces nothing)
        head = "".join(f'<th scope="col" style="{_CELL_STYLE}">{html.escape(c)}</th>' if c else "<td></td>"
                       for c in self.columns)
        body = "".join("<tr>" + "".join(f'<td style="{_CELL_STYLE}">{_cell_html(v)}</td>' for v in row) + "</tr>"
                       for row in self.rows)
        if not self.rows:
            body = f'<tr><td colspan="{len(self.columns)}"><em>(nothing found)</em></td></tr>'
        return (f'<table class="course-table"><caption style="text-align:left">{html.escape(self.caption)}'
                f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


#: Table cells wrap between words only, never inside one ("quotation", "2018", "percent" stay whole); a long
#: address gets break opportunities after its punctuation instead (see _cell_html).
_CELL_STYLE = "text-align:left;overflow-wrap:normal;word-break:normal;hyphens:manual"
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
_MONTHS = {"jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
           "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December"}
_UPPER = {"pct": "percent", "usd": "USD", "gdp": "GDP", "kgs": "KGS", "csto": "CSTO", "eaeu": "EAEU", "cis": "CIS",
          "sco": "SCO", "eu": "EU", "us": "US", "uk": "UK", "nsc": "NSC", "cia": "CIA", "hhi": "HHI",
          "russia": "Russia", "china": "China", "kazakhstan": "Kazakhstan", "kyrgyzstan": "Kyrgyzstan"}


def label(identifier: str) -> str:
    """A data identifier as words: "share_of_demand_covered_range_low" -> "Share of demand covered (low end of
    range)", "imports_jan_aug" -> "Imports January-August", "csto_2025" -> "CSTO 2025". Other text is unchanged."""
    if not isinstance(identifier, str) or not _IDENTIFIER.fullmatch(identifier):
        return identifier
    text = identifier
    suffix = ""
    for end, words in (("_range_low", " (low end of range)"), ("_range_high", " (high end of range)")):
        if text.endswith(end):
            text, suffix = text[: -len(end)], words
    words = text.replace("pct_gdp", "percent_of_gdp").split("_")
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _MONTHS and i + 1 < len(words) and words[i + 1] in _MONTHS:
            out.append(f"{_MONTHS[w]}-{_MONTHS[words[i + 1]]}")
            i += 2
            continue
        out.append(_MONTHS.get(w, _UPPER.get(w, w)))
        i += 1
    result = " ".join(out) + suffix
    return result[:1].upper() + result[1:]


def display_value(value: Any) -> Any:
    """What a table shows for a value: identifiers from the data as words (see ``label``), anything else as it is."""
    return label(value) if isinstance(value, str) else value


def _cell_html(value: Any) -> str:
    text = html.escape(str(display_value(value)))
    # a long run without spaces (an address) may break after / . _ - ? & = but never inside a word
    return re.sub(r"\S{31,}", lambda m: re.sub(r"([/._?&=-])(?=\w)", r"\1<wbr>", m.group(0)), text)

"""Tables for notebooks: one class for every lesson, an HTML table in JupyterLab and plain lines elsewhere.

Their content is always in the same order, so stored notebook outputs do not change from one run to the next.
Only the standard library is used.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

__all__ = ["Table"]


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
        lines += [" | ".join(str(v) for v in row) for row in self.rows]
        if not self.rows:
            lines.append("(nothing found)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col" style="text-align:left">{html.escape(c)}</th>' for c in self.columns)
        cell = '<td style="text-align:left;overflow-wrap:anywhere">{}</td>'  # long addresses wrap, not scroll
        body = "".join("<tr>" + "".join(cell.format(html.escape(str(v))) for v in row) + "</tr>" for row in self.rows)
        if not self.rows:
            body = f'<tr><td colspan="{len(self.columns)}"><em>(nothing found)</em></td></tr>'
        return (f'<table class="course-table"><caption style="text-align:left">{html.escape(self.caption)}'
                f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

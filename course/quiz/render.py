"""Markdown from question banks to safe HTML, and the static (no-kernel) view of a question.

Raw HTML in a bank is escaped, never passed through: a ``<script>`` or ``<img onerror=...>`` shows as
text. Links with ``javascript:`` and similar schemes are not turned into links.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from .messages import t
from .model import Question


@lru_cache(maxsize=1)
def _md():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def markdown(text: str) -> str:
    """Block Markdown (paragraphs, lists, tables) to HTML, with any HTML in `text` escaped."""
    return _md().render(text)


def inline(text: str) -> str:
    """One line of Markdown (emphasis, links, code) to HTML, with any HTML in `text` escaped."""
    return _md().renderInline(text)


def static_text(q: Question) -> str:
    """What a reader without a kernel sees (GitHub, nbviewer, an HTML export): never the answer."""
    lines = [t("question_label", label=q.label), q.prompt.strip(), *q.static_lines(), t("static_note")]
    return "\n".join(lines)


def static_html(q: Question) -> str:
    parts = [f'<div class="course-quiz-static"><p><strong>{html.escape(t("question_label", label=q.label))}'
             f"</strong></p>{markdown(q.prompt)}"]
    for heading, _marker, items in q.static_groups():
        parts.append(f"<p>{html.escape(heading)}</p>")
        if items:
            parts.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>")
    parts.append(f"<p><em>{html.escape(t('static_note'))}</em></p></div>")
    return "".join(parts)


_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&\"'])")


def literal(text: str) -> str:
    """`text` (e.g. what a student typed) escaped so that Markdown shows it as it is: no links, no emphasis."""
    return _MD_PUNCTUATION.sub(r"\\\1", text)

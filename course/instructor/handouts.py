"""Printable handouts of every question bank (Markdown and HTML, PDF with Chromium), and the answer keys:
each question's answer, explanation and feedback, and each exercise's model solution."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from . import InstructorError


def handout_markdown(bank: Any, key: bool, solutions: dict[str, str] | None = None) -> str:
    """One bank as Markdown; with ``key``, the answers, and the model solutions of the notebook's exercises
    (``solutions``: exercise id -> code; those whose id starts with the notebook's number are shown)."""
    lines = [f"# {bank.title}: questions" + (" and answer key" if key else ""), ""]
    lines.append(f"*Notebook `{bank.notebook}`, {len(bank.questions)} questions.*")
    lines.append("")
    for q in bank.questions:
        lines += [f"## Question {q.label}", "", q.prompt.strip(), ""]
        for heading, marker, items in q.static_groups():
            lines += [f"*{heading}*", ""]
            bullet = {"( )": "- ( )", "[ ]": "- [ ]"}.get(marker, "-")
            lines += [f"{bullet} {item}" for item in items]
            lines.append("")
        if not key:
            if q.kind in ("numeric", "reflection"):
                lines += ["Answer: ______________________________________________", ""]
            continue
        lines += [f"**Answer:** {q.answer_text()}", "", f"**Explanation:** {q.explanation}", ""]
        notes = [(c.text, c.feedback) for c in getattr(q, "choices", ()) if c.feedback]
        if notes:
            lines.append("**If a student chose…**")
            lines += [f"- *{text}*: {feedback}" for text, feedback in notes]
            lines.append("")
    mine = {eid: code for eid, code in (solutions or {}).items() if eid[:2] == str(bank.notebook)[:2]}
    if key and mine:
        lines += ["## Exercises: model solutions", "",
                  "Each one passes its check in the notebook (`check(\"<id>\", ...)`); other answers may too.", ""]
        for eid, code in mine.items():
            lines += [f"### `{eid}`", "", "```python", code, "```", ""]
    return "\n".join(lines).rstrip() + "\n"


HANDOUT_CSS = """body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;line-height:1.45;color:#111}
h1{font-size:1.6em}h2{font-size:1.15em;margin-top:1.6em;border-top:1px solid #999;padding-top:.6em}
ul{list-style:none;padding-left:1em}pre{background:#f4f4f4;padding:.6em;overflow-x:auto}
@media print{h2{break-after:avoid}li,pre{break-inside:avoid}}"""


def handout_html(markdown_text: str, title: str) -> str:
    from ..quiz.render import markdown

    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{HANDOUT_CSS}</style></head><body>\n{markdown(markdown_text)}</body></html>\n")


def _chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def handouts(out_dir: Path, key: bool = False, pdf: bool = False) -> list[Path]:
    """Markdown + HTML handouts (and PDF if asked and Chromium is available) of every bank; with ``key``, the
    answer keys, the exercises' model solutions included."""
    from ..quiz.bank import BankError, bank_paths, load_bank
    from .editions import exercise_solutions

    solutions = exercise_solutions() if key else {}
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for path in bank_paths():
        try:
            bank = load_bank(path)
        except BankError as err:
            raise InstructorError(str(err)) from None
        stem = f"{bank.notebook}{'_key' if key else ''}"
        md = handout_markdown(bank, key, solutions)
        (out_dir / f"{stem}.md").write_text(md, encoding="utf-8")
        page = out_dir / f"{stem}.html"
        page.write_text(handout_html(md, bank.title), encoding="utf-8")
        written += [out_dir / f"{stem}.md", page]
        if pdf:
            browser = _chromium()
            if browser is None:
                raise InstructorError("--pdf needs Chromium (or CHROMIUM=/path/to/it); HTML and Markdown were written")
            target = out_dir / f"{stem}.pdf"
            subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                            "--disable-background-networking", "--no-pdf-header-footer",
                            f"--print-to-pdf={target}", page.resolve().as_uri()],
                           check=True, capture_output=True, timeout=120)
            written.append(target)
    return written

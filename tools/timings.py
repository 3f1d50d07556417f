"""Estimate how long each notebook takes a beginner, from what it asks them to read and do.

    python tools/timings.py              # a table: per notebook, teaching and exercise minutes, and the total
    python tools/timings.py --check      # exit 1 if a notebook's "Time:" line differs from the estimate
    python tools/timings.py --sections 01 03   # minutes per section (teaching + exercises), to plan a session

The method (also stated in the README and in each notebook's first cell):

* **Teaching** = reading + running. Reading: every word of the Markdown cells at READING_WPM words per minute (a
  careful pace for a beginner reading in English), and every word the code cells show (tables, facts, the article's
  paragraphs) at SCANNING_WPM (a table is scanned for what the text asks about, not studied line by line).
  Running: RUN_MINUTES per code cell (run it, wait, look at the result), plus CHART_MINUTES per chart. The
  "Sources" section at the end is skimmed, not read, and is not counted.
* **Exercises** = QUESTION_MINUTES per graded quiz question (read, answer, read the feedback, sometimes retry),
  REFLECTION_MINUTES per written reflection, EXERCISE_MINUTES per coding exercise, and each discussion or debate
  for the minutes its prompt states (working alone, its solo version takes the same time). Homework (05's essay)
  is not counted.
* Each figure is rounded to the nearest 5 minutes.

These are estimates from the notebooks' content under the stated rates, not timings of real students.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

READING_WPM = 150   # prose (Markdown cells): a careful study pace for a beginner reading in English
SCANNING_WPM = 250  # what code cells show (tables, lists, the article's paragraphs looked up): scanned, not studied
RUN_MINUTES = 0.5
CHART_MINUTES = 1.5
QUESTION_MINUTES = 2.0
REFLECTION_MINUTES = 4.0
EXERCISE_MINUTES = 6.0

QUIZ = re.compile(r"""quiz\(\s*["']([0-9]{2}-[a-z0-9-]+)["']""")
ALONE = re.compile(r"""alone\(\s*["'][0-9]{2}-[a-z0-9-]+["']""")
CHECK = re.compile(r"""check\(\s*["'][0-9]{2}-[a-z0-9-]+["']""")
ACTIVITY_MINUTES = re.compile(r"\*\*(?:Discussion|The debate) \([^)]*?(\d+) minutes\)")
TIME_LINE = re.compile(r"\*\*Time:\*\* teaching (\d+) minutes · exercises (\d+) minutes")
WORD = re.compile(r"[A-Za-z0-9À-ÿЀ-ӿ'’-]+")


def _words(text: str) -> int:
    return len(WORD.findall(text))


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _output_text(cell: dict) -> tuple[str, int]:
    """The words a student reads in a code cell's outputs, and how many charts it shows."""
    text, charts = [], 0
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        stream = out.get("output_type") == "stream"
        plain = "".join(out.get("text", "")) if stream else "".join(data.get("text/plain", ""))
        if "image/png" in data or "data:image/png" in "".join(data.get("text/html", "")):
            charts += 1
            continue  # a chart's text is its title and alt text: counted as CHART_MINUTES, not read as prose
        text.append(plain)
    return "\n".join(text), charts


@dataclass(frozen=True)
class Estimate:
    notebook: str
    words: int
    shown_words: int
    code_cells: int
    charts: int
    questions: int
    reflections: int
    exercises: int
    activity_minutes: int

    @property
    def teaching(self) -> int:
        return _round5(self.words / READING_WPM + self.shown_words / SCANNING_WPM + self.code_cells * RUN_MINUTES
                       + self.charts * CHART_MINUTES)

    @property
    def exercise_time(self) -> int:
        return _round5(self.questions * QUESTION_MINUTES + self.reflections * REFLECTION_MINUTES
                       + self.exercises * EXERCISE_MINUTES + self.activity_minutes)

    @property
    def total(self) -> int:
        return self.teaching + self.exercise_time


def _round5(minutes: float) -> int:
    return int(5 * round(minutes / 5)) or 5


def estimate(path: Path, cells: list[dict] | None = None, name: str | None = None) -> Estimate:
    """The estimate for a notebook (or for some of its cells, e.g. one section)."""
    from course.quiz.bank import bank_paths, load_bank

    bank = next(load_bank(p) for p in bank_paths() if p.stem == path.stem)
    if cells is None:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    words = shown = code = charts = questions = reflections = exercises = activity = 0
    in_sources = False
    for cell in cells:
        src = _source(cell)
        if cell["cell_type"] == "markdown":
            for m in ACTIVITY_MINUTES.finditer(src):
                activity += int(m.group(1))
            text = re.sub(r"<!--.*?-->", "", src, flags=re.S)
            if re.search(r"^## Next", text, re.M):
                in_sources = False
            head, _, tail = text.partition("## Sources")
            if not in_sources:
                words += _words(head)
            if tail:
                in_sources = not re.search(r"^## Next", tail, re.M)
                if not in_sources:
                    words += _words(tail[tail.index("## Next"):])
            continue
        if cell["cell_type"] != "code":
            continue
        ids = QUIZ.findall(src)
        if ids:
            q = bank.get(ids[0])
            if q.graded:
                questions += 1
            else:
                reflections += 1
            continue
        if ALONE.search(src):
            continue  # the solo version of a discussion: its time is the discussion's
        if CHECK.search(src):
            exercises += 1
        code += 1
        if not in_sources:
            text, n = _output_text(cell)
            shown += _words(text)
            charts += n
    return Estimate(name or path.stem, words, shown, code, charts, questions, reflections, exercises, activity)


def sections(path: Path) -> list[tuple[str, float, float]]:
    """Unrounded minutes (teaching, exercises) per "## " section of a notebook, for planning a shorter session."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    parts: list[tuple[str, list[dict]]] = [("(start)", [])]
    for cell in cells:
        heading = re.search(r"^## (.+)$", _source(cell), re.M) if cell["cell_type"] == "markdown" else None
        if heading:
            parts.append((heading.group(1).strip(), []))
        parts[-1][1].append(cell)
    out = []
    for name, part in parts:
        e = estimate(path, part, name)
        teaching = e.words / READING_WPM + e.shown_words / SCANNING_WPM + e.code_cells * RUN_MINUTES + \
            e.charts * CHART_MINUTES
        exercises = (e.questions * QUESTION_MINUTES + e.reflections * REFLECTION_MINUTES
                     + e.exercises * EXERCISE_MINUTES + e.activity_minutes)
        out.append((name, round(teaching, 1), round(exercises, 1)))
    return out


def notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def stated(path: Path) -> tuple[int, int] | None:
    first = _source(json.loads(path.read_text(encoding="utf-8"))["cells"][0])
    m = TIME_LINE.search(first)
    return (int(m.group(1)), int(m.group(2))) if m else None


def main(argv: list[str]) -> int:
    if argv[:1] == ["--sections"]:
        for p in notebooks():
            if any(p.name.startswith(n) for n in argv[1:]) or len(argv) == 1:
                print(p.stem)
                for name, teaching, exercises in sections(p):
                    print(f"  {teaching:5.1f} + {exercises:5.1f} min  {name}")
        return 0
    rows = [estimate(p) for p in notebooks()]
    if argv == ["--check"]:
        bad = [(r.notebook, stated(p), (r.teaching, r.exercise_time)) for r, p in zip(rows, notebooks())
               if stated(p) != (r.teaching, r.exercise_time)]
        for name, have, want in bad:
            print(f"{name}: the header says {have}, the estimate is {want} (teaching, exercises)")
        return 1 if bad else 0
    print(f"Reading {READING_WPM} words/min, scanning {SCANNING_WPM}; {RUN_MINUTES} min per code cell, "
          f"{CHART_MINUTES} per chart; {QUESTION_MINUTES} per question, {REFLECTION_MINUTES} per reflection, "
          f"{EXERCISE_MINUTES} per exercise")
    print("| Notebook | Words read | Words shown | Code cells | Charts | Questions | Reflections | Exercises "
          "| Discussion min | Teaching | Exercises | Total |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r.notebook} | {r.words} | {r.shown_words} | {r.code_cells} | {r.charts} | {r.questions} | "
              f"{r.reflections} | {r.exercises} | {r.activity_minutes} | {r.teaching} | {r.exercise_time} | "
              f"{r.total} |")
    total = sum(r.total for r in rows)
    print(f"Total: {total} minutes ({total // 60} h {total % 60} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

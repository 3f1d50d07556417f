"""Notebook 06 (review): the student's progress across the module, the answer they saved in notebook 00, a button
that exports their progress for the instructor, the figures that sources give differently across the notebooks,
and the checks of the notebook's exercises.

    from course.lessons import review
    review.my_progress()            # per notebook: questions answered and right, exercises passed, answers revealed
    review.first_question()         # what you wrote for Question 0.6 in notebook 00, if you saved it
    review.export_button()          # a button that writes progress-<name>.json for your instructor
    review.disagreements()          # figures on the same thing that sources give differently (from data/)
    review.disagreement_figures()   # the same figures as numbers, by topic, for Exercise 6.1

``progress_summary(attempts, banks)`` is the pure function behind ``my_progress()``: it takes the attempts of a
progress store (or the store itself) and the question banks, and returns one row per notebook. Everything is
shown as HTML (escaped) in JupyterLab and as plain text elsewhere, in a fixed order, so stored notebook outputs do
not change between runs. anywidget is imported only by ``export_button``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import data
from ..exercises import exercise
from ..numbers import as_number, for_people
from ..tables import Table

__all__ = [
    "DISAGREEMENTS",
    "EXPECTATIONS",
    "NotebookProgress",
    "ProgressSummary",
    "SavedAnswer",
    "disagreement_figures",
    "disagreement_rows",
    "disagreements",
    "export_button",
    "export_message",
    "exercise_ids",
    "first_question",
    "my_progress",
    "progress_summary",
    "saved_answer",
    "sources",
]

#: The reflection in notebook 00 that this notebook returns to: (notebook, question id).
EXPECTATIONS = ("00_start_here", "00-expectations")


# --- progress across the module ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotebookProgress:
    """One notebook's progress. Counts are of distinct questions or exercises, not of attempts."""

    notebook: str      # "03_migration_and_remittances"
    title: str         # the bank's title
    questions: int     # questions in the notebook's bank
    graded: int        # of which graded (all but reflections)
    answered: int      # questions answered at least once (reflections: saved)
    correct: int       # graded questions answered right at least once
    exercises: int     # exercises the notebook has (0 if not known)
    checked: int       # exercises checked at least once
    passed: int        # exercises passed at least once
    reveals: int       # questions whose answer was revealed ("Show answer") and exercises whose solution was

    @property
    def number(self) -> str:
        return self.notebook[:2]

    @property
    def started(self) -> bool:
        return bool(self.answered or self.checked or self.reveals)


def _attempts_of(source: Any) -> list[dict[str, Any]]:
    """The attempts of a ProgressStore (anything with .attempts()) or of a list of attempt dicts."""
    records = source.attempts() if hasattr(source, "attempts") and callable(source.attempts) else source
    return [r for r in (records or []) if isinstance(r, Mapping) and isinstance(r.get("question"), str)]


def progress_summary(attempts: Any, banks: Iterable[Any],
                     exercises: Iterable[str] | None = None) -> ProgressSummary:
    """One row per bank (in the order given): how much of its quiz and exercises this student has done.

    ``attempts``: a ProgressStore or its list of attempts (dicts with notebook, question, kind, correct).
    ``banks``: question banks (objects with ``notebook``, ``title`` and ``questions``, each question with ``id``
    and ``graded``). ``exercises``: the ids of the module's exercises ("03-pp-change"), to count how many each
    notebook has; an exercise belongs to the notebook whose number starts its id. Attempts at questions that are
    not in a bank (an old or renamed question) are not counted.
    """
    records = _attempts_of(attempts)
    exercise_list = sorted(set(exercises or ()))
    rows = []
    for bank in banks:
        ids = {q.id for q in bank.questions}
        graded = {q.id for q in bank.questions if getattr(q, "graded", True)}
        prefix = str(bank.notebook)[:2]
        mine = [e for e in exercise_list if e[:2] == prefix]
        answered, correct, checked, passed, reveals = set(), set(), set(), set(), set()
        for r in records:
            kind, qid = r.get("kind", "answer"), r["question"]
            if kind == "exercise":
                if qid[:2] == prefix:
                    checked.add(qid)
                    if r.get("correct") is True:
                        passed.add(qid)
                continue
            if kind == "reveal" and qid in mine:  # an exercise's model solution was shown
                reveals.add(qid)
                continue
            if r.get("notebook") != bank.notebook or qid not in ids:
                continue
            if kind == "answer":
                answered.add(qid)
                if qid in graded and r.get("correct") is True:
                    correct.add(qid)
            elif kind == "reveal":
                reveals.add(qid)
        rows.append(NotebookProgress(
            notebook=str(bank.notebook), title=str(bank.title), questions=len(ids), graded=len(graded),
            answered=len(answered), correct=len(correct), exercises=len(set(mine) | checked),
            checked=len(checked), passed=len(passed), reveals=len(reveals)))
    return ProgressSummary(tuple(rows))


def _of(part: int, whole: int) -> str:
    return f"{part} of {whole}"


EMPTY_MESSAGE = (
    "You have not answered any questions or checked any exercises yet, so there is nothing to count. "
    "Answer some questions (in this notebook or the others), then run this cell again: it will show, for each "
    "notebook, how many questions you have answered and got right, how many exercises you have passed, and how "
    "many answers you revealed with \"Show answer\"."
)
EMPTY_NOTE = (
    "Your answers are kept in your own progress file. If you reset it, or work on another computer or account, "
    "the count starts again from zero."
)


@dataclass(frozen=True)
class ProgressSummary:
    """The rows of ``progress_summary``; shows as a sentence and a table (or a message when there is nothing)."""

    rows: tuple[NotebookProgress, ...]

    COLUMNS = ("Notebook", "Questions answered", "Answered right (graded questions)", "Exercises passed",
               "Answers revealed")

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    @property
    def empty(self) -> bool:
        return not any(r.started for r in self.rows)

    def row(self, notebook: str) -> NotebookProgress:
        """The row of one notebook, by its name ("03_migration_and_remittances") or number ("03")."""
        for r in self.rows:
            if notebook in (r.notebook, r.number):
                return r
        raise KeyError(f"No notebook {notebook!r}; the notebooks are: {', '.join(r.notebook for r in self.rows)}")

    @property
    def total(self) -> NotebookProgress:
        def add(field: str) -> int:
            return sum(getattr(r, field) for r in self.rows)

        return NotebookProgress("all", "All notebooks", add("questions"), add("graded"), add("answered"),
                                add("correct"), add("exercises"), add("checked"), add("passed"), add("reveals"))

    def table_rows(self) -> list[tuple[str, ...]]:
        def cells(r: NotebookProgress, name: str) -> tuple[str, ...]:
            exercises = _of(r.passed, r.exercises) if r.exercises else "none in this notebook"
            if r.exercises and r.checked > r.passed:
                exercises += f" ({r.checked} checked)"
            return (name, _of(r.answered, r.questions), _of(r.correct, r.graded), exercises, str(r.reveals))

        out = [cells(r, f"{r.number} {r.title}") for r in self.rows]
        out.append(cells(self.total, "All notebooks"))
        return out

    def sentences(self) -> list[str]:
        t = self.total
        lines = [f"So far you have answered {_of(t.answered, t.questions)} questions in the module and got "
                 f"{_of(t.correct, t.graded)} graded questions right; you have passed {_of(t.passed, t.exercises)} "
                 f"exercises."]
        untouched = [r.number for r in self.rows if not r.started]
        if untouched:
            lines.append(f"Notebooks you have not started yet: {', '.join(untouched)}.")
        if t.reveals:
            lines.append(f"You used \"Show answer\" on {t.reveals} question{'s' if t.reveals != 1 else ''}: "
                         "those are worth a second look.")
        return lines

    def __repr__(self) -> str:
        if self.empty:
            return f"{EMPTY_MESSAGE}\n{EMPTY_NOTE}"
        lines = self.sentences() + ["", " | ".join(self.COLUMNS)]
        lines += [" | ".join(row) for row in self.table_rows()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        if self.empty:
            return (f'<div class="course-progress-summary" role="status"><p>{html.escape(EMPTY_MESSAGE)}</p>'
                    f"<p><em>{html.escape(EMPTY_NOTE)}</em></p></div>")
        head = "".join(f'<th scope="col" style="text-align:left">{html.escape(c)}</th>' for c in self.COLUMNS)
        body = ""
        rows = self.table_rows()
        for i, row in enumerate(rows):
            weight = "bold" if i == len(rows) - 1 else "normal"  # only the total row stands out
            first = f'<th scope="row" style="text-align:left;font-weight:{weight}">{html.escape(row[0])}</th>'
            rest = "".join(f'<td style="text-align:left">{html.escape(v)}</td>' for v in row[1:])
            body += f"<tr>{first}{rest}</tr>"
        text = "".join(f"<p>{html.escape(s)}</p>" for s in self.sentences())
        return (f'<div class="course-progress-summary">{text}<table class="course-table"><caption '
                f'style="text-align:left">Your progress, notebook by notebook (from your progress file)</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def exercise_ids() -> list[str]:
    """The ids of every exercise of the module (each notebook's module is imported to register its checks)."""
    from .. import exercises

    return sorted(exercises.exercise_ids())


def my_progress(store: Any = None) -> ProgressSummary:
    """Your progress across the module, from your progress file and the question banks."""
    from ..quiz.bank import bank_paths, load_bank
    from ..quiz.progress import store as kernel_store

    banks = [load_bank(p) for p in bank_paths()]
    return progress_summary(store if store is not None else kernel_store(), banks, exercise_ids())


# --- the question from notebook 00 ---------------------------------------------------------------------------


def saved_answer(attempts: Any, notebook: str = EXPECTATIONS[0], question: str = EXPECTATIONS[1]) -> str | None:
    """The last answer saved for one question (a reflection's text), or None if there is none."""
    found = None
    for r in _attempts_of(attempts):
        if r.get("notebook") == notebook and r["question"] == question and r.get("kind", "answer") == "answer":
            answer = r.get("answer")
            if isinstance(answer, str) and answer.strip():
                found = answer.strip()
    return found


ASKED = ("In notebook 00 (Question 0.6), before you started, you were asked what you already knew or guessed "
         "about relations between Kyrgyzstan and Russia, and one question you would like this module to answer.")
NOT_SAVED = ("You have not saved an answer to that question yet (or your progress was reset since). You can go "
             "back to notebook 00 and answer it now, or simply think: what did you want to find out when you "
             "started? Then answer Question 6.9 below.")


@dataclass(frozen=True)
class SavedAnswer:
    """What the student wrote for the reflection of notebook 00 (``text`` is None if nothing was saved)."""

    text: str | None

    def __repr__(self) -> str:
        if self.text is None:
            return f"{ASKED}\n{NOT_SAVED}"
        quoted = "\n".join("    " + line for line in self.text.splitlines())
        return f"{ASKED}\nYou wrote:\n{quoted}"

    def _repr_html_(self) -> str:
        if self.text is None:
            return (f'<div class="course-saved-answer" role="status"><p>{html.escape(ASKED)}</p>'
                    f"<p><em>{html.escape(NOT_SAVED)}</em></p></div>")
        body = "<br>".join(html.escape(line) for line in self.text.splitlines())
        return (f'<div class="course-saved-answer"><p>{html.escape(ASKED)}</p><p>You wrote:</p>'
                f'<blockquote style="border-left:4px solid #0072B2;margin:0.5em 0;padding:0.3em 0.8em">{body}'
                "</blockquote></div>")


def first_question(store: Any = None) -> SavedAnswer:
    """What you wrote in notebook 00 about what you knew and wanted to find out (if you saved it)."""
    from ..quiz.progress import store as kernel_store

    return SavedAnswer(saved_answer(store if store is not None else kernel_store()))


# --- exporting progress for the instructor -------------------------------------------------------------------


def export_message(folder: Path | str | None = None, student: str | None = None) -> tuple[bool, str, Path | None]:
    """Export this student's progress and say what happened, in words (``course.instructor.export``)."""
    from course.instructor.export import export_message as _export_message  # absolute: this module may move

    return _export_message(folder, student)


def export_button(folder: Path | str | None = None, student: str | None = None) -> Any:
    """A button "Export my progress" (``course.instructor.button``): it writes progress-<your name>.json (in
    ``folder``, default the current folder) for your instructor, asks for a name first on a shared login, and
    says where the file went; if that fails, it says why and what to do instead."""
    from course.instructor.button import export_button as _export_button

    from ..quiz.widgets import state_not_saved_in_the_notebook

    with state_not_saved_in_the_notebook():  # an HTML export shows the button's static text, not an empty box
        return _export_button(folder, student)


# --- figures that sources give differently ----------------------------------------------------------------------


@dataclass(frozen=True)
class Disagreement:
    topic: str       # the key students use in Exercise 6.1
    notebooks: str   # where the student met it
    table: str       # the data table
    where: dict[str, Any]
    whose: Callable[[Any], str]


def _publisher(r: Any) -> str:
    return r.source["publisher"]


def _publisher_year(r: Any) -> str:
    year = r.source.get("year")
    return f"{_publisher(r)} ({year})" if year else _publisher(r)


def _food_whose(r: Any) -> str:
    if r.measure == "rail_shipments_from_russia":
        return f"Russian Railways, sent by rail (as reported by {_publisher(r)})"
    return f"Kyrgyz statistics, imports (as reported by {_publisher(r)})"


def _fact_whose(r: Any) -> str:
    """Who gives a fact: the words before its first colon ("Japarov at the 2023 ceremony"), with the publisher."""
    speaker, publisher = r.fact.split(":", 1)[0].strip(), _publisher(r)
    if speaker.casefold().startswith(publisher.casefold()):
        return speaker
    if publisher.casefold().startswith(speaker.casefold()):
        return publisher
    return f"{speaker} ({publisher})"


#: Things two or more sources in data/ give different figures for. Only rows of data/ are shown; nothing is typed in.
DISAGREEMENTS: tuple[Disagreement, ...] = (
    Disagreement("China trade 2024", "04, 05", "trade",
                 {"year": 2024, "partner": "China", "flow": "turnover", "unit": "USD billion"},
                 lambda r: r.reporter),
    Disagreement("Russia trade 2024", "04, 05", "trade",
                 {"year": 2024, "partner": "Russia", "flow": "turnover", "unit": "USD billion"},
                 lambda r: r.reporter),
    Disagreement("Flour from Russia 2022", "04", "food",
                 {"year": 2022, "product": "flour", "partner": "Russia"}, _food_whose),
    Disagreement("Gas coverage 2014", "04", "energy",
                 {"year": 2014, "measure": "gasification_level"}, _publisher_year),
    Disagreement("Money from Russia 2017", "03", "remittances",
                 {"year": 2017, "measure": "transfers_from_russia_usd"}, _publisher_year),
    Disagreement("Pupils per school", "05", "facts", {"unit": "pupils per school"}, _fact_whose),
)


def _matches(r: Any, where: Mapping[str, Any]) -> bool:
    return all(getattr(r, k) == v for k, v in where.items())


def disagreement_rows() -> dict[str, list]:
    """The data rows of each disagreement, by topic, in the order of the CSV files."""
    out = {}
    for d in DISAGREEMENTS:
        rows = [r for r in data.load(d.table) if _matches(r, d.where)]
        if len(rows) < 2:
            raise data.DataError(f"data/{d.table}.csv no longer holds two figures for {d.topic!r}")
        out[d.topic] = rows
    return out


def disagreement_figures() -> dict[str, tuple[float, ...]]:
    """The figures of each disagreement as numbers, by topic: e.g. {"Gas coverage 2014": (22, 25), ...}."""
    return {topic: tuple(r.value for r in rows) for topic, rows in disagreement_rows().items()}


_figure = for_people


def disagreements() -> Table:
    """Each disagreement with every figure as its source gives it, and whose it is."""
    rows = []
    for d in DISAGREEMENTS:
        for r in disagreement_rows()[d.topic]:
            rows.append((d.topic, d.notebooks, _figure(r.value), r.unit, d.whose(r)))
    return Table("Figures for the same thing that sources give differently (rows of data/)",
                 ("Topic", "Notebook", "Figure", "Unit", "Whose figure"), tuple(rows))


# --- sources ----------------------------------------------------------------------------------------------------


def _bank_source_ids() -> list[str]:
    import yaml

    from ..quiz.bank import bank_paths

    path = next(p for p in bank_paths() if p.name.startswith("06_"))
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    ids: list[str] = []
    for q in doc["questions"]:
        ids += [s for s in q.get("sources", []) if s not in ids]
    return ids


#: Sources that notebook 06's "Next" cell recommends reading (ids in data/datapackage.json).
FURTHER_READING = ("kremlin-2025-11-26-talks", "kremlin-2025-11-26-press-statements", "wb-wdi-remit-pct",
                   "cislegislation-kg-eaeu-treaty")


def sources() -> data.Citations:
    """Citations for everything notebook 06 states: the article (with the paragraphs cited), the reports of the
    talks and the data sources its quiz questions rely on, the sources of the disagreements table, and the
    further reading it recommends."""
    from .. import article

    ids = _bank_source_ids() + [s for s in FURTHER_READING if s not in _bank_source_ids()]
    paragraphs = [s.split(":", 1)[1] for s in ids if s.startswith("article:") and s != "article:metadata"]
    meta = article.metadata()
    lines = [f'{meta["outlet_as_printed"]}, "{meta["title"]}" (undated; cited here: '
             f'{", ".join(sorted(set(paragraphs)))}). {meta["url_found"]}']
    reports = {s["id"]: s for s in article.source_records()}
    cited: dict[str, str] = {}
    for sid in ids:
        if sid.startswith("article-source:"):
            s = reports[sid.split(":", 1)[1]]
            cited.setdefault(s["url"], f"{s['publisher']}, {s['title']} ({s.get('year') or 'n.d.'}). {s['url']}")
        elif not sid.startswith("article:"):
            cited.setdefault(data.source(sid)["url"], data.citation(data.source(sid)))
    for rows in disagreement_rows().values():
        for r in rows:
            cited.setdefault(r.source["url"], data.citation(r.source))
    return data.Citations(lines + sorted(cited.values(), key=str.casefold))


# --- exercise checks (notebook 06) -------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.casefold()).split())


def _topic_key(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    wanted = _norm(value)
    return next((d.topic for d in DISAGREEMENTS if _norm(d.topic) == wanted), None)


def _ratios() -> dict[str, float]:
    return {topic: max(figures) / min(figures) for topic, figures in disagreement_figures().items()}


_number = as_number


EXAMPLE_TOPIC = DISAGREEMENTS[3].topic  # used in hints to show how a topic is written


@exercise("06-ratios", label="6.1", solution="""
    ratios = {}
    for topic, numbers in figures.items():
        ratios[topic] = max(numbers) / min(numbers)
    ratios
""")
def _check_ratios(value: Any) -> tuple[bool, str]:
    expected = _ratios()
    if not isinstance(value, Mapping):
        return False, ("Store a dictionary with one entry per topic, written like {\"" + EXAMPLE_TOPIC +
                       "\": number, ...}. The loop in the cell above makes it for you.")
    given: dict[str, Any] = {}
    unknown = []
    for key, v in value.items():
        topic = _topic_key(key)
        if topic is None:
            unknown.append(str(key))
        else:
            given[topic] = v
    if unknown:
        return False, (f"These keys are not topics of the table: {', '.join(repr(u) for u in unknown[:3])}. Use the "
                       "topics exactly as in the table's first column.")
    missing = [t for t in expected if t not in given]
    if missing:
        return False, f"Your dictionary has no ratio yet for: {', '.join(missing)}. There is one entry per topic."
    for topic, want in expected.items():
        got = _number(given[topic])
        if got is None:
            return False, f"The entry for {topic!r} is not a number: divide one figure by another."
        if got < 1 - 1e-9:
            return False, (f"The entry for {topic!r} is below 1: divide the larger figure by the smaller "
                           "(max(...) / min(...)), so that every ratio is 1 or more.")
        if abs(got - want) > max(0.006, 1e-3 * want):
            return False, (f"The entry for {topic!r} is not right yet. Take all the figures of that topic, and "
                           "divide the largest by the smallest.")
    return True, ("Right: one ratio per topic, each your calculation from the figures of the sources named in the "
                  "table. A ratio of 1 would mean the sources agree exactly.")


@exercise("06-most-apart", label="6.2", solution="""
    most_apart = max(ratios, key=ratios.get)
    most_apart
""")
def _check_most_apart(value: Any) -> tuple[bool, str]:
    ratios = _ratios()
    best = max(ratios, key=ratios.get)
    if _number(value) is not None:
        return False, ("That is a number. Store the name of the topic, as text in quotes, "
                       f"like \"{EXAMPLE_TOPIC}\".")
    if not isinstance(value, str) or not value.strip():
        return False, f"Store the name of a topic as text in quotes, like \"{EXAMPLE_TOPIC}\"."
    topic = _topic_key(value)
    if topic is None:
        return False, (f"{value.strip()!r} is not one of the topics. Copy a topic exactly as it is written in the "
                       "table's first column.")
    if topic != best:
        return False, (f"Not {topic!r}: look at your ratios again. Which topic has the largest one? "
                       "(max(ratios, key=ratios.get) finds it.)")
    rows = disagreement_rows()[best]
    hi = max(rows, key=lambda r: r.value)
    lo = min(rows, key=lambda r: r.value)
    d = next(x for x in DISAGREEMENTS if x.topic == best)
    return True, (f"Right: {best}. By your calculation, {d.whose(hi)} gives about {ratios[best]:.1f} times the "
                  f"figure that {d.whose(lo)} gives. Notebook {d.notebooks.split(',')[0]} lists possible reasons "
                  "to investigate. The largest gap is not necessarily a mistake: it may come from two different "
                  "statistical systems.")

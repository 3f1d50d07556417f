"""The gradebook: students' progress exports combined into three tables, each a CSV a spreadsheet opens with
every name intact (UTF-8 with a byte-order mark).

- ``students.csv``: one row per student: each notebook's quiz score and exercise score, each with what it is
  out of, then the totals. Partial credit counts as it was given (a multiple-choice answer half right is 0.5).
- ``answers.csv``: the long form, one row per student and question or exercise, every one of them, also those
  the student never tried: score 0-1, attempts, whether the answer was revealed, whether it was attempted.
- ``items.csv``: an item analysis per question: how many got it right first time, the mean score, the wrong
  answer chosen most often, and its discrimination (do stronger students get it right more often?).

Scoring rules (the same for everyone):
- a question's score is the best score among the answers given *before* its answer was revealed with "Show
  answer": typing the revealed answer earns nothing;
- an exercise scores 1 if a check of it passed before its model solution was shown (``reveal``), else 0;
- reflections are not scored (they show as "saved" or "not attempted");
- a question or exercise never tried scores 0 and is marked ``not_attempted``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import InstructorError
from .export import EXPORT_FORMAT, EXPORT_VERSION

ANSWER_FIELDS = ["student", "notebook", "question", "type", "score", "attempts", "revealed", "not_attempted",
                 "right_first_time", "status"]
ITEM_FIELDS = ["notebook", "question", "type", "students", "tried", "right_first_time", "mean_score", "revealed",
               "most_chosen_wrong", "chosen_by", "discrimination"]


@dataclass(frozen=True)
class Item:
    """A question or an exercise of the module, as the gradebook counts it."""

    notebook: str
    id: str
    type: str  # "quiz", "reflection" or "exercise"
    question: Any = None  # the bank's Question (None for exercises)

    @property
    def scored(self) -> bool:
        return self.type != "reflection"


@dataclass
class Gradebook:
    items: list[Item] = field(default_factory=list)
    students: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # the long form (answers.csv), as values
    skipped: list[str] = field(default_factory=list)  # "file: reason": files not counted
    notes: list[str] = field(default_factory=list)  # things worth knowing that did not stop a file
    first_answers: dict[tuple[str, str], list[Any]] = field(default_factory=dict)  # (student, item) -> wrong answers

    @property
    def notebooks(self) -> list[str]:
        return list(dict.fromkeys(i.notebook for i in self.items))


# --- what the module asks ----------------------------------------------------------------------------------------

def _exercise_ids() -> list[str]:
    from ..exercises import exercise_ids

    return list(exercise_ids())


def module_items(banks: Iterable[Any] | None = None, exercise_ids: Iterable[str] | None = None) -> list[Item]:
    """Every question of the banks and every exercise, notebook by notebook (quiz questions first)."""
    if banks is None:
        from ..quiz.bank import BankError, bank_paths, load_bank

        try:
            banks = [load_bank(p) for p in bank_paths()]
        except BankError as err:
            raise InstructorError(str(err)) from None
    banks = list(banks)
    ids = sorted(set(_exercise_ids() if exercise_ids is None else exercise_ids))
    items: list[Item] = []
    for bank in banks:
        for q in bank.questions:
            items.append(Item(str(bank.notebook), q.id, "quiz" if q.graded else "reflection", q))
        prefix = str(bank.notebook)[:2]
        items += [Item(str(bank.notebook), e, "exercise") for e in ids if e[:2] == prefix]
    known = {str(b.notebook)[:2] for b in banks}
    items += [Item(e[:2], e, "exercise") for e in ids if e[:2] not in known]
    return items


# --- reading exports ---------------------------------------------------------------------------------------------

def read_export(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise InstructorError(f"cannot be read ({getattr(err, 'strerror', None) or err})") from None
    except (ValueError, RecursionError) as err:
        raise InstructorError(f"is not valid JSON ({err})") from None
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise InstructorError("is not a progress export of this module")
    if doc.get("version") != EXPORT_VERSION:
        raise InstructorError(f"comes from another version of the export format ({doc.get('version')!r})")
    if not isinstance(doc.get("student"), str) or not doc["student"].strip():
        raise InstructorError("names no student")
    attempts = doc.get("attempts")
    if not isinstance(attempts, list) or not all(isinstance(a, dict) and isinstance(a.get("question"), str)
                                                for a in attempts):
        raise InstructorError("has a damaged list of attempts")
    return doc


def _is_prefix(short: list[Any], long: list[Any]) -> bool:
    return len(short) <= len(long) and long[: len(short)] == short


def _collect(paths: Iterable[Path], book: Gradebook) -> dict[str, tuple[Path, list[dict[str, Any]]]]:
    """student -> (file, attempts). A student exported twice from the same progress (one list of attempts
    continuing the other) counts once, with the later export; two different lists under one name are a
    conflict, and the second file is skipped."""
    found: dict[str, tuple[Path, list[dict[str, Any]]]] = {}
    for path in paths:
        path = Path(path)
        try:
            doc = read_export(path)
        except InstructorError as err:
            book.skipped.append(f"{path}: {err}")
            continue
        student, attempts = doc["student"].strip(), doc["attempts"]
        if student not in found:
            found[student] = (path, attempts)
            continue
        first, earlier = found[student]
        if _is_prefix(earlier, attempts):
            found[student] = (path, attempts)
            book.notes.append(f"{first} and {path} are two exports of {student!r}'s progress: the later, "
                              f"{path.name}, is counted")
        elif _is_prefix(attempts, earlier):
            book.notes.append(f"{first} and {path} are two exports of {student!r}'s progress: the later, "
                              f"{first.name}, is counted")
        else:
            book.skipped.append(f"{path}: a second, different export for student {student!r} (first: {first}); "
                                "two people with one name? Ask them to export again with distinct names")
    return found


# --- scoring -----------------------------------------------------------------------------------------------------

def _score(a: dict[str, Any]) -> float:
    s = a.get("score")
    if isinstance(s, (int, float)) and not isinstance(s, bool) and 0 <= s <= 1:
        return float(s)
    return 1.0 if a.get("correct") is True else 0.0


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def _yes(flag: bool | None) -> str:
    return "" if flag is None else ("yes" if flag else "no")


def score_item(item: Item, attempts: list[dict[str, Any]]) -> dict[str, Any]:
    """One student's result on one item, from their attempts (oldest first)."""
    kind = "exercise" if item.type == "exercise" else "answer"
    mine = [a for a in attempts if a["question"] == item.id]
    tries = [a for a in mine if a.get("kind", "answer") == kind]
    reveal_at = next((k for k, a in enumerate(mine) if a.get("kind") == "reveal"), None)
    revealed = reveal_at is not None
    counted = [a for a in (mine if reveal_at is None else mine[:reveal_at]) if a.get("kind", "answer") == kind]
    tried = bool(tries)
    if not item.scored:
        return {"score": None, "attempts": len(tries), "revealed": False, "not_attempted": not tried,
                "right_first_time": None, "status": "saved" if tried else "not attempted", "wrong": []}
    score = max((_score(a) for a in counted), default=0.0)
    first = _score(counted[0]) if counted else None
    if not tried:
        status = "not attempted"
    elif score >= 1:
        status = "right"
    elif score > 0:
        status = "partial"
    else:
        status = "wrong"
    if revealed and score < 1:
        status += ", then revealed"
    wrong = [a.get("answer") for a in counted if _score(a) < 1]
    return {"score": score, "attempts": len(tries), "revealed": revealed, "not_attempted": not tried,
            "right_first_time": (first is not None and first >= 1) if tried else None, "status": status,
            "wrong": wrong}


def gradebook(paths: Iterable[Path], items: list[Item] | None = None) -> Gradebook:
    """Combine progress exports. Files that cannot be counted are listed in ``skipped``, never dropped silently."""
    book = Gradebook(items=list(items) if items is not None else module_items())
    found = _collect(paths, book)
    known = {i.id for i in book.items}
    for student in sorted(found, key=str.casefold):
        path, attempts = found[student]
        book.students.append(student)
        stray = sorted({a["question"] for a in attempts} - known)
        if stray:
            book.notes.append(f"{path}: attempts at {len(stray)} question(s) no longer in the banks were not "
                              f"counted ({', '.join(stray[:3])}{', ...' if len(stray) > 3 else ''})")
        for item in book.items:
            r = score_item(item, attempts)
            book.first_answers[student, item.id] = r.pop("wrong")
            book.rows.append({"student": student, "notebook": item.notebook, "question": item.id,
                              "type": item.type, **r})
    return book


# --- the three tables --------------------------------------------------------------------------------------------

def answer_rows(book: Gradebook) -> list[dict[str, str]]:
    return [{**r, "score": _fmt(r["score"]), "revealed": _yes(r["revealed"]),
             "not_attempted": _yes(r["not_attempted"]), "right_first_time": _yes(r["right_first_time"])}
            for r in book.rows]


def student_fields(book: Gradebook) -> list[str]:
    fields = ["student"]
    for nb in book.notebooks:
        n = nb[:2]
        fields += [f"{n} quiz", f"{n} quiz out of", f"{n} exercises", f"{n} exercises out of"]
    return fields + ["quiz", "quiz out of", "exercises", "exercises out of", "total", "total out of"]


def student_rows(book: Gradebook) -> list[dict[str, str]]:
    """One row per student: each notebook's quiz and exercise scores (and what they are out of), and totals."""
    out = []
    for student in book.students:
        row: dict[str, str] = {"student": student}
        totals = {"quiz": [0.0, 0], "exercise": [0.0, 0]}
        for nb in book.notebooks:
            for kind, label in (("quiz", "quiz"), ("exercise", "exercises")):
                mine = [r for r in book.rows if r["student"] == student and r["notebook"] == nb
                        and r["type"] == kind]
                got = sum(r["score"] for r in mine)
                row[f"{nb[:2]} {label}"], row[f"{nb[:2]} {label} out of"] = _fmt(got), str(len(mine))
                totals[kind][0] += got
                totals[kind][1] += len(mine)
        row["quiz"], row["quiz out of"] = _fmt(totals["quiz"][0]), str(totals["quiz"][1])
        row["exercises"], row["exercises out of"] = _fmt(totals["exercise"][0]), str(totals["exercise"][1])
        row["total"] = _fmt(totals["quiz"][0] + totals["exercise"][0])
        row["total out of"] = str(totals["quiz"][1] + totals["exercise"][1])
        out.append(row)
    return out


def _wrong_options(item: Item, answer: Any) -> list[str]:
    """The wrong options in one answer: a single choice's text, a multiple choice's wrongly ticked options, a
    number typed; other kinds (ordering, matching) are left out."""
    q = item.question
    kind = getattr(q, "kind", "")
    if kind == "single" and isinstance(answer, str):
        return [answer]
    if kind == "multiple" and isinstance(answer, list):
        right = {c.text for c in q.choices if c.correct}
        return [a for a in answer if isinstance(a, str) and a not in right]
    if kind == "numeric" and isinstance(answer, (int, float, str)) and not isinstance(answer, bool):
        return [str(answer)]
    if item.type == "exercise" and isinstance(answer, (int, float, str)) and not isinstance(answer, bool):
        return [str(answer)]
    return []


def discrimination(scores: dict[str, float], rest: dict[str, float]) -> float | None:
    """Upper-lower discrimination: the item's mean score in the stronger half of the class minus that in the
    weaker half, students ranked by their total on every *other* item (the middle student of an odd class is
    left out). From -1 to 1; near 0 or below: the item does not tell stronger from weaker students. None with
    fewer than 4 students."""
    if len(scores) < 4:
        return None
    ranked = sorted(scores, key=lambda s: (rest[s], s))
    half = len(ranked) // 2
    lower, upper = ranked[:half], ranked[-half:]
    return sum(scores[s] for s in upper) / half - sum(scores[s] for s in lower) / half


def item_analysis(book: Gradebook) -> list[dict[str, str]]:
    """One row per scored question and exercise (see ITEM_FIELDS)."""
    total = {s: 0.0 for s in book.students}
    for r in book.rows:
        if r["score"] is not None:
            total[r["student"]] += r["score"]
    out = []
    for item in book.items:
        if not item.scored:
            continue
        rows = [r for r in book.rows if r["question"] == item.id]
        tried = [r for r in rows if not r["not_attempted"]]
        scores = {r["student"]: r["score"] for r in rows}
        rest = {s: total[s] - scores[s] for s in scores}
        wrong: Counter[str] = Counter()
        for r in tried:
            chosen = set()
            for answer in book.first_answers.get((r["student"], item.id), []):
                chosen.update(_wrong_options(item, answer))
            wrong.update(chosen)  # each student counts once per wrong option
        top = wrong.most_common(1)
        d = discrimination(scores, rest)
        out.append({
            "notebook": item.notebook, "question": item.id, "type": item.type, "students": str(len(rows)),
            "tried": str(len(tried)),
            "right_first_time": _fmt(sum(bool(r["right_first_time"]) for r in tried) / len(tried)) if tried else "",
            "mean_score": _fmt(sum(r["score"] for r in tried) / len(tried)) if tried else "",
            "revealed": str(sum(bool(r["revealed"]) for r in rows)),
            "most_chosen_wrong": top[0][0] if top else "", "chosen_by": str(top[0][1]) if top else "",
            "discrimination": _fmt(round(d, 2)) if d is not None else "",
        })
    return out


def _write_csv(target: Path | io.TextIOBase, fields: list[str], rows: list[dict[str, str]]) -> None:
    def write(fh: Any) -> None:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)

    if isinstance(target, Path):
        with open(target, "w", newline="", encoding="utf-8-sig") as fh:  # the BOM: spreadsheets read UTF-8
            write(fh)
    else:
        write(target)


def write_gradebook(book: Gradebook, out_dir: Path | None) -> list[Path]:
    """students.csv, answers.csv and items.csv in ``out_dir`` (created if needed); without a folder, the
    students' table is printed."""
    if out_dir is None:
        _write_csv(sys.stdout, student_fields(book), student_rows(book))
        return []
    out_dir = Path(out_dir)
    if out_dir.suffix.lower() == ".csv" and not out_dir.is_dir():
        raise InstructorError(f"--out takes a folder for students.csv, answers.csv and items.csv, not a file name "
                              f"({out_dir}); e.g. --out {out_dir.with_suffix('')}")
    if out_dir.exists() and not out_dir.is_dir():
        raise InstructorError(f"{out_dir} is a file; --out takes a folder (students.csv, answers.csv, items.csv)")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "students.csv", out_dir / "answers.csv", out_dir / "items.csv"]
    _write_csv(written[0], student_fields(book), student_rows(book))
    _write_csv(written[1], ANSWER_FIELDS, answer_rows(book))
    _write_csv(written[2], ITEM_FIELDS, item_analysis(book))
    return written


def hardest(book: Gradebook, top: int = 5) -> list[dict[str, str]]:
    """The scored items that the fewest students got right first time (of those who tried)."""
    rows = [r for r in item_analysis(book) if r["tried"] != "0"]
    return sorted(rows, key=lambda r: (float(r["right_first_time"]), r["question"]))[:top]

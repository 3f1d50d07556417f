"""The class view's store: every attempt the students' kernels sent, in one SQLite file (WAL), and the
summaries the class view shows. Standard library only.

One row per attempt, unique by (student, id): a kernel that sends an attempt twice (its first answer was lost
on the way back) stores it once. The student is always the one the hub identified, never a field of the body.

What the class view shows, from these rows (``summary``):
- per notebook and question: how many students answered, the share right at their first attempt, the wrong
  answers chosen most often (with how many times), who is stuck, reflections (instructors only);
- per student: questions answered, right first time, attempts, answers revealed, when last seen;
- who is stuck: ``stuck_after`` or more graded attempts at a question and none right.
``gradebook_rows`` gives the gradebook's long form (student, notebook, question, score, attempts, revealed).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
KINDS = ("answer", "reveal", "exercise")  # what course.quiz.progress records
ID_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")  # notebook stems and question ids
MAX_ANSWER_CHARS = 20_000  # an answer as JSON: a reflection is at most 5000 characters (course.quiz.model)
MAX_ATTEMPT_NUMBER = 100_000
GRADEBOOK_FIELDS = ["student", "notebook", "question", "score", "attempts", "revealed"]
ATTEMPT_FIELDS = ["student", "notebook", "question", "kind", "answer", "correct", "score", "attempt", "time",
                  "received"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    student  TEXT NOT NULL,
    uid      TEXT NOT NULL,
    notebook TEXT NOT NULL,
    question TEXT NOT NULL,
    kind     TEXT NOT NULL,
    answer   TEXT,
    correct  INTEGER,
    score    REAL,
    attempt  INTEGER,
    time     TEXT NOT NULL,
    received TEXT NOT NULL,
    UNIQUE (student, uid)
);
CREATE INDEX IF NOT EXISTS attempts_by_student ON attempts (student);
"""


class InvalidAttempt(ValueError):
    """An attempt the service does not store; the message says which field and why."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def validate(item: Any) -> dict[str, Any]:
    """One attempt as the kernel sends it -> the fields stored. Unknown fields (a "student" among them) are
    ignored: who sent it is the hub's business. Raises InvalidAttempt."""
    if not isinstance(item, dict):
        raise InvalidAttempt("an attempt must be a JSON object")
    uid = item.get("id")
    if not isinstance(uid, str) or not ID_RE.fullmatch(uid):
        raise InvalidAttempt("id: 8 to 64 letters, digits, '-' or '_'")
    out: dict[str, Any] = {"uid": uid}
    for key in ("notebook", "question"):
        value = item.get(key)
        if not isinstance(value, str) or not NAME_RE.fullmatch(value):
            raise InvalidAttempt(f"{key}: 1 to 100 letters, digits, '_', '.', ':' or '-'")
        out[key] = value
    kind = item.get("kind", "answer")
    if kind not in KINDS:
        raise InvalidAttempt(f"kind: one of {', '.join(KINDS)}")
    out["kind"] = kind
    try:
        answer = json.dumps(item.get("answer"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidAttempt("answer: not plain JSON") from None
    if len(answer) > MAX_ANSWER_CHARS:
        raise InvalidAttempt(f"answer: longer than {MAX_ANSWER_CHARS} characters")
    out["answer"] = answer
    correct = item.get("correct")
    if correct is not None and not isinstance(correct, bool):
        raise InvalidAttempt("correct: true, false or null")
    out["correct"] = None if correct is None else int(correct)
    score = item.get("score")
    if score is not None:
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score) \
                or not 0 <= score <= 1:
            raise InvalidAttempt("score: a number from 0 to 1, or null")
        score = float(score)
    out["score"] = score
    attempt = item.get("attempt")
    if attempt is not None and (isinstance(attempt, bool) or not isinstance(attempt, int)
                                or not 0 <= attempt <= MAX_ATTEMPT_NUMBER):
        raise InvalidAttempt(f"attempt: a whole number from 0 to {MAX_ATTEMPT_NUMBER}, or null")
    out["attempt"] = attempt
    when = item.get("time")
    if not isinstance(when, str) or len(when) > 40:
        raise InvalidAttempt("time: an ISO 8601 date and time")
    try:
        stamp = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidAttempt("time: an ISO 8601 date and time") from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    out["time"] = stamp.astimezone(timezone.utc).isoformat(timespec="seconds")
    return out


def answer_text(answer: Any) -> str:
    """An answer as one line of text for people: a list of options joined with '; '."""
    if isinstance(answer, list):
        return "; ".join(answer_text(a) for a in answer)
    if isinstance(answer, dict):
        return "; ".join(f"{k} → {answer_text(v)}" for k, v in answer.items())
    if isinstance(answer, float) and answer.is_integer():
        return str(int(answer))
    return "" if answer is None else str(answer)


@lru_cache(maxsize=4096)
def _text_of(raw: str | None) -> str:
    """answer_text of an answer stored as JSON text (a class gives the same wrong answers again and again)."""
    return "" if raw is None else answer_text(json.loads(raw))


class Store:
    """The SQLite file. One connection, used from the service's thread; safe to share between threads."""

    def __init__(self, path: Path | str, stuck_after: int = 3):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.stuck_after = stuck_after
        self._lock = threading.Lock()
        self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL: a power cut may lose the last commits, not the file
        self.db.execute("PRAGMA busy_timeout=5000")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise RuntimeError(f"{path}: written by another version of the class view (schema {version})")
        self.db.executescript(_SCHEMA)
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self._cache: tuple[tuple[int, int], dict[str, Any]] | None = None
        self._per_student = dict(self.db.execute("SELECT student, COUNT(*) FROM attempts GROUP BY student"))
        # What the summary needs, kept in memory and updated as attempts arrive: each (student, notebook,
        # question)'s attempts, and its figures, worked out again only when it got a new attempt.
        self._groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        self._stats: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._dirty: set[tuple[str, str, str]] = set()
        self._seq = 0
        for r in self._rows(decode=False):
            self._remember(r)

    @property
    def journal_mode(self) -> str:
        return self.db.execute("PRAGMA journal_mode").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self.db.close()

    # --- writing ---------------------------------------------------------------------------------------
    def add(self, student: str, attempts: Iterable[dict[str, Any]]) -> tuple[int, int]:
        """Store validated attempts (``validate``) for ``student``: (new, already there)."""
        rows = [(student, a["uid"], a["notebook"], a["question"], a["kind"], a["answer"], a["correct"], a["score"],
                 a["attempt"], a["time"]) for a in attempts]
        received = _now()
        added = []
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for r in rows:
                    cur = self.db.execute(
                        "INSERT OR IGNORE INTO attempts (student, uid, notebook, question, kind, answer, correct,"
                        " score, attempt, time, received) VALUES (?,?,?,?,?,?,?,?,?,?,?)", r + (received,))
                    if cur.rowcount == 1:
                        added.append((cur.lastrowid, r))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            for seq, r in added:
                self._remember({"seq": seq, "student": r[0], "notebook": r[2], "question": r[3], "kind": r[4],
                                "answer": r[5], "correct": None if r[6] is None else bool(r[6]), "score": r[7],
                                "attempt": r[8], "time": r[9]})
            self._per_student[student] = self._per_student.get(student, 0) + len(added)
        return len(added), len(rows) - len(added)

    def _remember(self, r: dict[str, Any]) -> None:
        key = (r["student"], r["notebook"], r["question"])
        self._groups[key].append(r)
        self._dirty.add(key)
        self._seq = max(self._seq, r["seq"])

    def count(self, student: str | None = None) -> int:
        if student is not None:
            return self._per_student.get(student, 0)
        return sum(self._per_student.values())

    # --- reading ---------------------------------------------------------------------------------------
    def _rows(self, student: str | None = None, decode: bool = True) -> list[dict[str, Any]]:
        """Rows as dicts, oldest first. ``decode=False`` leaves each answer as its JSON text (the summary reads
        only the few it shows, through ``_text_of``)."""
        sql = ("SELECT seq, student, notebook, question, kind, answer, correct, score, attempt, time, received"
               " FROM attempts")
        args: tuple[Any, ...] = ()
        if student is not None:
            sql += " WHERE student = ?"
            args = (student,)
        with self._lock:
            cur = self.db.execute(sql + " ORDER BY seq", args)
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r)) for r in cur]
        for r in rows:
            if decode:
                r["answer"] = json.loads(r["answer"]) if r["answer"] is not None else None
            r["correct"] = None if r["correct"] is None else bool(r["correct"])
        return rows

    def last_seq(self) -> int:
        return self._seq

    def student_record(self, student: str) -> list[dict[str, Any]]:
        """One student's attempts, oldest first (what a student may read of the service)."""
        return [{k: r[k] for k in ("notebook", "question", "kind", "answer", "correct", "score", "attempt", "time")}
                for r in self._rows(student)]

    @staticmethod
    def _order(r: dict[str, Any]) -> tuple[Any, ...]:
        # the kernel's attempt number first: an attempt that waited in the kernel arrives late but counts in order
        return (r["attempt"] if r["attempt"] is not None else MAX_ATTEMPT_NUMBER + 1, r["time"], r["seq"])

    def _by_student_question(self, rows: list[dict[str, Any]]) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            groups[(r["student"], r["notebook"], r["question"])].append(r)
        for records in groups.values():
            records.sort(key=self._order)
        return groups

    def summary(self, questions: dict[tuple[str, str], dict[str, Any]] | None = None) -> dict[str, Any]:
        """What the class view shows (JSON-ready). ``questions``: (notebook, question) -> {"text", "label",
        "kind", "order", "title"} from the banks, so that each question shows its text. Cached until the next
        attempt arrives; only the (student, question) pairs with new attempts are worked out again."""
        with self._lock:
            key = (self._seq, id(questions))
            if self._cache is not None and self._cache[0] == key:
                return self._cache[1]
            for k in self._dirty:
                self._stats[k] = self._group_stats(sorted(self._groups[k], key=self._order))
            self._dirty.clear()
            stats = list(self._stats.items())
            attempts = sum(len(g) for g in self._groups.values())
        out = self._summarise(stats, questions or {})
        out.update(seq=key[0], attempts=attempts)
        with self._lock:
            self._cache = (key, out)
        return out

    def _group_stats(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        """One student's figures at one question, from their attempts in order."""
        answers = [r for r in records if r["kind"] in ("answer", "exercise")]
        graded = [r for r in answers if r["correct"] is not None]
        right = any(r["correct"] for r in graded)
        revealed = any(r["kind"] == "reveal" for r in records)
        return {
            "answers": len(answers), "graded": len(graded), "revealed": revealed,
            "right_first": bool(graded) and bool(graded[0]["correct"]), "right": right,
            "wrong": Counter(r["answer"] for r in graded if r["correct"] is False and r["kind"] == "answer"),
            "last": max(r["time"] for r in records),
            "reflection": (answers[-1]["answer"], answers[-1]["time"]) if answers and not graded else None,
            "stuck": bool(graded) and not right and len(graded) >= self.stuck_after,
            "last_graded": graded[-1]["time"] if graded else "",
        }

    def _summarise(self, stats: list[tuple[tuple[str, str, str], dict[str, Any]]],
                   questions: dict[tuple[str, str], dict[str, Any]]) -> dict:
        per_q: dict[tuple[str, str], dict[str, Any]] = {}
        per_s: dict[str, dict[str, Any]] = {}
        stuck: list[dict[str, Any]] = []
        for (student, notebook, question), g in stats:
            q = per_q.setdefault((notebook, question), {
                "notebook": notebook, "question": question, "answered": 0, "graded": False, "right_first": 0,
                "right_ever": 0, "revealed": 0, "wrong": Counter(), "stuck": [], "reflections": [], "attempts": 0})
            s = per_s.setdefault(student, {"student": student, "answered": 0, "right_first": 0, "attempts": 0,
                                           "revealed": 0, "stuck": 0, "last": ""})
            s["last"] = max(s["last"], g["last"])
            if g["revealed"]:
                q["revealed"] += 1
                s["revealed"] += 1
            if not g["answers"]:
                continue
            q["answered"] += 1
            q["attempts"] += g["answers"]
            s["answered"] += 1
            s["attempts"] += g["answers"]
            if g["reflection"] is not None:  # a reflection: its text, for instructors only
                raw, when = g["reflection"]
                q["reflections"].append({"student": student, "text": _text_of(raw), "time": when})
                continue
            q["graded"] = True
            q["right_first"] += g["right_first"]
            s["right_first"] += g["right_first"]
            q["right_ever"] += g["right"]
            for raw, n in g["wrong"].items():
                q["wrong"][_text_of(raw)] += n
            if g["stuck"]:
                q["stuck"].append(student)
                s["stuck"] += 1
                stuck.append({"student": student, "notebook": notebook, "question": question,
                              "attempts": g["graded"], "revealed": g["revealed"], "last": g["last_graded"]})
        notebooks: dict[str, dict[str, Any]] = {}
        for key, q in per_q.items():
            meta = questions.get(key, {})
            q["text"] = meta.get("text", "")
            q["label"] = meta.get("label", "")
            q["type"] = meta.get("kind", "")
            q["order"] = meta.get("order", 10_000)
            q["wrong"] = [{"answer": a, "count": n} for a, n in sorted(q["wrong"].items(), key=lambda x: (-x[1], x[0]))
                          [:3]]
            q["stuck"].sort()
            q["reflections"].sort(key=lambda x: x["time"], reverse=True)
            nb = notebooks.setdefault(q["notebook"], {"notebook": q["notebook"], "title": meta.get("title", ""),
                                                      "questions": []})
            nb["title"] = nb["title"] or meta.get("title", "")
            nb["questions"].append(q)
        for nb in notebooks.values():
            nb["questions"].sort(key=lambda q: (q["order"], q["question"]))
        stuck.sort(key=lambda x: (x["notebook"], x["question"], x["student"]))
        return {
            "students": sorted(per_s.values(), key=lambda s: s["student"]),
            "notebooks": [notebooks[k] for k in sorted(notebooks)],
            "stuck": stuck,
            "stuck_after": self.stuck_after,
        }

    # --- the gradebook's long form, and every attempt -----------------------------------------------------
    def gradebook_rows(self) -> list[dict[str, Any]]:
        """One row per student and question: best score (empty for a reflection), attempts, revealed (yes/no)."""
        out = []
        for (student, notebook, question), records in sorted(self._by_student_question(self._rows()).items()):
            answers = [r for r in records if r["kind"] in ("answer", "exercise")]
            scores = [r["score"] if r["score"] is not None else float(r["correct"])
                      for r in answers if r["score"] is not None or r["correct"] is not None]
            out.append({"student": student, "notebook": notebook, "question": question,
                        "score": "" if not scores else _number(max(scores)), "attempts": len(answers),
                        "revealed": "yes" if any(r["kind"] == "reveal" for r in records) else "no"})
        return out

    def attempt_rows(self) -> list[dict[str, Any]]:
        return [{**{k: r[k] for k in ATTEMPT_FIELDS}, "answer": answer_text(r["answer"]),
                 "correct": "" if r["correct"] is None else ("yes" if r["correct"] else "no"),
                 "score": "" if r["score"] is None else _number(r["score"]),
                 "attempt": "" if r["attempt"] is None else r["attempt"]} for r in self._rows()]


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.4g}"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A spreadsheet opens a cell that starts with = + - @ as a formula: such text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]], fields: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row[k]) for k in fields})
    return buf.getvalue()

"""Each student's quiz attempts, kept in one JSON file per user.

Where: ``$COURSE_PROGRESS_DIR/progress.json`` if that variable is set, else the user data folder that
platformdirs gives (e.g. ``~/.local/share/kg-russia-module`` on Linux). On a JupyterHub that is the
student's own home.

Safety, because a lost answer is a lost lesson:
- every write goes to a temporary file that then replaces the old one (``os.replace``), so a crash or a
  killed kernel leaves either the old file or the new one, never half a file;
- writers take a lock (``progress.json.lock``), so two notebooks open at once both keep their attempts;
- a file that cannot be read (corrupted, or from another program) is moved aside as
  ``progress.json.corrupt-<time>`` -- never deleted -- and a fresh one is started, with a warning;
- if the folder cannot be written, the quizzes keep working from memory and say so once.

On a JupyterHub with the live class view (``$COURSE_CLASSVIEW_URL``), each attempt also goes to the
instructor's class view, in the background (``course.classview.sender``); this file stays the student's own
record, and marks the attempts not sent yet (``"sent": false``) until the service has them.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import tempfile
import threading
import uuid
import warnings
import weakref
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import filelock

from .messages import t

FORMAT = "kg-russia-module/progress"
VERSION = 1
APP_NAME = "kg-russia-module"
LOCK_TIMEOUT_S = 10.0


class ProgressWarning(UserWarning):
    """Progress could not be read or saved; the quiz still works."""


def default_path() -> Path:
    override = os.environ.get("COURSE_PROGRESS_DIR")
    if override:
        return Path(override).expanduser() / "progress.json"
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "progress.json"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def _locked(lock_path: Path) -> filelock.FileLock:
    """An exclusive lock between processes, held in a ``with`` block; waits up to LOCK_TIMEOUT_S, then raises
    ``filelock.Timeout`` (a TimeoutError). The lock file is created first, so that a folder where it cannot be
    (read-only) raises OSError at once: filelock would take that for a lock held elsewhere and wait."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path.touch(exist_ok=True)
    return filelock.FileLock(lock_path, timeout=LOCK_TIMEOUT_S)


def _valid(doc: Any) -> str | None:
    """None if `doc` is a progress document, else what is wrong with it."""
    if not isinstance(doc, dict):
        return "not a progress file"
    if doc.get("format") != FORMAT:
        return "not a progress file of this module"
    if doc.get("version") != VERSION:
        return f"written by another version ({doc.get('version')!r})"
    attempts = doc.get("attempts")
    if not isinstance(attempts, list) or not all(
        isinstance(a, dict) and isinstance(a.get("question"), str) for a in attempts
    ):
        return "its list of attempts is damaged"
    return None


class ProgressStore:
    """Reads and appends attempts. One instance per kernel is enough (see ``store()``)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else default_path()
        self.problem: str | None = None  # the last warning given, for the view to show
        self._memory: list[dict[str, Any]] = []  # attempts that could not be written
        self._listeners: list[Callable[[], Any]] = []  # weak references (see subscribe)
        self._warned: set[str] = set()
        self._thread_lock = threading.Lock()
        self._sender: Any = None  # None: not looked at yet; False: no class view (see sender())

    # --- reading -------------------------------------------------------------------------------
    def _read_disk(self, *, locked: bool = False, strict: bool = False) -> list[dict[str, Any]]:
        """Attempts on disk. A damaged file is moved aside (kept as a backup) and reported.

        ``locked``: the caller holds the file lock. Without it, a damaged file is checked again under
        the lock before it is moved aside, so that a file another process has just written afresh is
        not moved aside by mistake.
        ``strict`` (``record``): a file that exists but cannot be read raises OSError, so that it is
        never replaced by a file holding only the new attempt.
        """
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except UnicodeDecodeError:
            problem: str | None = "it is not UTF-8 text"
        except OSError as err:
            if strict:
                raise
            self._warn("unwritable", t("progress_unwritable", path=self.path, reason=err.strerror or err))
            return []
        else:
            if not text.strip():
                return []
            try:
                doc = json.loads(text)
            except (ValueError, RecursionError) as err:  # RecursionError: "[[[[..." nested too deeply
                problem = f"it is not valid JSON: {err}"
            else:
                problem = _valid(doc)
                if problem is None:
                    return doc["attempts"]
        if not locked:
            with contextlib.ExitStack() as stack:
                try:
                    stack.enter_context(_locked(self._lock_path))
                except (OSError, TimeoutError):  # no lock to be had (e.g. a read-only folder)
                    return self._set_aside(problem)
                return self._read_disk(locked=True)
        return self._set_aside(problem)

    @property
    def _lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def _set_aside(self, reason: str) -> list[dict[str, Any]]:
        backup = self.path.with_name(f"{self.path.name}.corrupt-{_stamp()}")
        try:
            os.replace(self.path, backup)
        except OSError as err:
            self._warn("unwritable", t("progress_unwritable", path=self.path, reason=err.strerror or err))
            return []
        self._warn(f"corrupt-{backup}", t("progress_corrupt", path=self.path, reason=reason, backup=backup.name))
        return []

    def attempts(self, notebook: str | None = None, question: str | None = None) -> list[dict[str, Any]]:
        """Every stored attempt (on disk and, if the disk failed, in memory), oldest first."""
        with self._thread_lock:
            records = self._read_disk() + self._memory
        return [
            r for r in records
            if (notebook is None or r.get("notebook") == notebook) and (question is None or r["question"] == question)
        ]

    # --- writing -------------------------------------------------------------------------------
    def record(self, notebook: str, question: str, *, kind: str = "answer", answer: Any = None,
               correct: bool | None = None, score: float | None = None, attempt: int | None = None) -> dict[str, Any]:
        """Append one attempt. Never raises because of the disk: a failure becomes one warning."""
        rec = {"notebook": notebook, "question": question, "kind": kind, "answer": answer, "correct": correct,
               "score": score, "attempt": attempt, "time": _now()}
        json.dumps(rec)  # a programming error (unserialisable answer) should fail here, loudly
        sender = self.sender()
        if sender is not None:  # on a hub with the class view: an id, and "not sent yet" until the service has it
            rec.update(id=uuid.uuid4().hex, sent=False)
        with self._thread_lock:
            try:
                with _locked(self._lock_path):
                    attempts = self._read_disk(locked=True, strict=True)
                    attempts.extend(self._memory)
                    attempts.append(rec)
                    self._write(attempts)
                self._memory.clear()
            except (OSError, TimeoutError) as err:
                self._memory.append(rec)
                reason = getattr(err, "strerror", None) or str(err)
                self._warn("unwritable", t("progress_unwritable", path=self.path, reason=reason))
        self._notify(rec)
        if sender is not None:
            sender.wake()
        return rec

    # --- the live class view (course.classview.sender) -----------------------------------------------
    def sender(self) -> Any:
        """The background sender of this store's attempts to the hub's class view, or None when this kernel
        has no class view to send to (``$COURSE_CLASSVIEW_URL`` and ``$JUPYTERHUB_API_TOKEN``)."""
        if self._sender is None:
            try:
                from ..classview import sender

                where = sender.configured()
                self._sender = sender.Sender(self, *where) if where else False
            except Exception:  # noqa: BLE001 - the class view is extra: a quiz works without it
                self._sender = False
        return self._sender or None

    def unsent(self) -> list[dict[str, Any]]:
        """Attempts marked not yet sent to the class view, oldest first."""
        return [r for r in self.attempts() if r.get("sent") is False and isinstance(r.get("id"), str)]

    def mark_sent(self, done: dict[str, Any]) -> None:
        """Mark attempts (id -> True, or why the service refused them) as sent. Never raises: an attempt left
        marked unsent is sent again later, and the service stores it once."""
        with self._thread_lock:
            for r in self._memory:
                if r.get("id") in done:
                    r["sent"] = done[r["id"]]
            try:
                with _locked(self._lock_path):
                    attempts = self._read_disk(locked=True, strict=True)
                    changed = False
                    for r in attempts:
                        if r.get("sent") is False and r.get("id") in done:
                            r["sent"] = done[r["id"]]
                            changed = True
                    if changed:
                        self._write(attempts)
            except (OSError, TimeoutError):
                pass

    def _write(self, attempts: list[dict[str, Any]]) -> None:
        doc = {"format": FORMAT, "version": VERSION, "attempts": attempts}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def reset(self) -> Path | None:
        """Start afresh. The old file is kept as progress.json.reset-<time>; returns its path."""
        with self._thread_lock:
            self._memory.clear()
            if not self.path.exists():
                return None
            backup = self.path.with_name(f"{self.path.name}.reset-{_stamp()}")
            with contextlib.ExitStack() as stack:
                with contextlib.suppress(OSError, TimeoutError):  # no lock in a read-only folder: move alone
                    stack.enter_context(_locked(self._lock_path))
                os.replace(self.path, backup)
        self._notify({})
        return backup

    # --- notifications -------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[dict[str, Any]], None]) -> None:
        """Call `listener(record)` after each record (and with {} after a reset).

        A bound method is held weakly, so a progress bar whose cell is re-run is not kept alive by the store.
        """
        ref: Any = weakref.WeakMethod(listener) if inspect.ismethod(listener) else (lambda: listener)
        self._listeners.append(ref)

    def _notify(self, rec: dict[str, Any]) -> None:
        alive = []
        for ref in list(self._listeners):
            listener = ref()
            if listener is not None:
                alive.append(ref)
                listener(rec)
        self._listeners[:] = alive

    def take_problem(self) -> str | None:
        """The warning not yet shown to the student (if any); each one is handed out once."""
        problem, self.problem = self.problem, None
        return problem

    def unsubscribe(self, listener: Callable[[dict[str, Any]], None]) -> None:
        self._listeners[:] = [ref for ref in self._listeners if ref() not in (None, listener)]

    def _warn(self, key: str, message: str) -> None:
        """Warn once per kind of problem, and keep the message for the view to show."""
        self.problem = message
        if key not in self._warned:
            self._warned.add(key)
            warnings.warn(message, ProgressWarning, stacklevel=3)

    # --- summaries -----------------------------------------------------------------------------
    def summary(self, notebook: str, question_ids: list[str]) -> dict[str, int]:
        """How many of these questions were answered (any attempt) and answered right."""
        answered, correct = set(), set()
        for rec in self.attempts(notebook=notebook):
            if rec.get("kind", "answer") != "answer" or rec["question"] not in question_ids:
                continue
            answered.add(rec["question"])
            if rec.get("correct"):
                correct.add(rec["question"])
        return {"answered": len(answered), "correct": len(correct), "total": len(question_ids)}


_STORE: ProgressStore | None = None


def store() -> ProgressStore:
    """The kernel's store, for the current COURSE_PROGRESS_DIR."""
    global _STORE
    path = default_path()
    if _STORE is None or _STORE.path != path:
        _STORE = ProgressStore(path)
        _STORE.sender()  # on a hub with the class view: attempts an earlier kernel left unsent go out now
    return _STORE

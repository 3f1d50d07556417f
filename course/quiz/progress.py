"""Each student's quiz attempts, kept in one JSON file per user.

Where: ``$COURSE_PROGRESS_DIR/progress.json`` if that variable is set, else the user data folder that
platformdirs gives (e.g. ``~/.local/share/kg-russia-module`` on Linux). On a JupyterHub that is the
student's own home.

Safety, because a lost answer is a lost lesson:
- every write goes to a temporary file that then replaces the old one (``os.replace``), so a crash or a
  killed kernel leaves either the old file or the new one, never half a file;
- writers take a lock (``progress.json.lock``), so two notebooks open at once both keep their attempts;
- a file that cannot be read at all (not JSON, or from another program) is moved aside as
  ``progress.json.corrupt-<time>`` -- never deleted -- and a fresh one is started, with a warning;
- a file with some damaged records (or cut short by a full disk) keeps every record that can be read; only
  the damaged ones (or the damaged end) are set aside as ``progress.json.bad-<time>``, and the warning says
  how many; a file written by a newer version of the module is read, and its version number kept;
- temporary files left by a writer that was killed are removed (under the lock, so no live writer's);
- if the folder cannot be written (or is a file), the quizzes keep working from memory and say so once;
- any string is saved: text Python can hold but UTF-8 cannot (a lone surrogate, half an emoji) is
  repaired (``repair_text``) rather than lost.

On a JupyterHub with the live class view (``$COURSE_CLASSVIEW_URL``), each attempt also goes to the
instructor's class view, in the background (``course.classview.sender``); this file stays the student's own
record, and marks the attempts not sent yet (``"sent": false``) until the service has them.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import re
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


def repair_text(text: str) -> tuple[str, bool]:
    """``text`` as UTF-8 can store it, and whether a character was lost: surrogate pairs that arrived as
    two code points are joined into their character; a lone surrogate (half an emoji) becomes U+FFFD."""
    try:
        text.encode("utf-8")
        return text, False
    except UnicodeEncodeError:
        fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return fixed, fixed.count("\ufffd") > text.count("\ufffd")


def _repaired(value: Any) -> Any:
    """``value`` (JSON-like) with every string, keys included, repaired for UTF-8 (see repair_text)."""
    if isinstance(value, str):
        return repair_text(value)[0]
    if isinstance(value, list):
        return [_repaired(v) for v in value]
    if isinstance(value, dict):
        return {_repaired(k): _repaired(v) for k, v in value.items()}
    return value


def _record_ok(rec: Any) -> bool:
    return isinstance(rec, dict) and isinstance(rec.get("question"), str) and isinstance(rec.get("kind", ""), str)


def _valid(doc: Any) -> str | None:
    """None if `doc` is a progress document (of this or a newer version), else what is wrong with it."""
    if not isinstance(doc, dict):
        return "not a progress file"
    if doc.get("format") != FORMAT:
        return "not a progress file of this module"
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return f"its version is not a version number ({version!r})"
    if not isinstance(doc.get("attempts"), list):
        return "its list of attempts is damaged"
    return None


_ATTEMPTS_START = re.compile(r'"attempts"\s*:\s*\[')


def _salvage(text: str) -> tuple[list[dict[str, Any]], str]:
    """The records at the start of a progress file that was cut short (a full disk, a copy stopped half-way),
    and the damaged rest. Only a file that names this module's format is read this way."""
    start = _ATTEMPTS_START.search(text)
    if f'"{FORMAT}"' not in text or start is None:
        return [], text
    decoder = json.JSONDecoder()
    records: list[dict[str, Any]] = []
    pos = start.end()
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        try:
            rec, end = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            break
        if not _record_ok(rec):
            break
        records.append(rec)
        pos = end
    return records, text[pos:]


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
        self._version = VERSION  # a file written by a newer version keeps its version number

    # --- reading -------------------------------------------------------------------------------
    def _read_disk(self, *, locked: bool = False, strict: bool = False) -> list[dict[str, Any]]:
        """Attempts on disk. Damaged records are set aside (kept as a backup) and reported; a file that
        cannot be read at all is moved aside whole.

        ``locked``: the caller holds the file lock. Without it, a damaged file is checked again under
        the lock before anything is moved, so that a file another process has just written afresh is
        not moved aside by mistake.
        ``strict`` (``record``): a file that exists but cannot be read raises OSError, so that it is
        never replaced by a file holding only the new attempt.
        """
        damaged: list[Any] | str | None = None  # records that cannot be read, or the damaged end of the file
        good: list[dict[str, Any]] = []
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except UnicodeDecodeError:
            problem: str | None = "it is not UTF-8 text"
        except OSError as err:
            if strict:
                raise
            self._warn_unwritable(err)
            return []
        else:
            if not text.strip():
                return []
            good, damaged, problem = self._parse(text)
            if problem is None and not damaged:
                return good
        if not locked:
            with contextlib.ExitStack() as stack:
                try:
                    stack.enter_context(_locked(self._lock_path))
                except (OSError, TimeoutError):  # no lock to be had (e.g. a read-only folder)
                    return good if good or damaged else self._set_aside(problem or "")
                return self._read_disk(locked=True)
        if good or damaged:
            return self._set_aside_damaged(good, damaged or [])
        return self._set_aside(problem or "")

    def _parse(self, text: str) -> tuple[list[dict[str, Any]], list[Any] | str | None, str | None]:
        """(readable records, damaged records or the damaged end, what makes the whole file unreadable)."""
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError) as err:  # RecursionError: "[[[[..." nested too deeply
            records, rest = _salvage(text)
            if records:  # cut short: keep what was written before the damage
                return records, rest, None
            return [], None, f"it is not valid JSON: {err}"
        problem = _valid(doc)
        if problem is not None:
            return [], None, problem
        if doc["version"] > VERSION:
            self._version = max(self._version, doc["version"])
            self._warn("newer", t("progress_newer", path=self.path, version=doc["version"]))
        good = [r for r in doc["attempts"] if _record_ok(r)]
        bad = [r for r in doc["attempts"] if not _record_ok(r)]
        return good, bad, None

    def _set_aside_damaged(self, good: list[dict[str, Any]], damaged: list[Any] | str) -> list[dict[str, Any]]:
        """Keep the readable records in the progress file; move only the damaged ones to a backup."""
        backup = self.path.with_name(f"{self.path.name}.bad-{_stamp()}")
        try:
            content = damaged if isinstance(damaged, str) else json.dumps(_repaired(damaged), ensure_ascii=False,
                                                                          indent=1)
            backup.write_text(content, encoding="utf-8", errors="surrogatepass")
            self._write(good)
        except OSError as err:
            self._warn_unwritable(err)
            return good
        if isinstance(damaged, str):
            message = t("progress_cut_short", path=self.path, kept=len(good), backup=backup.name)
        else:
            message = t("progress_bad_records", path=self.path, n=len(damaged), kept=len(good), backup=backup.name)
        self._warn(f"damaged-{backup}", message)
        return good

    @property
    def _lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def _set_aside(self, reason: str) -> list[dict[str, Any]]:
        backup = self.path.with_name(f"{self.path.name}.corrupt-{_stamp()}")
        try:
            os.replace(self.path, backup)
        except OSError as err:
            self._warn_unwritable(err)
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
        rec = _repaired(rec)  # half an emoji cannot be written as UTF-8: repaired, never a lost attempt
        with self._thread_lock:
            try:
                with _locked(self._lock_path):
                    self._remove_stale_temp_files()
                    attempts = self._read_disk(locked=True, strict=True)
                    attempts.extend(self._memory)
                    attempts.append(rec)
                    self._write(attempts)
                self._memory.clear()
            except (OSError, TimeoutError) as err:
                self._memory.append(rec)
                self._warn_unwritable(err)
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

    def _remove_stale_temp_files(self) -> None:
        """Remove temporary files of writers that were killed before renaming them. Called under the lock,
        which every writer holds while its temporary file exists, so none of these belongs to a live writer."""
        for tmp in self.path.parent.glob(self.path.name + ".*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()

    def _write(self, attempts: list[dict[str, Any]]) -> None:
        doc = {"format": FORMAT, "version": self._version, "attempts": _repaired(attempts)}
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

    def _warn_unwritable(self, err: BaseException) -> None:
        """Say that answers cannot be saved, and why; when the progress folder is a file, say that."""
        folder = next((p for p in (self.path.parent, *self.path.parent.parents) if p.exists()), None)
        if folder is not None and not folder.is_dir():
            self._warn("unwritable", t("progress_dir_is_file", path=self.path, file=folder))
            return
        reason = getattr(err, "strerror", None) or str(err)
        self._warn("unwritable", t("progress_unwritable", path=self.path, reason=reason))

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

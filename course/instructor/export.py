"""A student's progress export: one JSON file with every attempt, for the instructor's gradebook.

The file is named after the student (``course.identity``: ``$COURSE_STUDENT``, then the JupyterHub user, then
the login), as ``progress-<safe name>.json``. An existing export is never overwritten: a second export of the
same name becomes ``progress-<name>-2.json``, then ``-3`` and so on. A login many people share (``jovyan`` on
Binder, ``root``) is no name: the student is asked for one.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from . import InstructorError

EXPORT_FORMAT = "kg-russia-module/progress-export"
EXPORT_VERSION = 1
COMMAND = "python -m course export-progress"


def student_name() -> str:
    """The student's name as the whole module decides it (``course.identity.student``)."""
    from ..identity import student

    return student()


def export_name(student: str) -> str:
    """The export's file name for ``student`` (before any -2, -3 suffix)."""
    from ..identity import safe_name

    return f"progress-{safe_name(student)}.json"


def resolve_student(student: str | None) -> str:
    """The name an export carries: ``student`` if given, else the module's identity, which must not be a login
    that many people share. Raises InstructorError saying how to give a name."""
    from ..identity import is_shared_login

    if student is not None and student.strip():
        return student.strip()
    name = student_name().strip()
    if not name:
        raise InstructorError("your name could not be found; give it with --student \"Your Name\"")
    if is_shared_login(name):
        from ..quiz.messages import t

        raise InstructorError(t("export_shared", login=name))
    return name


def _write_new(target: Path, text: str) -> Path:
    """Write ``text`` to ``target`` or, if that exists, to ``<stem>-2<suffix>``, ``-3``...: never over a file.
    The file appears whole (written to a temporary file, flushed, then linked into place)."""
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        for n in range(1, 10_000):
            candidate = target if n == 1 else target.with_name(f"{target.stem}-{n}{target.suffix}")
            try:
                os.link(tmp, candidate)  # fails if the name is taken: nothing is ever replaced
            except FileExistsError:
                continue
            except OSError:  # a file system without hard links: create exclusively instead
                try:
                    with open(candidate, "x", encoding="utf-8") as fh:
                        fh.write(text)
                except FileExistsError:
                    continue
            return candidate
        raise InstructorError(f"{target.parent} already holds 9,999 exports named like {target.name}")
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def export_progress(out: Path | None = None, student: str | None = None, *, folder: Path | None = None,
                    store=None) -> Path:
    """Write this student's attempts to ``out`` (default ``<folder>/progress-<name>.json``, folder default the
    current one), never over an existing file. Returns the file written."""
    from .. import __version__
    from ..quiz.progress import store as kernel_store

    name = resolve_student(student)
    s = store if store is not None else kernel_store()
    doc = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "module_version": __version__, "student": name,
           "exported": datetime.now(timezone.utc).isoformat(timespec="seconds"), "attempts": s.attempts()}
    target = Path(out) if out else Path(folder if folder is not None else Path.cwd()) / export_name(name)
    return _write_new(target, json.dumps(doc, ensure_ascii=False, indent=1))


def export_message(folder: Path | str | None = None, student: str | None = None) -> tuple[bool, str, Path | None]:
    """Export this student's progress and say what happened, in words (the engine's language, COURSE_LANG):
    (ok, message, path).

    ``folder``: where to write (default: the current folder, as the command does). Never raises because of the
    disk or the name: a failure is a message saying what to do instead.
    """
    from ..identity import safe_name
    from ..quiz.messages import t
    from ..quiz.progress import store

    try:
        name = resolve_student(student)
    except InstructorError as err:
        return False, t("export_refused", reason=err, command=COMMAND), None
    except Exception:  # noqa: BLE001 - getpass can fail in odd environments; the message says what to do
        return False, t("export_no_name", command=COMMAND), None
    try:
        count = len(store().attempts())
        path = export_progress(None, name, folder=Path(folder) if folder is not None else None)
    except InstructorError as err:
        return False, t("export_refused", reason=err, command=COMMAND), None
    except OSError as err:
        where = t("export_folder", folder=folder) if folder is not None else t("export_this_folder")
        return False, t("export_unwritable", where=where, reason=err.strerror or str(err), command=COMMAND,
                        safe=safe_name(name)), None
    answers = t("export_none") if count == 0 else t("export_one") if count == 1 else t("export_many", n=count)
    return True, t("export_done", answers=answers, file=path.name, folder=path.parent), path

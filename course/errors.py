"""Mistakes in a call to the module's helpers, explained in a beginner's words.

A helper that a student calls (``share(wheat, "russia")``, ``history.standing("2010-1-1")``) raises a
``CourseError`` when it is called wrongly: the message says what went wrong, what to type instead, and the
nearest valid names. In a notebook, ``install()`` (run when ``course`` is imported) registers an IPython
handler for this class, so the student sees a few plain lines instead of a traceback into ``course/``::

    ⚠ Line 1 of your cell:  share(wheat, "russia")
    There is no partner 'russia' in these figures.
    Did you mean 'Russia'? Write names exactly as listed, capital letters included.

Each class is also a built-in exception (``KeyError``, ``ValueError``, ``TypeError``), so code that catches
those keeps working. Outside IPython nothing changes: Python shows its usual traceback with the same message.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as _dt

PACKAGE_DIR = Path(__file__).resolve().parent


class CourseError(Exception):
    """A helper was called wrongly. ``message``: what went wrong; ``hint``: what to type instead;
    ``suggestions``: the valid names nearest to what was typed."""

    def __init__(self, message: str, *, hint: str | None = None, suggestions: Iterable[str] = ()):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.suggestions = tuple(suggestions)

    def lines(self) -> list[str]:
        out = [self.message]
        if self.suggestions:
            out.append("Did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?")
        if self.hint:
            out.append(self.hint)
        return out

    def __str__(self) -> str:
        return " ".join(self.lines())


class CourseNameError(CourseError, KeyError):
    """A name (a partner, a table, a paragraph id, a measure) that is not among the valid ones."""


class CourseValueError(CourseError, ValueError):
    """A value of the right kind but not usable (a date written wrongly, an empty word)."""


class CourseTypeError(CourseError, TypeError):
    """A value of the wrong kind (a number where a name in quotes is expected)."""


def nearest(given: Any, names: Iterable[str], n: int = 3) -> list[str]:
    """The valid names nearest to ``given``: a same-letters-other-case match first, then difflib's matches."""
    import difflib

    names = [str(x) for x in names]
    text = str(given)
    same = [x for x in names if x.casefold() == text.casefold().strip()]
    if same:
        return same[:n]
    folded = {x.casefold(): x for x in names}
    close = difflib.get_close_matches(text.casefold().strip(), list(folded), n=n, cutoff=0.6)
    return [folded[c] for c in close]


def _listing(names: list[str], limit: int = 12) -> str:
    shown = ", ".join(repr(x) for x in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def unknown_name(what: str, given: Any, names: Iterable[str], *, where: str = "", cls: type = CourseNameError,
                 listed: bool = True, limit: int = 12) -> CourseError:
    """The error for a name that is not valid: nearest names, and (if ``listed``) all of them.

    ``what``: the kind of name in words ("partner"); ``where``: " in these figures" and the like.
    A value that is not text (a number, a list) gets a CourseTypeError that asks for a name in quotes.
    """
    names = list(dict.fromkeys(str(x) for x in names))
    example = repr(names[0]) if names else '"..."'
    if not isinstance(given, str):
        kind = "the number" if isinstance(given, (int, float)) and not isinstance(given, bool) else "a"
        shown = f"{kind} {given!r}" if kind == "the number" else f"{kind} {type(given).__name__} ({given!r:.60})"
        return CourseTypeError(f"The {what} must be a name written in quotes, like {example}; you gave {shown}.",
                               hint=f"The {what}s are: {_listing(names, limit)}." if listed and names else None)
    suggestions = nearest(given, names)
    hint = "Write names exactly as listed, capital letters included."
    if listed and names:
        hint += f" The {what}s{where} are: {_listing(names, limit)}."
    return cls(f"There is no {what} {given!r}{where}.", hint=hint, suggestions=suggestions)


def require_name(what: str, given: Any, names: Iterable[str], *, where: str = "", cls: type = CourseNameError) -> str:
    """``given`` if it is one of ``names``; otherwise the error of ``unknown_name``."""
    names = list(names)
    if isinstance(given, str) and given in names:
        return given
    raise unknown_name(what, given, names, where=where, cls=cls)


_LOOSE_DAY = r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*\Z"  # compiled on first use (re caches it)
_DMY_DAY = r"\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*\Z"


def parse_day(value: Any, what: str = "day") -> _dt.date:
    """A date from ``"YYYY-MM-DD"`` text (or a date); a CourseError that shows the right spelling otherwise."""
    import datetime as _dt

    if isinstance(value, _dt.date):
        return value
    example = '"2025-11-27" (YYYY-MM-DD)'
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        loose, dmy = re.match(_LOOSE_DAY, value), re.match(_DMY_DAY, value)
        fix = None
        if loose:
            y, m, d = (int(g) for g in loose.groups())
        elif dmy:
            d, m, y = (int(g) for g in dmy.groups())
        if loose or dmy:
            try:
                fix = _dt.date(y, m, d).isoformat()
            except ValueError:
                raise CourseValueError(f"{value!r} is not a real date: there is no day {d} in month {m} of {y}.",
                                       hint=f"Write the {what} as year-month-day, like {example}.") from None
        if fix:
            raise CourseValueError(f"{value!r} is not written the way the module reads dates (YYYY-MM-DD).",
                                   hint=f'Write it as year-month-day, two digits for month and day: "{fix}".')
        raise CourseValueError(f"{value!r} is not a date the module can read.",
                               hint=f"Write the {what} as text in quotes, year-month-day, like {example}.")
    raise CourseTypeError(f"The {what} must be text in quotes, year-month-day, like {example}; you gave {value!r}.")


# --- how a notebook shows these errors ----------------------------------------------------------------------

_BOLD_RED, _RESET = "\x1b[1;31m", "\x1b[0m"


def _user_frame(tb: Any) -> tuple[str, int] | None:
    """(file name, line) of the student's code that called into the module: the frame before the first one in
    ``course/`` (None when the error was not raised from the module)."""
    previous = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        try:
            inside = Path(filename).resolve().is_relative_to(PACKAGE_DIR)
        except (OSError, ValueError):
            inside = False
        if inside:
            return previous
        previous = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return None


def short_traceback(error: BaseException, tb: Any = None) -> list[str]:
    """The lines a student sees for a CourseError: where in their cell, then the message in plain words."""
    import linecache

    lines = []
    where = _user_frame(tb)
    if where:
        code = linecache.getline(where[0], where[1]).strip()
        lines.append(f"{_BOLD_RED}⚠ Line {where[1]} of your cell:{_RESET}  {code}" if code
                     else f"{_BOLD_RED}⚠ Line {where[1]} of your cell{_RESET}")
    else:
        lines.append(f"{_BOLD_RED}⚠ The module could not do that.{_RESET}")
    body = error.lines() if isinstance(error, CourseError) else [str(error)]
    lines += body
    lines.append("Change the line above and run the cell again. (Python stopped at this line; the rest of the cell "
                 "did not run.)")
    return ["\n".join(lines)]


def _handler(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None) -> list[str]:
    stb = short_traceback(value, tb)
    shell._showtraceback(etype, value, stb)
    return stb


def install(shell: Any = None) -> bool:
    """Show CourseErrors briefly in this IPython kernel (other errors keep their traceback). True if installed.

    Does nothing outside IPython, and leaves alone a kernel that already has another custom handler."""
    if shell is None:
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    current = tuple(getattr(shell, "custom_exceptions", ()) or ())
    if current and current != (CourseError,):
        return False
    shell.set_custom_exc((CourseError,), _handler)
    return True


__all__ = ["CourseError", "CourseNameError", "CourseTypeError", "CourseValueError", "install", "nearest",
           "parse_day", "require_name", "short_traceback", "unknown_name"]

"""Who the student is, and how to turn a name into a safe file name: one rule for the whole module.

The same name orders a student's quiz options (per-student variants), names their progress export, is the
row in the gradebook and (on a hub) the identity in the live class view, so it is decided here only.

Order, first match wins: ``$COURSE_STUDENT`` (a name the student or instructor set), then the JupyterHub
user (``$JUPYTERHUB_USER``), then the login name. Only the standard library is used.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import unicodedata

__all__ = ["SHARED_LOGINS", "is_shared_login", "safe_name", "student"]

#: Login names that many people share (Binder and the Jupyter Docker images run everyone as ``jovyan``).
SHARED_LOGINS = frozenset({"jovyan", "root", "ubuntu", "user", "admin", "student", "nobody", ""})


def student() -> str:
    """The student's name: $COURSE_STUDENT, else the JupyterHub user, else the login name ("" if none)."""
    name = (os.environ.get("COURSE_STUDENT") or "").strip() or (os.environ.get("JUPYTERHUB_USER") or "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name in some containers: the caller decides what to do
            name = ""
    return name.strip()


def is_shared_login(name: str) -> bool:
    """True when ``name`` is a login that many people share (so it cannot tell students apart)."""
    return name.strip().lower() in SHARED_LOGINS


# Cyrillic to Latin, after the common passport-style transliteration (Kyrgyz and Russian letters).
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "ng", "o", "o", "p", "r", "s",
     "t", "u", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia"],
))


def _latin(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in _CYRILLIC:
            rep = _CYRILLIC[low]
            out.append(rep.capitalize() if ch != low else rep)
        else:
            out.append(ch)
    decomposed = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def safe_name(name: str, max_length: int = 60) -> str:
    """A file-name-safe form of ``name``: ASCII letters, digits, ``_ . -``.

    Names that had to be changed (non-Latin letters, spaces, symbols) get a short fingerprint of the original,
    so two different names never become the same file name: "Айгүл" -> "Aigul-3f2a9c1b".
    """
    name = name.strip()
    ascii_form = re.sub(r"[^A-Za-z0-9_.-]+", "_", _latin(name)).strip("._-")[:max_length]
    if ascii_form and ascii_form == name:
        return ascii_form
    fingerprint = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{ascii_form}-{fingerprint}" if ascii_form else f"student-{fingerprint}"

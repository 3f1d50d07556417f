"""Numbers, read and written in one place.

Three kinds of number come into the module, and each is read here:

* a number a student **types** into a quiz (``read_typed``): "3.5", "3,5", "5,000", "1 234 567", "−2",
  "1e3", "12 %". Thousands separators (comma, dot or any space, in groups of three) are read as
  thousands and a single comma followed by anything but three digits as a decimal comma. "5,000" can be
  either (five thousand, or five with a decimal comma): the reading says so, and the quiz asks the student
  when the two readings would be judged differently.
* a number in a **data table** or a **question bank** (``read_plain``): only ASCII digits, an optional sign,
  a decimal point and an exponent (``1e6``), finite, nothing else. Digits of other scripts (``٢٣``),
  ``inf``, ``nan`` and ``1e999`` are refused, so that nothing is silently read as something else.
* a Python value a student computed in an exercise (``as_number``): a finite int or float, not a bool.

And one way to **write** a number for people (``for_people``): thousands separators, no float noise
(``-5.980000000000004`` is shown as ``-5.98``), never rounded to fewer than six decimals.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Larger numbers are no sensible answer to any question here (a typed answer beyond it is refused, so a
#: bank's answer beyond it could never be matched).
MAX_MAGNITUDE = 1e15
#: Characters in a typed numeric answer.
MAX_NUMBER_TEXT = 60

#: A plain decimal number as data files and banks write it: ASCII digits only (re.ASCII: \d is 0-9).
PLAIN_INT = re.compile(r"[+-]?[0-9]+\Z")
PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")


class NumberError(ValueError):
    """Text that is not a usable number. ``key`` names the message (course.quiz.messages), ``params`` fill it."""

    def __init__(self, key: str, **params: Any):
        self.key = key
        self.params = params
        super().__init__(key)


@dataclass(frozen=True)
class Reading:
    """What a typed number means. ``value`` is the reading with thousands separators (5,000 = 5000);
    ``other`` the reading with a decimal comma (5,000 = 5.0) when the text allows both, else None."""

    value: float
    other: float | None = None
    separators: bool = False  # the text had a comma or a space in the number (say how it was read)


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


#: How each language groups thousands and marks decimals when writing for people (English: 5,000.5).
_MARKS = {"ru": ("\u00a0", ",")}  # Russian: 5 000,5 (a no-break space between thousands)


def for_people(value: Any, *, minus: str = "-", language: str = "en") -> str:
    """A number as people write it: 596,253 · 2.4 · 32.27 · -5.98 (not -5.980000000000004).

    Thousands separators; float noise removed by rounding to six decimals (the data never have more),
    so a figure is never rounded into a new one; a whole float shown without ".0". Tiny numbers keep
    three significant digits (0.00000123 → 1.23e-06). Anything that is not a number is shown as text
    ("" for None). ``minus``: the sign to show for negative numbers (e.g. "−" in prose). ``language``:
    whose marks to use ("ru": 5 000,5).
    """
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value != 0 and abs(value) < 1e-6:
            text = f"{value:.3g}"
            return text.replace("-", minus, 1) if text.startswith("-") else text
        value = round(value, 6)
        if value.is_integer():
            value = int(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.6f}".rstrip("0")
    if language in _MARKS:
        thousands, decimal = _MARKS[language]
        text = text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)
    return minus + text[1:] if text.startswith("-") else text


# --------------------------------------------------------------------------------------------------
# Reading Python values (exercise answers)
# --------------------------------------------------------------------------------------------------


def as_number(value: Any) -> float | None:
    """``value`` as a float if it is a finite int or float (not a bool, not text), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        v = float(value)
    except OverflowError:  # an int beyond float range
        return None
    return v if math.isfinite(v) else None


def as_numbers(values: Any) -> list[float] | None:
    """A list or tuple (or a dict's values) of finite numbers as floats; None if any item is not one."""
    if isinstance(values, Mapping):
        values = list(values.values())
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        return None
    out = [as_number(v) for v in values]
    return None if any(v is None for v in out) else out  # type: ignore[misc]


def as_whole_number(value: Any) -> int | None:
    """``value`` as an int if it is a whole number (3 or 3.0; not True, not "3"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else None


# --------------------------------------------------------------------------------------------------
# Reading plain numbers (data tables, question banks)
# --------------------------------------------------------------------------------------------------


def plain_problem(text: str, otherwise: str | None = None) -> str | None:
    """Why ``text`` is not a plain number as a data file must write it, or None if it is one.

    The reason is a sentence for the person who edits the file: digits of another script, a
    non-finite value, a number too large for the computer; ``otherwise`` (or a general sentence) when it
    is simply not a number.
    """
    t = text.strip()
    if PLAIN_NUMBER.match(t):
        try:
            value = float(t)
        except OverflowError:  # pragma: no cover - float() of a str gives inf instead
            value = math.inf
        if not math.isfinite(value):
            return f'"{text}" is too large to be a number the computer can hold'
        return None
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in t):
        return f'"{text}" has digits of another script; write the digits 0-9'
    if t.lower().lstrip("+-") in ("inf", "infinity", "nan", "∞"):
        return f'"{text}" is not an ordinary number (infinity or "not a number" cannot be a figure)'
    return otherwise or f'"{text}" is not a number (write digits with a decimal point, no commas or units)'


def read_plain(text: str) -> int | float:
    """A plain number: int when written without a point or exponent, else float. Raises ValueError
    (with the sentence of ``plain_problem``) for anything else."""
    t = text.strip()
    if PLAIN_INT.match(t):
        return int(t)
    problem = plain_problem(t)
    if problem:
        raise ValueError(problem)
    return float(t)


# --------------------------------------------------------------------------------------------------
# Reading what a student types
# --------------------------------------------------------------------------------------------------

_TYPED = re.compile(
    r"(?P<sign>[+-]?)\s*(?P<num>[0-9][0-9 ,.]*|[.,][0-9][0-9 ,.]*)(?:[eE](?P<exp>[+-]?[0-9]{1,4}))?\s*(?P<rest>.*)",
    re.S | re.ASCII,
)
_NON_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "∞", "-∞"}


def _grouped(integer: str, sep: str) -> str | None:
    """``integer`` without its thousands separator ``sep`` if it is grouped in threes (1,234,567), else None."""
    groups = integer.split(sep)
    if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        return None
    if len(groups) > 1 and groups[0] == "0":  # 0,123 is not a thousands grouping
        return None
    return "".join(groups)


def _digits(num: str) -> tuple[str, str | None]:
    """The number part (digits with separators) as a float literal, and the other literal when it is ambiguous."""
    num = num.strip()
    spaced = " " in num
    if spaced:  # a space is always a thousands separator; each part between spaces is a group
        if re.search(r" [^0-9]|[^0-9] ", num) or "  " in num:
            raise NumberError("err_separators")
    has_comma, has_dot = "," in num, "." in num
    if has_comma and has_dot:  # 1,234.5 or 1.234,5: the last one is the decimal mark
        decimal = "." if num.rfind(".") > num.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        if num.count(decimal) > 1:
            raise NumberError("err_separators")
    elif has_comma:
        decimal, thousands = ("", ",") if num.count(",") > 1 else (",", "")
    elif has_dot:
        decimal, thousands = ("", ".") if num.count(".") > 1 else (".", "")
    else:
        decimal, thousands = "", ""
    integer, _, fraction = num.partition(decimal) if decimal else (num, "", "")
    if spaced and thousands:
        raise NumberError("err_separators")  # two kinds of thousands separator: 1 234,567,8
    sep = " " if spaced else thousands
    if sep:
        plain = _grouped(integer, sep)
        if not plain:  # "1.2.3" is no number; "1,23,456" or "12 34" are not grouped in threes
            raise NumberError("err_not_number" if sep == "." and not has_comma else "err_separators")
        integer = plain
    if not re.fullmatch(r"[0-9]*", integer) or not re.fullmatch(r"[0-9]*", fraction) or not (integer or fraction):
        raise NumberError("err_not_number")
    literal = f"{integer or '0'}.{fraction or '0'}"
    other = None
    if decimal == "," and not sep and len(fraction) == 3 and _grouped(f"{integer},{fraction}", ","):
        # "5,000": five thousand (a thousands comma) or five (a decimal comma)
        other, literal = literal, integer + fraction
    return literal, other


def _checked(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise NumberError("err_too_large")
    return value


def read_typed(raw: Any, unit: str | None = None, unit_aliases: Sequence[str] = ()) -> Reading:
    """Read a number a student typed (or a number the view passed on). Raises NumberError whose key says
    what to type instead: err_empty, err_wrong_type, err_too_long, err_not_finite, err_digits,
    err_not_number, err_separators, err_too_large, err_no_unit_expected, err_wrong_unit."""
    if raw is None:
        raise NumberError("err_empty")
    if isinstance(raw, bool):
        raise NumberError("err_wrong_type")
    if isinstance(raw, (int, float)):
        try:
            value = float(raw)
        except OverflowError:  # an int beyond float range, e.g. 10**400
            raise NumberError("err_too_large") from None
        if not math.isfinite(value):
            raise NumberError("err_not_finite")
        if abs(value) > MAX_MAGNITUDE:
            raise NumberError("err_too_large")
        return Reading(value)
    if not isinstance(raw, str):
        raise NumberError("err_wrong_type")
    if len(raw) > MAX_NUMBER_TEXT:
        raise NumberError("err_too_long", n=len(raw), max=MAX_NUMBER_TEXT)
    text = unicodedata.normalize("NFKC", raw).replace("\u2212", "-").replace("\u2013", "-").strip()
    if not text:
        raise NumberError("err_empty")
    if text.lower().replace(" ", "") in _NON_FINITE:
        raise NumberError("err_not_finite")
    match = _TYPED.fullmatch(text)
    if match is None:
        if any(ch.isdigit() for ch in text):
            raise NumberError("err_digits")
        raise NumberError("err_not_number", text=text)
    num = re.sub(r"\s+", " ", match["num"]).strip()
    try:
        literal, other = _digits(num)
    except NumberError as err:
        if err.key == "err_not_number":
            raise NumberError("err_not_number", text=text) from None
        raise
    rest = match["rest"].strip()
    if rest:
        if any(ch.isdigit() for ch in rest):
            raise NumberError("err_not_number", text=text)
        if unit is None:
            raise NumberError("err_no_unit_expected", given=rest)
        accepted = {unit.casefold(), *(a.casefold() for a in unit_aliases)}
        if rest.casefold() not in accepted:
            raise NumberError("err_wrong_unit", unit=unit, given=rest)
    exp = f"e{match['exp']}" if match["exp"] else ""
    value = _checked(f"{match['sign']}{literal}{exp}")
    alt = _checked(f"{match['sign']}{other}{exp}") if other is not None else None
    return Reading(value, alt, separators=("," in num or " " in num))


__all__ = ["MAX_MAGNITUDE", "MAX_NUMBER_TEXT", "NumberError", "PLAIN_INT", "PLAIN_NUMBER", "Reading", "as_number",
           "as_numbers", "as_whole_number", "for_people", "plain_problem", "read_plain", "read_typed"]

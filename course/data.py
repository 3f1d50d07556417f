"""The module's data tables, read from ``data/`` as described by ``data/datapackage.json``.

Every table is a small CSV file; ``datapackage.json`` declares its columns (name, type, unit), its
licence and the sources its rows come from. Every row names its source (``source_id``).

Typical use in a notebook::

    from course import data
    data.tables()                       # ['remittances', 'migrants', 'trade', ...]
    rows = data.load("remittances")     # a list of records
    data.select("trade", year=2024, flow="turnover")   # only the rows with these values
    rows[0].year, rows[0].value, rows[0].unit
    rows[0].source["publisher"]         # the full source of that row, as a dict
    data.sources("remittances")         # citation strings for a "Sources" cell
    data.describe("trade")              # title, description, columns with units

Values are typed as the package declares: ``integer`` and ``year`` → ``int``; ``number`` → ``int``
when the cell is a whole number written without a decimal point, else ``float`` (the text is never
rounded); ``date`` → ``datetime.date``; ``string`` → ``str``; an empty cell → ``None``.

A broken file raises ``DataError`` naming the file, the row (as in a spreadsheet: the header is
row 1) and the column, e.g. ``data/remittances.csv, row 7, column value: "2x.5" is not a number``.

Only the standard library is used, so importing this module is fast.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import json
import keyword
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import numbers
from .errors import CourseError, unknown_name
from .paths import REPO, data_dir

__all__ = [
    "DataError",
    "UnknownNameError",
    "MembershipStatus",
    "PACKAGE_FILE",
    "tables",
    "load",
    "select",
    "source",
    "sources",
    "citation",
    "describe",
    "validate",
    "sync_sources",
    "stale",
    "fact_text",
    "reviewed",
    "review_note",
    "kind_label",
    "SOURCE_KINDS",
    "membership_status",
]

PACKAGE_FILE = "datapackage.json"
FIELD_TYPES = ("string", "integer", "number", "year", "date")
#: Attribute names every record has besides its columns; no column may use them.
RESERVED = ("source", "row")

_YEAR = re.compile(r"[0-9]{4}\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_SHARE_EXCEPTIONS = ("increase", "change", "growth")


class DataError(CourseError, ValueError):
    """A data file is missing or malformed, or a name is unknown.

    ``file``, ``row`` (spreadsheet numbering: header = row 1) and ``column`` say where, when known.
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None, column: str | None = None,
                 **explained: Any):
        CourseError.__init__(self, message, **explained)
        self.file = file
        self.row = row
        self.column = column


class UnknownNameError(DataError, KeyError):
    """An unknown table name or source id. Also a ``KeyError``; its message prints as plain text."""


# --------------------------------------------------------------------------------------------------
# The package file
# --------------------------------------------------------------------------------------------------


def _display(path: Path) -> str:
    """``data/remittances.csv`` for files in the repository, the full path elsewhere."""
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


_PACKAGE_CACHE: dict[str, tuple[tuple[int, int], dict]] = {}


def _package() -> dict:
    """The parsed ``datapackage.json`` (cached until the file changes). Do not modify the result."""
    path = data_dir() / PACKAGE_FILE
    shown = _display(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise DataError(
            f"{shown}: file not found. Set COURSE_DATA_DIR to the folder that holds {PACKAGE_FILE}.", file=shown
        ) from None
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _PACKAGE_CACHE.get(str(path))
    if cached and cached[0] == key:
        return cached[1]
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{shown}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", file=shown
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{shown}: cannot be read ({exc})", file=shown) from None
    if not isinstance(raw, dict):
        raise DataError(f"{shown}: the top level must be a JSON object", file=shown)
    for key_name in ("resources", "sources"):
        if not isinstance(raw.get(key_name), list):
            raise DataError(f"{shown}: needs a list called {key_name!r}", file=shown)
    for i, res in enumerate(raw["resources"]):
        if not isinstance(res, dict) or not isinstance(res.get("name"), str) or not isinstance(res.get("path"), str):
            raise DataError(f"{shown}: resources[{i}] needs a 'name' and a 'path'", file=shown)
        fields = res.get("schema", {}).get("fields") if isinstance(res.get("schema"), dict) else None
        if not isinstance(fields, list) or not fields:
            raise DataError(f"{shown}: resource {res['name']!r} has no schema.fields", file=shown)
        for j, f in enumerate(fields):
            if not isinstance(f, dict) or not isinstance(f.get("name"), str):
                raise DataError(f"{shown}: resource {res['name']!r}, schema.fields[{j}] has no name", file=shown)
            ftype = f.get("type", "string")
            if ftype not in FIELD_TYPES:
                raise DataError(
                    f"{shown}: resource {res['name']!r}, field {f['name']!r} has type {ftype!r}; "
                    f"this module reads {', '.join(FIELD_TYPES)}",
                    file=shown,
                )
            name = f["name"]
            if not name.isidentifier() or keyword.iskeyword(name) or name in RESERVED:
                raise DataError(
                    f"{shown}: resource {res['name']!r}, field {name!r} cannot be used as an attribute name "
                    f"(it must be a Python identifier and not one of {', '.join(RESERVED)})",
                    file=shown,
                )
    _PACKAGE_CACHE[str(path)] = (key, raw)
    return raw


def tables() -> list[str]:
    """The names of the tables, in the order of ``datapackage.json``."""
    return [r["name"] for r in _package()["resources"]]


def _resource(name: str) -> dict:
    for res in _package()["resources"]:
        if res["name"] == name:
            return res
    raise unknown_name("table", name, tables(), cls=UnknownNameError, limit=40)


def _sources_by_id() -> dict[str, dict]:
    return {s.get("id"): s for s in _package()["sources"] if isinstance(s, dict)}


def source(source_id: str) -> dict:
    """The source with this id, as a new dict (id, publisher, title, year, url, read_via, licence, ...)."""
    by_id = _sources_by_id()
    if source_id not in by_id:
        error = unknown_name("source id", source_id, [str(s) for s in by_id], cls=UnknownNameError, listed=False)
        error.hint = f"{error.hint} The source ids are listed in data/{PACKAGE_FILE} ('sources')."
        raise error
    return dict(by_id[source_id])


#: What kind of publisher each source is (its ``kind`` field), for lateral reading: who is speaking?
SOURCE_KINDS = {
    "official": "a government, parliament, international organisation or statistics office, or a treaty text",
    "company": "a company's own statement about itself",
    "state media": "media owned or funded by a state (the source's 'state' field says which)",
    "news agency": "a privately owned news agency",
    "news media": "a privately owned newspaper, website or broadcaster",
    "independent media": "media working outside the reach of the governments in the story (in exile)",
    "trade press": "a publication for one industry",
    "research": "a research institute or think tank",
    "encyclopedia": "an encyclopedia or reference work, written by others from other sources",
    "aggregator": "a site that copies, translates or collects other publishers' texts",
    "disinformation network": "a network of sites documented as spreading disinformation",
}
#: The states whose own media are a party to this module's story.
PARTIES = ("Russia", "Kyrgyzstan")


def kind_label(src: dict) -> str:
    """The kind of a source in words: ``official``, ``state media of Russia, a party to the story``..."""
    kind = src.get("kind") or "kind not stated"
    state = src.get("state")
    if kind == "state media" and state:
        return f"state media of {state}" + (", a party to the story" if state in PARTIES else "")
    return kind


def citation(src: dict) -> str:
    """One source as a citation string: ``Publisher [kind], Title (Year). URL`` (``n.d.`` when the year is unknown)."""
    year = src.get("year")
    return (
        f"{src.get('publisher')} [{kind_label(src)}], {src.get('title')} ({'n.d.' if year is None else year}). "
        f"{src.get('url')}"
    )


def resource_source(src: dict) -> dict:
    """How a resource lists one of its sources in ``datapackage.json``: a Frictionless source object
    (``title``, ``path``) that also carries the source's ``id``."""
    year = src.get("year")
    return {
        "id": src.get("id"),
        "title": f"{src.get('publisher')}, {src.get('title')} ({'n.d.' if year is None else year})",
        "path": src.get("url"),
    }


def _listed_ids(res: dict) -> list:
    """The source ids a resource lists (its ``sources`` are source objects carrying an ``id``)."""
    return [s.get("id") if isinstance(s, dict) else s for s in res.get("sources") or []]


class Citations(list):
    """Citation strings ("Publisher [kind], Title (Year). URL"), shown in a notebook as a list whose addresses are
    links a student can open (each in a new tab), and as "- " lines where there is no HTML. Still a list of str:
    ``for line in sources: print(line)`` works as before, and so do ``+``, ``len`` and ``in``."""

    def __add__(self, other: Any) -> Citations:
        return Citations(list(self) + list(other))

    def __radd__(self, other: Any) -> Citations:
        return Citations(list(other) + list(self))

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text("\n".join(f"- {line}" for line in self))

    def _repr_html_(self) -> str:
        import html

        items = []
        for line in self:
            text, _, url = line.rpartition(" ")
            if text and re.fullmatch(r"https?://\S+", url):
                link = (f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
                        f"{html.escape(url)}</a>")
                items.append(f"<li>{html.escape(text)} {link}</li>")
            else:
                items.append(f"<li>{html.escape(line)}</li>")
        return f'<ul class="course-sources" style="overflow-wrap:anywhere">{"".join(items)}</ul>'


def sources(name_or_names: str | Iterable[str]) -> Citations:
    """Citation strings for the sources used by one table (or several), sorted, for a notebook's sources cell.

    ``sources("trade")`` or ``sources(["trade", "migrants"])``. The ids come from the rows themselves,
    so a source is listed exactly when some row of the table(s) cites it.
    """
    names = [name_or_names] if isinstance(name_or_names, str) else list(name_or_names)
    ids: set[str] = set()
    for name in names:
        ids.update(r.source["id"] for r in load(name))
    return Citations(sorted((citation(source(i)) for i in ids), key=str.casefold))


def describe(name: str) -> dict:
    """What a table holds: ``name``, ``title``, ``description``, ``path``, ``fields`` (name, type,
    description, unit), ``sources`` (the ids of the sources it lists) and ``licenses``, as a new dict."""
    res = _resource(name)
    fields = [
        {
            "name": f["name"],
            "type": f.get("type", "string"),
            "description": f.get("description", ""),
            "unit": f.get("unit"),
        }
        for f in res["schema"]["fields"]
    ]
    return json.loads(
        json.dumps(
            {
                "name": res["name"],
                "title": res.get("title", ""),
                "description": res.get("description", ""),
                "path": res["path"],
                "fields": fields,
                "sources": _listed_ids(res),
                "licenses": res.get("licenses", []),
            }
        )
    )


# --------------------------------------------------------------------------------------------------
# Reading a table
# --------------------------------------------------------------------------------------------------


class _CellError(ValueError):
    pass


def _parse(text: str, ftype: str) -> Any:
    control = next((ch for ch in text if unicodedata.category(ch) == "Cc"), None)
    if control is not None:  # a tab, a line break inside quotes, a NUL...: invisible in a spreadsheet
        raise _CellError(f"contains an invisible control character (U+{ord(control):04X}); delete it")
    if ftype == "string":
        return text
    t = text.strip()
    if ftype == "integer":
        if not numbers.PLAIN_INT.match(t):
            whole = f'"{text}" is not a whole number'
            raise _CellError(numbers.plain_problem(t, otherwise=whole) or whole)
        return int(t)
    if ftype == "year":
        if not _YEAR.match(t):
            raise _CellError(f'"{text}" is not a year (four digits 0-9, e.g. 2024)')
        return int(t)
    if ftype == "number":
        try:
            return numbers.read_plain(t)  # ASCII digits only, finite: never 1e999, inf, nan or ٢٣
        except ValueError as err:
            raise _CellError(str(err)) from None
    if ftype == "date":
        if not _DATE.match(t):
            raise _CellError(f'"{text}" is not a date (write YYYY-MM-DD, e.g. 2025-11-26)')
        try:
            return _dt.date.fromisoformat(t)
        except ValueError:
            raise _CellError(f'"{text}" is not a real date') from None
    raise _CellError(f"unknown type {ftype!r}")  # pragma: no cover - the package check rejects it


def _bound(value: Any, ftype: str) -> Any:
    if ftype == "date" and isinstance(value, str):
        return _dt.date.fromisoformat(value)
    return value


def _check_constraints(value: Any, text: str, field: dict) -> None:
    cons = field.get("constraints") or {}
    if value is None:
        if cons.get("required"):
            raise _CellError("is empty, but a value is required")
        return
    enum = cons.get("enum")
    if enum is not None and value not in enum:
        raise _CellError(f'"{text}" is not one of the allowed values: {", ".join(map(str, enum))}')
    ftype = field.get("type", "string")
    if "minimum" in cons and value < _bound(cons["minimum"], ftype):
        raise _CellError(f"{text} is below the smallest allowed value, {cons['minimum']}")
    if "maximum" in cons and value > _bound(cons["maximum"], ftype):
        raise _CellError(f"{text} is above the largest allowed value, {cons['maximum']}")


_RECORD_TYPES: dict[tuple, type] = {}


def _record_type(name: str, field_names: tuple[str, ...]) -> type:
    key = (name, field_names)
    if key not in _RECORD_TYPES:
        cls_name = "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", name) if part) + "Record"
        spec: list = [(f, Any) for f in field_names]
        spec.append(("source", dict, dataclasses.field(repr=False, compare=False, default_factory=dict)))
        spec.append(("row", int, dataclasses.field(repr=False, compare=False, default=0)))
        cls = dataclasses.make_dataclass(cls_name, spec, frozen=True)
        cls.__module__ = __name__
        cls.__table__ = name
        cls.__doc__ = (
            f"One row of the {name!r} table: its columns as attributes, plus ``source`` (the full source "
            f"dict of the row) and ``row`` (its row number in the CSV file, header = 1)."
        )
        _RECORD_TYPES[key] = cls
    return _RECORD_TYPES[key]


_TABLE_CACHE: dict[str, tuple[tuple, tuple]] = {}


def load(name: str) -> list:
    """The rows of table ``name`` as a list of read-only records with attribute access.

    Each record has the table's columns as attributes (typed, empty cells are ``None``), plus
    ``.source`` — the full source dict of that row — and ``.row``, its row number in the file.
    Raises ``DataError`` (naming file, row and column) if the file does not match ``datapackage.json``.
    A table is read once and kept until its file or ``datapackage.json`` changes; each call returns a new list.
    """
    res = _resource(name)
    path = data_dir() / res["path"]
    try:
        stat, package = path.stat(), (data_dir() / PACKAGE_FILE).stat()
    except OSError:
        return _read(name, res, path)  # _read says what is wrong with the file
    key = (stat.st_mtime_ns, stat.st_size, package.st_mtime_ns, package.st_size)
    cached = _TABLE_CACHE.get(str(path))
    if cached is None or cached[0] != key:
        cached = _TABLE_CACHE[str(path)] = (key, tuple(_read(name, res, path)))
    return list(cached[1])


def select(table: str | Iterable, **where: Any) -> list:
    """The rows of ``table`` (a table's name, or records already loaded) whose columns have the values given.

    ``data.select("trade", year=2024, flow="turnover", unit="USD billion")``. A list, tuple or set as a value
    means any of its values: ``data.select("trade", year=[2023, 2024])``. A column that the table does not have,
    or a value that no row of the table has in that column, raises ``UnknownNameError`` naming what there is.
    """
    rows = load(table) if isinstance(table, str) else list(table)
    shown = table if isinstance(table, str) else "these rows"
    wanted = {column: list(v) if isinstance(v, (list, tuple, set, frozenset)) else [v] for column, v in where.items()}
    if not rows:
        return []
    columns = [f.name for f in dataclasses.fields(rows[0]) if f.name not in RESERVED]
    for column, values in wanted.items():
        if column not in columns:
            raise UnknownNameError(f"{shown} has no column {column!r}; its columns are: {', '.join(columns)}",
                                   column=column)
        present = {getattr(r, column) for r in rows}
        if not any(v in present for v in values):
            known = ", ".join(repr(v) for v in sorted(present, key=str)[:30])
            raise UnknownNameError(f"no row of {shown} has {column}={where[column]!r}; the values there are: {known}",
                                   column=column)
    return [r for r in rows if all(getattr(r, column) in values for column, values in wanted.items())]


def _read(name: str, res: dict, path: Path) -> list:
    """Read and check one table's CSV file (see ``load``)."""
    shown = _display(path)
    fields = res["schema"]["fields"]
    names = tuple(f["name"] for f in fields)
    by_id = _sources_by_id()

    def fail(msg: str, row: int | None = None, column: str | None = None) -> DataError:
        where = shown
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column}"
        return DataError(f"{where}: {msg}", file=shown, row=row, column=column)

    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise fail(
            f"file not found (datapackage.json lists it as table {name!r}). "
            f"Set COURSE_DATA_DIR to the folder that holds the data."
        ) from None
    except OSError as exc:
        raise fail(f"cannot be read ({exc})") from None
    records = []
    with fh:
        try:
            reader = csv.reader(fh, strict=True)
            try:
                header = next(reader)
            except StopIteration:
                raise fail("the file is empty; row 1 must be the header: " + ",".join(names)) from None
            _check_header(header, names, fail)
            cls = _record_type(name, names)
            opened = [2]  # the line where the row being read starts (a quote never closed runs on past it)
            for rownum, cells in enumerate(_rows(reader, opened), start=2):
                runaway = next((i for i, c in enumerate(cells) if "\n" in c or "\r" in c), None)
                if runaway is not None:
                    raise fail(
                        f"a double quote opened in this row is not closed on the same line, so the text runs on "
                        f"to line {reader.line_num}; close the quote (or double it: \"\") in this row",
                        opened[0],
                        names[runaway] if runaway < len(names) else None,
                    )
                if not cells or cells == [""] * len(cells):
                    raise fail("the row is empty; remove it", rownum)
                if len(cells) < len(names):
                    raise fail(
                        f"the row has {len(cells)} cells but the header has {len(names)} "
                        f"(is a comma missing, or a text with a comma not in double quotes?)",
                        rownum,
                        names[len(cells)],
                    )
                if len(cells) > len(names):
                    raise fail(
                        f"the row has {len(cells)} cells but the header has {len(names)} "
                        f'(put a text that contains a comma in double quotes: "a, b")',
                        rownum,
                        f"{len(names) + 1} (no such column)",
                    )
                values = {}
                for field, text in zip(fields, cells):
                    fname = field["name"]
                    try:
                        value = None if text.strip() == "" else _parse(text, field.get("type", "string"))
                        _check_constraints(value, text, field)
                    except _CellError as exc:
                        raise fail(str(exc), rownum, fname) from None
                    values[fname] = value
                sid = values.get("source_id")
                src: dict = {}
                if "source_id" in values:
                    if sid not in by_id:
                        raise fail(
                            f'"{sid}" is not the id of a source in datapackage.json (add the source there first)',
                            rownum,
                            "source_id",
                        )
                    src = dict(by_id[sid])
                records.append(cls(**values, source=src, row=rownum))
        except csv.Error as exc:
            if reader.line_num > opened[0]:  # the row ran on over several lines: a quote opened in it
                raise fail(f"a double quote opened in this row is not closed on the same line, so the text runs "
                           f"on to line {reader.line_num} (not valid CSV: {exc}); close the quote in this row",
                           opened[0]) from None
            hint = "; a double quote opened in this row is never closed" if "end of data" in str(exc) else ""
            raise fail(f"not valid CSV ({exc}){hint}", reader.line_num) from None
        except UnicodeDecodeError as exc:
            raise fail(f"not UTF-8 text ({exc.reason}); save the file as UTF-8") from None
    return records


def _rows(reader: Any, opened: list[int]) -> Iterable[list[str]]:
    """The rows of a csv.reader, noting in ``opened[0]`` the line where each one starts."""
    while True:
        opened[0] = reader.line_num + 1
        try:
            yield next(reader)
        except StopIteration:
            return


def _check_header(header: list[str], names: tuple[str, ...], fail) -> None:
    header = [h.strip() for h in header]
    for col in header:
        if col not in names:
            raise fail(
                f"this column is not declared in datapackage.json (declared: {', '.join(names)})", 1, col or "(empty)"
            )
    for col in names:
        if col not in header:
            raise fail("this column is declared in datapackage.json but missing from the header", 1, col)
    if len(header) != len(set(header)):
        dup = next(c for c in header if header.count(c) > 1)
        raise fail("this column appears twice in the header", 1, dup)
    if tuple(header) != names:
        first = next(h for h, n in zip(header, names) if h != n)
        raise fail(f"the columns are not in the declared order ({', '.join(names)})", 1, first)


# --------------------------------------------------------------------------------------------------
# Checking the whole package
# --------------------------------------------------------------------------------------------------

_REQUIRED_RESOURCE_KEYS = ("name", "path", "title", "description", "format", "mediatype", "encoding", "licenses")


def _norm_url(url: str) -> str:
    u = url.strip().lower()
    u = re.sub(r"^https?://", "", u)
    u = re.sub(r"^(www\.|m\.)", "", u)
    u = re.sub(r"/amp/?$", "", u).rstrip("/")
    return u


def _is_share(unit: str | None) -> bool:
    return bool(unit) and unit.startswith("percent") and not any(w in unit for w in _SHARE_EXCEPTIONS)


def validate() -> list[str]:
    """Check the whole data package; return a list of problems (empty when all is well).

    Checks: the package's own fields; every source has publisher, title, url and a year (or, when the
    date of publication is unknown, ``year: null`` with a ``year_note``); no two sources share an id or
    a URL; every table loads (header = declared fields, each value parses to its type and meets its
    constraints, every ``source_id`` exists); each table's ``sources`` list equals the ids its rows use;
    every source is used; percentage shares lie in 0-100; dates agree with ``date_precision``.
    """
    problems: list[str] = []
    try:
        pkg = _package()
    except DataError as exc:
        return [str(exc)]
    for key in ("name", "title", "description", "licenses"):
        if not pkg.get(key):
            problems.append(f"datapackage.json: the package has no {key!r}")
    if not isinstance(pkg.get("reviewed"), str) or not _DATE.match(pkg["reviewed"]):
        problems.append(
            "datapackage.json: the package needs 'reviewed', the day its facts were last reviewed (YYYY-MM-DD)"
        )

    seen_ids: set[str] = set()
    seen_urls: dict[str, str] = {}
    for i, src in enumerate(pkg["sources"]):
        sid = src.get("id") if isinstance(src, dict) else None
        label = f"source {sid!r}" if sid else f"sources[{i}]"
        if not isinstance(src, dict) or not sid:
            problems.append(f"datapackage.json: {label} has no id")
            continue
        if sid in seen_ids:
            problems.append(f"datapackage.json: source id {sid!r} appears twice")
        seen_ids.add(sid)
        for key in ("publisher", "title", "url"):
            if not isinstance(src.get(key), str) or not src[key].strip():
                problems.append(f"datapackage.json: {label} has no {key}")
        if src.get("kind") not in SOURCE_KINDS:
            problems.append(
                f"datapackage.json: {label} has kind {src.get('kind')!r}; say what kind of source it is, "
                f"one of: {', '.join(SOURCE_KINDS)}"
            )
        elif src["kind"] == "state media" and not src.get("state"):
            problems.append(f"datapackage.json: {label} is state media; say which state owns it ('state')")
        year = src.get("year", "missing")
        if year is None:
            if not str(src.get("year_note") or "").strip():
                problems.append(f"datapackage.json: {label} has year null but no year_note saying why")
        elif isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2026:
            problems.append(
                f"datapackage.json: {label} has year {year!r}; give a year (1900-2026) or null with a year_note"
            )
        url = src.get("url")
        if isinstance(url, str) and url.strip():
            norm = _norm_url(url)
            if norm in seen_urls:
                problems.append(f"datapackage.json: sources {seen_urls[norm]!r} and {sid!r} have the same URL {url}")
            else:
                seen_urls[norm] = sid

    used_anywhere: set[str] = set()
    for res in pkg["resources"]:
        name = res["name"]
        for key in _REQUIRED_RESOURCE_KEYS:
            if not res.get(key):
                problems.append(f"datapackage.json: resource {name!r} has no {key!r}")
        for f in res["schema"]["fields"]:
            if not f.get("description"):
                problems.append(f"datapackage.json: resource {name!r}, field {f['name']!r} has no description")
        try:
            rows = load(name)
        except DataError as exc:
            problems.append(str(exc))
            continue
        shown = _display(data_dir() / res["path"])
        used = {r.source.get("id") for r in rows if r.source}
        used_anywhere |= used
        declared = _listed_ids(res)
        if sorted(used, key=str) != sorted(declared, key=str):
            missing = sorted(used - set(declared), key=str)
            extra = sorted(set(declared) - used, key=str)
            problems.append(
                f"datapackage.json: resource {name!r} 'sources' does not match the ids its rows use "
                f"(not listed: {missing or 'none'}; listed but unused: {extra or 'none'}); "
                f"run: python -m course sync-sources"
            )
        by_id = _sources_by_id()
        for i, entry in enumerate(res.get("sources") or []):
            sid = entry.get("id") if isinstance(entry, dict) else entry
            if sid in by_id and entry != resource_source(by_id[sid]):
                problems.append(
                    f"datapackage.json: resource {name!r}, sources[{i}] must be the source object "
                    f"{json.dumps(resource_source(by_id[sid]), ensure_ascii=False)}; run: python -m course sync-sources"
                )
        problems.extend(_plausibility(rows, shown))
        problems.extend(_plan_columns(rows, shown))
    for sid in sorted(seen_ids - used_anywhere):
        problems.append(f"datapackage.json: source {sid!r} is not used by any table")
    return problems


def sync_sources() -> list[str]:
    """Rewrite each resource's ``sources`` in ``datapackage.json`` from the ids its rows use, as
    Frictionless source objects (see ``resource_source``). Returns the names of the resources changed.

    Run it (``python -m course sync-sources``) after adding rows that cite a new source."""
    path = data_dir() / PACKAGE_FILE
    pkg = json.loads(path.read_text(encoding="utf-8"))
    by_id = _sources_by_id()
    changed = []
    for res in pkg["resources"]:
        ids = sorted({r.source["id"] for r in load(res["name"]) if r.source})
        entries = [resource_source(by_id[i]) for i in ids]
        if res.get("sources") != entries:
            res["sources"] = entries
            changed.append(res["name"])
    if changed:
        path.write_text(json.dumps(pkg, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def _plan_columns(rows: list, shown: str) -> list[str]:
    out = []
    for r in rows:
        outcome = getattr(r, "outcome", None)
        if outcome and getattr(r, "planned_for", None) is None:
            out.append(f"{shown}, row {r.row}, column outcome: an outcome needs the planned day (planned_for)")
    return out


def _plausibility(rows: list, shown: str) -> list[str]:
    out = []
    for r in rows:
        d = dataclasses.asdict(r) if dataclasses.is_dataclass(r) else {}
        unit = d.get("unit")
        if _is_share(unit) and isinstance(d.get("value"), (int, float)) and not 0 <= d["value"] <= 100:
            out.append(f"{shown}, row {r.row}, column value: {d['value']} {unit} is not a share between 0 and 100")
        if "date_precision" in d:
            prec, date = d["date_precision"], d.get("date")
            if prec == "unknown" and date is not None:
                out.append(f"{shown}, row {r.row}, column date: date_precision is 'unknown' but a date is given")
            elif prec != "unknown" and date is None:
                out.append(f"{shown}, row {r.row}, column date: empty, but date_precision is {prec!r}")
            elif prec == "month" and date.day != 1:
                out.append(f"{shown}, row {r.row}, column date: month precision, so the date must be the 1st")
            elif prec == "year" and (date.month, date.day) != (1, 1):
                out.append(f"{shown}, row {r.row}, column date: year precision, so the date must be 1 January")
    return out


# --------------------------------------------------------------------------------------------------
# Facts that age: plans whose day has passed, and when the facts were last reviewed
# --------------------------------------------------------------------------------------------------


def _as_of(r: Any) -> str:
    """The day a plan was true as of: the row's date, or else the day its source was read."""
    if getattr(r, "date", None) is not None:
        return f"as of {r.date.isoformat()}"
    return f"as read on {r.source.get('accessed', 'an unknown day')}"


def stale(today: _dt.date | str | None = None) -> list[str]:
    """Plans and expectations whose day has passed but whose outcome is not recorded (or 'not checked').

    Every table with a ``planned_for`` column is read; a row is stale when ``planned_for`` is before
    ``today`` (default: the real today) and its ``outcome`` is empty or starts with "not checked".
    One line per row, e.g. ``stale: data/facts.csv, row 42: ... (planned for 2026-11-11, as of 2025-11-27;
    not checked: ...)``, so an instructor knows what to update each term."""
    if today is None:
        today = _dt.date.today()
    elif isinstance(today, str):
        today = _dt.date.fromisoformat(today)
    out = []
    for name in tables():
        fields = [f["name"] for f in _resource(name)["schema"]["fields"]]
        if "planned_for" not in fields:
            continue
        shown = _display(data_dir() / _resource(name)["path"])
        for r in load(name):
            due = r.planned_for
            outcome = (getattr(r, "outcome", None) or "").strip()
            if due is None or due >= today or (outcome and not outcome.lower().startswith("not checked")):
                continue
            what = getattr(r, "fact", None) or getattr(r, "event", "")
            what = what if len(what) <= 90 else what[:87] + "..."
            out.append(f"stale: {shown}, row {r.row}: {what} (planned for {due.isoformat()}, {_as_of(r)}; "
                       f"{outcome or 'outcome not recorded'})")
    return out


def fact_text(r: Any) -> str:
    """A row's ``fact``, followed for a plan by when it was due and what came of it, e.g.
    "... [plan for 2026-11-11, as of 2025-11-27; outcome: not checked: ...]"."""
    text = getattr(r, "fact", "") or ""
    due = getattr(r, "planned_for", None)
    if due is None:
        return text
    outcome = (getattr(r, "outcome", None) or "").strip() or "not yet due when last reviewed"
    return f"{text} [plan for {due.isoformat()}, {_as_of(r)}; outcome: {outcome}]"


def reviewed() -> _dt.date | None:
    """The day the module's facts and sources were last reviewed (``reviewed`` in datapackage.json)."""
    value = _package().get("reviewed")
    return _dt.date.fromisoformat(value) if isinstance(value, str) else None


def review_note() -> str:
    """One line for a notebook's Sources section: when the facts were last reviewed, and how to find stale ones."""
    day = reviewed()
    when = f"{day.day} {day:%B %Y}" if day else "(no review date in data/datapackage.json)"
    return (f"Facts and sources last reviewed on {when}. Plans and expectations carry the date they were true as "
            "of; `python -m course check` lists those whose date has passed since.")


# --------------------------------------------------------------------------------------------------
# Memberships on a given day
# --------------------------------------------------------------------------------------------------

#: The categories ``membership_status`` sorts each state into, in legend order.
MEMBERSHIP_CATEGORIES = {
    "member": "Member",
    "observer": "Observer, associate member or dialogue partner",
    "suspended": "Membership suspended or participation frozen",
    "former": "Left, did not renew, or never completed membership",
    "signed": "Accession treaty signed, not yet in force",
}
_TO_MEMBER = {"founding", "joined", "rejoined", "ratified", "charter_ratified", "ratified_creation_agreement", "signed"}
_TO_OBSERVER = {"observer", "dialogue_partner", "associate"}
_TO_SUSPENDED = {"suspended", "froze_participation"}
_TO_FORMER = {"left", "did_not_renew", "ended_participation", "not_member"}
_NO_CHANGE = {"suspension_requested", "notified_withdrawal"}


@dataclasses.dataclass(frozen=True)
class MembershipStatus:
    """Where one state stood in one organisation on a day: ``category`` (a key of
    ``MEMBERSHIP_CATEGORIES``) and the ``event`` record (from memberships.csv) that put it there."""

    organisation: str
    member_state: str
    category: str
    event: Any

    @property
    def label(self) -> str:
        return MEMBERSHIP_CATEGORIES[self.category]


def membership_status(as_of: _dt.date | str | None = None, records: list | None = None) -> dict:
    """Each state's standing in each organisation on ``as_of`` (default: 27 November 2025, the last
    day of Putin's visit), worked out from the events in ``memberships.csv``.

    Returns ``{(organisation, member_state): MembershipStatus}``. Undated events are applied first,
    then dated ones in date order, up to and including ``as_of``: joining, founding, signing or
    ratifying makes a state a member; observer, associate and dialogue-partner events make it an
    observer; a suspension or a freeze marks it suspended; leaving, not renewing, ending participation
    or never having ratified marks it former. A suspension *request* or a withdrawal *notice* changes
    nothing by itself.
    """
    if as_of is None:
        as_of = _dt.date(2025, 11, 27)
    elif isinstance(as_of, str):
        as_of = _dt.date.fromisoformat(as_of)
    rows = load("memberships") if records is None else records
    undated = [r for r in rows if r.date is None]
    dated = sorted((r for r in rows if r.date is not None and r.date <= as_of), key=lambda r: r.date)
    state: dict[tuple[str, str], MembershipStatus] = {}
    for r in undated + dated:
        key = (r.organisation, r.member_state)
        current = state.get(key)
        if r.status in _TO_MEMBER:
            cat = "member"
        elif r.status in _TO_OBSERVER:
            cat = "observer"
        elif r.status in _TO_SUSPENDED:
            cat = "suspended"
        elif r.status in _TO_FORMER:
            cat = "former"
        elif r.status == "treaty_signed":
            if current is not None:
                continue
            cat = "signed"
        elif r.status in _NO_CHANGE:
            continue
        else:
            raise DataError(f"memberships.csv, row {r.row}, column status: unknown status {r.status!r}")
        if current is not None and current.category == cat:
            continue  # keep the event that first put the state in this category
        state[key] = MembershipStatus(r.organisation, r.member_state, cat, r)
    return state

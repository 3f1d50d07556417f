"""Question banks: one YAML file per notebook, checked against a JSON Schema, turned into questions.

A mistake in a bank is reported as one ``BankError`` that names the file, the line and the field,
for example::

    course/quizzes/03_migration.yaml, line 41, field questions[2].choices: exactly one choice must
    have "correct: true" (found 0)

``python -m course check`` runs this on every bank.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .model import (
    QUESTION_TYPES,
    Choice,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
    Reflection,
    SingleChoice,
)

SCHEMA_PATH = Path(__file__).with_name("bank.schema.json")
MAX_BANK_BYTES = 1_000_000


def banks_dir() -> Path:
    """Where the question banks live: $COURSE_QUIZZES_DIR, else the banks of the copy of the module the
    notebook runs in (e.g. one pulled by nbgitpuller), else course/quizzes of the package (see course/paths.py)."""
    override = os.environ.get("COURSE_QUIZZES_DIR")
    if override:
        return Path(override)
    from ..paths import quizzes_dir

    return quizzes_dir()


class BankError(ValueError):
    """A question bank that cannot be used. ``str(err)`` says where and what, in one line."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, problem: str):
        self.path, self.line, self.field, self.problem = str(path), line, field, problem
        where = [self.path]
        if line is not None:
            where.append(f"line {line}")
        if field:
            where.append(f"field {field}")
        super().__init__(", ".join(where) + ": " + problem)


@dataclass(frozen=True)
class Bank:
    path: Path
    notebook: str
    title: str
    questions: tuple[Question, ...]

    def get(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    @property
    def ids(self) -> list[str]:
        return [q.id for q in self.questions]


def _field_name(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _Located:
    """The parsed YAML plus the line of every field, so errors can point at a line."""

    def __init__(self, path: Path, text: str):
        import yaml

        self.path = path
        self.text = text
        self.lines: dict[tuple[Any, ...], int] = {}
        self.scalars: list[tuple[tuple[Any, ...], Any]] = []
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            node = yaml.compose(text, Loader=loader)
        except yaml.MarkedYAMLError as err:
            raise self._yaml_error(err) from None
        except yaml.YAMLError as err:
            raise BankError(_display_path(path), None, None, f"this is not valid YAML ({err})") from None
        if node is None:
            raise BankError(_display_path(path), 1, None, "the file is empty")
        self._walk(node, (), set())
        try:
            self.data = yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader (CSafeLoader) is used
        except yaml.MarkedYAMLError as err:
            raise self._yaml_error(err) from None
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as err:  # e.g. a date that does not exist
            problem = " ".join(str(err).split())
            where = self._failing_scalar()
            if where is not None:
                raise self.error(where, f"this value cannot be read ({problem}); put it in quotes") from None
            raise BankError(_display_path(path), None, None, f"this is not valid YAML ({problem})") from None

    def _yaml_error(self, err: Any) -> BankError:
        mark = err.problem_mark or err.context_mark
        if err.context_mark is not None and mark is not None and mark.index >= len(self.text.rstrip()):
            mark = err.context_mark  # e.g. a quote never closed: point where it opened, not at the end
        line = mark.line + 1 if mark else None
        problem = " ".join(str(x) for x in (err.context, err.problem) if x)
        return BankError(_display_path(self.path), line, None, f"this is not valid YAML ({problem})")

    def _failing_scalar(self) -> tuple[Any, ...] | None:
        """The field whose value YAML cannot construct (such as the date 2025-02-30), if there is one."""
        import yaml

        constructor = yaml.SafeLoader("")
        for path, node in self.scalars:
            try:
                constructor.construct_object(node, deep=True)
            except Exception:  # noqa: BLE001 - whatever the constructor raises, this is the culprit
                return path
        return None

    def _alias_line(self) -> int | None:
        """The line of the first alias (*name): the node it repeats only knows where its anchor was."""
        import yaml

        with contextlib.suppress(yaml.YAMLError):
            for event in yaml.parse(self.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
                if isinstance(event, yaml.AliasEvent):
                    return event.start_mark.line + 1
        return None

    def _walk(self, node: Any, path: tuple[Any, ...], seen: set[int]) -> None:
        import yaml

        if id(node) in seen:
            raise BankError(_display_path(self.path), self._alias_line() or node.start_mark.line + 1,
                            _field_name(path) or None,
                            "anchors and aliases (& and *) are not allowed in a question bank")
        seen.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            self.scalars.append((path, node))
        if isinstance(node, yaml.MappingNode):
            keys: set[Any] = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise BankError(_display_path(self.path), key_node.start_mark.line + 1, _field_name(path) or None,
                                    "a field name must be plain text, not a list or a mapping")
                key = key_node.value
                if key in keys:
                    raise BankError(_display_path(self.path), key_node.start_mark.line + 1,
                                    _field_name(path + (key,)), "this field appears twice")
                keys.add(key)
                self.lines[path + (key,)] = key_node.start_mark.line + 1
                self._walk(value_node, path + (key,), seen)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, path + (i,), seen)

    def line(self, path: tuple[Any, ...]) -> int | None:
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def error(self, path: tuple[Any, ...], problem: str) -> BankError:
        return BankError(_display_path(self.path), self.line(path), _field_name(tuple(path)) or None, problem)


def _import_jsonschema() -> Any:
    """Import jsonschema without its optional IRI format checker, which costs about 1 s at import (it builds
    a parser in rfc3987_syntax) and checks a format no bank uses. Afterwards the module can be imported
    normally again by anyone who wants it."""
    import sys

    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        import jsonschema

        return jsonschema
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # makes `import rfc3987_syntax` fail
    try:
        import jsonschema
    finally:
        if sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]
    return jsonschema


@lru_cache(maxsize=1)
def _validator() -> Any:
    jsonschema = _import_jsonschema()

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _short(value: Any, limit: int = 80) -> str:
    """repr() of a value, cut to one readable piece of a line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unknown_field(err: Any) -> Any:
    """The offending field name, for an error about a field name (additionalProperties or propertyNames)."""
    if err.validator == "additionalProperties":
        known = set(err.schema.get("properties", {}))
        return next((k for k in err.instance if k not in known), None)
    if "propertyNames" in err.absolute_schema_path:  # jsonschema reports the inner "enum" on the name
        return err.instance
    return None


def _schema_problem(err: Any) -> str:
    """Turn a jsonschema error into a sentence an instructor can act on."""
    v, value = err.validator, err.instance
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return f'"{missing}" is missing'
    if v in ("additionalProperties", "propertyNames") or "propertyNames" in err.absolute_schema_path:
        name = _unknown_field(err)
        path = tuple(err.absolute_path)
        what = "this question type" if len(path) == 2 and path[0] == "questions" else "this part of the bank"
        return f'"{name}" is not a field {what} knows'
    if v == "type":
        expected = err.validator_value
        hint = " (put the text in quotes)" if expected == "string" and isinstance(value, (bool, int, float)) else ""
        return f"expected {expected}, found {type(value).__name__} {_short(value)}{hint}"
    if v == "enum":
        options = ", ".join(map(str, err.validator_value))
        return f"{_short(value)} is not one of: {options}"
    if v == "pattern":
        return f"{_short(value)} does not have the required form ({err.validator_value})"
    if v in ("minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum"):
        return err.message
    return err.message


def _schema_errors(doc: _Located) -> Iterator[BankError]:
    for err in _validator().iter_errors(doc.data):
        path = tuple(err.absolute_path)
        name = _unknown_field(err)
        if name is not None:  # the error points at the object; point at the field
            path = path + (str(name),)
        yield doc.error(path, _schema_problem(err))


def _check_semantics(doc: _Located, stem: str) -> None:
    data = doc.data
    if data["notebook"] != stem:
        raise doc.error(("notebook",), f'is "{data["notebook"]}" but the file is named {stem}.yaml')
    prefix = stem[:2] + "-"
    seen: dict[str, int] = {}
    for i, q in enumerate(data["questions"]):
        here = ("questions", i)
        qid = q["id"]
        if not qid.startswith(prefix):
            raise doc.error(here + ("id",), f'"{qid}" must start with "{prefix}" (the notebook number)')
        if qid in seen:
            raise doc.error(here + ("id",), f'"{qid}" is used twice (also questions[{seen[qid]}])')
        seen[qid] = i
        kind = q["type"]
        if kind in ("single", "multiple"):
            texts = [c["text"].strip() for c in q["choices"]]
            dup = next((x for x in texts if texts.count(x) > 1), None)
            if dup:
                raise doc.error(here + ("choices",), f'the choice "{dup}" appears twice')
            n = sum(bool(c.get("correct")) for c in q["choices"])
            if kind == "single" and n != 1:
                raise doc.error(here + ("choices",), f'exactly one choice must have "correct: true" (found {n})')
            if kind == "multiple" and n < 1:
                raise doc.error(here + ("choices",), 'at least one choice must have "correct: true"')
        elif kind == "ordering":
            items = [x.strip() for x in q["items"]]
            dup = next((x for x in items if items.count(x) > 1), None)
            if dup:
                raise doc.error(here + ("items",), f'the item "{dup}" appears twice')
        elif kind == "matching":
            lefts = [p["left"].strip() for p in q["pairs"]]
            dup = next((x for x in lefts if lefts.count(x) > 1), None)
            if dup:
                raise doc.error(here + ("pairs",), f'the left item "{dup}" appears twice')
            rights = {p["right"].strip() for p in q["pairs"]}
            clash = next((d for d in q.get("distractors", []) if d.strip() in rights), None)
            if clash:
                raise doc.error(here + ("distractors",), f'"{clash}" is also a right answer')
        elif kind == "numeric":
            if q.get("unit_aliases") and not q.get("unit"):
                raise doc.error(here + ("unit_aliases",), 'needs a "unit"')
            for name in ("answer", "tolerance"):
                if name not in q:
                    continue
                try:
                    finite = math.isfinite(float(q[name]))
                except OverflowError:
                    finite = False
                if not finite:
                    raise doc.error(here + (name,), f"must be an ordinary finite number, not {_short(q[name], 30)}")


def _build(q: dict[str, Any], label: str, notebook: str) -> Question:
    common = dict(
        id=q["id"],
        prompt=q["prompt"],
        explanation=q["explanation"].strip(),
        hints=tuple(h.strip() for h in q.get("hints", [])),
        reveal_after=q.get("reveal_after", 2),
        shuffle=q.get("shuffle", True),
        label=label,
        notebook=notebook,
    )
    kind = q["type"]
    if kind in ("single", "multiple"):
        choices = tuple(
            Choice(c["text"].strip(), bool(c.get("correct")), c.get("feedback", "").strip()) for c in q["choices"]
        )
        return (SingleChoice if kind == "single" else MultipleChoice)(choices=choices, **common)
    if kind == "numeric":
        return Numeric(answer=float(q["answer"]), tolerance=float(q.get("tolerance", 0)), unit=q.get("unit"),
                       unit_aliases=tuple(q.get("unit_aliases", [])), **common)
    if kind == "ordering":
        return Ordering(items=tuple(x.strip() for x in q["items"]), **common)
    if kind == "matching":
        return Matching(pairs=tuple((p["left"].strip(), p["right"].strip()) for p in q["pairs"]),
                        distractors=tuple(d.strip() for d in q.get("distractors", [])), **common)
    assert kind == "reflection", kind
    cases = {str(k): v.strip() for k, v in (q.get("model_answers") or {}).items()}
    return Reflection(model_answer=q["model_answer"].strip(), model_answers=cases, **common)


def load_bank(path: Path | str) -> Bank:
    """Read, check and build one bank. Raises BankError (file, line, field) on any problem."""
    path = Path(path)
    shown = _display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise BankError(shown, None, None, f"cannot be read ({err.strerror or err})") from None
    if len(raw) > MAX_BANK_BYTES:
        raise BankError(shown, None, None, f"is too large ({len(raw)} bytes; at most {MAX_BANK_BYTES})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise BankError(shown, line, None, "is not UTF-8 text (save it as UTF-8)") from None
    try:
        doc = _Located(path, text)
        first = min(_schema_errors(doc), key=lambda e: (e.line or 0), default=None)
    except RecursionError:
        raise BankError(shown, None, None, "is nested too deeply (lists or mappings inside each other)") from None
    if first is not None:
        raise first
    _check_semantics(doc, path.stem)
    number = str(int(path.stem[:2]))
    questions = tuple(
        _build(q, f"{number}.{i}", doc.data["notebook"]) for i, q in enumerate(doc.data["questions"], start=1)
    )
    return Bank(path, doc.data["notebook"], doc.data["title"], questions)


def bank_paths(directory: Path | None = None) -> list[Path]:
    return sorted((directory or banks_dir()).glob("[0-9][0-9]_*.yaml"))


@lru_cache(maxsize=64)
def _cached(path: str, mtime_ns: int) -> Bank:
    return load_bank(path)


def bank_for(qid: str) -> Bank:
    """The bank holding question `qid` ("03-share" lives in 03_*.yaml). Reloads a bank that changed."""
    prefix = qid[:2]
    candidates = [p for p in bank_paths() if p.name.startswith(prefix + "_")]
    if not candidates:
        raise KeyError(f"No question bank for {qid!r}: expected a file {prefix}_*.yaml in {banks_dir()}")
    for path in candidates:
        bank = _cached(str(path), path.stat().st_mtime_ns)
        if qid in bank.ids:
            return bank
    raise KeyError(f"No question {qid!r} in {', '.join(p.name for p in candidates)}")


def question(qid: str) -> Question:
    return bank_for(qid).get(qid)


def check_all(directory: Path | None = None) -> tuple[list[Bank], list[BankError]]:
    banks, errors = [], []
    for path in bank_paths(directory):
        try:
            banks.append(load_bank(path))
        except BankError as err:
            errors.append(err)
    return banks, errors


__all__ = ["Bank", "BankError", "QUESTION_TYPES", "bank_for", "bank_paths", "banks_dir", "check_all",
           "load_bank", "question"]

"""Question banks: one YAML file per notebook, checked against a JSON Schema, turned into questions.

A mistake in a bank is reported as one ``BankError`` that names the file, the line and the field,
for example::

    course/banks/03_migration.yaml, line 41, field questions[2].choices: exactly one choice must
    have "correct: true" (found 0)

``python -m course check`` runs this on every bank.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..numbers import MAX_MAGNITUDE, NumberError, for_people, read_typed
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
    """Where the question banks live: $COURSE_BANKS_DIR, else the banks of the copy of the module the
    notebook runs in (e.g. one pulled by nbgitpuller), else course/banks of the package (see course/paths.py)."""
    from ..paths import banks_dir as _banks_dir

    return _banks_dir()


class BankError(ValueError):
    """A question bank that cannot be used. ``str(err)`` says where and what, one line per mistake.

    ``errors`` lists every mistake found in the bank (this one first); ``question`` is the question's
    number as the notebook shows it ("3.7") and ``qid`` its id, when the mistake is inside a question.
    """

    def __init__(self, path: Path | str, line: int | None, field: str | None, problem: str, *,
                 question: str | None = None, qid: str | None = None, index: int | None = None):
        self.path, self.line, self.field, self.problem = str(path), line, field, problem
        self.question, self.qid, self.index = question, qid, index
        where = [self.path]
        if line is not None:
            where.append(f"line {line}")
        if question is not None:
            where.append(f"question {question}" + (f" (id {qid})" if qid else ""))
        if field:
            where.append(f"field {field}")
        self.text = ", ".join(where) + ": " + problem
        self.errors: list[BankError] = [self]
        super().__init__(self.text)

    @classmethod
    def several(cls, errors: list[BankError]) -> BankError:
        """One error that carries all of ``errors`` (first by line), each on its own line."""
        first = errors[0]
        err = cls(first.path, first.line, first.field, first.problem, question=first.question, qid=first.qid,
                  index=first.index)
        err.errors = list(errors)
        err.args = ("\n".join(e.text for e in errors),)
        return err


@dataclass(frozen=True)
class Bank:
    path: Path
    notebook: str
    title: str
    questions: tuple[Question, ...]
    #: Questions left out because of a mistake (only with ``load_bank(..., partial=True)``): id -> its errors.
    broken: dict[str, BankError] = field(default_factory=dict, compare=False)

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


def _question_number(path: Path, index: int) -> str:
    """The number the notebook shows for the question at ``index`` (0-based): "3.7" in 03_*.yaml."""
    prefix = path.stem[:2]
    return f"{int(prefix)}.{index + 1}" if prefix.isdigit() else str(index + 1)


# --- YAML: the 1.2 number forms only -------------------------------------------------------------------

_INT_TAG, _FLOAT_TAG, _STR_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:str"


@lru_cache(maxsize=1)
def _loader() -> Any:
    """A safe YAML loader that reads numbers as YAML 1.2 does: 10, -3, 2.5, 1e6. The YAML 1.1 forms
    (010 = 8, 1:30 = 90, 0x1A, 1_000, .inf) stay text here, and the bank check refuses them."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {first: [(tag, rx) for tag, rx in pairs if tag not in (_INT_TAG, _FLOAT_TAG)]
                 for first, pairs in base.yaml_implicit_resolvers.items()}
    loader = type("BankLoader", (base,), {"yaml_implicit_resolvers": resolvers})
    loader.add_implicit_resolver(_INT_TAG, re.compile(r"^[-+]?(0|[1-9][0-9]*)$"), list("-+0123456789"))
    loader.add_implicit_resolver(
        _FLOAT_TAG, re.compile(r"^[-+]?(\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+)$"),
        list("-+0123456789."))
    return loader


def _yaml11_number(node: Any) -> str | None:
    """What is wrong with a plain scalar that YAML 1.1 reads as a number in a way nobody means (010 = 8,
    1:30 = 90, 0x1A = 26, 1_000, .inf), with the fix; None for anything else."""
    import yaml

    if node.style or node.tag != _STR_TAG:  # quoted (style " or ') or not plain text: as the author wrote it
        return None
    text = node.value
    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    if tag not in (_INT_TAG, _FLOAT_TAG):
        return None
    try:
        value = yaml.SafeLoader("").construct_object(yaml.ScalarNode(tag, text))
    except Exception:  # noqa: BLE001 - unreadable even for YAML 1.1: only the quotes are advice
        value = None
    quote = f'put it in quotes ("{text}") if it is text'
    if not isinstance(value, (int, float)) or isinstance(value, float) and not math.isfinite(value):
        return f"YAML reads {text} as infinity or not-a-number, which no answer can match: write an ordinary " \
               f"finite number, or {quote}"
    plain = repr(int(value)) if float(value).is_integer() else repr(value)
    lowered = text.lower().lstrip("+-")
    if ":" in text:
        return f"YAML 1.1 reads {text} as the base-60 number {plain} (like minutes:seconds): write {plain} if " \
               f"you mean that number, or {quote}"
    if lowered.startswith(("0x", "0b")):
        base = "hexadecimal" if lowered.startswith("0x") else "binary"
        return f"YAML 1.1 reads {text} as the {base} number {plain}: write {plain}, or {quote}"
    if "_" in text:
        return f"YAML 1.1 reads {text} as {plain} (other YAML readers as text): write {plain} without the " \
               f"underscore, or {quote}"
    fix = ("-" if text.startswith("-") else "") + (lowered.lstrip("0") or "0")
    return f"YAML 1.1 reads {text} as the octal number {plain} (because of the leading zero): write {fix}, " \
           f"or {quote}"


_PLAIN_WORDS = [  # (words in the parser's message, what it means in plain words)
    ("tab character", "a tab character is used here; indent with spaces only"),
    ("cannot start any token", "a tab character or another character YAML cannot start with is used here; indent "
     "with spaces only, and put a text that starts with @ or ` in quotes"),
    ("mapping values are not allowed", "a colon followed by a space (\": \") in a text that is not in quotes; put "
     "the whole text in quotes"),
    ("expected '-' indicator", "this line is indented differently from the list items around it"),
    ("did not find expected key", "this line is indented differently from the lines around it"),
    ("expected <block end>", "this line is indented differently from the lines around it"),
    ("could not find expected ':'", "this line is neither \"name: value\" nor a continuation of the text above "
     "it; a colon may be missing, or the line is indented differently from the lines around it"),
    ("unexpected end of stream", "a quote opened here is never closed"),
    ("hexdecimal number", "a backslash (\\) inside double quotes starts a special character; use single "
     "quotes around this text, or write two backslashes"),
    ("unknown escape character", "a backslash (\\) inside double quotes starts a special character; use single "
     "quotes around this text, or write two backslashes"),
    ("expected ',' or ']'", "a list in square brackets [ ] is not closed, or a text in it needs quotes"),
    ("expected ',' or '}'", "a mapping in braces { } is not closed, or a text in it needs quotes"),
    ("undefined alias", "a * starts an alias, which banks do not use; put this text in quotes"),
    ("constructor for the tag", "a ! starts a YAML tag, which banks do not use; put this text in quotes"),
]


def _plain_words(problem: str, text: str, line: int | None) -> str:
    """The YAML parser's message explained in plain words, the parser's own words after."""
    plain = next((words for key, words in _PLAIN_WORDS if key in problem), "the YAML reader cannot read this line")
    if line is not None and "colon followed by a space" in plain:
        lines = text.splitlines()
        here = lines[line - 1] if 0 < line <= len(lines) else ""
        before = next((x for x in reversed(lines[: line - 1]) if x.strip() and not x.lstrip().startswith("#")), "")
        indent = len(here) - len(here.lstrip(" "))
        if before and indent != len(before) - len(before.lstrip(" ")) and not before.rstrip().endswith(":"):
            plain = "this line is indented differently from the lines around it (or, if it continues a text, " \
                    "a colon followed by a space in it needs the whole text in quotes)"
    return f"{plain} (not valid YAML; the reader says: {problem})"


class _Located:
    """The parsed YAML plus the line of every field, so errors can point at a line.

    Mistakes found while reading (a field twice, a YAML 1.1 number form) are collected in ``errors``;
    a file that cannot be parsed at all raises BankError.
    """

    def __init__(self, path: Path, text: str):
        import yaml

        self.path = path
        self.text = text
        self.lines: dict[tuple[Any, ...], int] = {}
        self.scalars: list[tuple[tuple[Any, ...], Any]] = []
        self.qids: dict[int, str] = {}
        self._pending: list[tuple[tuple[Any, ...], str, int]] = []  # mistakes found while walking the nodes
        loader = _loader()
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
        questions = self.data.get("questions") if isinstance(self.data, dict) else None
        if isinstance(questions, list):
            self.qids = {i: q["id"] for i, q in enumerate(questions) if isinstance(q, dict)
                         and isinstance(q.get("id"), str) and len(q["id"]) <= 80}
        self.errors = [self.error(where, problem, line) for where, problem, line in self._pending]

    def _yaml_error(self, err: Any) -> BankError:
        mark = err.problem_mark or err.context_mark
        if err.context_mark is not None and mark is not None and (
                mark.index >= len(self.text.rstrip()) or "flow" in (err.context or "")):
            mark = err.context_mark  # a quote or a bracket never closed: point where it opened, not further on
        line = mark.line + 1 if mark else None
        problem = " ".join(str(x) for x in (err.context, err.problem) if x)
        return BankError(_display_path(self.path), line, None, _plain_words(problem, self.text, line))

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
            raise self.error(path, "anchors and aliases (& and *) are not allowed in a question bank",
                             self._alias_line() or node.start_mark.line + 1)
        seen.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            self.scalars.append((path, node))
            problem = _yaml11_number(node)
            if problem:
                self._pending.append((path, problem, node.start_mark.line + 1))
        if isinstance(node, yaml.MappingNode):
            keys: set[Any] = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.error(path, "a field name must be plain text, not a list or a mapping",
                                     key_node.start_mark.line + 1)
                key = key_node.value
                if key in keys:
                    self._pending.append((path + (key,), "this field appears twice", key_node.start_mark.line + 1))
                    continue
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

    def error(self, path: tuple[Any, ...], problem: str, line: int | None = None) -> BankError:
        """A mistake at ``path``; inside a question it is named as the notebook numbers it (question 3.7)."""
        path = tuple(path)
        line = line or self.line(path)
        if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
            i = path[1]
            return BankError(_display_path(self.path), line, _field_name(path[2:]) or None, problem,
                             question=_question_number(self.path, i), qid=self.qids.get(i), index=i)
        return BankError(_display_path(self.path), line, _field_name(path) or None, problem)


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
    """The banks' JSON Schema validator. The schema itself is checked against JSON Schema's own by the tests
    (tests/test_bank_schema.py), not in every kernel: that check alone took half a second."""
    jsonschema = _import_jsonschema()

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
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
        if expected in ("number", "integer") and isinstance(value, str):
            hint = _number_hint(value)
        return f"expected {expected}, found {type(value).__name__} {_short(value)}{hint}"
    if v == "enum":
        options = ", ".join(map(str, err.validator_value))
        return f"{_short(value)} is not one of: {options}"
    if v == "pattern":
        return f"{_short(value)} does not have the required form ({err.validator_value})"
    if v in ("minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum"):
        return err.message
    return err.message


def _number_hint(text: str) -> str:
    """For a number written as people write it ("97,21", "5 000"): how to write it in a bank."""
    try:
        reading = read_typed(text)
    except NumberError:
        return ""
    options = [reading.value] if reading.other is None else [reading.value, reading.other]
    shown = " or ".join(repr(int(v)) if v.is_integer() else repr(v) for v in options)
    return f" (write it as {shown}: digits with a decimal point, no commas or spaces)"


def _schema_errors(doc: _Located) -> Iterator[BankError]:
    for err in _validator().iter_errors(doc.data):
        path = tuple(err.absolute_path)
        name = _unknown_field(err)
        if name is not None:  # the error points at the object; point at the field
            path = path + (str(name),)
        yield doc.error(path, _schema_problem(err))


def _semantic_errors(doc: _Located, stem: str, skip: set[int]) -> Iterator[BankError]:
    """What the schema cannot say: names that must agree, duplicates, exactly one right choice, numbers a
    student can type. Questions in ``skip`` (already wrong by the schema) are not looked at again."""
    data = doc.data
    if isinstance(data.get("notebook"), str) and data["notebook"] != stem:
        yield doc.error(("notebook",), f'is "{data["notebook"]}" but the file is named {stem}.yaml')
    questions = data.get("questions") if isinstance(data.get("questions"), list) else []
    prefix = stem[:2] + "-"
    seen: dict[str, int] = {}
    for i, q in enumerate(questions):
        if i in skip:
            continue
        yield from _question_errors(doc, ("questions", i), q, prefix, seen)


def _question_errors(doc: _Located, here: tuple[Any, ...], q: dict[str, Any], prefix: str,
                     seen: dict[str, int]) -> Iterator[BankError]:
    qid = q["id"]
    if not qid.startswith(prefix):
        yield doc.error(here + ("id",), f'"{qid}" must start with "{prefix}" (the notebook number)')
    if qid in seen:
        other = _question_number(doc.path, seen[qid])
        yield doc.error(here + ("id",), f'"{qid}" is used twice (also question {other})')
    seen.setdefault(qid, here[1])
    kind = q["type"]
    if kind in ("single", "multiple"):
        texts = [c["text"].strip() for c in q["choices"]]
        dup = next((x for x in texts if texts.count(x) > 1), None)
        if dup:
            yield doc.error(here + ("choices",), f'the choice "{dup}" appears twice')
        n = sum(bool(c.get("correct")) for c in q["choices"])
        if kind == "single" and n != 1:
            yield doc.error(here + ("choices",), f'exactly one choice must have "correct: true" (found {n})')
        if kind == "multiple" and n < 1:
            yield doc.error(here + ("choices",), 'at least one choice must have "correct: true"')
    elif kind == "ordering":
        items = [x.strip() for x in q["items"]]
        dup = next((x for x in items if items.count(x) > 1), None)
        if dup:
            yield doc.error(here + ("items",), f'the item "{dup}" appears twice')
    elif kind == "matching":
        lefts = [p["left"].strip() for p in q["pairs"]]
        dup = next((x for x in lefts if lefts.count(x) > 1), None)
        if dup:
            yield doc.error(here + ("pairs",), f'the left item "{dup}" appears twice')
        rights = {p["right"].strip() for p in q["pairs"]}
        clash = next((d for d in q.get("distractors", []) if d.strip() in rights), None)
        if clash:
            yield doc.error(here + ("distractors",), f'"{clash}" is also a right answer')
    elif kind == "numeric":
        if q.get("unit_aliases") and not q.get("unit"):
            yield doc.error(here + ("unit_aliases",), 'needs a "unit"')
        for name in ("answer", "tolerance"):
            if name in q:
                problem = _number_problem(name, q[name])
                if problem:
                    yield doc.error(here + (name,), problem)


def _number_problem(name: str, value: Any) -> str | None:
    """Why a numeric question's answer or tolerance cannot work: not finite, or beyond what a student can type."""
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        return f"must be an ordinary finite number, not {_short(value, 30)}"
    if abs(number) > MAX_MAGNITUDE:
        most = for_people(MAX_MAGNITUDE)
        if name == "answer":
            return (f"{for_people(value)} is larger than any answer a student can type (at most {most}), so no "
                    f"answer, not even the right one, could match it; give the answer in a larger unit")
        return f"{for_people(value)} is so large that every answer would count as right (at most {most})"
    return None


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


def load_bank(path: Path | str, *, partial: bool = False) -> Bank:
    """Read, check and build one bank. Raises BankError naming every mistake (file, line, question, field).

    ``partial``: a mistake inside a question leaves out only that question (listed in ``Bank.broken`` with
    its errors), so one bad question does not hide the other quizzes of its notebook. A mistake outside the
    questions (the file, its YAML, its title or notebook name) still raises.
    """
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
        checked = _checked_before(raw)
        errors = [] if checked is True else _all_errors(doc, path.stem)
    except RecursionError:
        raise BankError(shown, None, None, "is nested too deeply (lists or mappings inside each other)") from None
    if not errors and checked is not True:
        _remember_checked(checked)
    whole = [e for e in errors if e.index is None]
    if errors and (whole or not partial):
        raise BankError.several(errors)
    bad = {e.index for e in errors}
    broken = {}
    for i in sorted(bad):
        mine = [e for e in errors if e.index == i]
        broken[mine[0].qid or _question_number(path, i)] = BankError.several(mine)
    questions = tuple(_build(q, _question_number(path, i), doc.data["notebook"])
                      for i, q in enumerate(doc.data["questions"]) if i not in bad)
    return Bank(path, doc.data["notebook"], doc.data["title"], questions, broken)


def _check_cache() -> Path:
    """Where the digests of banks that passed every check are kept: $COURSE_CACHE_DIR, else the user's cache."""
    from ..paths import env_dir

    folder = env_dir("COURSE_CACHE_DIR")
    if folder is not None:
        return folder / "checked-banks"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kg-russia-module", appauthor=False)) / "checked-banks"


@lru_cache(maxsize=1)
def _checker_digest() -> bytes:
    """What the checks depend on besides the bank: the schema and this file's code."""
    import hashlib

    return hashlib.sha256(SCHEMA_PATH.read_bytes() + Path(__file__).read_bytes()).digest()


def _checked_before(raw: bytes) -> bool | str:
    """True if these exact bytes passed every check before, with this schema and this code: the JSON Schema
    check (its import alone takes most of a second) and the others are then skipped. Else the digest to
    remember once they pass."""
    import hashlib

    digest = hashlib.sha256(_checker_digest() + raw).hexdigest()
    try:
        return True if (_check_cache() / digest).exists() else digest
    except OSError:
        return digest


def _remember_checked(digest: bool | str) -> None:
    """An empty file named after the digest; nothing is lost if it cannot be written (the checks run again)."""
    if not isinstance(digest, str):
        return
    with contextlib.suppress(OSError):
        folder = _check_cache()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / digest).touch()


def _all_errors(doc: _Located, stem: str) -> list[BankError]:
    """Every mistake in the bank, by line: reading (YAML 1.1 numbers, fields twice), schema, meaning."""
    errors = list(doc.errors)
    taken = {(e.index, e.field) for e in errors}  # a YAML 1.1 number is not also "expected number, found str"
    errors += [e for e in _schema_errors(doc) if (e.index, e.field) not in taken]
    if isinstance(doc.data, dict) and isinstance(doc.data.get("questions"), list):
        skip = {e.index for e in errors if e.index is not None}
        errors += list(_semantic_errors(doc, stem, skip))
    unique = {(e.line, e.question, e.field, e.problem): e for e in errors}
    return sorted(unique.values(), key=lambda e: (e.line or 0, e.question or "", e.field or ""))


def bank_paths(directory: Path | None = None) -> list[Path]:
    return sorted((directory or banks_dir()).glob("[0-9][0-9]_*.yaml"))


@lru_cache(maxsize=64)
def _cached(path: str, mtime_ns: int) -> Bank:
    return load_bank(path, partial=True)


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
        if qid in bank.broken:  # this question has a mistake; the others of the bank still work
            raise bank.broken[qid]
    raise KeyError(f"No question {qid!r} in {', '.join(p.name for p in candidates)}")


def question(qid: str) -> Question:
    return bank_for(qid).get(qid)


def misnamed_banks(directory: Path | None = None) -> list[Path]:
    """YAML files in the banks folder whose name does not fit NN_name.yaml: the course never reads them."""
    folder = directory or banks_dir()
    good = set(bank_paths(folder))
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p not in good) \
        if folder.is_dir() else []


def check_all(directory: Path | None = None) -> tuple[list[Bank], list[BankError]]:
    """Every bank of the folder loaded, and every mistake: all of each bank's, one per misnamed file."""
    banks, errors = [], []
    for path in bank_paths(directory):
        try:
            banks.append(load_bank(path))
        except BankError as err:
            errors.extend(err.errors)
    for path in misnamed_banks(directory):
        errors.append(BankError(_display_path(path), None, None,
                                "this file is not read: a question bank's name must be two digits (its notebook's "
                                "number), an underscore and a name ending in .yaml, e.g. 03_migration.yaml; "
                                "rename it to its notebook's name"))
    return banks, errors


__all__ = ["Bank", "BankError", "QUESTION_TYPES", "bank_for", "bank_paths", "banks_dir", "check_all",
           "load_bank", "misnamed_banks", "question"]

"""The quiz model: question types, answer parsing, grading and feedback. Pure Python.

Nothing here imports ipywidgets, so it can be used (and tested) without a notebook. The widgets in
``course.quiz.widgets`` only display these objects and pass on what a student typed or clicked.

Every answer a student gives goes through ``Question.grade(raw)``. ``raw`` is whatever the view
collected (a choice's text, a string typed into a box, a list of items...). Anything that is not a
usable answer -- empty, the wrong type, "NaN", a number in the wrong unit -- raises ``AnswerError``
with a message for the student; it is never an exception in the student's cell.
"""

from __future__ import annotations

import hashlib
import os
import random
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from .. import numbers
from .messages import language, t
from .progress import repair_text

MAX_TEXT = 5000  # characters in a reflection
MAX_NUMBER_TEXT = numbers.MAX_NUMBER_TEXT  # characters in a numeric answer
MAX_MAGNITUDE = numbers.MAX_MAGNITUDE  # larger numbers are no sensible answer to any question here


class AnswerError(ValueError):
    """An answer that cannot be graded. ``str(err)`` is the message for the student."""

    def __init__(self, key: str, **params: Any):
        self.key = key
        self.params = params
        super().__init__(t(key, **params))


@dataclass(frozen=True)
class Result:
    """The outcome of grading one answer.

    status: "correct", "partial", "incorrect" or "recorded" (ungraded reflection).
    score: 0..1, or None when ungraded.
    lines: feedback lines for the student, already in the student's language.
    answer: the answer in a JSON-friendly form, as it will be stored in the progress file.
    """

    status: str
    score: float | None
    lines: tuple[str, ...]
    answer: Any

    @property
    def correct(self) -> bool | None:
        return None if self.status == "recorded" else self.status == "correct"


def _stable_shuffle(items: Sequence[Any], seed: str, avoid_identity: bool = True) -> list[Any]:
    """The same order for the same seed on every machine (Python's hash() is salted per process)."""
    rng = random.Random(int(hashlib.sha256(seed.encode("utf-8")).hexdigest(), 16))
    order = list(items)
    rng.shuffle(order)
    if avoid_identity and len(order) > 1 and order == list(items):  # never show an ordering already solved
        order = order[1:] + order[:1]
    return order


def student_seed() -> str:
    """Who is answering, for per-student option orders (course.identity.student: $COURSE_STUDENT, else the
    JupyterHub user, else the login name). Neighbours get different orders; the same student always gets the
    same one."""
    from ..identity import student

    return student()


def variants_enabled() -> bool:
    """Per-student option orders are on unless $COURSE_VARIANTS is "off" (e.g. when a class answers
    together from a projected screen and everyone should see option 2 in the same place)."""
    return os.environ.get("COURSE_VARIANTS", "on").strip().lower() not in ("off", "0", "false", "no")


def _variant_seed(qid: str, student: str | None) -> str:
    return qid if student is None else f"{student}\x1f{qid}"


def _as_text(raw: Any, expected: str) -> str:
    if not isinstance(raw, str):
        raise AnswerError("err_wrong_type", expected=expected)
    return raw


@dataclass
class Question:
    """What every question type shares. Subclasses define how to parse, grade and show answers."""

    id: str
    prompt: str
    explanation: str
    hints: tuple[str, ...] = ()
    reveal_after: int = 2
    label: str = ""
    notebook: str = ""
    shuffle: bool = True  # per-student option order (see student_seed), else a fixed one; the bank can turn it off

    kind: ClassVar[str] = ""
    graded: ClassVar[bool] = True

    def grade(self, raw: Any) -> Result:  # pragma: no cover - abstract
        raise NotImplementedError

    def answer_text(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def static_groups(self) -> list[tuple[str, str, list[str]]]:
        """What a reader without a kernel sees besides the prompt: the options, never the answer.

        A list of (heading, marker, items); the marker ("( )", "[ ]", "-") goes before each item in plain text.
        """
        return []

    def static_lines(self) -> list[str]:
        lines = []
        for heading, marker, items in self.static_groups():
            lines.append(heading)
            lines += [f"{marker} {item}" for item in items]
        return lines

    def reveal_lines(self) -> list[str]:
        return [t("answer_is", answer=self.answer_text()), self.explanation]


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool = False
    feedback: str = ""


def _quoted(texts: Any) -> str:
    return ", ".join(t("quoted", item=x) for x in texts)


def _find_choice(choices: Sequence[Choice], raw: Any) -> Choice:
    """The choice a student picked, given as its position (int) or its text."""
    if raw is None:
        raise AnswerError("err_choose_one")
    if isinstance(raw, bool):
        raise AnswerError("err_wrong_type", expected=t("expect_option"))
    if isinstance(raw, int):
        if 0 <= raw < len(choices):
            return choices[raw]
        raise AnswerError("err_not_a_choice")
    text = _as_text(raw, t("expect_option")).strip()
    if not text:
        raise AnswerError("err_choose_one")
    for choice in choices:
        if choice.text == text:
            return choice
    raise AnswerError("err_not_a_choice")


def fixed_order(items: Sequence[Any], qid: str, text: Any = str) -> list[Any]:
    """One order for every reader of question `qid`: the views that cannot show each student their own order
    (handouts, the no-kernel view, ``COURSE_VARIANTS=off``, Voila) use it. It is deterministic and does not
    depend on the order in the bank, where authors tend to write the key first: each item is placed by a
    hash of the question's id and its own text, so moving an option in the bank moves nothing on screen."""
    return sorted(items, key=lambda item: hashlib.sha256(f"{qid}\x1f{text(item)}".encode()).hexdigest())


def _display_choices(q: Any, student: str | None) -> list[Choice]:
    """A per-student order with a student; without one, the question's fixed order (see fixed_order).
    A bank that says ``shuffle: false`` keeps its own order (e.g. options that are ranges in sequence)."""
    if not q.shuffle:
        return list(q.choices)
    if student is None:
        return fixed_order(q.choices, q.id, text=lambda c: c.text)
    return _stable_shuffle(q.choices, _variant_seed(q.id, student), avoid_identity=False)


@dataclass
class SingleChoice(Question):
    choices: tuple[Choice, ...] = ()
    kind: ClassVar[str] = "single"

    def grade(self, raw: Any) -> Result:
        choice = _find_choice(self.choices, raw)
        if choice.correct:
            lines = [t("correct"), choice.feedback, self.explanation]
            return Result("correct", 1.0, tuple(x for x in lines if x), choice.text)
        lines = [t("incorrect"), choice.feedback]
        return Result("incorrect", 0.0, tuple(x for x in lines if x), choice.text)

    def answer_text(self) -> str:
        return next(c.text for c in self.choices if c.correct)

    def display_choices(self, student: str | None = None) -> list[Choice]:
        return _display_choices(self, student)

    def static_groups(self) -> list[tuple[str, str, list[str]]]:
        return [(t("static_choices"), "( )", [c.text for c in self.display_choices()])]


@dataclass
class MultipleChoice(Question):
    choices: tuple[Choice, ...] = ()
    kind: ClassVar[str] = "multiple"

    def grade(self, raw: Any) -> Result:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise AnswerError("err_choose_some")
        if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, (Sequence, set, frozenset)):
            raise AnswerError("err_wrong_type", expected=t("expect_ticks"))
        picked: list[Choice] = []
        for item in raw:
            choice = _find_choice(self.choices, item)
            if choice not in picked:
                picked.append(choice)
        if not picked:
            raise AnswerError("err_choose_some")
        total = sum(c.correct for c in self.choices)
        right = sum(c.correct for c in picked)
        wrong = len(picked) - right
        score = max(0.0, (right - wrong) / total)
        detail = t("multi_detail", right=right, total=total, wrong=wrong)
        answer = [c.text for c in self.choices if c in picked]  # in the bank's order
        if right == total and wrong == 0:
            lines = [t("correct"), self.explanation]
            return Result("correct", 1.0, tuple(lines), answer)
        # which ticks were right and which wrong (with why); the right options not ticked stay unnamed
        ticked = [c for c in self.choices if c in picked]  # in the bank's order, as the stored answer
        named = [t("items_right", items=_quoted(c.text for c in ticked if c.correct))] if right else []
        named += [t("item_wrong", item=c.text, why=c.feedback).strip() for c in ticked if not c.correct]
        if score > 0:
            return Result("partial", score, (t("partial", score=round(score * 100)), detail, *named), answer)
        return Result("incorrect", 0.0, (t("incorrect"), detail, *named), answer)

    def answer_text(self) -> str:
        return "; ".join(c.text for c in self.choices if c.correct)

    def display_choices(self, student: str | None = None) -> list[Choice]:
        return _display_choices(self, student)

    def static_groups(self) -> list[tuple[str, str, list[str]]]:
        return [(t("static_choices"), "[ ]", [c.text for c in self.display_choices()])]


def parse_number(raw: Any, unit: str | None = None, unit_aliases: Sequence[str] = ()) -> float:
    """Read a number a student typed: "3.5", "3,5", " 3.5 %", "1 234", "1,234,567", "−2", "1e3"
    (see course.numbers.read_typed).

    Raises AnswerError for anything else, with a message that says what to type instead; "5,000" (five
    thousand, or five with a decimal comma) raises err_ambiguous_comma: Numeric.grade decides it when both
    readings get the same verdict.
    """
    reading = _read(raw, unit, unit_aliases)
    if reading.other is not None:
        raise _ambiguous(raw, reading)
    return reading.value


def _read(raw: Any, unit: str | None, unit_aliases: Sequence[str]) -> numbers.Reading:
    try:
        return numbers.read_typed(raw, unit, unit_aliases)
    except numbers.NumberError as err:
        params = {"expected": t("expect_number")} if err.key == "err_wrong_type" else err.params
        raise AnswerError(err.key, **params) from None


def _ambiguous(raw: Any, reading: numbers.Reading) -> AnswerError:
    """Ask which of the two readings of "5,000" the student meant (5000 or 5.0), both written without a comma."""
    thousands = int(reading.value) if reading.value.is_integer() else reading.value
    return AnswerError("err_ambiguous_comma", text=str(raw).strip(), thousands=repr(thousands),
                       decimal=repr(reading.other))


def format_number(value: float) -> str:
    """A number for people (course.numbers.for_people): 3,600 · -5.98 · 0.5."""
    return numbers.for_people(value)


@dataclass
class Numeric(Question):
    answer: float = 0.0
    tolerance: float = 0.0
    unit: str | None = None
    unit_aliases: tuple[str, ...] = ()
    kind: ClassVar[str] = "numeric"

    def grade(self, raw: Any) -> Result:
        reading = _read(raw, self.unit, self.unit_aliases)
        result = self._judge(reading.value)
        if reading.other is not None and self._judge(reading.other).lines != result.lines:
            raise _ambiguous(raw, reading)  # 5,000 as 5000 and as 5.0 would be judged differently: ask
        if reading.separators:  # say how "5,000" or "3,5" was read, so a misreading cannot go unnoticed
            read_as = t("numeric_read_as", value=numbers.for_people(reading.value, language=language()))
            return Result(result.status, result.score, (result.lines[0], read_as, *result.lines[1:]), result.answer)
        return result

    def _judge(self, value: float) -> Result:
        slack = self.tolerance + 1e-9 * max(1.0, abs(self.answer))
        if abs(value - self.answer) <= slack:
            return Result("correct", 1.0, (t("correct"), self.explanation), value)
        detail = t("numeric_too_low") if value < self.answer else t("numeric_too_high")
        return Result("incorrect", 0.0, (t("incorrect"), detail), value)

    def answer_text(self) -> str:
        text = format_number(self.answer)
        if self.unit:
            text += f" {self.unit}"
        if self.tolerance:
            text += f" (± {format_number(self.tolerance)})"
        return text

    def static_groups(self) -> list[tuple[str, str, list[str]]]:
        return [(t("unit_label", unit=self.unit), "", [])] if self.unit else []


@dataclass
class Ordering(Question):
    items: tuple[str, ...] = ()  # in the right order
    kind: ClassVar[str] = "ordering"

    def display_order(self, student: str | None = None) -> list[str]:
        """The items shuffled (never already in the right order); per student when `student` is given."""
        return _stable_shuffle(self.items, _variant_seed(self.id, student if self.shuffle else None))

    def grade(self, raw: Any) -> Result:
        if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence):
            raise AnswerError("err_wrong_type", expected=t("expect_order"))
        given = list(raw)
        if len(given) != len(self.items) or any(g is None or (isinstance(g, str) and not g.strip()) for g in given):
            raise AnswerError("err_fill_all_positions")
        seen: set[str] = set()
        for item in given:
            if not isinstance(item, str) or item not in self.items:
                raise AnswerError("err_not_a_choice")
            if item in seen:
                raise AnswerError("err_duplicate_item", item=item)
            seen.add(item)
        placed = [(i, g, g == c) for i, (g, c) in enumerate(zip(given, self.items, strict=True), start=1)]
        right = sum(ok for _, _, ok in placed)
        total = len(self.items)
        detail = t("ordering_detail", right=right, total=total)
        if right == total:
            return Result("correct", 1.0, (t("correct"), self.explanation), given)
        score = right / total
        if right:  # which positions are right, and which are not yet (by what the student put there)
            named = [t("items_right", items="; ".join(t("position_item", n=i, item=g) for i, g, ok in placed if ok)),
                     t("items_wrong", items="; ".join(t("position_item", n=i, item=g)
                                                      for i, g, ok in placed if not ok))]
            return Result("partial", score, (t("partial", score=round(score * 100)), detail, *named), given)
        return Result("incorrect", 0.0, (t("incorrect"), detail), given)

    def answer_text(self) -> str:
        return " → ".join(self.items)

    def static_groups(self) -> list[tuple[str, str, list[str]]]:
        return [(t("static_items"), "-", self.display_order())]


@dataclass
class Matching(Question):
    pairs: tuple[tuple[str, str], ...] = ()
    distractors: tuple[str, ...] = ()  # right-hand options that match nothing
    kind: ClassVar[str] = "matching"

    @property
    def lefts(self) -> list[str]:
        return [left for left, _ in self.pairs]

    def right_options(self, student: str | None = None) -> list[str]:
        options = list(dict.fromkeys([r for _, r in self.pairs] + list(self.distractors)))
        return _stable_shuffle(options, _variant_seed(self.id, student if self.shuffle else None))

    def grade(self, raw: Any) -> Result:
        if isinstance(raw, Mapping):
            given = dict(raw)
        elif isinstance(raw, Sequence) and not isinstance(raw, (str, bytes)):
            if len(raw) != len(self.pairs):
                raise AnswerError("err_fill_all_pairs")
            given = dict(zip(self.lefts, raw, strict=True))
        else:
            raise AnswerError("err_wrong_type", expected=t("expect_match"))
        options = set(self.right_options())
        for left in self.lefts:
            value = given.get(left)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise AnswerError("err_fill_all_pairs")
            if not isinstance(value, str) or value not in options:
                raise AnswerError("err_not_a_choice")
        if set(given) - set(self.lefts):
            raise AnswerError("err_not_a_choice")
        answer = {left: given[left] for left in self.lefts}
        ok = {left: answer[left] == r for left, r in self.pairs}
        right = sum(ok.values())
        total = len(self.pairs)
        detail = t("matching_detail", right=right, total=total)
        if right == total:
            return Result("correct", 1.0, (t("correct"), self.explanation), answer)
        score = right / total
        if right:  # which pairs are right and which are not yet, as the student made them
            pair = lambda left: t("pair_item", left=left, right=answer[left])  # noqa: E731
            named = [t("items_right", items="; ".join(pair(left) for left in self.lefts if ok[left])),
                     t("items_wrong", items="; ".join(pair(left) for left in self.lefts if not ok[left]))]
            return Result("partial", score, (t("partial", score=round(score * 100)), detail, *named), answer)
        return Result("incorrect", 0.0, (t("incorrect"), detail), answer)

    def answer_text(self) -> str:
        return "; ".join(f"{left} — {r}" for left, r in self.pairs)

    def static_groups(self) -> list[tuple[str, str, list[str]]]:
        return [(t("static_pairs"), "-", self.lefts), (t("static_pair_options"), "·", self.right_options())]


def _visible(text: str) -> bool:
    """True if `text` has at least one character a reader can see (not space, control or format)."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs", "Zl", "Zp") for ch in text)


@dataclass
class Reflection(Question):
    model_answer: str = ""
    #: model answers for particular cases (e.g. one per debate role); ``for_case`` picks one
    model_answers: Mapping[str, str] = field(default_factory=dict)
    kind: ClassVar[str] = "reflection"
    graded: ClassVar[bool] = False

    def for_case(self, case: Any) -> Reflection:
        """This question with the model answer for ``case`` (a key of ``model_answers``); unchanged if there is none."""
        if isinstance(case, str) and case in self.model_answers:
            return replace(self, model_answer=self.model_answers[case], model_answers={})
        return self

    def grade(self, raw: Any) -> Result:
        text, repaired = repair_text(_as_text(raw, t("expect_text")).strip())
        if not _visible(text):  # only spaces, zero-width or control characters: nothing was written
            raise AnswerError("err_empty")
        if len(text) > MAX_TEXT:
            raise AnswerError("err_too_long", n=len(text), max=MAX_TEXT)
        lines = [t("recorded"), t("text_repaired") if repaired else "", t("model_answer", answer=self.model_answer),
                 self.explanation]
        return Result("recorded", None, tuple(x for x in lines if x), text)

    def answer_text(self) -> str:
        """The model answer; with one per case (an answer key, a handout), every case's, each named."""
        if not self.model_answers:
            return self.model_answer
        return " ".join(f"[{case}] {text}" for case, text in self.model_answers.items())

    def reveal_lines(self) -> list[str]:
        return [t("model_answer", answer=self.model_answer), self.explanation]


QUESTION_TYPES: dict[str, type[Question]] = {
    cls.kind: cls for cls in (SingleChoice, MultipleChoice, Numeric, Ordering, Matching, Reflection)
}


@dataclass
class Feedback:
    """What the view shows after a click: a status ("correct", "invalid", ...) and lines of text."""

    status: str
    lines: tuple[str, ...]
    attempt: int | None = None
    result: Result | None = None
    error: AnswerError | None = None  # for "invalid": the message key and what the student typed


@dataclass
class QuestionSession:
    """One student's work on one question: attempts, hints, and when the answer may be shown.

    ``previous`` are attempts already stored (from an earlier kernel), so a restart keeps counting.
    """

    question: Question
    previous: Sequence[Mapping[str, Any]] = ()
    attempts: int = 0
    hints_shown: int = 0
    revealed: bool = False
    best: Result | None = None
    history: list[Result] = field(default_factory=list)
    solved_before: bool = False  # a stored attempt (earlier kernel) was correct

    def __post_init__(self) -> None:
        answers = [p for p in self.previous if p.get("kind", "answer") == "answer"]
        self.attempts = len(answers)
        self.revealed = any(p.get("kind") == "reveal" for p in self.previous)
        self.solved_before = any(p.get("correct") is True for p in answers)

    def submit(self, raw: Any) -> Feedback:
        try:
            result = self.question.grade(raw)
        except AnswerError as err:
            return Feedback("invalid", (t("invalid", message=str(err)),), error=err)
        self.attempts += 1
        self.history.append(result)
        if self.best is None or (result.score or 0) > (self.best.score or 0):
            self.best = result
        return Feedback(result.status, result.lines, self.attempts, result)

    @property
    def can_reveal(self) -> bool:
        if not self.question.graded:
            return False
        solved = self.solved_before or (self.best is not None and self.best.status == "correct")
        return self.revealed or solved or self.attempts >= self.question.reveal_after

    def reveal(self) -> Feedback:
        if not self.can_reveal:
            return Feedback("invalid", (t("show_answer_locked_tooltip", n=self.question.reveal_after),))
        first = not self.revealed
        self.revealed = True
        return Feedback("revealed" if first else "revealed-again", (t("revealed"), *self.question.reveal_lines()))

    def next_hint(self) -> str:
        hints = self.question.hints
        if not hints:
            return ""
        if self.hints_shown >= len(hints):
            return t("no_more_hints")
        self.hints_shown += 1
        return t("hint_n", i=self.hints_shown, n=len(hints), hint=hints[self.hints_shown - 1])

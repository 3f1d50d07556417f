"""Working alone: the solo version of every pair, group or class activity in the notebooks.

Each activity in ``course/alone.yaml`` has a task for a student working alone and what a strong answer includes.
In a notebook, right under the activity::

    from course.alone import alone
    alone("01-backyard")

shows the task and a text box. The student writes and saves an answer; only then does "what a strong answer
includes" appear, as the model answer of a reflection question does (it is the same mechanism: the quiz engine's
``Reflection``, not graded, kept in the progress file). Without a kernel (GitHub, an HTML export) the task shows,
the strong answer does not.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .quiz.messages import t
from .quiz.model import MAX_TEXT, AnswerError, Reflection, Result, _as_text, _visible

__all__ = ["Activity", "AloneError", "activities", "activity", "alone", "validate"]

FILE = Path(__file__).with_name("alone.yaml")
FIELDS = ("id", "notebook", "activity", "task", "strong")
LABEL = "Working alone"


class AloneError(ValueError):
    """``course/alone.yaml`` is malformed, or an id is unknown; the message says where and what to do."""


@dataclass(frozen=True)
class Activity:
    id: str
    notebook: str
    activity: str
    task: str
    strong: str


def _load(path: Path) -> tuple[Activity, ...]:
    import yaml

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise AloneError(f"{path.name}: cannot be read ({err})") from None
    items = doc.get("activities") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items:
        raise AloneError(f"{path.name}: needs a list called 'activities'")
    out, seen = [], set()
    for i, item in enumerate(items):
        where = f"{path.name}, activities[{i}]"
        if not isinstance(item, dict):
            raise AloneError(f"{where}: each activity is a block of fields ({', '.join(FIELDS)})")
        missing = [f for f in FIELDS if not isinstance(item.get(f), str) or not item[f].strip()]
        extra = sorted(set(item) - set(FIELDS))
        if missing or extra:
            raise AloneError(f"{where}: " + "; ".join(
                ([f"missing or empty: {', '.join(missing)}"] if missing else []) +
                ([f"unknown field(s): {', '.join(extra)}"] if extra else [])))
        a = Activity(**{f: item[f].strip() for f in FIELDS})
        if a.id[:3] != a.notebook[:2] + "-":
            raise AloneError(f"{where}: id {a.id!r} must start with the notebook's number, {a.notebook[:2]}-")
        if a.id in seen:
            raise AloneError(f"{where}: id {a.id!r} is used twice")
        seen.add(a.id)
        out.append(a)
    return tuple(out)


@lru_cache(maxsize=4)
def _cached(path: str, mtime: int) -> tuple[Activity, ...]:
    return _load(Path(path))


def activities(path: Path | str | None = None) -> tuple[Activity, ...]:
    """Every solo activity, in the file's order."""
    p = Path(path) if path is not None else FILE
    try:
        mtime = p.stat().st_mtime_ns
    except OSError:
        raise AloneError(f"{p}: file not found") from None
    return _cached(str(p), mtime)


def activity(activity_id: str) -> Activity:
    found = {a.id: a for a in activities()}
    if activity_id not in found:
        raise AloneError(f"No solo activity {activity_id!r}; known: {', '.join(found)}")
    return found[activity_id]


def validate(notebook_stems: list[str] | None = None) -> list[str]:
    """Problems with alone.yaml (empty when all is well); with ``notebook_stems``, also unknown notebooks."""
    try:
        items = activities()
    except AloneError as err:
        return [str(err)]
    if notebook_stems is None:
        return []
    return [f"{FILE.name}: {a.id}: no notebook {a.notebook!r}" for a in items if a.notebook not in notebook_stems]


@dataclass
class SoloTask(Reflection):
    """A solo activity as a reflection: after a saved answer, "what a strong answer includes" (not graded)."""

    title: str = ""

    def grade(self, raw: Any) -> Result:
        text = _as_text(raw, "some text").strip()
        if not _visible(text):
            raise AnswerError("err_empty")
        if len(text) > MAX_TEXT:
            raise AnswerError("err_too_long", n=len(text), max=MAX_TEXT)
        return Result("recorded", None, (t("recorded"), *self.reveal_lines()), text)

    def reveal_lines(self) -> list[str]:
        return ["**What a strong answer includes** (compare it with yours):", *_bullets(self.model_answer)]


def _bullets(text: str) -> list[str]:
    """The points of a Markdown list ("- ..." lines, continued on indented lines), each as one line "• ..."."""
    points: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            points.append(stripped[2:])
        elif stripped and points:
            points[-1] += " " + stripped
        elif stripped:
            points.append(stripped)
    return [f"• {p}" for p in points]


def _question(a: Activity) -> SoloTask:
    return SoloTask(id=f"{a.id}-alone", prompt=a.task, explanation="", model_answer=a.strong, label=LABEL,
                    notebook=a.notebook, title=a.activity)


def _static_text(a: Activity) -> str:
    return (f"{LABEL} ({a.activity})\n{a.task}\nRun the notebook to write and save your answer; what a strong answer "
            "includes appears after you save.")


def _static_html(a: Activity) -> str:
    from .quiz.render import markdown

    return (f'<div class="course-quiz-static course-alone"><p><strong>{html.escape(LABEL)}</strong> '
            f"({html.escape(a.activity)})</p>{markdown(a.task)}<p><em>Run the notebook to write and save your answer; "
            "what a strong answer includes appears after you save.</em></p></div>")


def alone(activity_id: str, progress: Any = None) -> Any:
    """The solo version of an activity: its task, a text box, and after saving, what a strong answer includes."""
    from .quiz.widgets import QuizProblem, QuizWidget, _widget_bundle

    try:
        a = activity(activity_id)
    except AloneError as err:
        return QuizProblem(str(err))

    class AloneWidget(QuizWidget):
        def __init__(self) -> None:
            super().__init__(_question(a), progress)
            self.label = f"{LABEL}: {a.activity}"
            self.activity = a

        def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
            bundle = _widget_bundle(self, **kwargs)
            bundle["text/plain"] = _static_text(a)
            bundle["text/html"] = _static_html(a)
            return bundle

    return AloneWidget()

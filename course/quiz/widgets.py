"""The quiz view: anywidget widgets that display a question model and report each attempt.

No grading happens here. The view collects what the student chose or typed, hands it to the model
(``QuestionSession.submit``), shows the feedback lines it returns, and records the attempt in the
progress store.

The browser half is an ES module and a style sheet, ``static/widgets.js`` and ``static/widgets.css`` (shipped as
package data, loaded by anywidget from the files; no build step, no npm). It is built for screen readers and the
keyboard: ipywidgets' own controls cannot group radio buttons under their question, label a group, keep a live
region in place or avoid ``title="null"`` tooltips, so the view is one anywidget per question. Its state:

* set by Python: ``kind``, ``label`` ("Question 0.1"), ``prompt_html``, ``spec`` (what the controls
  show: options, positions, items, unit, placeholder, labels), ``buttons`` (label, description,
  disabled), ``feedback_html``/``feedback_status`` and ``hints_html`` (with a counter each, so the same
  message twice is announced twice);
* set by the browser: ``answer``, as the model expects it (the option's text; a list of ticked options;
  the text typed; a list of items by position; a dict item → match), and a message
  ``{"event": "press", "action": ..., "answer": ...}`` when a button is pressed.

From Python (tests, or a notebook cell), do what a student does: ``w.answer = ...`` then
``w.press("check")``; read ``w.feedback_html``.

Accessibility, by construction (tests/browser/test_accessibility.py checks each point in a browser):

* every quiz is a region named by its "Question N" label; the prompt has an id;
* single choice: native radio buttons in one ``role="radiogroup"`` whose ``aria-labelledby`` is the
  question label and the prompt; multiple choice: native checkboxes in one ``role="group"`` named the
  same way; ordering and matching: one ``<select>`` per position or item, each with its own ``<label>``,
  in a group named by the prompt; numeric and reflection: a text field with a visible ``<label>``;
* feedback and hints go into live regions (``role="status"``) that exist from the start, so screen
  readers announce each new message; the same message twice is announced twice;
* "Show answer" while locked is ``aria-disabled`` (still focusable, its reason as a description)
  rather than ``disabled``, so keyboard and screen-reader users can find out why;
* no ``title`` attribute is ever set from an empty value (no "null" tooltips);
* DOM order is reading order (label, prompt, controls, buttons, feedback), so Tab follows it;
* keys pressed inside the quiz stay inside it: JupyterLab's and Notebook 7's command-mode shortcuts
  (arrows move between cells, D D deletes a cell, ...) would otherwise act on a focused radio button,
  list or button. Tab, Escape, Shift+Enter and anything with Ctrl, Alt or Cmd still reach the front end.
  (``keyboard.py`` installs a settings override that does the same for the arrow keys in every widget.)
"""

from __future__ import annotations

import contextlib
import html
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from . import bank as bank_mod
from .messages import t
from .model import (
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
    QuestionSession,
    Reflection,
    SingleChoice,
    student_seed,
    variants_enabled,
)
from .progress import ProgressStore, store
from .render import inline, literal, markdown, static_html, static_text

STATIC = Path(__file__).parent / "static"


class CourseWidget(anywidget.AnyWidget):
    """The course's widgets share one ES module and one style sheet; ``view`` says which view the module draws
    ("quiz", "progress", or "whatif" for notebook 03's sliders).

    ``_esm`` and ``_css`` are the files' text, read once here, not their paths: given a path, anywidget ties
    every instance to the file's change signal (for live reloading while developing), and that tie keeps every
    widget ever shown alive until the kernel stops (anywidget issue #929), a quiz re-run included.
    """

    _esm = (STATIC / "widgets.js").read_text(encoding="utf-8")
    _css = (STATIC / "widgets.css").read_text(encoding="utf-8")

    view = traitlets.Unicode("").tag(sync=True)


def _feedback_html(lines: tuple[str, ...] | list[str]) -> str:
    """The feedback lines as HTML paragraphs (the live region around them is the browser's)."""
    return "".join(f"<p>{inline(line)}</p>" for line in lines if line)


def _initial_answer(q: Question) -> Any:
    if isinstance(q, MultipleChoice):
        return []
    if isinstance(q, (Numeric, Reflection)):
        return ""
    if isinstance(q, Ordering):
        return [None] * len(q.items)
    if isinstance(q, Matching):
        return {left: None for left in q.lefts}
    return None


def _spec(q: Question, student: str | None) -> dict[str, Any]:
    """What the browser needs to draw the answer controls: texts only, never which one is right.
    Options come in this student's own order (see model.student_seed), the same each time they open it."""
    if isinstance(q, (SingleChoice, MultipleChoice)):
        return {"options": [c.text for c in q.display_choices(student)]}
    if isinstance(q, Numeric):
        return {"label": t("your_answer"), "placeholder": t("numeric_placeholder"), "unit": q.unit or ""}
    if isinstance(q, Ordering):
        return {"positions": [t("position", n=i) for i in range(1, len(q.items) + 1)],
                "options": q.display_order(student), "choose": t("choose")}
    if isinstance(q, Matching):
        return {"lefts": q.lefts, "options": q.right_options(student), "choose": t("choose")}
    if isinstance(q, Reflection):
        return {"label": t("your_answer"), "placeholder": t("reflection_placeholder")}
    raise TypeError(f"no view for {type(q).__name__}")  # pragma: no cover


def _kernel() -> Any:
    """The running IPython kernel, or None (plain Python, tests)."""
    try:
        from ipykernel.kernelbase import Kernel
    except ImportError:  # pragma: no cover - ipykernel comes with the notebook stack
        return None
    return Kernel.instance() if Kernel.initialized() else None


@contextlib.contextmanager
def state_not_saved_in_the_notebook() -> Iterator[None]:
    """Open the widgets made inside this block under a request id of their own, not the running cell's.

    A tool that runs a notebook without a browser (``jupyter nbconvert --execute``, papermill: both use
    nbclient) saves the state of every widget a cell opens, and an HTML export of that notebook then draws
    those widgets with a library downloaded from the internet: offline it shows nothing at all. nbclient only
    saves what belongs to the cell it runs, so a widget opened under a request id of its own is not saved,
    and the export shows the widget's static HTML instead (for a quiz: the question and its options, never
    the key). JupyterLab, Notebook and Voilà handle widget messages whatever request they belong to, so a
    live notebook shows the widget as before; later updates (after a click) are not affected.
    """
    kernel = _kernel()
    if kernel is None:
        yield
        return
    previous = vars(kernel).get("get_parent")
    real = kernel.get_parent
    own_id = f"course-widget-{uuid.uuid4().hex}"

    def get_parent(channel: str | None = None) -> dict[str, Any]:
        parent = real(channel)
        if not parent or not isinstance(parent.get("header"), dict):
            return parent
        return {**parent, "header": {**parent["header"], "msg_id": own_id}}

    kernel.get_parent = get_parent
    try:
        yield
    finally:
        if previous is None:
            del kernel.get_parent
        else:
            kernel.get_parent = previous


class QuizWidget(CourseWidget):
    """One question: prompt, answer controls, buttons (Check, Hint, Show answer) and feedback."""

    view = traitlets.Unicode("quiz").tag(sync=True)
    kind = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    prompt_html = traitlets.Unicode("").tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    buttons = traitlets.List().tag(sync=True)
    answer = traitlets.Any(None, allow_none=True).tag(sync=True)
    feedback_html = traitlets.Unicode("").tag(sync=True)
    feedback_status = traitlets.Unicode("empty").tag(sync=True)
    feedback_seq = traitlets.Int(0).tag(sync=True)
    hints_html = traitlets.Unicode("").tag(sync=True)
    hints_seq = traitlets.Int(0).tag(sync=True)

    def __init__(self, question: Question, progress: ProgressStore | None = None, student: str | None = None,
                 **kwargs: Any):
        self.question = question
        self.progress = progress or store()
        if student is None and variants_enabled():
            student = student_seed()
        self.student = student  # None: every student sees the question's one fixed order (model.fixed_order)
        previous = self.progress.attempts(notebook=question.notebook, question=question.id)
        self.session = QuestionSession(question, previous=previous)
        with state_not_saved_in_the_notebook():  # an HTML export shows the static view (see there)
            super().__init__(
                kind=question.kind,
                label=t("question_label", label=question.label),
                prompt_html=markdown(question.prompt),
                spec=_spec(question, self.student),
                answer=_initial_answer(question),
                **kwargs,
            )
        self._update_buttons()
        self.on_msg(self._on_msg)
        if previous:
            self._show_previous(previous)

    # --- what the browser reports ----------------------------------------------------------------
    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "press":
            if "answer" in content:  # the answer as the student left it when pressing (see static/widgets.js)
                self.answer = content["answer"]
            self.press(content.get("action"))

    def press(self, action: Any) -> None:
        """A button was pressed ("check", "hint" or "reveal"); anything else is ignored."""
        if action == "check":
            self.check()
        elif action == "hint" and self.question.hints:
            self.hint()
        elif action == "reveal" and self.question.graded:
            self.reveal()

    def button(self, action: str) -> dict[str, Any] | None:
        """The button for `action` as the browser shows it (label, description, disabled), or None."""
        return next((b for b in self.buttons if b["action"] == action), None)

    # --- actions -------------------------------------------------------------------------------
    def check(self) -> None:
        fb = self.session.submit(self.answer)
        lines = list(fb.lines)
        if fb.error is not None:  # show what the student typed as it is, never as Markdown
            params = {k: literal(v) if isinstance(v, str) else v for k, v in fb.error.params.items()}
            lines = [t("invalid", message=t(fb.error.key, **params))]
        if fb.result is not None:
            r = fb.result
            self.progress.record(self.question.notebook, self.question.id, answer=r.answer, correct=r.correct,
                                 score=r.score, attempt=fb.attempt)
            if self.question.graded and r.status != "correct":
                lines.append(t("attempt_n", n=fb.attempt))
            problem = self.progress.take_problem()
            if problem:
                lines.append(t("invalid", message=problem))
        self._set_feedback(fb.status, lines)
        self._update_buttons()

    def hint(self) -> None:
        self.hints_html = f"<p>{inline(self.session.next_hint())}</p>"
        self.hints_seq += 1

    def reveal(self) -> None:
        fb = self.session.reveal()
        if fb.status == "revealed":  # the first time only; "revealed-again" is not recorded twice
            self.progress.record(self.question.notebook, self.question.id, kind="reveal",
                                 attempt=self.session.attempts)
        self._set_feedback(fb.status, fb.lines)
        self._update_buttons()

    def _set_feedback(self, status: str, lines: tuple[str, ...] | list[str]) -> None:
        with self.hold_sync():
            self.feedback_status = status
            self.feedback_html = _feedback_html(lines)
            self.feedback_seq += 1

    def _update_buttons(self) -> None:
        q = self.question
        buttons = [{
            "action": "check",
            "label": t("check") if q.graded else t("save_reflection"),
            "description": t("check_tooltip") if q.graded else t("save_reflection_tooltip"),
            "disabled": False,
            "primary": True,
        }]
        if q.hints:
            buttons.append({"action": "hint", "label": t("hint"), "description": t("hint_tooltip"),
                            "disabled": False, "primary": False})
        if q.graded:
            can = self.session.can_reveal
            buttons.append({"action": "reveal", "label": t("show_answer"),
                            "description": t("show_answer_tooltip") if can
                            else t("show_answer_locked_tooltip", n=q.reveal_after),
                            "disabled": not can, "primary": False})
        self.buttons = buttons

    def _show_previous(self, previous: list[dict[str, Any]]) -> None:
        answers = [p for p in previous if p.get("kind", "answer") == "answer"]
        if not answers:
            return
        if not self.question.graded:
            best = t("best_recorded")
        elif any(p.get("correct") for p in answers):
            best = t("best_correct")
        elif any((p.get("score") or 0) > 0 for p in answers):
            best = t("best_partial")
        else:
            best = t("best_incorrect")
        self._set_feedback("previous", [t("previous_result", n=len(answers), best=best)])

    # --- without a kernel ----------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = _widget_bundle(self, **kwargs)
        bundle["text/plain"] = static_text(self.question)
        bundle["text/html"] = static_html(self.question)
        return bundle


def _widget_bundle(widget: anywidget.AnyWidget, **kwargs: Any) -> dict[str, Any]:
    """The widget's own MIME bundle (the widget view), as a plain dict."""
    bundle = anywidget.AnyWidget._repr_mimebundle_(widget, **kwargs)
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    return dict(data or {})


class ProgressBar(CourseWidget):
    """How much of one notebook's quiz is done; updates as answers are checked."""

    view = traitlets.Unicode("progress").tag(sync=True)
    value = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(0).tag(sync=True)
    text = traitlets.Unicode("").tag(sync=True)
    name = traitlets.Unicode("").tag(sync=True)  # the progress bar's accessible name

    def __init__(self, notebook: str, progress: ProgressStore | None = None, **kwargs: Any):
        self.notebook = notebook
        self.progress = progress or store()
        bank = next((bank_mod.load_bank(p, partial=True) for p in bank_mod.bank_paths() if p.stem == notebook), None)
        if bank is None:
            raise KeyError(f"No question bank named {notebook}.yaml in {bank_mod.banks_dir()}")
        self.ids = bank.ids
        with state_not_saved_in_the_notebook():  # an HTML export shows the static text (see there)
            super().__init__(max=len(self.ids), name=t("progress_tooltip"), **kwargs)
        self.refresh()
        self.progress.subscribe(self._on_record)

    def _on_record(self, rec: dict[str, Any]) -> None:
        if not rec or rec.get("notebook") == self.notebook:
            self.refresh()

    def refresh(self) -> None:
        s = self.progress.summary(self.notebook, self.ids)
        with self.hold_sync():
            self.value = s["answered"]
            self.text = t("progress_label", **s)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = _widget_bundle(self, **kwargs)
        bundle["text/plain"] = t("progress_plain", notebook=self.notebook, n=len(self.ids))
        return bundle


class QuizProblem:
    """Shown instead of a quiz when its bank is broken or the id is unknown: a message, not a traceback."""

    def __init__(self, message: str):
        self.message = message

    def __repr__(self) -> str:
        return f"{t('quiz_problem')}: {self.message}"

    def _repr_html_(self) -> str:
        return (f'<div class="course-quiz-problem" role="alert"><strong>{html.escape(t("quiz_problem"))}.</strong> '
                f"{html.escape(self.message)}</div>")


def quiz(qid: str, progress: ProgressStore | None = None, model_for: Any = None) -> QuizWidget | QuizProblem:
    """Show question `qid` from its notebook's bank, e.g. ``quiz("00-run-cell")``. ``model_for``: for a reflection
    with several model answers (``model_answers`` in the bank), the case whose model answer to show."""
    try:
        q = bank_mod.question(qid)
    except bank_mod.BankError as err:
        return QuizProblem(str(err))
    except KeyError as err:
        return QuizProblem(str(err.args[0]) if err.args else str(err))
    if isinstance(q, Reflection) and model_for is not None:
        q = q.for_case(model_for)
    return QuizWidget(q, progress)


def progress_bar(notebook: str, progress: ProgressStore | None = None) -> ProgressBar | QuizProblem:
    try:
        return ProgressBar(notebook, progress)
    except bank_mod.BankError as err:
        return QuizProblem(str(err))
    except KeyError as err:
        return QuizProblem(str(err.args[0]) if err.args else str(err))

"""The quiz view: ipywidgets that display a question model and report each attempt.

No grading happens here. The view collects what the student chose or typed, hands it to the model
(``QuestionSession.submit``), shows the feedback lines it returns, and records the attempt in the
progress store.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

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
)
from .progress import ProgressStore, store
from .render import inline, literal, markdown, static_html, static_text

FULL = widgets.Layout(width="auto", max_width="100%")
WIDE_LABEL = {"description_width": "initial"}


def _feedback_html(status: str, lines: tuple[str, ...] | list[str]) -> str:
    body = "".join(f"<p>{inline(line)}</p>" for line in lines if line)
    return (f'<div class="course-feedback course-feedback-{status}" role="status" aria-live="polite">'
            f"{body}</div>")


class QuizWidget(widgets.VBox):
    """One question: prompt, answer control, buttons (Check, Hint, Show answer) and feedback."""

    def __init__(self, question: Question, progress: ProgressStore | None = None, **kwargs: Any):
        self.question = question
        self.progress = progress or store()
        previous = self.progress.attempts(notebook=question.notebook, question=question.id)
        self.session = QuestionSession(question, previous=previous)

        self.header = widgets.HTML(
            f'<div class="course-quiz-prompt"><p><strong>{html.escape(t("question_label", label=question.label))}'
            f"</strong></p>{markdown(question.prompt)}</div>"
        )
        self.control = self._make_control()
        graded = question.graded
        self.check_button = widgets.Button(
            description=t("check") if graded else t("save_reflection"),
            tooltip=t("check_tooltip") if graded else t("save_reflection_tooltip"),
            button_style="primary",
            icon="check",
        )
        self.check_button.on_click(lambda _: self.check())
        buttons: list[widgets.Widget] = [self.check_button]
        self.hint_button = None
        if question.hints:
            self.hint_button = widgets.Button(description=t("hint"), tooltip=t("hint_tooltip"), icon="lightbulb-o")
            self.hint_button.on_click(lambda _: self.hint())
            buttons.append(self.hint_button)
        self.reveal_button = None
        if graded:
            self.reveal_button = widgets.Button(description=t("show_answer"), icon="eye")
            self.reveal_button.on_click(lambda _: self.reveal())
            buttons.append(self.reveal_button)
        self.feedback = widgets.HTML(_feedback_html("empty", []))
        self.hints = widgets.HTML("")
        self._update_reveal()
        super().__init__(
            [self.header, self.control, widgets.HBox(buttons), self.feedback, self.hints], **kwargs
        )
        self.add_class("course-quiz")
        self.add_class(f"course-quiz-{question.kind}")
        if previous:
            self._show_previous(previous)

    # --- controls per question type ------------------------------------------------------------
    def _make_control(self) -> widgets.Widget:
        q = self.question
        if isinstance(q, SingleChoice):
            return widgets.RadioButtons(options=[c.text for c in q.choices], value=None, layout=FULL,
                                        description="", tooltip=t("your_answer"))
        if isinstance(q, MultipleChoice):
            self.boxes = [widgets.Checkbox(value=False, description=c.text, indent=False, layout=FULL,
                                           tooltip=c.text) for c in q.choices]
            return widgets.VBox(self.boxes)
        if isinstance(q, Numeric):
            self.text = widgets.Text(value="", placeholder=t("numeric_placeholder"), description=t("your_answer"),
                                     style=WIDE_LABEL, tooltip=t("your_answer"), continuous_update=True)
            parts: list[widgets.Widget] = [self.text]
            if q.unit:
                parts.append(widgets.Label(q.unit))
            return widgets.HBox(parts)
        if isinstance(q, Ordering):
            options = [(t("choose"), None)] + [(x, x) for x in q.display_order()]
            self.slots = [widgets.Dropdown(options=options, value=None, description=t("position", n=i),
                                           style=WIDE_LABEL, layout=FULL, tooltip=t("position", n=i))
                          for i in range(1, len(q.items) + 1)]
            return widgets.VBox(self.slots)
        if isinstance(q, Matching):
            options = [(t("choose"), None)] + [(x, x) for x in q.right_options()]
            self.pairs = [widgets.Dropdown(options=options, value=None, description=left, style=WIDE_LABEL,
                                           layout=FULL, tooltip=left) for left in q.lefts]
            return widgets.VBox(self.pairs)
        if isinstance(q, Reflection):
            self.text = widgets.Textarea(value="", placeholder=t("reflection_placeholder"),
                                         layout=widgets.Layout(width="100%", height="6em"), tooltip=t("your_answer"))
            return self.text
        raise TypeError(f"no view for {type(q).__name__}")  # pragma: no cover

    def raw_answer(self) -> Any:
        """What the student has chosen or typed, as the model expects it."""
        q = self.question
        if isinstance(q, SingleChoice):
            return self.control.value
        if isinstance(q, MultipleChoice):
            return [box.description for box in self.boxes if box.value]
        if isinstance(q, (Numeric, Reflection)):
            return self.text.value
        if isinstance(q, Ordering):
            return [slot.value for slot in self.slots]
        if isinstance(q, Matching):
            return {pair.description: pair.value for pair in self.pairs}
        raise TypeError(type(q).__name__)  # pragma: no cover

    # --- actions -------------------------------------------------------------------------------
    def check(self) -> None:
        fb = self.session.submit(self.raw_answer())
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
        self.feedback.value = _feedback_html(fb.status, lines)
        self._update_reveal()

    def hint(self) -> None:
        self.hints.value = f'<div class="course-hint" role="status">{inline(self.session.next_hint())}</div>'

    def reveal(self) -> None:
        fb = self.session.reveal()
        if fb.status == "revealed":  # the first time only; "revealed-again" is not recorded twice
            self.progress.record(self.question.notebook, self.question.id, kind="reveal",
                                 attempt=self.session.attempts)
        self.feedback.value = _feedback_html(fb.status, fb.lines)
        self._update_reveal()

    def _update_reveal(self) -> None:
        if self.reveal_button is None:
            return
        can = self.session.can_reveal
        self.reveal_button.disabled = not can
        self.reveal_button.tooltip = (t("show_answer_tooltip") if can
                                      else t("show_answer_locked_tooltip", n=self.question.reveal_after))

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
        self.feedback.value = _feedback_html("previous", [t("previous_result", n=len(answers), best=best)])

    # --- without a kernel ----------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = static_text(self.question)
        bundle["text/html"] = static_html(self.question)
        return bundle


class ProgressBar(widgets.HBox):
    """How much of one notebook's quiz is done; updates as answers are checked."""

    def __init__(self, notebook: str, progress: ProgressStore | None = None, **kwargs: Any):
        self.notebook = notebook
        self.progress = progress or store()
        bank = next((bank_mod.load_bank(p) for p in bank_mod.bank_paths() if p.stem == notebook), None)
        if bank is None:
            raise KeyError(f"No question bank named {notebook}.yaml in {bank_mod.banks_dir()}")
        self.ids = bank.ids
        self.bar = widgets.IntProgress(value=0, min=0, max=len(self.ids), description="",
                                       tooltip=t("progress_tooltip"), layout=widgets.Layout(width="40%"))
        self.label = widgets.Label("")
        super().__init__([self.bar, self.label], **kwargs)
        self.add_class("course-progress")
        self.refresh()
        self.progress.subscribe(self._on_record)

    def _on_record(self, rec: dict[str, Any]) -> None:
        if not rec or rec.get("notebook") == self.notebook:
            self.refresh()

    def refresh(self) -> None:
        s = self.progress.summary(self.notebook, self.ids)
        self.bar.value = s["answered"]
        self.label.value = t("progress_label", **s)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"Progress bar for {self.notebook} ({len(self.ids)} questions)"
        return bundle


class QuizProblem:
    """Shown instead of a quiz when its bank is broken or the id is unknown: a message, not a traceback."""

    def __init__(self, message: str):
        self.message = message

    def __repr__(self) -> str:
        return f"⚠ This quiz cannot be shown: {self.message}"

    def _repr_html_(self) -> str:
        return (f'<div class="course-quiz-problem" role="alert"><strong>⚠ This quiz cannot be shown.</strong> '
                f"{html.escape(self.message)}</div>")


def quiz(qid: str, progress: ProgressStore | None = None) -> QuizWidget | QuizProblem:
    """Show question `qid` from its notebook's bank, e.g. ``quiz("00-run-cell")``."""
    try:
        q = bank_mod.question(qid)
    except bank_mod.BankError as err:
        return QuizProblem(str(err))
    except KeyError as err:
        return QuizProblem(str(err.args[0]) if err.args else str(err))
    return QuizWidget(q, progress)


def progress_bar(notebook: str, progress: ProgressStore | None = None) -> ProgressBar | QuizProblem:
    try:
        return ProgressBar(notebook, progress)
    except bank_mod.BankError as err:
        return QuizProblem(str(err))
    except KeyError as err:
        return QuizProblem(str(err.args[0]) if err.args else str(err))

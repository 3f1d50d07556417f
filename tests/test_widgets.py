"""Tests for course.quiz.widgets, driving the real ipywidgets objects without a browser: set a control's
value as a student would, click the button, read the feedback HTML and the progress store."""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import ipywidgets as widgets
import pytest

from course.quiz import messages
from course.quiz import widgets as quiz_widgets
from course.quiz.bank import load_bank
from course.quiz.messages import t
from course.quiz.model import MultipleChoice, Numeric, SingleChoice
from course.quiz.progress import ProgressStore, ProgressWarning
from course.quiz.widgets import ProgressBar, QuizProblem, QuizWidget, quiz

REAL_QUIZZES_DIR = Path(__file__).resolve().parent.parent / "course" / "quizzes"


@pytest.fixture(scope="module")
def bank():
    return load_bank(REAL_QUIZZES_DIR / "00_start_here.yaml")


def _q(bank, kind):
    return next(q for q in bank.questions if q.kind == kind)


def _text(fragment: str) -> str:
    """The visible text of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _answers(store, q, kind="answer"):
    return [r for r in store.attempts(question=q.id) if r.get("kind", "answer") == kind]


# --- how a student answers each type -------------------------------------------------------------------------


def answer_single(w, correct: bool):
    q = w.question
    w.control.value = next(c.text for c in q.choices if c.correct == correct)


def answer_multiple(w, mode: str):
    q = w.question
    first_right = [c.correct for c in q.choices].index(True)
    for box, c in zip(w.boxes, q.choices, strict=True):
        box.value = {
            "correct": c.correct,
            "wrong": not c.correct,
            "partial": c.correct and box is w.boxes[first_right],
        }[mode]


def answer_ordering(w, mode: str):
    items = list(w.question.items)
    order = {"correct": items, "partial": [items[1], items[0], *items[2:]], "wrong": items[1:] + items[:1]}[mode]
    for slot, item in zip(w.slots, order, strict=True):
        slot.value = item


def answer_matching(w, mode: str):
    q = w.question
    options = q.right_options()
    for dropdown, (left, right) in zip(w.pairs, q.pairs, strict=True):
        assert dropdown.description == left
        wrong = next(o for o in options if o != right)
        dropdown.value = right if (mode == "correct" or (mode == "partial" and dropdown is w.pairs[0])) else wrong


# --- one test per type and outcome ----------------------------------------------------------------------------


def _check(w, store, expected_headline: str, expected_attempts: int):
    w.check_button.click()
    shown = _text(w.feedback.value)
    assert expected_headline in shown, shown
    assert len(_answers(store, w.question)) == expected_attempts
    return shown


def test_single_choice_correct_and_wrong(bank, store):
    w = QuizWidget(_q(bank, "single"), progress=store)
    assert isinstance(w.control, widgets.RadioButtons) and w.control.value is None
    answer_single(w, correct=False)
    shown = _check(w, store, "Not quite", 1)
    chosen = w.control.value
    feedback = next(c.feedback for c in w.question.choices if c.text == chosen)
    assert feedback in shown  # the picked choice's own feedback
    assert w.question.explanation not in shown
    assert t("attempt_n", n=1) in shown
    answer_single(w, correct=True)
    shown = _check(w, store, "Correct", 2)
    assert _text(w.question.explanation.replace("**", "")) in shown.replace("**", "")
    rec = _answers(store, w.question)[-1]
    assert rec["correct"] is True and rec["answer"] == "Shift + Enter" and rec["attempt"] == 2
    assert rec["notebook"] == "00_start_here"


@pytest.mark.parametrize(
    "mode, headline", [("correct", "Correct"), ("partial", "Partly right"), ("wrong", "Not quite")]
)
def test_multiple_choice(bank, store, mode, headline):
    w = QuizWidget(_q(bank, "multiple"), progress=store)
    assert all(isinstance(b, widgets.Checkbox) for b in w.boxes)
    answer_multiple(w, mode)
    shown = _check(w, store, headline, 1)
    rec = _answers(store, w.question)[0]
    assert rec["correct"] is (mode == "correct")
    assert rec["answer"] == [b.description for b in w.boxes if b.value]
    if mode == "wrong":
        for c in w.question.choices:
            if not c.correct and c.feedback:
                assert c.feedback in shown


@pytest.mark.parametrize(
    "typed, headline, recorded",
    [
        ("9", "Correct", 9.0),
        (" 9,0 ", "Correct", 9.0),
        ("nine", "is not a number", None),
        ("10", "Not quite", 10.0),
        ("", "Please give an answer first", None),
        ("٩", "digits 0–9", None),
        ("9 %", "without", None),
    ],
)
def test_numeric(bank, store, typed, headline, recorded):
    w = QuizWidget(_q(bank, "numeric"), progress=store)
    assert isinstance(w.text, widgets.Text)
    w.text.value = typed
    shown = _check(w, store, headline, 0 if recorded is None else 1)
    if recorded is None:
        assert "course-feedback-invalid" in w.feedback.value
        assert shown.strip().startswith("⚠")
    else:
        assert _answers(store, w.question)[0]["answer"] == recorded
    if headline == "Not quite":
        assert t("numeric_too_high") in shown


@pytest.mark.parametrize(
    "mode, headline", [("correct", "Correct"), ("partial", "Partly right"), ("wrong", "Not quite")]
)
def test_ordering(bank, store, mode, headline):
    w = QuizWidget(_q(bank, "ordering"), progress=store)
    assert len(w.slots) == len(w.question.items) and all(s.value is None for s in w.slots)
    answer_ordering(w, mode)
    _check(w, store, headline, 1)
    assert _answers(store, w.question)[0]["answer"] == [s.value for s in w.slots]


def test_ordering_with_an_empty_position_is_invalid(bank, store):
    w = QuizWidget(_q(bank, "ordering"), progress=store)
    answer_ordering(w, "correct")
    w.slots[2].value = None
    _check(w, store, t("err_fill_all_positions"), 0)
    w.slots[2].value = w.slots[0].value  # the same item twice
    _check(w, store, "is used more than once", 0)


@pytest.mark.parametrize(
    "mode, headline", [("correct", "Correct"), ("partial", "Partly right"), ("wrong", "Not quite")]
)
def test_matching(bank, store, mode, headline):
    w = QuizWidget(_q(bank, "matching"), progress=store)
    answer_matching(w, mode)
    _check(w, store, headline, 1)
    assert _answers(store, w.question)[0]["answer"] == {d.description: d.value for d in w.pairs}


def test_matching_with_an_unmatched_item_is_invalid(bank, store):
    w = QuizWidget(_q(bank, "matching"), progress=store)
    answer_matching(w, "correct")
    w.pairs[-1].value = None
    _check(w, store, t("err_fill_all_pairs"), 0)


def test_reflection_is_saved(bank, store):
    q = _q(bank, "reflection")
    w = QuizWidget(q, progress=store)
    assert isinstance(w.text, widgets.Textarea)
    assert w.check_button.description == t("save_reflection")
    assert w.reveal_button is None
    w.text.value = "   "
    _check(w, store, t("err_empty"), 0)
    w.text.value = "Я знаю немного. 我想知道更多。"
    shown = _check(w, store, "Saved", 1)
    assert q.model_answer[:40] in shown
    rec = _answers(store, q)[0]
    assert rec["answer"] == "Я знаю немного. 我想知道更多。" and rec["correct"] is None and rec["score"] is None
    assert "Attempt" not in shown  # not graded: no attempt count


@pytest.mark.parametrize(
    "kind, message",
    [
        ("single", "err_choose_one"),
        ("multiple", "err_choose_some"),
        ("numeric", "err_empty"),
        ("ordering", "err_fill_all_positions"),
        ("matching", "err_fill_all_pairs"),
        ("reflection", "err_empty"),
    ],
)
def test_checking_an_untouched_quiz_is_invalid_and_not_recorded(bank, store, kind, message):
    w = QuizWidget(_q(bank, kind), progress=store)
    for _ in range(3):
        w.check_button.click()
        assert _text(w.feedback.value).strip() == t("invalid", message=t(message))
    assert store.attempts() == []
    assert w.session.attempts == 0


# --- Show answer, hints ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["single", "multiple", "numeric", "ordering", "matching"])
def test_show_answer_unlocks_after_reveal_after_wrong_attempts(bank, store, kind):
    q = _q(bank, kind)
    w = QuizWidget(q, progress=store)
    assert w.reveal_button.disabled
    assert w.reveal_button.tooltip == t("show_answer_locked_tooltip", n=q.reveal_after)
    for i in range(q.reveal_after):
        assert w.reveal_button.disabled
        if kind == "single":
            answer_single(w, correct=False)
        elif kind == "multiple":
            answer_multiple(w, "wrong")
        elif kind == "numeric":
            w.text.value = str(100 + i)
        elif kind == "ordering":
            answer_ordering(w, "wrong")
        else:
            answer_matching(w, "wrong")
        w.check_button.click()
        assert "Not quite" in _text(w.feedback.value)
    assert not w.reveal_button.disabled
    assert w.reveal_button.tooltip == t("show_answer_tooltip")
    w.reveal_button.click()
    shown = _text(w.feedback.value)
    assert "The answer" in shown
    assert _text(t("answer_is", answer=q.answer_text())).replace("**", "") in shown.replace("**", "")
    reveals = _answers(store, q, kind="reveal")
    assert len(reveals) == 1 and reveals[0]["attempt"] == q.reveal_after
    assert len(_answers(store, q)) == q.reveal_after


def test_clicking_a_locked_show_answer_reveals_nothing(bank, store):
    q = _q(bank, "numeric")
    w = QuizWidget(q, progress=store)
    w.reveal()  # as if the (disabled) button were clicked anyway
    assert "9" not in _text(w.feedback.value)
    assert _answers(store, q, kind="reveal") == []


def test_a_correct_answer_unlocks_show_answer_at_once(bank, store):
    w = QuizWidget(_q(bank, "numeric"), progress=store)
    w.text.value = "9"
    w.check_button.click()
    assert not w.reveal_button.disabled


def test_hint_button_shows_hints_in_order(bank, store):
    q = _q(bank, "single")
    w = QuizWidget(q, progress=store)
    n = len(q.hints)
    assert n >= 1 and w.hint_button is not None
    w.hint_button.click()
    assert f"Hint 1 of {n}" in _text(w.hints.value)
    assert q.hints[0] in _text(w.hints.value)
    for _ in range(n):
        w.hint_button.click()
    assert t("no_more_hints") in _text(w.hints.value)
    assert store.attempts() == []  # hints are not attempts


def test_no_hint_button_without_hints(store):
    q = Numeric(id="00-x", prompt="P", explanation="E", notebook="00_start_here", answer=1)
    assert QuizWidget(q, progress=store).hint_button is None


# --- labels, static views -------------------------------------------------------------------------------------


def _walk(w):
    yield w
    for child in getattr(w, "children", ()):
        yield from _walk(child)


@pytest.mark.parametrize("kind", ["single", "multiple", "numeric", "ordering", "matching", "reflection"])
def test_every_control_has_an_accessible_label(bank, store, kind):
    w = QuizWidget(_q(bank, kind), progress=store)
    controls = [
        x
        for x in _walk(w)
        if isinstance(
            x,
            (widgets.Button, widgets.Dropdown, widgets.Text, widgets.Textarea, widgets.RadioButtons, widgets.Checkbox),
        )
    ]
    assert w.check_button in controls
    for c in controls:
        label = (c.tooltip or "").strip() or (c.description or "").strip()
        assert label, f"{type(c).__name__} without a label"


@pytest.mark.parametrize("kind", ["single", "multiple", "numeric", "ordering", "matching", "reflection"])
def test_static_mimebundle_has_no_answer(bank, store, kind):
    q = _q(bank, kind)
    bundle = QuizWidget(q, progress=store)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    plain, page = bundle["text/plain"], bundle["text/html"]
    assert t("static_note") in plain and "course-quiz-static" in page
    for out in (plain, html.unescape(page)):
        assert q.explanation not in out
        assert "Answer:" not in out
        if not isinstance(q, SingleChoice):  # a single choice's answer is one of the options shown
            assert q.answer_text() not in out
    if isinstance(q, (SingleChoice, MultipleChoice)):
        assert all(c.text in plain for c in q.choices)


def test_prompt_is_rendered_as_markdown_in_the_header(bank, store):
    w = QuizWidget(_q(bank, "single"), progress=store)
    assert "<strong>run the cell</strong>" in w.header.value
    assert t("question_label", label="0.1") in _text(w.header.value)


# --- quiz(): lookup, and problems shown as messages -------------------------------------------------------------


def test_quiz_returns_a_widget_for_a_known_id(real_banks, progress_dir):
    w = quiz("00-run-cell")
    assert isinstance(w, QuizWidget) and w.question.id == "00-run-cell"
    assert w.progress.path == progress_dir / "progress.json"


@pytest.mark.parametrize("qid, words", [("00-nope", "00-nope"), ("99-x", "99_")])
def test_quiz_with_an_unknown_id_is_a_problem_not_an_exception(real_banks, progress_dir, qid, words):
    result = quiz(qid)
    assert isinstance(result, QuizProblem)
    text = repr(result)
    assert text.startswith("⚠ This quiz cannot be shown:") and words in text
    assert "Traceback" not in text and "KeyError" not in text
    assert 'role="alert"' in result._repr_html_()


def test_quiz_from_a_broken_bank_names_file_and_line(bank_dir, progress_dir):
    (bank_dir / "00_start_here.yaml").write_text(
        "notebook: 00_start_here\ntitle: T\nquestions:\n  - id: 00-run-cell\n    type: essay\n    prompt: P\n"
        "    explanation: E\n",
        encoding="utf-8",
    )
    result = quiz("00-run-cell")
    assert isinstance(result, QuizProblem)
    assert "00_start_here.yaml" in repr(result) and "line 5" in repr(result) and "essay" in repr(result)
    assert "00_start_here.yaml" in result._repr_html_()


def test_quiz_problem_html_is_escaped():
    page = QuizProblem("<script>alert(1)</script>")._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page


# --- progress bar, previous attempts -----------------------------------------------------------------------------


def test_progress_bar_updates_after_a_check(real_banks, bank, store):
    bar = ProgressBar("00_start_here", progress=store)
    total = len(bank.questions)
    assert bar.label.value == t("progress_label", answered=0, total=total, correct=0)
    w = QuizWidget(_q(bank, "numeric"), progress=store)
    w.text.value = "9"
    w.check_button.click()
    assert bar.label.value == t("progress_label", answered=1, total=total, correct=1)
    assert bar.bar.value == 1 and bar.bar.max == total
    w2 = QuizWidget(_q(bank, "single"), progress=store)
    answer_single(w2, correct=False)
    w2.check_button.click()
    assert bar.label.value == t("progress_label", answered=2, total=total, correct=1)
    store.reset()
    assert bar.label.value == t("progress_label", answered=0, total=total, correct=0)


def test_progress_bar_for_an_unknown_notebook_is_a_problem(real_banks, store):
    result = quiz_widgets.progress_bar("77_nothing", progress=store)
    assert isinstance(result, QuizProblem) and "77_nothing" in repr(result)


def test_a_new_widget_continues_from_stored_attempts(bank, store):
    q = _q(bank, "single")
    first = QuizWidget(q, progress=store)
    answer_single(first, correct=False)
    first.check_button.click()
    again = QuizWidget(q, progress=store)  # e.g. after a kernel restart
    assert again.session.attempts == 1
    assert t("previous_result", n=1, best=t("best_incorrect")) in _text(again.feedback.value)
    answer_single(again, correct=False)
    again.check_button.click()
    assert [r["attempt"] for r in _answers(store, q)] == [1, 2]
    assert not QuizWidget(q, progress=store).reveal_button.disabled  # 2 attempts = reveal_after


def test_a_question_solved_before_a_restart_can_still_be_revealed(bank, store):
    q = _q(bank, "single")
    w = QuizWidget(q, progress=store)
    answer_single(w, correct=True)
    w.check_button.click()
    assert not w.reveal_button.disabled
    assert not QuizWidget(q, progress=store).reveal_button.disabled


# --- safety: student input is escaped, a broken disk does not break the quiz ---------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "<img src=x onerror=alert(1)>",
        "<img src=x onerror=alert()>",
        "<script>alert()</script>",
        "9 <img src=x>",
        "[x](javascript:alert())",
    ],
)
def test_feedback_escapes_what_the_student_typed(bank, store, typed):
    w = QuizWidget(_q(bank, "numeric"), progress=store)
    w.text.value = typed
    w.check_button.click()
    low = w.feedback.value.lower()
    assert "<img" not in low and "<script" not in low and 'href="javascript' not in low
    assert "course-feedback-invalid" in w.feedback.value
    assert store.attempts() == []


def test_feedback_shows_the_student_text_as_text(bank, store):
    w = QuizWidget(_q(bank, "numeric"), progress=store)
    w.text.value = "<b>nine</b>"
    w.check_button.click()
    assert "<b>" not in w.feedback.value
    assert "<b>nine</b>" in _text(w.feedback.value)


def test_unwritable_progress_is_shown_and_the_quiz_still_grades(bank, tmp_path):
    (tmp_path / "afile").write_text("a file, not a folder")
    path = tmp_path / "afile" / "sub" / "progress.json"
    s = ProgressStore(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        w = QuizWidget(_q(bank, "numeric"), progress=s)
        w.text.value = "10"
        w.check_button.click()
        first = _text(w.feedback.value)
        w.text.value = "9"
        w.check_button.click()
        second = _text(w.feedback.value)
    assert "Not quite" in first and "Correct" in second
    for shown in (first, second):
        assert "cannot be saved" in shown and "progress.json" in shown
    assert len([x for x in caught if issubclass(x.category, ProgressWarning)]) == 1
    assert [r["answer"] for r in s.attempts()] == [10.0, 9.0]
    assert not w.reveal_button.disabled


def test_widget_labels_follow_the_language(bank, store):
    messages.set_language("ru")
    w = QuizWidget(_q(bank, "single"), progress=store)
    assert w.check_button.description == "Проверить"
    assert w.reveal_button.description == "Показать ответ"
    w.check_button.click()
    assert "Выберите один из вариантов" in _text(w.feedback.value)


def test_markdown_typed_by_a_student_is_shown_as_typed_not_as_a_link(bank, store):
    w = QuizWidget(_q(bank, "numeric"), progress=store)
    w.text.value = "[click](https://evil.example) *bold*"
    w.check_button.click()
    assert "<a " not in w.feedback.value and "<em>" not in w.feedback.value
    assert "[click](https://evil.example) *bold*" in _text(w.feedback.value)


def test_a_corrupt_file_note_is_shown_once_then_saving_works_quietly(bank, tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("{not json")
    s = ProgressStore(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        w = QuizWidget(_q(bank, "numeric"), progress=s)
        w.text.value = "10"
        w.check_button.click()
        first = _text(w.feedback.value)
        w.text.value = "9"
        w.check_button.click()
        second = _text(w.feedback.value)
    assert "could not be read" in first
    assert "could not be read" not in second and "Correct" in second
    assert [r["answer"] for r in s.attempts()] == [10.0, 9.0]


def test_show_answer_is_recorded_once_however_often_it_is_clicked(bank, store):
    w = QuizWidget(_q(bank, "single"), progress=store)
    answer_single(w, correct=True)
    w.check_button.click()
    for _ in range(3):
        w.reveal_button.click()
    assert len(_answers(store, w.question, kind="reveal")) == 1
    assert "Answer:" in _text(w.feedback.value)


def test_static_html_of_matching_keeps_the_two_columns_apart_and_options_intact(bank):
    from course.quiz.render import static_html

    q = _q(bank, "matching")
    shown = static_html(q)
    lists = re.findall(r"<ul>(.*?)</ul>", shown)
    assert len(lists) == 2
    assert all(html.escape(left) in lists[0] for left in q.lefts)
    assert all(html.escape(right) in lists[1] for right in q.right_options())


def test_a_rerun_progress_bar_is_not_kept_alive_by_the_store(real_banks, store):
    import gc
    import weakref

    bar = ProgressBar("00_start_here", progress=store)
    ref = weakref.ref(bar)
    bar.close()  # what happens to a widget whose cell is re-run and whose view is gone
    del bar
    gc.collect()
    assert ref() is None

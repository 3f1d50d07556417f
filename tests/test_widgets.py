"""Tests for course.quiz.widgets, driving the real widget objects without a browser: set the answer as the
browser does when a student picks or types, press a button through the same message handler the browser's
click reaches, read the feedback HTML and the progress store. (What the browser draws from this state, and
how it is announced and reached by keyboard, is tested in tests/browser/.)"""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import anywidget
import pytest

from course.quiz import messages
from course.quiz import widgets as quiz_widgets
from course.quiz.bank import load_bank
from course.quiz.messages import t
from course.quiz.model import MultipleChoice, Numeric, SingleChoice
from course.quiz.progress import ProgressStore, ProgressWarning
from course.quiz.widgets import ProgressBar, QuizProblem, QuizWidget, quiz

REAL_BANKS_DIR = Path(__file__).resolve().parent.parent / "course" / "banks"


@pytest.fixture(scope="module")
def bank():
    return load_bank(REAL_BANKS_DIR / "00_start_here.yaml")


def _q(bank, kind):
    return next(q for q in bank.questions if q.kind == kind)


def _text(fragment: str) -> str:
    """The visible text of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _answers(store, q, kind="answer"):
    return [r for r in store.attempts(question=q.id) if r.get("kind", "answer") == kind]


# --- how a student answers each type -------------------------------------------------------------------------


def press(w, action: str = "check"):
    """A click on a button, as the browser reports it: a custom message to the widget."""
    w._handle_custom_msg({"event": "press", "action": action, "answer": w.answer}, [])


def answer_single(w, correct: bool):
    q = w.question
    choice = next(c.text for c in q.choices if c.correct == correct)
    assert choice in w.spec["options"]  # one of the radio buttons the browser shows
    w.answer = choice


def answer_multiple(w, mode: str):
    q = w.question
    first_right = [c.correct for c in q.choices].index(True)
    ticked = [
        c.text
        for i, c in enumerate(q.choices)
        if {"correct": c.correct, "wrong": not c.correct, "partial": c.correct and i == first_right}[mode]
    ]
    assert set(ticked) <= set(w.spec["options"])  # checkboxes the browser shows
    w.answer = ticked  # the browser reports the ticked boxes in the order shown


def answer_ordering(w, mode: str):
    items = list(w.question.items)
    order = {"correct": items, "partial": [items[1], items[0], *items[2:]], "wrong": items[1:] + items[:1]}[mode]
    assert set(order) == set(w.spec["options"])
    assert len(order) == len(w.spec["positions"])
    w.answer = order  # one list per position, as the browser reports it


def answer_matching(w, mode: str):
    q = w.question
    options = q.right_options(w.student)
    assert w.spec["lefts"] == q.lefts
    assert w.spec["options"] == options
    answer = {}
    for i, (left, right) in enumerate(q.pairs):
        wrong = next(o for o in options if o != right)
        answer[left] = right if (mode == "correct" or (mode == "partial" and i == 0)) else wrong
    w.answer = answer


# --- one test per type and outcome ----------------------------------------------------------------------------


def _check(w, store, expected_headline: str, expected_attempts: int):
    press(w, "check")
    shown = _text(w.feedback_html)
    assert expected_headline in shown, shown
    assert len(_answers(store, w.question)) == expected_attempts
    return shown


def test_single_choice_correct_and_wrong(bank, store):
    w = QuizWidget(_q(bank, "single"), progress=store)
    assert w.kind == "single"
    assert w.answer is None
    assert w.spec["options"] == [c.text for c in w.question.display_choices(w.student)]  # this student's order
    answer_single(w, correct=False)
    shown = _check(w, store, "Not quite", 1)
    chosen = w.answer
    feedback = next(c.feedback for c in w.question.choices if c.text == chosen)
    assert feedback in shown  # the picked choice's own feedback
    assert w.question.explanation not in shown
    assert t("attempt_n", n=1) in shown
    answer_single(w, correct=True)
    shown = _check(w, store, "Correct", 2)
    assert _text(w.question.explanation.replace("**", "")) in shown.replace("**", "")
    rec = _answers(store, w.question)[-1]
    assert rec["correct"] is True
    assert rec["answer"] == next(c.text for c in w.question.choices if c.correct)  # the bank's right option
    assert rec["attempt"] == 2
    assert rec["notebook"] == "00_start_here"


@pytest.mark.parametrize(
    "mode, headline", [("correct", "Correct"), ("partial", "Partly right"), ("wrong", "Not quite")]
)
def test_multiple_choice(bank, store, mode, headline):
    w = QuizWidget(_q(bank, "multiple"), progress=store)
    assert w.kind == "multiple"
    assert w.answer == []
    assert w.spec["options"] == [c.text for c in w.question.display_choices(w.student)]  # this student's order
    answer_multiple(w, mode)
    shown = _check(w, store, headline, 1)
    rec = _answers(store, w.question)[0]
    assert rec["correct"] is (mode == "correct")
    assert rec["answer"] == w.answer
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
    assert w.kind == "numeric"
    assert w.answer == ""
    assert w.spec["label"] == t("your_answer")
    w.answer = typed
    shown = _check(w, store, headline, 0 if recorded is None else 1)
    if recorded is None:
        assert w.feedback_status == "invalid"
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
    assert len(w.spec["positions"]) == len(w.question.items)
    assert w.answer == [None] * len(w.question.items)
    assert w.spec["options"] == w.question.display_order(w.student)  # shuffled, not in the answer's order
    answer_ordering(w, mode)
    _check(w, store, headline, 1)
    assert _answers(store, w.question)[0]["answer"] == w.answer


def test_ordering_with_an_empty_position_is_invalid(bank, store):
    w = QuizWidget(_q(bank, "ordering"), progress=store)
    answer_ordering(w, "correct")
    w.answer = [*w.answer[:2], None, *w.answer[3:]]
    _check(w, store, t("err_fill_all_positions"), 0)
    w.answer = [*w.answer[:2], w.answer[0], *w.answer[3:]]  # the same item twice
    _check(w, store, "is used more than once", 0)


@pytest.mark.parametrize(
    "mode, headline", [("correct", "Correct"), ("partial", "Partly right"), ("wrong", "Not quite")]
)
def test_matching(bank, store, mode, headline):
    w = QuizWidget(_q(bank, "matching"), progress=store)
    assert w.answer == {left: None for left in w.question.lefts}
    answer_matching(w, mode)
    _check(w, store, headline, 1)
    assert _answers(store, w.question)[0]["answer"] == w.answer


def test_matching_with_an_unmatched_item_is_invalid(bank, store):
    w = QuizWidget(_q(bank, "matching"), progress=store)
    answer_matching(w, "correct")
    w.answer = {**w.answer, w.question.lefts[-1]: None}
    _check(w, store, t("err_fill_all_pairs"), 0)


def test_reflection_is_saved(bank, store):
    q = _q(bank, "reflection")
    w = QuizWidget(q, progress=store)
    assert w.kind == "reflection"
    assert w.answer == ""
    assert w.spec["label"] == t("your_answer")
    assert w.button("check")["label"] == t("save_reflection")
    assert w.button("reveal") is None
    w.answer = "   "
    _check(w, store, t("err_empty"), 0)
    w.answer = "Я знаю немного. 我想知道更多。"
    shown = _check(w, store, "Saved", 1)
    assert q.model_answer[:40] in shown
    rec = _answers(store, q)[0]
    assert rec["answer"] == "Я знаю немного. 我想知道更多。"
    assert rec["correct"] is None
    assert rec["score"] is None
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
    for i in range(3):
        press(w, "check")
        assert _text(w.feedback_html).strip() == t("invalid", message=t(message))
        assert w.feedback_seq == i + 1  # the same message again is a new announcement
    assert store.attempts() == []
    assert w.session.attempts == 0


# --- Show answer, hints ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["single", "multiple", "numeric", "ordering", "matching"])
def test_show_answer_unlocks_after_reveal_after_wrong_attempts(bank, store, kind):
    q = _q(bank, kind)
    w = QuizWidget(q, progress=store)
    assert w.button("reveal")["disabled"]
    assert w.button("reveal")["description"] == t("show_answer_locked_tooltip", n=q.reveal_after)
    for i in range(q.reveal_after):
        assert w.button("reveal")["disabled"]
        if kind == "single":
            answer_single(w, correct=False)
        elif kind == "multiple":
            answer_multiple(w, "wrong")
        elif kind == "numeric":
            w.answer = str(100 + i)
        elif kind == "ordering":
            answer_ordering(w, "wrong")
        else:
            answer_matching(w, "wrong")
        press(w, "check")
        assert "Not quite" in _text(w.feedback_html)
    assert not w.button("reveal")["disabled"]
    assert w.button("reveal")["description"] == t("show_answer_tooltip")
    press(w, "reveal")
    shown = _text(w.feedback_html)
    assert "The answer" in shown
    assert _text(t("answer_is", answer=q.answer_text())).replace("**", "") in shown.replace("**", "")
    reveals = _answers(store, q, kind="reveal")
    assert len(reveals) == 1
    assert reveals[0]["attempt"] == q.reveal_after
    assert len(_answers(store, q)) == q.reveal_after


def test_clicking_a_locked_show_answer_reveals_nothing(bank, store):
    q = _q(bank, "numeric")
    w = QuizWidget(q, progress=store)
    press(w, "reveal")  # as if the locked button were pressed anyway (the browser does not send it)
    assert "9" not in _text(w.feedback_html)
    assert _answers(store, q, kind="reveal") == []


def test_a_correct_answer_unlocks_show_answer_at_once(bank, store):
    w = QuizWidget(_q(bank, "numeric"), progress=store)
    w.answer = "9"
    press(w, "check")
    assert not w.button("reveal")["disabled"]


def test_hint_button_shows_hints_in_order(bank, store):
    q = _q(bank, "single")
    w = QuizWidget(q, progress=store)
    n = len(q.hints)
    assert n >= 1
    assert w.button("hint") is not None
    press(w, "hint")
    assert f"Hint 1 of {n}" in _text(w.hints_html)
    assert q.hints[0] in _text(w.hints_html)
    for _ in range(n):
        press(w, "hint")
    assert t("no_more_hints") in _text(w.hints_html)
    assert w.hints_seq == n + 1
    assert store.attempts() == []  # hints are not attempts


def test_no_hint_button_without_hints(store):
    q = Numeric(id="00-x", prompt="P", explanation="E", notebook="00_start_here", answer=1)
    w = QuizWidget(q, progress=store)
    assert w.button("hint") is None
    press(w, "hint")  # a stray message for a button that is not there does nothing
    assert w.hints_html == ""
    assert w.hints_seq == 0


# --- labels, static views -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["single", "multiple", "numeric", "ordering", "matching", "reflection"])
def test_every_control_has_an_accessible_label(bank, store, kind):
    """Everything the browser draws as a control has a non-empty label in the widget's state: the group of
    choices is labelled by the question label and prompt, each option by its text, each field by its own
    label, each button by its words and a description."""
    q = _q(bank, kind)
    w = QuizWidget(q, progress=store)
    assert w.label.strip()
    assert _text(w.prompt_html).strip()
    spec = w.spec
    labels = {
        "single": lambda: spec["options"],
        "multiple": lambda: spec["options"],
        "numeric": lambda: [spec["label"]],
        "ordering": lambda: spec["positions"] + spec["options"] + [spec["choose"]],
        "matching": lambda: spec["lefts"] + spec["options"] + [spec["choose"]],
        "reflection": lambda: [spec["label"]],
    }[kind]()
    assert labels, labels
    assert all(isinstance(x, str) and x.strip() for x in labels), labels
    if kind == "ordering":
        assert len(set(spec["positions"])) == len(spec["positions"])  # "Position 1", "Position 2", ...
    assert w.button("check") is not None
    for b in w.buttons:
        assert b["label"].strip(), b
        assert b["description"].strip(), b
        assert b["description"] != "null"
        assert b["label"] != "null"


@pytest.mark.parametrize("kind", ["single", "multiple", "numeric", "ordering", "matching", "reflection"])
def test_static_mimebundle_has_no_answer(bank, store, kind):
    q = _q(bank, kind)
    bundle = QuizWidget(q, progress=store)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    plain, page = bundle["text/plain"], bundle["text/html"]
    assert t("static_note") in plain
    assert "course-quiz-static" in page
    for out in (plain, html.unescape(page)):
        assert q.explanation not in out
        assert "Answer:" not in out
        if not isinstance(q, SingleChoice):  # a single choice's answer is one of the options shown
            assert q.answer_text() not in out
    if isinstance(q, (SingleChoice, MultipleChoice)):
        assert all(c.text in plain for c in q.choices)


def test_prompt_is_rendered_as_markdown_in_the_header(bank, store):
    w = QuizWidget(_q(bank, "single"), progress=store)
    assert "<strong>run the cell</strong>" in w.prompt_html
    assert w.label == t("question_label", label="0.1")


# --- quiz(): lookup, and problems shown as messages -------------------------------------------------------------


def test_quiz_returns_a_widget_for_a_known_id(real_banks, progress_dir):
    w = quiz("00-run-cell")
    assert isinstance(w, QuizWidget)
    assert w.question.id == "00-run-cell"
    assert w.progress.path == progress_dir / "progress.json"


@pytest.mark.parametrize("qid, words", [("00-nope", "00-nope"), ("99-x", "99_")])
def test_quiz_with_an_unknown_id_is_a_problem_not_an_exception(real_banks, progress_dir, qid, words):
    result = quiz(qid)
    assert isinstance(result, QuizProblem)
    text = repr(result)
    assert text.startswith("⚠ This quiz cannot be shown:")
    assert words in text
    assert "Traceback" not in text
    assert "KeyError" not in text
    assert 'role="alert"' in result._repr_html_()


def test_quiz_from_a_broken_bank_names_file_and_line(bank_dir, progress_dir):
    (bank_dir / "00_start_here.yaml").write_text(
        "notebook: 00_start_here\ntitle: T\nquestions:\n  - id: 00-run-cell\n    type: essay\n    prompt: P\n"
        "    explanation: E\n",
        encoding="utf-8",
    )
    result = quiz("00-run-cell")
    assert isinstance(result, QuizProblem)
    assert "00_start_here.yaml" in repr(result)
    assert "line 5" in repr(result)
    assert "essay" in repr(result)
    assert "00_start_here.yaml" in result._repr_html_()


def test_quiz_problem_html_is_escaped():
    page = QuizProblem("<script>alert(1)</script>")._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


# --- progress bar, previous attempts -----------------------------------------------------------------------------


def test_progress_bar_updates_after_a_check(real_banks, bank, store):
    bar = ProgressBar("00_start_here", progress=store)
    total = len(bank.questions)
    assert bar.text == t("progress_label", answered=0, total=total, correct=0)
    w = QuizWidget(_q(bank, "numeric"), progress=store)
    w.answer = "9"
    press(w, "check")
    assert bar.text == t("progress_label", answered=1, total=total, correct=1)
    assert bar.value == 1
    assert bar.max == total
    w2 = QuizWidget(_q(bank, "single"), progress=store)
    answer_single(w2, correct=False)
    press(w2, "check")
    assert bar.text == t("progress_label", answered=2, total=total, correct=1)
    store.reset()
    assert bar.text == t("progress_label", answered=0, total=total, correct=0)


def test_progress_bar_for_an_unknown_notebook_is_a_problem(real_banks, store):
    result = quiz_widgets.progress_bar("77_nothing", progress=store)
    assert isinstance(result, QuizProblem)
    assert "77_nothing" in repr(result)


def test_a_new_widget_continues_from_stored_attempts(bank, store):
    q = _q(bank, "single")
    first = QuizWidget(q, progress=store)
    answer_single(first, correct=False)
    press(first, "check")
    again = QuizWidget(q, progress=store)  # e.g. after a kernel restart
    assert again.session.attempts == 1
    assert t("previous_result", n=1, best=t("best_incorrect")) in _text(again.feedback_html)
    answer_single(again, correct=False)
    press(again, "check")
    assert [r["attempt"] for r in _answers(store, q)] == [1, 2]
    assert not QuizWidget(q, progress=store).button("reveal")["disabled"]  # 2 attempts = reveal_after


def test_a_question_solved_before_a_restart_can_still_be_revealed(bank, store):
    q = _q(bank, "single")
    w = QuizWidget(q, progress=store)
    answer_single(w, correct=True)
    press(w, "check")
    assert not w.button("reveal")["disabled"]
    assert not QuizWidget(q, progress=store).button("reveal")["disabled"]


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
    w.answer = typed
    press(w, "check")
    low = w.feedback_html.lower()
    assert "<img" not in low
    assert "<script" not in low
    assert 'href="javascript' not in low
    assert w.feedback_status == "invalid"
    assert store.attempts() == []


def test_feedback_shows_the_student_text_as_text(bank, store):
    w = QuizWidget(_q(bank, "numeric"), progress=store)
    w.answer = "<b>nine</b>"
    press(w, "check")
    assert "<b>" not in w.feedback_html
    assert "<b>nine</b>" in _text(w.feedback_html)


def test_unwritable_progress_is_shown_and_the_quiz_still_grades(bank, tmp_path):
    (tmp_path / "afile").write_text("a file, not a folder")
    path = tmp_path / "afile" / "sub" / "progress.json"
    s = ProgressStore(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        w = QuizWidget(_q(bank, "numeric"), progress=s)
        w.answer = "10"
        press(w, "check")
        first = _text(w.feedback_html)
        w.answer = "9"
        press(w, "check")
        second = _text(w.feedback_html)
    assert "Not quite" in first
    assert "Correct" in second
    for shown in (first, second):
        assert "cannot be saved" in shown
        assert "progress.json" in shown
    assert len([x for x in caught if issubclass(x.category, ProgressWarning)]) == 1
    assert [r["answer"] for r in s.attempts()] == [10.0, 9.0]
    assert not w.button("reveal")["disabled"]


def test_widget_labels_follow_the_language(bank, store):
    messages.set_language("ru")
    w = QuizWidget(_q(bank, "single"), progress=store)
    assert w.button("check")["label"] == "Проверить"
    assert w.button("reveal")["label"] == "Показать ответ"
    press(w, "check")
    assert "Выберите один из вариантов" in _text(w.feedback_html)


def test_markdown_typed_by_a_student_is_shown_as_typed_not_as_a_link(bank, store):
    w = QuizWidget(_q(bank, "numeric"), progress=store)
    w.answer = "[click](https://evil.example) *bold*"
    press(w, "check")
    assert "<a " not in w.feedback_html
    assert "<em>" not in w.feedback_html
    assert "[click](https://evil.example) *bold*" in _text(w.feedback_html)


def test_a_corrupt_file_note_is_shown_once_then_saving_works_quietly(bank, tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("{not json")
    s = ProgressStore(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        w = QuizWidget(_q(bank, "numeric"), progress=s)
        w.answer = "10"
        press(w, "check")
        first = _text(w.feedback_html)
        w.answer = "9"
        press(w, "check")
        second = _text(w.feedback_html)
    assert "could not be read" in first
    assert "could not be read" not in second
    assert "Correct" in second
    assert [r["answer"] for r in s.attempts()] == [10.0, 9.0]


def test_show_answer_is_recorded_once_however_often_it_is_clicked(bank, store):
    w = QuizWidget(_q(bank, "single"), progress=store)
    answer_single(w, correct=True)
    press(w, "check")
    for _ in range(3):
        press(w, "reveal")
    assert len(_answers(store, w.question, kind="reveal")) == 1
    assert "Answer:" in _text(w.feedback_html)


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


# --- the browser's side of the conversation ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["single", "multiple", "numeric", "ordering", "matching", "reflection"])
def test_the_state_sent_to_the_browser_never_gives_the_answer_away(bank, store, kind):
    import json

    q = _q(bank, kind)
    w = QuizWidget(q, progress=store)
    assert isinstance(w, anywidget.AnyWidget)
    shown = ("kind", "label", "prompt_html", "spec", "buttons", "answer", "feedback_html", "hints_html")
    state = json.dumps({k: v for k, v in w.get_state().items() if k in shown}, ensure_ascii=False)
    assert q.explanation not in state
    assert "correct" not in json.dumps(w.spec)
    if kind == "ordering":
        assert w.spec["options"] != list(q.items)  # shuffled
    if kind == "numeric":
        assert not re.search(r"(?<![\w.])9(?![\w.])", state)


@pytest.mark.parametrize("kind", ["single", "multiple", "numeric", "ordering", "matching", "reflection"])
@pytest.mark.parametrize("junk", [{"x": 1}, 5, [None], True, [[1]], "no such option", 1e308, {"": None}])
def test_a_malformed_answer_from_the_browser_is_a_message_not_an_error(bank, store, kind, junk):
    w = QuizWidget(_q(bank, kind), progress=store)
    w.answer = junk
    press(w, "check")
    assert w.feedback_status in ("invalid", "incorrect", "recorded")
    assert _text(w.feedback_html).strip()
    if w.feedback_status == "invalid":
        assert store.attempts() == []


def test_unknown_messages_and_actions_are_ignored(bank, store):
    w = QuizWidget(_q(bank, "single"), progress=store)
    for content in ({"event": "press", "action": "explode"}, {"event": "other"}, "junk", None, {"action": "check"}):
        w._handle_custom_msg(content, [])
    assert w.feedback_seq == 0
    assert store.attempts() == []
    refl = QuizWidget(_q(bank, "reflection"), progress=store)
    press(refl, "reveal")  # no such button on a reflection
    assert refl.feedback_seq == 0


def test_the_answer_sent_with_a_press_is_the_one_graded(bank, store):
    """The browser sends the answer with the press: a state update still held back must not win."""
    w = QuizWidget(_q(bank, "single"), progress=store)
    right = next(c.text for c in w.question.choices if c.correct)
    w.answer = next(c.text for c in w.question.choices if not c.correct)  # an older update
    w._handle_custom_msg({"event": "press", "action": "check", "answer": right}, [])
    assert "Correct" in _text(w.feedback_html)
    assert w.answer == right
    assert _answers(store, w.question)[0]["answer"] == right


def test_two_students_see_their_own_option_orders_and_both_can_answer(bank, store):
    q = _q(bank, "single")
    seen = {}
    for student in ("ada", "bo", "cy", "di", "ed", "flo"):
        w = QuizWidget(q, progress=store, student=student)
        assert w.spec["options"] == [c.text for c in q.display_choices(student)]
        assert QuizWidget(q, progress=store, student=student).spec == w.spec  # the same order every time
        seen[student] = tuple(w.spec["options"])
        w.answer = next(c.text for c in q.choices if c.correct)  # the browser reports the text, not a position
        w.press("check")
        assert "Correct" in _text(w.feedback_html)
    assert len(set(seen.values())) >= 2


def test_the_student_comes_from_the_environment(bank, store, monkeypatch):
    monkeypatch.setenv("COURSE_STUDENT", "zoe")
    w = QuizWidget(_q(bank, "multiple"), progress=store)
    assert w.student == "zoe"
    assert w.spec["options"] == [c.text for c in _q(bank, "multiple").display_choices("zoe")]


def test_variants_can_be_turned_off_for_a_class_answering_together(bank, store, monkeypatch):
    monkeypatch.setenv("COURSE_VARIANTS", "off")
    q = _q(bank, "single")
    w = QuizWidget(q, progress=store)
    assert w.student is None
    assert w.spec["options"] == [c.text for c in q.display_choices(None)]
    assert QuizWidget(q, progress=store).spec == w.spec  # one order for the whole class
    assert w.spec["options"] == q.static_groups()[0][2]  # the same order as the handout and the saved view

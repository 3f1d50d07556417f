"""A person opens 00_start_here in JupyterLab, runs it, and answers every kind of question,
first wrongly and then rightly, by clicking and typing. The feedback text is checked each time, and so is
the progress file the answers go to. Then the same for one quiz in Notebook 7."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import open_notebook, screenshot

pytestmark = pytest.mark.browser

CORRECT = "✔ Correct!"
WRONG = "✘ Not quite"


def quiz_box(page, kind: str):
    box = page.locator(f".course-quiz-{kind}")
    expect(box).to_have_count(1, timeout=60_000)  # the live widget, not the stored static text
    box.scroll_into_view_if_needed()
    return box


def check(box, expected: str, button: str = "Check"):
    box.get_by_role("button", name=button).click()
    expect(box.locator(".course-feedback")).to_contain_text(expected, timeout=15_000)


@pytest.fixture(scope="module")
def lab_page(browser, jupyter_server):
    page = open_notebook(browser, jupyter_server, "00_start_here.ipynb", ui="lab")
    yield page
    page.close()


def test_single_choice(lab_page):
    box = quiz_box(lab_page, "single")
    box.get_by_role("radio", name="Ctrl + S", exact=True).check()
    check(box, "saves the notebook")
    check(box, WRONG)
    box.get_by_role("radio", name="Shift + Enter", exact=True).check()
    check(box, CORRECT)
    screenshot(lab_page, "lab-single-choice")


def test_multiple_choice_partial_then_right(lab_page):
    box = quiz_box(lab_page, "multiple")
    box.get_by_role("checkbox", name="energy security").check()
    box.get_by_role("checkbox", name="banking").check()
    check(box, WRONG)
    expect(box.locator(".course-feedback")).to_contain_text("You ticked 1 of the 2 right choices and 1 wrong")
    box.get_by_role("checkbox", name="banking").uncheck()
    check(box, "Partly right: 50%")
    box.get_by_role("checkbox", name="food security").check()
    check(box, CORRECT)


def test_numeric_with_bad_input(lab_page):
    box = quiz_box(lab_page, "numeric")
    field = box.get_by_role("textbox")
    field.fill("nine")
    check(box, "is not a number")
    field.fill("12")
    check(box, "too high")
    field.fill(" 9,0 ")
    check(box, CORRECT)


def test_ordering(lab_page):
    box = quiz_box(lab_page, "ordering")
    selects = box.locator("select")
    expect(selects).to_have_count(5)
    wrong = ["Conclusion", "Challenges and Prospects",
             "Russia-Kyrgyzstan Relations in a Regional and Global Context",
             "Pillars of Bilateral Cooperation: From Infrastructure to People-to-People Exchanges",
             "A State Visit Highlighting the Alliance"]
    for i, label in enumerate(wrong):
        selects.nth(i).select_option(label=label)
    check(box, "1 of 5 are in the right position")
    for i, label in enumerate(reversed(wrong)):
        selects.nth(i).select_option(label=label)
    check(box, CORRECT)
    screenshot(lab_page, "lab-ordering")


def test_matching(lab_page):
    box = quiz_box(lab_page, "matching")
    selects = box.locator("select")
    expect(selects).to_have_count(4)
    for i in range(4):
        selects.nth(i).select_option(label="Sadyr Japarov")
    check(box, "1 of 4 pairs are right")
    for i, label in enumerate(["Sadyr Japarov", "Vladimir Putin", "Vladimir Putin",
                               "No speaker: the article's own word"]):
        selects.nth(i).select_option(label=label)
    check(box, CORRECT)


def test_reflection(lab_page):
    box = quiz_box(lab_page, "reflection")
    check(box, "Please give an answer first", button="Save my answer")
    box.get_by_role("textbox").fill("Many people from Kyrgyzstan work in Russia. Is the article one-sided?")
    check(box, "Saved. This question is not graded.", button="Save my answer")
    expect(box.locator(".course-feedback")).to_contain_text("A model answer to compare with yours")
    screenshot(lab_page, "lab-reflection")


def test_show_answer_unlocks_after_two_attempts(lab_page):
    box = quiz_box(lab_page, "single")  # answered three times above
    reveal = box.get_by_role("button", name="Show answer")
    expect(reveal).to_be_enabled()
    reveal.click()
    expect(box.locator(".course-feedback")).to_contain_text("Answer: Shift + Enter")


def test_answers_were_recorded(lab_page, jupyter_server):
    """Every checked answer reached the progress file (and the progress bar)."""
    lab_page.get_by_text("questions answered").last.scroll_into_view_if_needed()
    doc = json.loads((jupyter_server["progress"] / "progress.json").read_text())
    # other browser tests share this server and progress file: look at this notebook's answers only
    doc["attempts"] = [a for a in doc["attempts"] if a["notebook"] == "00_start_here"]
    answered = {a["question"] for a in doc["attempts"] if a["kind"] == "answer"}
    assert answered == {"00-run-cell", "00-especially", "00-schools", "00-sections", "00-who-said",
                        "00-expectations"}
    correct = {a["question"] for a in doc["attempts"] if a["correct"]}
    assert correct == answered - {"00-expectations"}
    numeric = [a for a in doc["attempts"] if a["question"] == "00-schools"]
    assert [a["answer"] for a in numeric] == [12.0, 9.0]  # "nine" was refused, not recorded
    assert [a["attempt"] for a in numeric] == [1, 2]
    assert any(a["kind"] == "reveal" for a in doc["attempts"])
    # The progress bar is re-drawn when its cell runs again; Run All ran it before the answers.
    assert not lab_page.console_errors or all("favicon" in e for e in lab_page.console_errors), \
        lab_page.console_errors


def test_notebook7_single_choice(browser, jupyter_server):
    pytest.importorskip("notebook", reason="Notebook 7 is not installed")
    page = open_notebook(browser, jupyter_server, "00_start_here.ipynb", ui="notebook")
    try:
        box = quiz_box(page, "single")
        box.get_by_role("radio", name="Enter", exact=True).check()
        check(box, "starts a new line")
        box.get_by_role("radio", name="Shift + Enter", exact=True).check()
        check(box, CORRECT)
        screenshot(page, "notebook7-single-choice")
    finally:
        page.close()


CELL_WITH = """(text) => { const nb = window.jupyterapp.shell.currentWidget.content;
  const i = nb.widgets.findIndex(c => c.model.sharedModel.getSource().includes(text));
  if (i >= 0) { nb.scrollToItem(i); }
  return i; }"""


def select_cell(page, text: str) -> int:
    """Select (command mode) the cell whose source contains `text`, by clicking its prompt as a person does."""
    index = page.evaluate(CELL_WITH, text)
    assert index >= 0, text
    prompt = page.locator(".jp-Cell").nth(index).locator(".jp-InputPrompt")
    prompt.scroll_into_view_if_needed()
    prompt.click()
    expect(page.locator(".jp-Cell").nth(index)).to_have_class(re.compile(r"\bjp-mod-active\b"))
    return index


def _type_into_active_cell(page, text: str) -> None:
    """Edit the active cell as a person does: Enter to edit, select all, type, Shift+Enter to run."""
    page.keyboard.press("Enter")
    editor = page.locator(".jp-Cell.jp-mod-active .cm-content")
    try:
        expect(editor).to_be_focused(timeout=5_000)
    except AssertionError:  # a busy JupyterLab can miss the key while it re-renders: click in, as a person would
        editor.click()
        expect(editor).to_be_focused(timeout=10_000)
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    page.keyboard.press("Shift+Enter")


def test_an_exercise_is_tried_checked_and_after_the_attempt_its_solution_revealed(browser, jupyter_server):
    """Notebook 01, Exercise 1.2, in JupyterLab: after Run All the check says "Not answered yet"; asking for the
    solution before a real attempt is refused; a wrong answer gets a hint that names reveal(...); reveal shows
    the model solution; typed in, it passes. The progress file has the attempt, the reveal (not a pass), then
    the pass."""
    from course.exercises import solution

    page = open_notebook(browser, jupyter_server, "01_reading_the_article.ipynb", ui="lab")
    try:
        exercise = page.evaluate(CELL_WITH, "backyard_label = ...")
        check_output = page.locator(".jp-Cell").nth(exercise + 1).locator(".jp-OutputArea-output")
        expect(check_output).to_contain_text("Not answered yet", timeout=120_000)

        select_cell(page, 'check("01-backyard-label"')  # a new cell below the check: reveal too early
        page.keyboard.press("b")
        _type_into_active_cell(page, 'reveal("01-backyard-label")')
        revealed = page.locator(".jp-Cell").nth(exercise + 2).locator(".jp-OutputArea-output")
        expect(revealed).to_contain_text("Try Exercise 1.2 first", timeout=30_000)

        select_cell(page, "backyard_label = ...")  # a real, wrong attempt, then its check
        _type_into_active_cell(page, 'backyard_label = "quotation"')
        page.keyboard.press("Shift+Enter")
        expect(check_output).to_contain_text("✘ Not yet.", timeout=30_000)
        expect(check_output).to_contain_text('reveal("01-backyard-label")')

        select_cell(page, 'reveal("01-backyard-label")')  # the same cell again, after the attempt
        page.keyboard.press("Shift+Enter")
        expect(revealed).to_contain_text("A model solution for Exercise 1.2", timeout=30_000)
        expect(revealed.locator("pre.course-solution")).to_have_text(solution("01-backyard-label"))
        screenshot(page, "lab-exercise-revealed")

        select_cell(page, 'backyard_label = "quotation"')
        _type_into_active_cell(page, solution("01-backyard-label"))
        page.keyboard.press("Shift+Enter")
        expect(check_output).to_contain_text("✔ Right", timeout=30_000)
    except Exception:
        screenshot(page, "lab-exercise-revealed-FAILED")
        raise
    finally:
        page.close()
    attempts = json.loads((jupyter_server["progress"] / "progress.json").read_text())["attempts"]
    mine = [(a["kind"], a["correct"]) for a in attempts if a["question"] == "01-backyard-label"]
    assert mine == [("exercise", False), ("reveal", None), ("exercise", True)]

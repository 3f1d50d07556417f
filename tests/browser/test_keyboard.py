"""A student who uses only the keyboard: after Run All (the one mouse action), they move to the first quiz
with JupyterLab's own arrow keys, then answer one question of every type in 00_start_here with Tab,
Shift+Tab, the arrow keys, Space and Enter (and typing, where a question asks for text). Then one quiz the
same way in Notebook 7. Plus the JupyterLab settings override that `make lab` installs for the arrow keys.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from course.quiz import keyboard
from course.quiz.bank import bank_paths, load_bank

from .conftest import open_notebook, screenshot

browser_test = pytest.mark.browser

CELLS = "() => window.jupyterapp.shell.currentWidget.content.widgets.length"
ACTIVE_CELL = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
CELL_OF = """(text) => window.jupyterapp.shell.currentWidget.content.widgets
                         .findIndex(c => c.model.sharedModel.getSource().includes(text))"""
FOCUS = """() => {
  const e = document.activeElement;
  const quiz = e && e.closest('.course-quiz');
  const label = e.labels && e.labels.length ? e.labels[0].textContent : e.textContent;
  return {tag: e.tagName.toLowerCase(), type: e.type || '', action: (e.dataset || {}).action || '',
          label: (label || '').trim().slice(0, 120), checked: !!e.checked,
          value: e.tagName === 'SELECT' ? e.options[e.selectedIndex].text : (e.value || ''),
          options: e.tagName === 'SELECT' ? Array.from(e.options).map(o => o.text) : [],
          quiz: quiz ? quiz.className.replace('course-quiz ', '') : ''};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUS)


def tab_until(page, wanted, limit: int = 30, key: str = "Tab") -> dict:
    """Press Tab until `wanted(focus)` holds; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press(key)
        f = focused(page)
        if wanted(f):
            return f
    raise AssertionError(f"{key} never got there; focus is on {focused(page)}")


def feedback(page, kind: str):
    return page.locator(f".course-quiz-{kind} .course-feedback")


def bank():
    return next(load_bank(p) for p in bank_paths() if p.stem == "00_start_here")


def question(kind: str):
    return next(q for q in bank().questions if q.kind == kind)


def shown(kind: str) -> list:
    """The options as this server shows them: COURSE_VARIANTS=off, so the question's one fixed order."""
    return question(kind).display_choices(None)


def said_to(choice) -> str:
    """A piece of the feedback a press of Check on `choice` shows."""
    return "✔ Correct!" if choice.correct else choice.feedback[:20]


def arrows_to(page, start: int, end: int) -> None:
    """Move the checked radio from option `start` to option `end` with the arrow keys."""
    for _ in range(abs(end - start)):
        page.keyboard.press("ArrowDown" if end > start else "ArrowUp")


@pytest.fixture(scope="module")
def lab(browser, private_server):
    page = open_notebook(browser, private_server, "00_start_here.ipynb", ui="lab")
    expect(page.locator(".course-quiz")).to_have_count(6, timeout=60_000)
    page.server = private_server
    yield page
    page.close()


@browser_test
def test_the_first_quiz_is_reached_with_jupyterlabs_arrow_keys_then_tab(lab):
    target = lab.evaluate(CELL_OF, 'quiz("00-run-cell")')
    assert target > 0
    for _ in range(40):  # command mode: the arrows move between cells (outside outputs, the override keeps them)
        if lab.evaluate(ACTIVE_CELL) == target:
            break
        lab.keyboard.press("ArrowUp")
    assert lab.evaluate(ACTIVE_CELL) == target
    f = tab_until(lab, lambda f: f["quiz"] != "", limit=10)
    assert f["quiz"] == "course-quiz-single", f
    assert f["type"] == "radio", f
    assert f["label"] == shown("single")[0].text, f


@browser_test
def test_single_choice_with_arrows_tab_enter_and_space(lab):
    opts = shown("single")
    right = next(i for i, c in enumerate(opts) if c.correct)
    cell, cells = lab.evaluate(ACTIVE_CELL), lab.evaluate(CELLS)
    lab.keyboard.press("ArrowDown")  # the arrows choose within the group; the notebook stays put
    f = focused(lab)
    assert f["type"] == "radio", f
    assert f["label"] == opts[1].text, f
    assert f["checked"], f
    assert lab.evaluate(ACTIVE_CELL) == cell
    lab.keyboard.press("Tab")
    assert focused(lab)["action"] == "check"
    lab.keyboard.press("Enter")
    expect(feedback(lab, "single")).to_contain_text(said_to(opts[1]), timeout=15_000)
    # letters on a focused quiz control are not notebook commands (D D would delete the cell)
    for key in ("d", "d", "a", "m"):
        lab.keyboard.press(key)
    assert lab.evaluate(CELLS) == cells
    assert lab.evaluate(ACTIVE_CELL) == cell
    lab.keyboard.press("Shift+Tab")
    assert focused(lab)["label"] == opts[1].text  # back to the group, on the checked radio
    arrows_to(lab, 1, right)
    assert focused(lab)["label"] == opts[right].text
    assert focused(lab)["checked"]
    lab.keyboard.press("Tab")
    lab.keyboard.press("Space")
    expect(feedback(lab, "single")).to_contain_text("✔ Correct!", timeout=15_000)
    screenshot(lab, "keyboard-single")


@browser_test
def test_multiple_choice_with_tab_and_space(lab):
    opts = shown("multiple")
    f = tab_until(lab, lambda f: f["quiz"] == "course-quiz-multiple")
    assert f["type"] == "checkbox", f
    assert f["label"] == opts[0].text, f
    for i, choice in enumerate(opts):  # Tab from box to box, Space on the right ones
        if i:
            lab.keyboard.press("Tab")
            assert focused(lab)["label"] == choice.text
        if choice.correct:
            lab.keyboard.press("Space")
    tab_until(lab, lambda f: f["action"] == "check", limit=6)
    lab.keyboard.press("Enter")
    expect(feedback(lab, "multiple")).to_contain_text("✔ Correct!", timeout=15_000)


@browser_test
def test_numeric_typed_and_checked_with_enter(lab):
    f = tab_until(lab, lambda f: f["quiz"] == "course-quiz-numeric")
    assert f["tag"] == "input", f
    assert f["label"] == "Your answer", f
    lab.keyboard.type("12")
    lab.keyboard.press("Enter")  # Enter in the field checks
    expect(feedback(lab, "numeric")).to_contain_text("too high", timeout=15_000)
    for _ in range(2):
        lab.keyboard.press("Backspace")
    lab.keyboard.type("9")
    lab.keyboard.press("Enter")
    expect(feedback(lab, "numeric")).to_contain_text("✔ Correct!", timeout=15_000)


def _choose_with_arrows(page, wanted: str) -> None:
    """On a focused list: press ArrowDown until `wanted` is chosen (the list starts at "— choose —")."""
    f = focused(page)
    assert f["tag"] == "select", f
    assert wanted in f["options"], f
    for _ in range(f["options"].index(wanted) - f["options"].index(f["value"])):
        page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == wanted, focused(page)


@browser_test
def test_ordering_with_arrow_keys_in_each_list(lab):
    q = question("ordering")
    f = tab_until(lab, lambda f: f["quiz"] == "course-quiz-ordering")
    assert f["label"] == "Position 1", f
    for i, item in enumerate(q.items):
        if i:
            lab.keyboard.press("Tab")
            assert focused(lab)["label"] == f"Position {i + 1}"
        _choose_with_arrows(lab, item)
    lab.keyboard.press("Tab")
    assert focused(lab)["action"] == "check"
    lab.keyboard.press("Enter")
    expect(feedback(lab, "ordering")).to_contain_text("✔ Correct!", timeout=15_000)
    screenshot(lab, "keyboard-ordering")


@browser_test
def test_matching_with_arrow_keys_in_each_list(lab):
    q = question("matching")
    tab_until(lab, lambda f: f["quiz"] == "course-quiz-matching")
    for i, (left, right) in enumerate(q.pairs):
        if i:
            lab.keyboard.press("Tab")
        assert focused(lab)["label"] == left
        _choose_with_arrows(lab, right)
    lab.keyboard.press("Tab")
    lab.keyboard.press("Space")
    expect(feedback(lab, "matching")).to_contain_text("✔ Correct!", timeout=15_000)


@browser_test
def test_reflection_typed_and_saved_with_enter(lab):
    f = tab_until(lab, lambda f: f["quiz"] == "course-quiz-reflection")
    assert f["tag"] == "textarea", f
    assert f["label"] == "Your answer", f
    lab.keyboard.type("Many people from Kyrgyzstan work in Russia. Is the article one-sided?")
    lab.keyboard.press("Tab")
    assert focused(lab)["action"] == "check"
    lab.keyboard.press("Enter")
    expect(feedback(lab, "reflection")).to_contain_text("Saved. This question is not graded.", timeout=15_000)
    screenshot(lab, "keyboard-reflection")


@browser_test
def test_every_keyboard_answer_was_recorded(lab):
    path = lab.server["progress"] / "progress.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    answers = [a for a in doc["attempts"] if a["kind"] == "answer"]
    assert {a["question"] for a in answers} == set(bank().ids)
    assert {a["question"] for a in answers if a["correct"]} == set(bank().ids) - {"00-expectations"}


@browser_test
def test_the_keyboard_override_is_installed_and_in_force(lab):
    """`make lab` installed the override; in the page, no arrow shortcut matches a focused quiz control, and
    each still matches a focused cell."""
    assert keyboard.installed(), f"run `make lab` (or python -m course.quiz.keyboard): {keyboard.path()} missing"
    bindings = lab.evaluate("""() => window.jupyterapp.commands.keyBindings
        .filter(b => b.keys.length === 1 && b.keys[0].startsWith('Arrow')).map(b => [b.keys[0], b.selector])""")
    arrows = {k for k, _ in bindings}
    assert arrows == {"ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"}
    assert all(selector == keyboard.OUTSIDE_OUTPUTS for _, selector in bindings), bindings
    selectors = [s for _, s in bindings]
    lab.locator(".course-quiz-single input[type=radio]").first.focus()
    assert not lab.evaluate("(ss) => ss.some(s => document.activeElement.matches(s))", selectors)
    lab.locator(".jp-Notebook .jp-Cell").first.focus()
    assert lab.evaluate("(ss) => ss.every(s => document.activeElement.matches(s))", selectors)


def test_the_override_replaces_jupyterlabs_own_arrow_shortcuts():
    """Each shortcut the override disables is one JupyterLab ships (same command, keys and selector), so a
    JupyterLab upgrade that changes them shows here."""
    schema = keyboard.app_dir() / "schemas" / "@jupyterlab" / "notebook-extension" / "tracker.json"
    shipped = json.loads(schema.read_text(encoding="utf-8"))["jupyter.lab.shortcuts"]
    entries = keyboard.overrides()["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    disabled = [e for e in entries if e.get("disabled")]
    assert len(disabled) == 4
    for e in disabled:
        assert {"command": e["command"], "keys": e["keys"], "selector": e["selector"]} in shipped, e
    added = [e for e in entries if not e.get("disabled")]
    assert [(e["command"], e["keys"]) for e in added] == [(e["command"], e["keys"]) for e in disabled]


def test_the_override_installs_into_a_prefix(tmp_path):
    path = keyboard.install(tmp_path)
    assert path == tmp_path / "share/jupyter/lab/settings/overrides.d" / keyboard.FILENAME
    assert keyboard.installed(tmp_path)
    assert json.loads(path.read_text()) == keyboard.overrides()
    assert keyboard.main(["--prefix", str(tmp_path)]) == 0
    assert keyboard.main(["--bad"]) == 2


@browser_test
def test_notebook7_single_choice_by_keyboard(browser, private_server):
    pytest.importorskip("notebook", reason="Notebook 7 is not installed")
    page = open_notebook(browser, private_server, "00_start_here.ipynb", ui="notebook")
    try:
        expect(page.locator(".course-quiz-single")).to_have_count(1, timeout=60_000)
        target = page.evaluate(CELL_OF, 'quiz("00-run-cell")')
        for _ in range(40):
            if page.evaluate(ACTIVE_CELL) == target:
                break
            page.keyboard.press("ArrowUp")
        opts = shown("single")
        right = next(i for i, c in enumerate(opts) if c.correct)
        f = tab_until(page, lambda f: f["quiz"] != "", limit=10)
        assert f["quiz"] == "course-quiz-single", f
        assert f["label"] == opts[0].text, f
        cells = page.evaluate(CELLS)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        assert focused(page)["label"] == opts[2].text
        assert page.evaluate(ACTIVE_CELL) == target
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(feedback(page, "single")).to_contain_text(said_to(opts[2]), timeout=15_000)
        for key in ("d", "d", "a"):  # Notebook 7 listens before JupyterLab does: still not notebook commands
            page.keyboard.press(key)
        assert page.evaluate(CELLS) == cells
        page.keyboard.press("Shift+Tab")
        arrows_to(page, 2, right)
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        expect(feedback(page, "single")).to_contain_text("✔ Correct!", timeout=15_000)
        screenshot(page, "keyboard-notebook7-single")
    finally:
        page.close()


@browser_test
def test_a_view_in_one_order_for_everyone_is_not_the_banks_order(lab):
    """With COURSE_VARIANTS=off (a class answering from one screen) every choice question shows the question's
    fixed order, the one handouts and the no-kernel view show, and not the bank's, which lists the keys first:
    quiz 0.2's first option is not one of its right answers."""
    for kind in ("single", "multiple"):
        q = question(kind)
        labels = [x.strip() for x in lab.locator(f".course-quiz-{kind} .course-option label").all_text_contents()]
        assert labels == [c.text for c in q.display_choices(None)], labels
        assert labels == q.static_groups()[0][2]
        assert labels != [c.text for c in q.choices]
    assert not question("multiple").display_choices(None)[0].correct

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
    assert f["quiz"] == "course-quiz-single" and f["type"] == "radio" and f["label"] == "Shift + Enter", f


@browser_test
def test_single_choice_with_arrows_tab_enter_and_space(lab):
    cell, cells = lab.evaluate(ACTIVE_CELL), lab.evaluate(CELLS)
    lab.keyboard.press("ArrowDown")  # the arrows choose within the group; the notebook stays put
    f = focused(lab)
    assert f["type"] == "radio" and f["label"] == "Enter" and f["checked"], f
    assert lab.evaluate(ACTIVE_CELL) == cell
    lab.keyboard.press("Tab")
    assert focused(lab)["action"] == "check"
    lab.keyboard.press("Enter")
    expect(feedback(lab, "single")).to_contain_text("starts a new line", timeout=15_000)
    # letters on a focused quiz control are not notebook commands (D D would delete the cell)
    for key in ("d", "d", "a", "m"):
        lab.keyboard.press(key)
    assert lab.evaluate(CELLS) == cells and lab.evaluate(ACTIVE_CELL) == cell
    lab.keyboard.press("Shift+Tab")
    assert focused(lab)["label"] == "Enter"  # back to the group, on the checked radio
    lab.keyboard.press("ArrowUp")
    assert focused(lab)["label"] == "Shift + Enter" and focused(lab)["checked"]
    lab.keyboard.press("Tab")
    lab.keyboard.press("Space")
    expect(feedback(lab, "single")).to_contain_text("✔ Correct!", timeout=15_000)
    screenshot(lab, "keyboard-single")


@browser_test
def test_multiple_choice_with_tab_and_space(lab):
    f = tab_until(lab, lambda f: f["quiz"] == "course-quiz-multiple")
    assert f["type"] == "checkbox" and f["label"] == "energy security", f
    lab.keyboard.press("Space")
    lab.keyboard.press("Tab")
    assert focused(lab)["label"] == "food security"
    lab.keyboard.press("Space")
    tab_until(lab, lambda f: f["action"] == "check", limit=6)
    lab.keyboard.press("Enter")
    expect(feedback(lab, "multiple")).to_contain_text("✔ Correct!", timeout=15_000)


@browser_test
def test_numeric_typed_and_checked_with_enter(lab):
    f = tab_until(lab, lambda f: f["quiz"] == "course-quiz-numeric")
    assert f["tag"] == "input" and f["label"] == "Your answer", f
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
    assert f["tag"] == "select" and wanted in f["options"], f
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
    assert f["tag"] == "textarea" and f["label"] == "Your answer", f
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
    assert keyboard.installed(tmp_path) and json.loads(path.read_text()) == keyboard.overrides()
    assert keyboard.main(["--prefix", str(tmp_path)]) == 0 and keyboard.main(["--bad"]) == 2


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
        f = tab_until(page, lambda f: f["quiz"] != "", limit=10)
        assert f["quiz"] == "course-quiz-single" and f["label"] == "Shift + Enter", f
        cells = page.evaluate(CELLS)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        assert focused(page)["label"] == "Ctrl + S" and page.evaluate(ACTIVE_CELL) == target
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(feedback(page, "single")).to_contain_text("saves the notebook", timeout=15_000)
        for key in ("d", "d", "a"):  # Notebook 7 listens before JupyterLab does: still not notebook commands
            page.keyboard.press(key)
        assert page.evaluate(CELLS) == cells
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        expect(feedback(page, "single")).to_contain_text("✔ Correct!", timeout=15_000)
        screenshot(page, "keyboard-notebook7-single")
    finally:
        page.close()

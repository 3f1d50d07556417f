"""Accessibility of the module in a real browser: axe-core on every quiz type (fresh and after feedback), on
the module's other outputs, in JupyterLab and Notebook 7; then what axe does not check: each group of choices
labelled by its question, feedback in a live region that is there before it speaks, no "null" tooltips,
focus order = reading order, feedback that does not rely on colour, chart alt text.

Every axe finding, the module's and JupyterLab's, goes into test-artifacts/accessibility-report.txt (printed
at the end of the run). Only serious or critical findings on the module's own elements fail a test.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from playwright.sync_api import expect

from . import axe_audit
from .conftest import open_notebook, screenshot

pytestmark = pytest.mark.browser

KINDS = ["single", "multiple", "numeric", "ordering", "matching", "reflection"]
SYMBOLS = "✔✘◐⚠ℹ✎"

TABBABLES = """(root) => {
  const key = (e) => e.id || e.dataset.action;
  const all = Array.from(root.querySelectorAll('input, select, textarea, button, a[href], [tabindex]'))
    .filter(e => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length > 0);
  const out = [], groups = new Set();
  for (const e of all) {
    if (e.type === 'radio') {  // a radio group is one stop: its checked radio, else its first
      if (groups.has(e.name)) continue;
      groups.add(e.name);
      out.push(key(root.querySelector(`input[type=radio][name="${e.name}"]:checked`) || e));
    } else out.push(key(e));
  }
  return out;
}"""
FOCUSED = """(root) => {
  const e = document.activeElement;
  if (!e || !root.contains(e)) return null;
  const r = e.getBoundingClientRect();
  return {key: e.id || e.dataset.action, top: r.top + window.scrollY, left: r.left};
}"""


def quiz_box(page, kind: str):
    box = page.locator(f".course-quiz-{kind}")
    expect(box).to_have_count(1, timeout=60_000)
    box.scroll_into_view_if_needed()
    return box


def check(box, expected: str, button: str = "Check"):
    box.get_by_role("button", name=button).click()
    expect(box.locator(".course-feedback")).to_contain_text(expected, timeout=15_000)


@pytest.fixture(scope="module")
def lab(browser, private_server):
    page = open_notebook(browser, private_server, "00_start_here.ipynb", ui="lab")
    for kind in KINDS:
        quiz_box(page, kind)
    expect(page.locator(".course-progress")).to_have_count(1, timeout=30_000)
    yield page
    page.close()


# --- what axe does not check, first, on the quizzes as a student finds them ---------------------------------


def test_single_choice_is_one_radiogroup_labelled_by_its_question(lab):
    box = quiz_box(lab, "single")
    group = box.get_by_role("radiogroup")
    expect(group).to_have_count(1)
    prompt_id = box.locator(".course-quiz-prompt").get_attribute("id")
    assert prompt_id
    assert prompt_id in group.get_attribute("aria-labelledby").split()
    expect(group).to_have_accessible_name(re.compile(r"^Question 0\.1 .*Which keys run the cell"))
    expect(group.get_by_role("radio")).to_have_count(4)
    expect(box.get_by_role("radio")).to_have_count(4)  # all of them in the group
    expect(group.get_by_role("radio", name="Shift + Enter", exact=True)).to_have_count(1)


def test_multiple_choice_checkboxes_are_one_group_labelled_by_its_question(lab):
    box = quiz_box(lab, "multiple")
    group = box.get_by_role("group")
    expect(group).to_have_count(1)
    prompt_id = box.locator(".course-quiz-prompt").get_attribute("id")
    assert prompt_id in group.get_attribute("aria-labelledby").split()
    expect(group).to_have_accessible_name(re.compile(r"^Question 0\.2 Tick all that apply"))
    expect(group.get_by_role("checkbox")).to_have_count(5)
    expect(box.get_by_role("checkbox")).to_have_count(5)
    expect(group.get_by_role("checkbox", name="food security", exact=True)).to_have_count(1)


@pytest.mark.parametrize("kind, names", [
    ("ordering", [f"Position {i}" for i in range(1, 6)]),
    ("matching", ['"backyard"',
                  '"Russia was, and remains, our strategic ally, reliable partner, and sincere friend."']),
])
def test_lists_are_grouped_under_the_question_and_each_has_a_label(lab, kind, names):
    box = quiz_box(lab, kind)
    group = box.get_by_role("group")
    expect(group).to_have_count(1)
    assert box.locator(".course-quiz-prompt").get_attribute("id") in group.get_attribute("aria-labelledby").split()
    for name in names:
        expect(group.get_by_role("combobox", name=name, exact=True)).to_have_count(1)
    for select in box.get_by_role("combobox").all():
        expect(select).to_have_accessible_name(re.compile(r"\S"))


@pytest.mark.parametrize("kind, role", [("numeric", "textbox"), ("reflection", "textbox")])
def test_text_fields_have_a_visible_label(lab, kind, role):
    box = quiz_box(lab, kind)
    field = box.get_by_role(role, name="Your answer", exact=True)
    expect(field).to_have_count(1)
    expect(box.locator("label", has_text="Your answer")).to_be_visible()


def test_every_quiz_is_a_region_named_by_its_label(lab):
    for i, kind in enumerate(KINDS, start=1):
        box = quiz_box(lab, kind)
        expect(box).to_have_accessible_name(f"Question 0.{i}")
        expect(lab.get_by_role("region", name=f"Question 0.{i}", exact=True)).to_have_count(1)


def test_no_control_has_a_null_tooltip(lab):
    outputs = lab.locator(".jp-OutputArea-output")
    for bad in ("null", "undefined", ""):
        expect(outputs.locator(f'[title="{bad}"]')).to_have_count(0)
    page_wide = lab.locator('[title="null"]').count()
    assert page_wide == 0, f'{page_wide} element(s) with title="null" outside the outputs (JupyterLab)'


@pytest.mark.parametrize("kind", KINDS)
def test_focus_order_follows_reading_order(lab, kind):
    box = quiz_box(lab, kind)
    expected = box.evaluate(TABBABLES)
    assert len(expected) >= 2
    box.locator(f"#{expected[0]}").focus()  # the first control (then only Tab)
    seen = []
    for _ in range(len(expected) + 3):
        where = box.evaluate(FOCUSED)
        if where is None:
            break
        seen.append(where)
        lab.keyboard.press("Tab")
    assert [w["key"] for w in seen] == expected
    for a, b in zip(seen, seen[1:]):  # each stop below the last, or on the same line to its right
        assert b["top"] > a["top"] + 2 or (abs(b["top"] - a["top"]) <= 2 and b["left"] > a["left"]), (a, b)
    # the locked "Show answer" stays reachable, with its reason as its description
    if kind != "reflection":
        reveal = box.get_by_role("button", name="Show answer")
        expect(reveal).to_have_attribute("aria-disabled", "true")
        expect(reveal).to_have_accessible_description(re.compile("after 2 attempts"))


@pytest.mark.parametrize("kind", KINDS)
def test_feedback_goes_to_a_live_region_that_was_there_before(lab, kind):
    box = quiz_box(lab, kind)
    region = box.locator(".course-feedback")
    expect(region).to_have_count(1)
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_be_empty()
    region.evaluate("e => { e.dataset.before = 'yes'; }")  # the same element must speak, not a new one
    button = "Save my answer" if kind == "reflection" else "Check"
    check(box, "⚠", button=button)  # nothing chosen yet: a message, announced
    expect(box.locator(".course-feedback[data-before=yes]")).to_have_count(1)
    if kind == "single":  # the same message twice is announced twice: the region is emptied, then filled
        region.evaluate("e => { e._changes = 0; new MutationObserver(() => e._changes++).observe(e, "
                        "{childList: true}); }")
        box.get_by_role("button", name="Check").click()
        lab.wait_for_function("e => e._changes >= 2", arg=region.element_handle(), timeout=15_000)
        expect(region).to_contain_text("⚠")
        hints = box.locator(".course-hint")
        expect(hints).to_have_attribute("role", "status")
        hints.evaluate("e => { e.dataset.before = 'yes'; }")
        box.get_by_role("button", name="Hint").click()
        expect(box.locator(".course-hint[data-before=yes]")).to_contain_text("Hint 1 of 1")


# --- axe ------------------------------------------------------------------------------------------------------


def _exercise(page, kind: str) -> None:
    """Put a quiz into the states a student sees (so that axe checks the feedback's colours too)."""
    box = quiz_box(page, kind)
    if kind == "single":
        box.get_by_role("radio", name="Enter", exact=True).check()
        check(box, "Not quite")
        box.get_by_role("radio", name="Esc", exact=True).check()
        check(box, "Not quite")
        box.get_by_role("button", name="Show answer").click()
        expect(box.locator(".course-feedback")).to_contain_text("Answer: Shift + Enter")
    elif kind == "multiple":
        box.get_by_role("checkbox", name="energy security").check()
        check(box, "Partly right")
    elif kind == "numeric":
        box.get_by_role("textbox").fill("nine")
        check(box, "is not a number")
    elif kind == "ordering":
        box.locator("select").first.select_option(label="Conclusion")
        check(box, "Please choose an item for every position")
    elif kind == "matching":
        for i, label in enumerate(["Sadyr Japarov", "Vladimir Putin", "Vladimir Putin",
                                   "No speaker: the article's own word"]):
            box.locator("select").nth(i).select_option(label=label)
        check(box, "Correct")
    else:
        box.get_by_role("textbox").fill("Many people from Kyrgyzstan work in Russia.")
        check(box, "Saved", button="Save my answer")


@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_nothing_serious_in_each_quiz_type(lab, kind):
    box = quiz_box(lab, kind)
    _exercise(lab, kind)
    box.scroll_into_view_if_needed()
    lab.wait_for_timeout(300)  # the feedback is filled 50 ms after the region is emptied
    result = axe_audit.run(lab, f"JupyterLab: 00_start_here, {kind} quiz with feedback", box)
    assert not axe_audit.module_violations(result), axe_audit.module_violations(result)
    # contrast was really measured on the quiz's text (not skipped as undecidable)
    undecided = [v for v in result["incomplete"] if v["id"] == "color-contrast"]
    assert not undecided, undecided
    screenshot(lab, f"a11y-{kind}")


def test_axe_on_the_whole_page(lab):
    """The whole JupyterLab page: the module's part must be clean; JupyterLab's own findings are reported."""
    lab.locator(".course-progress").scroll_into_view_if_needed()
    result = axe_audit.run(lab, "JupyterLab: 00_start_here, whole page after answering")
    assert not axe_audit.module_violations(result), axe_audit.module_violations(result)
    progress = lab.locator(".course-progress").get_by_role("progressbar")
    expect(progress).to_have_count(1)
    expect(progress).to_have_accessible_name("Questions answered in this notebook")
    expect(progress).to_have_attribute("aria-valuetext", re.compile(r"of 6 questions answered"))


def test_feedback_does_not_rely_on_colour(lab):
    """After the states above: every message starts with a symbol and words; its text has the quiz's own
    text colour (the status colour is only the left border)."""
    for kind in KINDS:
        box = quiz_box(lab, kind)
        region = box.locator(".course-feedback")
        text = region.text_content().strip()
        assert text, (kind, text)
        assert text[0] in SYMBOLS, (kind, text)
        assert re.search(r"\w{3,}", text[1:]), (kind, text)
        colours = region.evaluate("""e => [getComputedStyle(e).color,
                                            getComputedStyle(e.closest('.course-quiz')).color]""")
        assert colours[0] == colours[1], (kind, colours)


# --- Notebook 7 -------------------------------------------------------------------------------------------------


def test_notebook7_quiz_is_labelled_and_clean(browser, private_server):
    pytest.importorskip("notebook", reason="Notebook 7 is not installed")
    page = open_notebook(browser, private_server, "00_start_here.ipynb", ui="notebook")
    try:
        box = quiz_box(page, "single")
        expect(box.get_by_role("radiogroup")).to_have_accessible_name(re.compile("Which keys run the cell"))
        box.get_by_role("radio", name="Enter", exact=True).check()
        check(box, "starts a new line")
        result = axe_audit.run(page, "Notebook 7: 00_start_here, single quiz with feedback", box)
        assert not axe_audit.module_violations(result), axe_audit.module_violations(result)
        result = axe_audit.run(page, "Notebook 7: 00_start_here, whole page")
        assert not axe_audit.module_violations(result), axe_audit.module_violations(result)
        assert page.locator('.jp-OutputArea-output [title="null"]').count() == 0
    finally:
        page.close()


# --- the module's other outputs: static fallbacks, problem messages, charts ---------------------------------------

OUTPUTS_NOTEBOOK = "zz_a11y_outputs.ipynb"
CHART_CELL = """\
from course import charts, data
rows = [r for r in data.load("remittances") if r.measure == "personal_remittances_pct_gdp"]
charts.time_series(rows, title="Test chart: personal remittances as a share of GDP", ylabel="Personal remittances")
"""


@pytest.fixture(scope="module")
def outputs_page(browser, private_server):
    """A scratch notebook (in the server's temporary copy only) showing the module's other outputs."""
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from IPython.display import HTML, display\n"
            "from course.quiz.bank import bank_paths, load_bank\n"
            "from course.quiz.render import static_html\n"
            "bank = next(load_bank(p) for p in bank_paths() if p.stem == '00_start_here')\n"
            "for q in bank.questions:\n"
            "    display(HTML(static_html(q)))"),
        nbformat.v4.new_code_cell("from course import quiz\nquiz('00-no-such-question')"),
        nbformat.v4.new_code_cell(CHART_CELL),
    ]
    nbformat.write(nb, private_server["root"] / "notebooks" / OUTPUTS_NOTEBOOK)
    page = open_notebook(browser, private_server, OUTPUTS_NOTEBOOK, ui="lab")
    expect(page.locator(".course-quiz-static")).to_have_count(6, timeout=60_000)
    expect(page.locator(".course-quiz-problem")).to_have_count(1, timeout=30_000)
    yield page
    page.close()


def test_axe_on_static_fallbacks_and_problem_messages(outputs_page):
    page = outputs_page
    for selector in (".course-quiz-static", ".course-quiz-problem"):
        for element in page.locator(selector).all():
            element.scroll_into_view_if_needed()
            result = axe_audit.run(page, f"JupyterLab: the module's {selector[1:]} outputs", element)
            assert not axe_audit.module_violations(result), axe_audit.module_violations(result)
            assert not [v for v in result["incomplete"] if v["id"] == "color-contrast"]
    expect(page.get_by_role("alert")).to_contain_text("This quiz cannot be shown")


def test_chart_alt_text_reaches_a_screen_reader(outputs_page):
    """A chart's alt text must be the accessible name of the image JupyterLab shows."""
    from course import charts, data

    rows = [r for r in data.load("remittances") if r.measure == "personal_remittances_pct_gdp"]
    chart = charts.time_series(rows, title="Test chart: personal remittances as a share of GDP",
                               ylabel="Personal remittances")
    assert chart.alt_text.strip()
    page = outputs_page
    image = page.locator(".jp-OutputArea-output img").last
    expect(image).to_be_visible(timeout=60_000)
    image.scroll_into_view_if_needed()
    result = axe_audit.run(page, "JupyterLab: a chart from course.charts", image)
    # JupyterLab shows the chart's text/html output, an <img> whose alt is the chart's alt text
    expect(image).to_have_accessible_name(chart.alt_text)
    assert not [v for v in result["violations"] if v["id"] == "image-alt"]

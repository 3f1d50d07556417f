"""A self-study student in JupyterLab: the module-wide progress at the top of a notebook, the previous/next links
at its end (they open the neighbouring notebooks), the glossary (its links open the glossary page, and
``glossary(...)`` shows an entry), and a "Working alone" activity whose strong answer appears only after saving.
The next link is also followed in Notebook 7."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from .conftest import ROOT, open_notebook, screenshot

pytestmark = pytest.mark.browser

CURRENT_TITLE = "() => window.jupyterapp.shell.currentWidget?.title?.label || ''"


@pytest.fixture(scope="module")
def server(private_server):
    # the notebooks link to ../docs/glossary.md: give the test server's copy of the module that page too
    (private_server["root"] / "docs").mkdir(exist_ok=True)
    shutil.copy(ROOT / "docs" / "glossary.md", private_server["root"] / "docs" / "glossary.md")
    return private_server


@pytest.fixture(scope="module")
def page01(browser, server):
    page = open_notebook(browser, server, "01_reading_the_article.ipynb", ui="lab")
    yield page
    page.close()


def _current_title(page) -> str:
    return page.evaluate(CURRENT_TITLE)


def test_the_module_progress_shows_at_the_top(page01):
    box = page01.locator(".course-module-progress")
    expect(box).to_contain_text("You are in notebook 01 Reading the article", timeout=60_000)
    expect(box).to_contain_text("0 of 7 notebooks done")


def test_working_alone_shows_the_strong_answer_only_after_saving(page01):
    box = page01.locator(".course-quiz-reflection").filter(has_text="Working alone").first
    expect(box).to_be_visible(timeout=60_000)
    box.scroll_into_view_if_needed()
    expect(box).not_to_contain_text("What a strong answer includes")
    box.get_by_role("button", name="Save my answer").click()
    expect(box.locator(".course-feedback")).to_contain_text("Please give an answer first", timeout=15_000)
    box.get_by_role("textbox").fill("Neighbouring countries. The word backyard is the author's, not Putin's.")
    box.get_by_role("button", name="Save my answer").click()
    expect(box.locator(".course-feedback")).to_contain_text("What a strong answer includes", timeout=15_000)
    screenshot(page01, "lab-working-alone")


def test_the_glossary_link_opens_the_glossary(page01):
    link = page01.locator(".jp-RenderedMarkdown a", has_text="CSTO").first
    for attempt in range(3):  # a busy JupyterLab (CI, two cores) has let a click go unanswered: click again,
        link.scroll_into_view_if_needed()  # as a person would; three clicks that open nothing still fail
        link.click()
        try:
            page01.wait_for_function(f"() => ({CURRENT_TITLE})().includes('glossary.md')", timeout=30_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    expect(page01.get_by_text("A military-political alliance of post-Soviet states").first).to_be_visible(
        timeout=30_000)
    screenshot(page01, "lab-glossary")
    page01.keyboard.press("Alt+W")  # back to the notebook (close the glossary's tab)


@pytest.mark.parametrize("which, target", [("Next", "02_history_and_institutions.ipynb"),
                                           ("Previous", "00_start_here.ipynb")])
def test_the_previous_and_next_links_open_the_neighbours(page01, which, target):
    page01.get_by_role("tab", name="01_reading_the_article", exact=False).first.click()
    footer = page01.locator(".jp-RenderedMarkdown").filter(has_text=f"{which}:").last
    footer.scroll_into_view_if_needed()
    footer.get_by_role("link").filter(has_text=target[:2]).click()
    page01.wait_for_function(f"() => ({CURRENT_TITLE})() === '{target}'", timeout=90_000)
    heading = "02 · History and institutions" if target.startswith("02") else "00 · Start here"
    expect(page01.get_by_role("heading", name=heading).first).to_be_visible(timeout=30_000)


def test_the_glossary_helper_shows_an_entry(browser, server):
    page = open_notebook(browser, server, "00_start_here.ipynb", ui="lab")
    try:
        entry = page.locator(".course-glossary").first
        expect(entry).to_contain_text("The unit for the arithmetic difference of two percentages", timeout=60_000)
        expect(entry.get_by_role("link", name="Percentage points (glossary entry)")).to_be_visible()
    finally:
        page.close()


def test_the_next_link_works_in_notebook_7(browser, server):
    page = open_notebook(browser, server, "05_alliances_and_challenges.ipynb", ui="notebook")
    try:
        link = page.locator(".jp-RenderedMarkdown a", has_text="06 Review").last
        link.scroll_into_view_if_needed()
        before = set(page.context.pages)
        link.click()  # Notebook 7 opens the notebook in a new browser tab (or, in some versions, in this one)
        deadline = 60
        target = None
        for _ in range(deadline * 4):
            candidates = [p for p in page.context.pages if "06_review.ipynb" in p.url]
            if candidates:
                target = candidates[0]
                break
            page.wait_for_timeout(250)
        assert target is not None, [p.url for p in page.context.pages]
        target.wait_for_load_state()
        expect(target.get_by_role("heading", name="06 · Review").first).to_be_visible(timeout=60_000)
        if target not in before and target is not page:
            target.close()
    finally:
        page.close()


def test_charts_are_shown_at_least_as_wide_as_their_footnotes_assume(browser, server):
    """charts.footnote_size assumes a chart is shown DISPLAY_WIDTH_PX wide; in JupyterLab at 1280 px (file browser
    open) it must be at least that wide, or the footnotes would be smaller than 8 pt on screen."""
    from course import charts

    page = open_notebook(browser, server, "02_history_and_institutions.ipynb", ui="lab")
    try:
        img = page.locator("img.course-chart").first
        expect(img).to_be_visible(timeout=90_000)
        img.scroll_into_view_if_needed()
        width = img.evaluate("el => el.getBoundingClientRect().width")
        print(f"chart shown {width:.0f} px wide")
        assert width >= charts.DISPLAY_WIDTH_PX, width
    finally:
        page.close()

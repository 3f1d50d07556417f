"""The class view's page in Chromium (course/classview/): the real service on 127.0.0.1 with a stand-in for the
hub (tests/fakehub.py); the browser sends an instructor's token, as a hub login's cookie would
stand for one. What a person sees: the counts the students produced, updates without reloading, script and
markup typed by students shown as text, projector mode hiding names, everything reachable from the keyboard,
axe-core with no serious or critical finding. (`make classroom` does the same through a real hub's OAuth.)"""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from . import axe_audit
from .conftest import screenshot

pytestmark = pytest.mark.browser
pytest.importorskip("jupyterhub")

from tests import fakehub  # noqa: E402

XSS = ['<script>window.__pwned = 1</script>', '<img src=x onerror="window.__pwned = 2">',
       '"><b id=injected>bold</b>']
USERS = {"tok-prof": fakehub.user("prof", groups=("instructors",)), "tok-ada": fakehub.user("ada"),
         "tok-bob": fakehub.user("bob"), "tok-cy": fakehub.user("cy")}
NB = "03_migration_and_remittances"


def post(svc, token, *items):
    body = json.dumps({"attempts": list(items)}).encode()
    req = urllib.request.Request(svc.url + "api/attempts", data=body, method="POST", headers={
        "Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def attempt(uid, question, answer, correct, n, kind="answer"):
    score = None if correct is None else float(correct)
    return {"id": f"{uid:0>10}", "notebook": NB, "question": question, "kind": kind, "answer": answer,
            "correct": correct, "score": score, "attempt": n, "time": "2026-12-03T09:00:00+00:00"}


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    with fakehub.ServiceThread(USERS, tmp_path_factory.mktemp("cv") / "cv.sqlite", poll_s=2) as svc:
        q = "03-migrant-workers-2024"
        post(svc, "tok-ada", attempt(1, q, "About 100 000", False, 1), attempt(2, q, "About 350 000", True, 2))
        post(svc, "tok-bob", attempt(3, q, XSS[1], False, 1), attempt(4, q, XSS[1], False, 2),
             attempt(5, q, "About 100 000", False, 3))
        post(svc, "tok-cy", attempt(6, q, "About 350 000", True, 1),
             attempt(7, "03-reflection", XSS[0] + XSS[2], None, 1))
        yield svc


@pytest.fixture
def page(browser, service):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000},
                              extra_http_headers={"Authorization": "token tok-prof"})
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(service.url)
    expect(pg.locator("#notebooks table")).to_have_count(1, timeout=15_000)
    yield pg
    ctx.close()


def test_the_page_shows_what_the_students_did(page):
    expect(page.locator("#overview")).to_contain_text("3 students answered; 7 attempts recorded")
    row = page.locator("#notebooks tbody tr", has_text="03-migrant-workers-2024")
    expect(row.locator("td").nth(0)).to_have_text("3")  # answered
    expect(row.locator("td").nth(1)).to_contain_text("33% (1 of 3)")  # right at the first try
    expect(row.locator("td").nth(2)).to_contain_text("About 100 000 2 times")
    expect(row.locator("td").nth(4)).to_have_text("bob")  # stuck: three tries, none right
    expect(page.locator("#stuck tbody tr")).to_have_count(1)
    expect(page.locator("#students tbody tr")).to_have_count(3)
    screenshot(page, "classview-page")


def test_what_students_typed_is_shown_as_text_never_run(page):
    page.get_by_text("Read 1 reflection").click()
    expect(page.locator("#notebooks")).to_contain_text(XSS[0] + XSS[2])
    expect(page.locator("#notebooks")).to_contain_text(XSS[1])
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#injected").count() == 0
    assert page.locator("main img, main script").count() == 0
    assert page.dialogs == []


def test_updates_arrive_without_reloading(page, service):
    post(service, "tok-ada", attempt(8, "03-another", "x", False, 1))
    expect(page.locator("#overview")).to_contain_text("8 attempts recorded", timeout=10_000)


def test_projector_mode_hides_names_and_reflections_and_works_from_the_keyboard(page):
    for _ in range(10):  # Tab from the top of the page to the projector button
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "projector":
            break
    assert page.evaluate("() => document.activeElement.id") == "projector"
    page.keyboard.press("Enter")
    expect(page.locator("#projector")).to_have_attribute("aria-pressed", "true")
    main = page.locator("main")
    for name in ("ada", "bob", "cy"):
        expect(main).not_to_contain_text(f"{name}")
    expect(main).to_contain_text("Student 1")
    expect(main).not_to_contain_text(XSS[0])  # reflections are hidden too
    expect(main).to_contain_text("1 reflection (hidden in projector mode)")
    assert "projector=1" in page.url
    page.keyboard.press("Space")
    expect(page.locator("#projector")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#students")).to_contain_text("bob")


def test_pause_stops_the_updates(page, service):
    page.locator("#pause").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("Updates paused")
    before = page.locator("#overview").text_content()
    post(service, "tok-bob", attempt(9, "03-another", "y", False, 1))
    page.wait_for_timeout(4_500)  # two polling periods
    assert page.locator("#overview").text_content() == before


@pytest.mark.parametrize("projector", [False, True])
def test_axe_finds_nothing_serious(page, projector):
    if projector:
        page.locator("#projector").click()
    page.get_by_text("Read 1 reflection").count() and page.get_by_text("Read 1 reflection").click()
    page.evaluate(axe_audit.axe_script())
    result = page.evaluate("async () => (await axe.run(document)).violations.map("
                           "v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html).slice(0, 3)}))")
    serious = [v for v in result if v["impact"] in axe_audit.SERIOUS]
    assert serious == [], serious

"""The live class view in the classroom test (course/classview/; the hub runs it as a managed service).

What the classroom fixture does with these:
  - students answer as usual: their kernels send each attempt (the quiz model and progress store, as ever);
  - while the hub is down, each student records a reflection holding script and markup: it waits unsent;
  - the service is killed (SIGKILL) mid-class; each student answers more while it is gone; the hub starts it
    again; everything waiting arrives;
  - `tally` compares, attempt by attempt (student and id), each student's progress file with the service's
    database: "live view: N students, M attempts expected, M recorded, K lost";
  - an instructor logs in through the hub's OAuth in Chromium and reads the counts and the payloads as text;
  - from each student's own kernel, with the kernel's own token: 403 on the page, its data and the
    downloads; a post claiming to be another student is stored as the sender; `api/me` holds only their own.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

SUMMARY: list[str] = []  # the "live view: ..." line, printed at the end of the run (conftest.py)
XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><b id=injected>b</b>'
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

# Record attempts through the kernel's progress store (what a quiz's Check button does).
RECORD_CODE = r'''
import json as _j
from course.quiz.progress import store as _store
_s = _store()
for _i in range({n}):
    _s.record("00_start_here", {question!r}, answer={answer!r}, correct={correct!r}, score={score!r}, attempt=_i + 1)
print(_j.dumps({{"sending": _s.sender() is not None, "unsent": len(_s.unsent())}}))
'''

# From the student's kernel, with the kernel's own token (JUPYTERHUB_API_TOKEN) and the address the hub gave it.
PROBE_CODE = r'''
import json as _j, os as _o, urllib.request as _u, urllib.error as _e
_base, _tok = _o.environ["COURSE_CLASSVIEW_URL"], _o.environ["JUPYTERHUB_API_TOKEN"]
def _call(path, body=None):
    req = _u.Request(_base + path, data=None if body is None else _j.dumps(body).encode(),
                     method="GET" if body is None else "POST",
                     headers={{"Authorization": "token " + _tok, "Content-Type": "application/json"}})
    try:
        with _u.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except _e.HTTPError as err:
        return err.code, err.read().decode()
_res = {{k: _call(p)[0] for k, p in (("page", ""), ("class", "api/class"), ("gradebook", "gradebook.csv"),
                                      ("attempts", "attempts.csv"))}}
_fake = {{"id": "impostor-" + _o.urandom(6).hex(), "notebook": "00_start_here", "question": "00-impostor",
          "kind": "answer", "answer": "posted as someone else", "correct": False, "score": 0.0, "attempt": 1,
          "time": "2026-12-03T09:00:00+00:00", "student": {other!r}, "user": {other!r}}}
_code, _body = _call("api/attempts", {{"attempts": [_fake], "student": {other!r}}})
_res["impostor_status"], _res["impostor_as"] = _code, _j.loads(_body).get("student")
_code, _body = _call("api/me")
_me = _j.loads(_body)
_res["me_status"], _res["me_student"], _res["me_n"] = _code, _me.get("student"), len(_me.get("attempts", []))
print(_j.dumps(_res))
'''


def expected(homes: dict[str, Path], progress: Path) -> set[tuple[str, str]]:
    """(student, attempt id) of every attempt the students' progress files hold for the class view."""
    out = set()
    for name, home in homes.items():
        try:
            doc = json.loads((home / progress).read_text())
        except (OSError, ValueError):
            continue
        out |= {(name, a["id"]) for a in doc["attempts"] if isinstance(a.get("id"), str)}
    return out


def recorded(db: Path) -> set[tuple[str, str]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return set(con.execute("SELECT student, uid FROM attempts"))
    finally:
        con.close()


def rows(db: Path, question: str) -> list[str]:
    """The students under whom the service stored attempts at `question`."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT student FROM attempts WHERE question = ?", (question,))]
    finally:
        con.close()


def tally(homes: dict[str, Path], progress: Path, db: Path, timeout: float = 150) -> dict:
    """Wait until every attempt in the students' files is in the service's database (or `timeout`)."""
    t0 = time.time()
    while True:
        want, got = expected(homes, progress), recorded(db)
        lost = want - got
        if not lost or time.time() - t0 > timeout:
            break
        time.sleep(1)
    return {"students": len(homes), "expected": len(want), "recorded": len(got & want), "lost": len(lost),
            "extra": len(got - want), "waited_s": round(time.time() - t0, 1),
            "lost_sample": sorted(lost)[:5]}


def line(t: dict) -> str:
    return (f"live view: {t['students']} students, {t['expected']} attempts expected, {t['recorded']} recorded, "
            f"{t['lost']} lost")


def instructor_sees(hub, name: str, password: str, shot: Path) -> dict:
    """Chromium: the class view's address -> the hub's login -> OAuth -> the page; what it shows."""
    from playwright.sync_api import sync_playwright

    out: dict = {"dialogs": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                    headless=True, args=CHROME_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on("dialog", lambda d: (out["dialogs"].append(d.message), d.dismiss()))
            page.goto(hub.classview, timeout=60_000)
            out["login_page"] = "/hub/login" in page.url
            page.fill("#username_input", name)
            page.fill("#password_input", password)
            page.locator("#password_input").press("Enter")
            page.wait_for_url(f"{hub.classview}**", timeout=60_000)
            page.wait_for_selector("#students tbody tr", timeout=60_000)
            page.wait_for_timeout(2500)  # one more poll: the latest counts
            out["url"] = page.url
            out["overview"] = page.locator("#overview").text_content()
            out["student_rows"] = page.locator("#students tbody tr").count()
            out["students"] = sorted(page.locator("#students tbody th").all_text_contents())
            for summary in page.locator("summary").all():
                summary.click()
            out["payload_as_text"] = XSS in page.locator("#notebooks").text_content()
            out["pwned"] = page.evaluate("() => window.__pwned ?? null")
            out["injected"] = page.locator("#injected").count() + page.locator("main img, main script").count()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    return out

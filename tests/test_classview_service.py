"""The class view service's handlers (course/classview/service.py), through tornado's test server, with a
stand-in for the hub's /hub/api/user (tests/fakehub.py) behind the real HubOAuth. No hub needed.

Who may do what: instructors (group members, admins) see the page, its data and the CSV files; a student gets
403 there, posts attempts only as themselves and reads only their own record; bodies are validated and
size-limited; a student is rate-limited; cookie-authenticated requests need JupyterHub's XSRF token."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("jupyterhub")

from tornado import web  # noqa: E402
from tornado.testing import AsyncHTTPTestCase  # noqa: E402

from course.classview.service import MAX_BATCH, MAX_BODY, Context, make_app  # noqa: E402
from course.classview.store import Store  # noqa: E402
from tests import fakehub  # noqa: E402

PREFIX = fakehub.PREFIX
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
USERS = {
    "tok-ada": fakehub.user("ada"),
    "tok-bob": fakehub.user("bob"),
    "tok-prof": fakehub.user("prof", groups=("instructors",)),
    "tok-ta": fakehub.user("ta", groups=("teaching-assistants",)),
    "tok-root": fakehub.user("root", admin=True),
    "tok-noscope": fakehub.user("eve", scopes=()),
    "tok-svc": fakehub.user("some-service", kind="service"),
    "tok-xss": fakehub.user(XSS, groups=("instructors",)),
}


def attempt(i, **change):
    return {"id": f"attempt{i:04d}", "notebook": "03_migration_and_remittances", "question": "03-share",
            "kind": "answer", "answer": "B", "correct": False, "score": 0.0, "attempt": i, "time":
            "2026-12-03T09:00:00+00:00", **change}


class ServiceTest(AsyncHTTPTestCase):
    secret = b"s" * 32

    def get_app(self):
        import tempfile

        self.tmp = tempfile.TemporaryDirectory()
        self.store = Store(f"{self.tmp.name}/cv.sqlite")
        auth = fakehub.hub_auth(self.get_url("/hub/api"))
        self.ctx = Context(store=self.store, hub_auth=auth, groups=frozenset({"instructors"}), burst=20, rate=5)
        app = make_app(self.ctx, PREFIX, self.secret)
        app.add_handlers(".*", [(r"/hub/api/user", fakehub._Who, {"users": USERS, "calls": []})])
        return app

    def tearDown(self):
        super().tearDown()
        self.store.close()
        self.tmp.cleanup()

    def call(self, path, token=None, method="GET", body=None, headers=None, **kw):
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"token {token}"
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        return self.fetch(PREFIX + path, method=method, body=body, headers=h, follow_redirects=False, **kw)

    def post(self, token, items, **kw):
        return self.call("api/attempts", token, "POST", {"attempts": items}, **kw)

    # --- students -------------------------------------------------------------------------------------
    def test_a_student_posts_as_themselves_whatever_the_body_says(self):
        r = self.post("tok-ada", [attempt(1, student="bob", user="bob"), attempt(2)])
        assert r.code == 200, r.body
        reply = json.loads(r.body)
        assert reply["student"] == "ada"
        assert reply["stored"] == ["attempt0001", "attempt0002"]
        assert reply["new"] == 2
        assert self.store.count("ada") == 2
        assert self.store.count("bob") == 0
        again = json.loads(self.post("tok-ada", [attempt(2)]).body)  # sent twice: stored once
        assert again["new"] == 0
        assert again["duplicates"] == 1
        assert again["stored"] == ["attempt0002"]

    def test_a_student_reads_only_their_own_record(self):
        self.post("tok-ada", [attempt(1)])
        self.post("tok-bob", [attempt(1, answer="bob's answer")])
        me = json.loads(self.call("api/me", "tok-ada").body)
        assert me["student"] == "ada"
        assert [a["answer"] for a in me["attempts"]] == ["B"]
        assert self.call("api/me?student=bob", "tok-ada").body == self.call("api/me", "tok-ada").body

    def test_a_student_gets_403_on_the_class_view_its_data_and_downloads(self):
        for path in ("", "api/class", "gradebook.csv", "attempts.csv"):
            r = self.call(path, "tok-ada")
            assert r.code == 403, (path, r.code)
            assert b"ada" not in r.body
        assert b"instructors" in self.call("", "tok-ada").body  # the page says why, in words

    def test_invalid_attempts_are_rejected_one_by_one_and_the_rest_kept(self):
        r = self.post("tok-ada", [attempt(1), attempt(2, score=7), attempt(3, kind="drop table"), "nonsense"])
        reply = json.loads(r.body)
        assert r.code == 200
        assert reply["stored"] == ["attempt0001"]
        assert [(x["id"], x["error"].split(":")[0]) for x in reply["rejected"]] == [
            ("attempt0002", "score"), ("attempt0003", "kind"), (None, "an attempt must be a JSON object")]

    def test_bad_bodies_get_a_clear_status(self):
        assert self.call("api/attempts", "tok-ada", "POST", b"{not json",
                         headers={"Content-Type": "application/json"}).code == 400
        assert self.call("api/attempts", "tok-ada", "POST", b"[[[[" * 10000 + b"]]]]" * 10000,
                         headers={"Content-Type": "application/json"}).code in (400, 413)
        assert self.post("tok-ada", []).code == 400
        assert self.post("tok-ada", [attempt(i) for i in range(MAX_BATCH + 1)]).code == 400
        assert self.call("api/attempts", "tok-ada", "POST", {"attempts": "all of them"}).code == 400
        assert self.call("api/attempts", "tok-ada", "POST", json.dumps({"attempts": [attempt(1)]}),
                         headers={"Content-Type": "text/plain"}).code == 415
        big = [attempt(i, answer="x" * 19_000) for i in range(15)]
        r = self.post("tok-ada", big)
        assert len(json.dumps({"attempts": big})) > MAX_BODY
        assert r.code == 413
        assert self.store.count() == 0
        assert json.loads(r.body)["error"].startswith("A request may carry at most")

    def test_a_student_is_rate_limited_with_retry_after(self):
        codes = [self.post("tok-ada", [attempt(i)]).code for i in range(25)]
        assert codes[:20] == [200] * 20
        assert 429 in codes[20:]
        r = self.post("tok-ada", [attempt(99)])
        assert r.code == 429
        assert int(r.headers["Retry-After"]) >= 1
        assert self.post("tok-bob", [attempt(1)]).code == 200  # others are not held back

    def test_a_students_attempts_are_capped(self):
        self.ctx.max_per_student = 3
        assert self.post("tok-ada", [attempt(1), attempt(2)]).code == 200
        assert self.post("tok-ada", [attempt(3), attempt(4)]).code == 413
        assert self.store.count("ada") == 2

    def test_no_token_a_token_without_the_scope_or_a_service_cannot_post(self):
        assert self.post(None, [attempt(1)]).code == 403
        assert self.post("tok-unknown", [attempt(1)]).code == 403
        assert self.post("tok-noscope", [attempt(1)]).code == 403
        assert self.post("tok-svc", [attempt(1)]).code == 403
        assert self.call("api/me", "tok-noscope").code == 403
        assert self.store.count() == 0

    # --- instructors ----------------------------------------------------------------------------------
    def test_group_members_and_admins_see_the_view_and_others_in_other_groups_do_not(self):
        for token in ("tok-prof", "tok-root"):
            page = self.call("", token)
            assert page.code == 200
            assert b"<h1>Class view</h1>" in page.body
            assert self.call("api/class", token).code == 200
        assert self.call("", "tok-ta").code == 403

    def test_the_data_shows_the_class_and_the_page_escapes_what_it_prints(self):
        self.post("tok-ada", [attempt(1), attempt(2, answer="A", correct=True, score=1.0)])
        self.post("tok-bob", [attempt(1, question="03-reflect", answer=XSS, correct=None, score=None)])
        data = json.loads(self.call("api/class", "tok-prof").body)
        assert [s["student"] for s in data["students"]] == ["ada", "bob"]
        assert data["attempts"] == 3
        refl = next(q for q in data["notebooks"][0]["questions"] if q["question"] == "03-reflect")
        assert refl["reflections"][0]["text"] == XSS  # JSON carries it as data; the page sets it as text
        page = self.call("", "tok-xss")
        assert page.code == 200
        assert b"<script>alert" not in page.body
        assert b"&lt;script&gt;alert" in page.body
        csp = page.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert page.headers["X-Content-Type-Options"] == "nosniff"

    def test_the_gradebook_download_is_the_long_form(self):
        self.post("tok-ada", [attempt(1), attempt(2, answer="A", correct=True, score=1.0)])
        self.post("tok-bob", [attempt(1, kind="reveal", answer=None, correct=None, score=None)])
        r = self.call("gradebook.csv", "tok-prof")
        assert r.code == 200
        assert r.headers["Content-Type"].startswith("text/csv")
        assert re.match(r'attachment; filename="classview-gradebook-\d{4}-\d\d-\d\d\.csv"',
                        r.headers["Content-Disposition"])
        lines = r.body.decode().splitlines()
        assert lines == ["student,notebook,question,score,attempts,revealed",
                         "ada,03_migration_and_remittances,03-share,1,2,no",
                         "bob,03_migration_and_remittances,03-share,,0,yes"]
        assert self.call("attempts.csv", "tok-prof").body.decode().count("\r\n") == 4

    def test_a_browser_without_a_login_is_sent_to_the_hubs_oauth(self):
        r = self.call("")
        assert r.code == 302
        assert "/hub/api/oauth2/authorize" in r.headers["Location"]
        assert "state=" in r.headers["Location"]
        assert self.call("api/class").code == 403  # an API call is never redirected
        assert self.fetch(PREFIX.rstrip("/"), follow_redirects=False).headers["Location"] == PREFIX

    # --- cookies and XSRF (what a browser does after the hub's OAuth login) -----------------------------
    def _cookie(self, token):
        value = web.create_signed_value(self.secret, self.ctx.hub_auth.cookie_name, token).decode()
        return f"{self.ctx.hub_auth.cookie_name}={value}"

    def test_a_cookie_login_needs_the_xsrf_token_for_anything_but_page_loads(self):
        cookie = self._cookie("tok-prof")
        page = self.call("", headers={"Cookie": cookie, "Sec-Fetch-Mode": "navigate"})
        assert page.code == 200
        xsrf = re.search(rb'name="classview-xsrf" content="([^"]+)"', page.body).group(1).decode()
        xsrf_cookie = re.search(r"_xsrf=([^;]+)", page.headers["Set-Cookie"]).group(1)
        both = f"{cookie}; _xsrf={xsrf_cookie}"
        fetch_headers = {"Cookie": both, "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "same-origin"}
        assert self.call("api/class", headers={**fetch_headers, "X-XSRFToken": xsrf}).code == 200
        assert self.call("api/class", headers=fetch_headers).code == 403  # no token: the cookie is not accepted
        assert self.call("api/class", headers={**fetch_headers, "X-XSRFToken": "forged"}).code == 403
        # a student's cookie cannot post (another site's form or script) without the token either
        student = {"Cookie": self._cookie("tok-ada"), "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "cross-site"}
        assert self.call("api/attempts", None, "POST", {"attempts": [attempt(1)]}, headers=student).code == 403
        assert self.store.count() == 0


def test_the_rate_limit_refills_over_time():
    ctx = Context(store=None, hub_auth=None, rate=2.0, burst=3.0)
    assert [ctx.allow("ada", now=100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert ctx.allow("ada", now=100.0) == pytest.approx(0.5)
    assert ctx.allow("ada", now=100.6) == 0.0
    assert ctx.allow("bob", now=100.6) == 0.0


def test_instructors_are_admins_and_group_members_only():
    ctx = Context(store=None, hub_auth=None, groups=frozenset({"instructors", "tas"}))
    assert ctx.is_instructor(fakehub.user("a", groups=("tas",)))
    assert ctx.is_instructor(fakehub.user("b", admin=True))
    assert not ctx.is_instructor(fakehub.user("c", groups=("students",)))
    assert not ctx.is_instructor(fakehub.user("instructors", kind="service"))
    assert not ctx.is_instructor(None)


def test_questions_come_from_the_banks():
    from course.classview.service import load_questions

    questions = load_questions()
    assert len(questions) > 10
    (notebook, qid), meta = next(iter(questions.items()))
    assert qid.startswith(notebook[:2])
    assert meta["text"]
    assert meta["title"]


def _run_service(tmp_path, db):
    """`python -m course.classview` as the hub starts it (its environment), on a free port; its URL."""
    import os
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    port = fakehub.free_port()
    env = {**os.environ, "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{port}", "JUPYTERHUB_SERVICE_PREFIX": PREFIX,
           "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api", "JUPYTERHUB_API_TOKEN": "x",
           "JUPYTERHUB_CLIENT_ID": "service-classview", "JUPYTERHUB_SERVICE_NAME": "classview"}
    proc = subprocess.Popen([sys.executable, "-m", "course.classview", "--db", str(db)], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}{PREFIX}api/me"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                status, body = r.status, r.read()
            break
        except urllib.error.HTTPError as err:
            status, body = err.code, err.read()
            break
        except OSError:
            assert proc.poll() is None, proc.communicate()[0]
            assert time.monotonic() < deadline, "the service did not answer within a minute"
            time.sleep(0.2)
    proc.terminate()
    out = proc.communicate(timeout=30)[0]
    return proc.returncode, status, json.loads(body), out


def test_the_service_starts_as_the_hub_starts_it_and_stops_on_sigterm(tmp_path):
    code, status, body, _ = _run_service(tmp_path, tmp_path / "state" / "cv.sqlite")
    assert status == 403
    assert body["status"] == 403
    assert code == 0
    assert (tmp_path / "state" / "cv.sqlite").exists()
    assert oct((tmp_path / "state" / "cv.sqlite.cookie_secret").stat().st_mode & 0o777) == "0o600"


def test_a_database_that_cannot_be_opened_gives_503_and_keeps_the_hub_up(tmp_path):
    (tmp_path / "cv.sqlite").mkdir()  # a folder where the file should be
    code, status, body, out = _run_service(tmp_path, tmp_path / "cv.sqlite")
    assert status == 503
    assert "cannot open its database" in body["error"]
    assert "cannot open" in out
    assert code == 0


def test_question_text_is_plain():
    from course.classview.service import plain

    assert plain("Which keys **run the cell**\nand `move` you *down*?") == "Which keys run the cell and move you down?"
    assert plain("2 * 3 * 4 is not emphasis") == "2 * 3 * 4 is not emphasis"

"""The student's side (course/classview/sender.py, course/quiz/progress.py): each attempt goes to the class view
in the background; an attempt that cannot be sent stays marked in the progress file and goes out later; the
quiz never waits for the network and never fails because of it. Against the real service on 127.0.0.1 with a
stand-in for the hub (tests/fakehub.py)."""

from __future__ import annotations

import json
import socket
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from course.classview import sender as sender_mod
from course.quiz.progress import ProgressStore

pytest.importorskip("jupyterhub")

from tests import fakehub  # noqa: E402

USERS = {"tok-ada": fakehub.user("ada"), "tok-bob": fakehub.user("bob")}


def wait_for(cond, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def on_disk(store):
    return json.loads(store.path.read_text())["attempts"]


@pytest.fixture
def env(monkeypatch):
    def set_(url, token="tok-ada"):
        monkeypatch.setenv("COURSE_CLASSVIEW_URL", url)
        monkeypatch.setenv("JUPYTERHUB_API_TOKEN", token)
    return set_


def test_without_a_class_view_nothing_changes(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_CLASSVIEW_URL", raising=False)
    store = ProgressStore(tmp_path / "progress.json")
    rec = store.record("03_x", "03-q", answer="A", correct=True, score=1.0, attempt=1)
    assert "id" not in rec
    assert "sent" not in rec
    assert store.sender() is None
    monkeypatch.setenv("COURSE_CLASSVIEW_URL", "ftp://nowhere/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    assert sender_mod.configured() is None


def test_attempts_reach_the_service_and_are_marked_sent(tmp_path, env):
    with fakehub.ServiceThread(USERS, tmp_path / "cv.sqlite") as svc:
        env(svc.url)
        store = ProgressStore(tmp_path / "progress.json")
        store.record("03_x", "03-q", answer="B", correct=False, score=0.0, attempt=1)
        store.record("03_x", "03-q", answer="A", correct=True, score=1.0, attempt=2)
        store.record("03_x", "03-q", kind="reveal", attempt=2)
        assert store.sender().flush(15)
        assert [a["sent"] for a in on_disk(store)] == [True, True, True]
        assert svc.ctx.store.count("ada") == 3
        got = svc.ctx.store.student_record("ada")
        assert [(a["kind"], a["answer"], a["correct"], a["attempt"]) for a in got] == [
            ("answer", "B", False, 1), ("answer", "A", True, 2), ("reveal", None, None, 2)]


def test_the_service_away_costs_the_student_nothing_and_the_attempts_go_out_later(tmp_path, env, monkeypatch):
    monkeypatch.setattr(sender_mod, "MAX_BACKOFF_S", 0.5)
    with socket.socket() as s:  # a port where nothing listens (yet)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env(f"http://127.0.0.1:{port}{fakehub.PREFIX}")
    store = ProgressStore(tmp_path / "progress.json")
    for i in range(5):
        store.record("03_x", "03-q", answer=str(i), correct=False, score=0.0, attempt=i + 1)
    assert wait_for(lambda: store.sender().last_error is not None)
    assert [a["sent"] for a in on_disk(store)] == [False] * 5
    # the service comes up on that port: the same kernel's sender delivers everything, once
    svc = fakehub.ServiceThread(USERS, tmp_path / "cv.sqlite")
    svc.port, svc.url = port, f"http://127.0.0.1:{port}{fakehub.PREFIX}"
    with svc:
        assert wait_for(lambda: svc.ctx.store.count("ada") == 5)
        assert wait_for(lambda: all(a["sent"] is True for a in on_disk(store)))


def test_a_network_that_hangs_never_holds_up_the_quiz(tmp_path, env, monkeypatch):
    released = threading.Event()

    def hang(*args, **kwargs):  # a service that never answers (the real call gives up after 3 s)
        released.wait(60)
        raise OSError("timed out")

    monkeypatch.setattr(sender_mod.urllib.request, "urlopen", hang)
    env("http://127.0.0.1:9/services/classview/")
    store = ProgressStore(tmp_path / "progress.json")
    student = threading.Thread(target=lambda: [store.record("03_x", "03-q", answer=str(i), correct=False,
                                                            score=0.0, attempt=i + 1) for i in range(5)])
    student.start()
    student.join(20)  # the sender is stuck in the network for 60 s: the student's cell is not
    try:
        assert not student.is_alive()
        assert len(store.attempts()) == 5
        assert len(store.unsent()) == 5
    finally:
        released.set()


def test_a_new_kernel_sends_what_the_last_one_left(tmp_path, env):
    with fakehub.ServiceThread(USERS, tmp_path / "cv.sqlite") as svc:
        env(svc.url)
        path = tmp_path / "progress.json"
        old = {"format": "kg-russia-module/progress", "version": 1, "attempts": [
            {"notebook": "03_x", "question": "03-q", "kind": "answer", "answer": "A", "correct": True, "score": 1.0,
             "attempt": 1, "time": "2026-12-03T09:00:00+00:00", "id": "left0000unsent", "sent": False},
            {"notebook": "03_x", "question": "03-q", "kind": "answer", "answer": "B", "correct": False, "score": 0.0,
             "attempt": 1, "time": "2026-12-03T08:00:00+00:00"}]}  # before the class view: never sent
        path.write_text(json.dumps(old))
        store = ProgressStore(path)
        assert store.sender() is not None
        assert wait_for(lambda: svc.ctx.store.count("ada") == 1)
        assert wait_for(lambda: on_disk(store)[0]["sent"] is True)
        assert "sent" not in on_disk(store)[1]


class _Refusing(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        reply = {"stored": [], "rejected": [{"id": a["id"], "error": "score: a number from 0 to 1"}
                                            for a in body["attempts"]]}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_an_attempt_the_service_refuses_is_marked_with_the_reason_and_not_sent_again(tmp_path, env):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env(f"http://127.0.0.1:{server.server_port}/services/classview/")
        store = ProgressStore(tmp_path / "progress.json")
        store.record("03_x", "03-q", answer="A", correct=True, score=1.0, attempt=1)
        assert store.sender().flush(10)
        assert on_disk(store)[0]["sent"] == "rejected: score: a number from 0 to 1"
        assert store.unsent() == []
    finally:
        server.shutdown()


def test_a_broken_sender_never_breaks_the_quiz(tmp_path, env, monkeypatch):
    env("http://127.0.0.1:9/services/classview/")

    def boom(*args, **kwargs):
        raise RuntimeError("no threads here")

    monkeypatch.setattr(sender_mod, "Sender", boom)
    store = ProgressStore(tmp_path / "progress.json")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rec = store.record("03_x", "03-q", answer="A", correct=True, score=1.0, attempt=1)
    assert rec["answer"] == "A"
    assert store.sender() is None
    assert len(store.attempts()) == 1


def test_a_keystroke_burst_goes_out_in_batches_within_the_rate_limit(tmp_path, env):
    with fakehub.ServiceThread(USERS, tmp_path / "cv.sqlite", rate=5.0, burst=5.0) as svc:
        env(svc.url)
        store = ProgressStore(tmp_path / "progress.json")
        for i in range(300):
            store.record("00_start_here", "00-keys", answer=f"keystroke {i}")
        assert wait_for(lambda: svc.ctx.store.count("ada") == 300, timeout=30)
        assert wait_for(lambda: store.unsent() == [])

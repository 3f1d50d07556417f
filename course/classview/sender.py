"""The student's side of the class view: send each attempt to the hub's class view service, in the background.

On only when the kernel knows where to send and as whom: ``$COURSE_CLASSVIEW_URL`` (the hub sets it for every
server, e.g. ``http://127.0.0.1:10101/services/classview/``) and ``$JUPYTERHUB_API_TOKEN`` (the student's own
server token, which JupyterHub puts in every kernel's environment). Then ``course.quiz.progress`` gives each
new attempt an ``id`` and ``"sent": false`` in the student's progress file, and wakes the sender.

The sender is one daemon thread per progress store. It reads the attempts still marked unsent, posts them in
batches with short time-outs, and marks those the service took (or refused for good, with the reason) in the
progress file. When the service cannot be reached, it waits (1 s, 2 s, 4 s ... at most ``MAX_BACKOFF_S``) and
tries again; attempts left unsent when the kernel stops go out from the next kernel that opens the store.
Nothing here raises into the student's cell, and nothing waits on the network in the student's thread.
Standard library only (urllib).
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from . import ENV_URL

TOKEN_ENV = "JUPYTERHUB_API_TOKEN"
CONNECT_TIMEOUT_S = 3.0  # per request; the student's cell never waits for it
BATCH = 50  # attempts per request (the service takes at most 100)
COALESCE_S = 0.2  # after a wake-up, wait this long so that a burst of attempts goes out in one request
MAX_BACKOFF_S = 15.0
FIELDS = ("id", "notebook", "question", "kind", "answer", "correct", "score", "attempt", "time")


def configured() -> tuple[str, str] | None:
    """(attempts URL, token) when this kernel should send attempts, else None."""
    base = (os.environ.get(ENV_URL) or "").strip()
    token = (os.environ.get(TOKEN_ENV) or "").strip()
    if not base or not token or not base.startswith(("http://", "https://")):
        return None
    return base.rstrip("/") + "/api/attempts", token


class Sender:
    """Posts a progress store's unsent attempts. ``wake()`` after each new attempt; everything else is its own."""

    def __init__(self, progress: Any, url: str, token: str):
        self.progress, self.url, self.token = progress, url, token
        self._event = threading.Event()
        self._stop = False
        self.backoff = 0.0
        self.sent = 0  # attempts the service took (new or already there), for tests and `python -m course where`
        self.last_error: str | None = None
        self.thread = threading.Thread(target=self._run, name="course-classview-sender", daemon=True)
        self.thread.start()
        self._event.set()  # attempts a previous kernel left unsent go out now

    def wake(self) -> None:
        self._event.set()

    def stop(self) -> None:
        self._stop = True
        self._event.set()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is left unsent (or `timeout`); True if nothing is left. For tests and scripts."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.progress.unsent():
                return True
            self.wake()
            time.sleep(0.05)
        return not self.progress.unsent()

    def _run(self) -> None:
        while not self._stop:
            self._event.wait(timeout=self.backoff or None)
            if self._stop:
                return
            self._event.clear()
            time.sleep(COALESCE_S)
            try:
                self._send_pending()
            except Exception as err:  # noqa: BLE001 - whatever happens here must not reach the student's cell
                self._failed(repr(err))

    def _failed(self, why: str) -> None:
        self.last_error = why
        self.backoff = min(MAX_BACKOFF_S, max(1.0, self.backoff * 2))

    def _send_pending(self) -> None:
        pending = self.progress.unsent()
        while pending and not self._stop:
            batch = pending[:BATCH]
            body = json.dumps({"attempts": [{k: a.get(k) for k in FIELDS} for a in batch]}).encode("utf-8")
            req = urllib.request.Request(self.url, data=body, method="POST", headers={
                "Authorization": f"token {self.token}", "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=CONNECT_TIMEOUT_S) as resp:
                    reply = json.loads(resp.read(1_000_000) or b"{}")
            except urllib.error.HTTPError as err:
                retry = err.headers.get("Retry-After") if err.headers else None
                self._failed(f"HTTP {err.code}")
                if err.code == 429 and retry and retry.isdigit():
                    self.backoff = min(MAX_BACKOFF_S, max(self.backoff, float(retry)))
                return
            except (OSError, ValueError) as err:  # refused, timed out, not JSON: the service is away
                self._failed(repr(err))
                return
            done = {i: True for i in reply.get("stored", []) if isinstance(i, str)}
            for item in reply.get("rejected", []):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    done[item["id"]] = f"rejected: {item.get('error', '')}"[:200]
            if not done:
                self._failed("the service took none of the attempts")
                return
            self.progress.mark_sent(done)
            self.sent += len(done)
            self.backoff = 0.0
            self.last_error = None
            pending = [a for a in pending if a.get("id") not in done]

"""make classroom-demo: try the live class view before deploying it.

Starts a JupyterHub on 127.0.0.1 (the classroom test's configuration: the class view service, the instructors'
group), makes STUDENTS students whose simulated answers to the module's real questions (graded by the quiz
model) reach the class view with each student's own hub token, prints the instructor's address and login,
and keeps a student answering every few seconds so that the page updates. Ctrl-C stops everything it
started and removes what it made. No student server is started (nothing to spawn: the answers are posted as a
kernel posts them), so it is quick and needs no root.

    make classroom-demo                      # 12 students
    make classroom-demo DEMO_ARGS="--students 30"
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("CLASSROOM_MODE", "simple")  # no student servers: no Unix accounts either

import hubsim  # noqa: E402
import requests  # noqa: E402
from hubsim import Hub, Proxy, Run, log  # noqa: E402

NAMES = ["aigul", "bakyt", "chynara", "daniyar", "elnura", "farid", "gulnara", "iskender", "jyldyz", "kanat",
         "lira", "marat", "nurlan", "olga", "perizat", "ruslan", "saltanat", "timur", "urmat", "venera"]


def questions() -> list:
    from course.quiz.bank import bank_paths, load_bank

    out = []
    for path in bank_paths():
        out += [q for q in load_bank(path).questions if q.kind in ("single", "multiple", "numeric", "reflection")]
    return out


def one_try(q, skill: float, rng: random.Random):
    """What a student of this skill might answer (a real option of the question), graded by the quiz model."""
    if q.kind == "reflection":
        return q.grade(rng.choice(["The article quotes only one side.", "I would check the trade figures.",
                                   "Remittances matter more than the article says."]))
    if q.kind == "numeric":
        return q.grade(q.answer_text().split(" (")[0] if rng.random() < skill else str(rng.randint(1, 90)))
    right = [c.text for c in q.choices if c.correct]
    wrong = [c.text for c in q.choices if not c.correct]
    if q.kind == "single":
        return q.grade(right[0] if rng.random() < skill or not wrong else rng.choice(wrong))
    pick = right if rng.random() < skill else rng.sample(right + wrong, k=max(1, len(right)))
    return q.grade(pick)


class Student:
    def __init__(self, hub: Hub, name: str, skill: float, rng: random.Random):
        self.name, self.skill, self.rng = name, skill, rng
        hub.s.post(f"{hub.api}/users/{name}", timeout=30)
        tok = hub.s.post(f"{hub.api}/users/{name}/tokens", json={"note": "classroom demo"}, timeout=30).json()
        self.s = requests.Session()
        self.s.headers["Authorization"] = f"token {tok['token']}"
        self.url = hub.classview + "api/attempts"
        self.tries: dict[str, int] = {}

    def answer(self, q) -> None:
        """Up to three tries until right, as a student does; perhaps "Show answer" after two."""
        batch = []
        for _ in range(3):
            n = self.tries[q.id] = self.tries.get(q.id, 0) + 1
            r = one_try(q, self.skill, self.rng)
            batch.append(self._attempt(q, "answer", r.answer, r.correct, r.score, n))
            if r.correct is not False:
                break
            if n >= 2 and self.rng.random() < 0.3:
                batch.append(self._attempt(q, "reveal", None, None, None, n))
                break
        self.s.post(self.url, json={"attempts": batch}, timeout=10).raise_for_status()

    @staticmethod
    def _attempt(q, kind, answer, correct, score, n) -> dict:
        return {"id": uuid.uuid4().hex, "notebook": q.notebook, "question": q.id, "kind": kind, "answer": answer,
                "correct": correct, "score": score, "attempt": n,
                "time": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--students", type=int, default=12)
    p.add_argument("--every", type=float, default=4.0, help="seconds between two answers once the class is in")
    args = p.parse_args()
    rng = random.Random(2026)
    run = Run()
    proxy = Proxy(run)
    hub = Hub(run, proxy)
    hub.instructor = "instructor"
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    try:
        proxy.start()
        hub.start()
        deadline = time.time() + 60
        while requests.get(hub.classview + "api/me", timeout=5).status_code not in (200, 403):
            if time.time() > deadline:
                raise RuntimeError(f"the class view did not start: {hub.log_tail()}")
            time.sleep(0.5)
        qs = questions()
        names = [(NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i // len(NAMES)))) for i in
                 range(args.students)]
        students = [Student(hub, n, rng.uniform(0.3, 0.95), rng) for n in names]
        first = [q for q in qs if q.notebook.startswith("00_")] or qs[:3]
        for st in students:  # the start of the lesson: everyone answers the first notebook's questions
            for q in first:
                st.answer(q)
        print(f"""
The live class view is running with {len(students)} simulated students (answers to the module's own questions).

    Open:      {hub.classview}
    Log in as: instructor    password: {hubsim.PASSWORD}

A student answers another question every {args.every:g} s, so the page updates by itself.
Try projector mode, the CSV downloads, and a private window logged in as a student (e.g. {names[0]}, same
password): the class view says 403. Press Ctrl-C to stop everything and remove what this made.
""", flush=True)
        while not stop:
            time.sleep(args.every)
            rng.choice(students).answer(rng.choice(qs))
    except KeyboardInterrupt:
        pass
    finally:
        log("stopping the hub and the proxy, removing the demo's files")
        hub.stop()
        proxy.stop()
        run.cleanup()
        print(json.dumps({"stopped": True, "left": [p for p in run.alive()]}))


if __name__ == "__main__":
    main()

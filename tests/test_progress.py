"""Tests for course.quiz.progress: the per-user JSON progress file (atomic writes, lock, damaged files
moved aside, an unwritable folder handled in memory)."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import pytest

from course.quiz import progress
from course.quiz.progress import FORMAT, VERSION, ProgressStore, ProgressWarning

REPO = Path(__file__).resolve().parent.parent


def _strict_json(path: Path) -> dict:
    """Parse a progress file as strict JSON (no NaN/Infinity) and check its envelope."""

    def no_constants(name: str):
        raise ValueError(f"non-standard JSON constant {name}")

    doc = json.loads(path.read_bytes().decode("utf-8"), parse_constant=no_constants)
    assert doc["format"] == FORMAT
    assert doc["version"] == VERSION
    assert isinstance(doc["attempts"], list)
    return doc


def _strict_json_bytes(data: bytes) -> dict:
    doc = json.loads(data.decode("utf-8"))
    assert doc["format"] == FORMAT
    assert isinstance(doc["attempts"], list)
    return doc


def _progress_warnings(record: list[warnings.WarningMessage]) -> list[warnings.WarningMessage]:
    return [w for w in record if issubclass(w.category, ProgressWarning)]


@pytest.fixture
def caught():
    """Every warning issued during the test, none filtered out."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        yield record


# --- the environment the tests (and notebook kernels) run in --------------------------------------------------


def test_conftest_points_progress_at_a_temporary_folder():
    folder = Path(os.environ["COURSE_PROGRESS_DIR"])
    assert folder.name.startswith("course-test-progress-")
    assert folder.resolve().is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert progress.default_path() == folder / "progress.json"


def test_progress_dir_fixture_gives_a_fresh_kernel_store(progress_dir):
    s = progress.store()
    assert s.path == progress_dir / "progress.json"
    assert progress.store() is s  # one store per kernel ...
    s.record("00_start_here", "00-a")
    assert (progress_dir / "progress.json").exists()


def test_store_follows_a_changed_course_progress_dir(progress_dir, tmp_path, monkeypatch):
    first = progress.store()
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "elsewhere"))
    second = progress.store()
    assert second is not first
    assert second.path == tmp_path / "elsewhere" / "progress.json"


def test_default_path_without_override_is_the_user_data_dir(monkeypatch):
    monkeypatch.delenv("COURSE_PROGRESS_DIR")
    from platformdirs import user_data_dir

    assert progress.default_path() == Path(user_data_dir("kg-russia-module", appauthor=False)) / "progress.json"


# --- recording and reading -------------------------------------------------------------------------------


def test_record_round_trips_every_field(store):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    rec = store.record(
        "00_start_here",
        "00-who-said",
        kind="answer",
        answer={"a": "Путин", "b": ["x", 1]},
        correct=False,
        score=0.5,
        attempt=3,
    )
    after = datetime.now(timezone.utc)
    assert set(rec) == {"question", "notebook", "kind", "answer", "correct", "score", "attempt", "time"}
    for fresh in (store, ProgressStore(store.path)):  # the same kernel, and a new one reading the file
        (back,) = fresh.attempts()
        assert back == rec
        assert back["notebook"] == "00_start_here"
        assert back["question"] == "00-who-said"
        assert back["kind"] == "answer"
        assert back["answer"] == {"a": "Путин", "b": ["x", 1]}
        assert back["correct"] is False
        assert back["score"] == 0.5
        assert back["attempt"] == 3
        stamp = datetime.fromisoformat(back["time"])
        assert stamp.tzinfo is not None
        assert before <= stamp <= after


def test_record_defaults_and_reveal_kind(store):
    store.record("00_start_here", "00-a")
    store.record("00_start_here", "00-a", kind="reveal", attempt=2)
    a, r = store.attempts()
    assert (a["kind"], a["answer"], a["correct"], a["score"], a["attempt"]) == ("answer", None, None, None, None)
    assert (r["kind"], r["attempt"]) == ("reveal", 2)


def test_file_is_valid_json_after_every_write(store):
    answers = [None, "3.5", 3.5, ["a", "b"], {"left": "right"}, "比什凯克 \u200f 🙂", 'quote " and \\ and \n', True, 0]
    for i, answer in enumerate(answers * 3, start=1):
        store.record("00_start_here", f"00-q{i % 4}", answer=answer, correct=bool(i % 2), score=i / 100, attempt=i)
        doc = _strict_json(store.path)
        assert len(doc["attempts"]) == i
        assert doc["attempts"][-1]["answer"] == answer
    assert not list(store.path.parent.glob("*.tmp"))  # no temporary file left behind


def test_record_refuses_an_unserialisable_answer_loudly(store):
    with pytest.raises(TypeError):
        store.record("00_start_here", "00-a", answer=object())
    assert store.attempts() == []


def test_attempts_filter_by_notebook_and_question(store):
    store.record("00_start_here", "00-a")
    store.record("00_start_here", "00-b")
    store.record("01_article", "01-a")
    assert [r["question"] for r in store.attempts(notebook="00_start_here")] == ["00-a", "00-b"]
    assert [r["question"] for r in store.attempts(question="01-a")] == ["01-a"]
    assert store.attempts(notebook="01_article", question="00-a") == []
    assert len(store.attempts()) == 3


def test_attempts_of_a_missing_or_empty_file(store, caught):
    assert store.attempts() == []
    store.path.parent.mkdir(parents=True)
    store.path.write_text("  \n")
    assert store.attempts() == []
    assert store.path.read_text() == "  \n"  # an empty file is not "damaged": nothing moved aside
    assert not _progress_warnings(caught)


def test_summary_counts_answered_and_correct(store):
    ids = ["00-a", "00-b", "00-c", "00-d"]
    store.record("00_start_here", "00-a", correct=False)
    store.record("00_start_here", "00-a", correct=True)
    store.record("00_start_here", "00-b", correct=False, score=0.5)
    store.record("00_start_here", "00-c", kind="reveal")  # a reveal is not an answer
    store.record("01_article", "00-d", correct=True)  # another notebook
    store.record("00_start_here", "00-zz", correct=True)  # not one of these questions
    assert store.summary("00_start_here", ids) == {"answered": 2, "correct": 1, "total": 4}
    store.record("00_start_here", "00-d", correct=None)  # a saved reflection
    assert store.summary("00_start_here", ids) == {"answered": 3, "correct": 1, "total": 4}


def test_listeners_are_called_with_each_record_and_can_unsubscribe(store):
    seen: list[dict] = []
    store.subscribe(seen.append)
    rec = store.record("00_start_here", "00-a", correct=True)
    assert seen == [rec]
    store.unsubscribe(seen.append)
    store.unsubscribe(seen.append)  # twice is harmless
    store.record("00_start_here", "00-b")
    assert seen == [rec]


def test_reset_keeps_the_old_file_and_starts_afresh(store):
    seen: list[dict] = []
    store.subscribe(seen.append)
    for q in ("00-a", "00-b", "00-c"):
        store.record("00_start_here", q)
    old_bytes = store.path.read_bytes()
    backup = store.reset()
    assert backup is not None
    assert backup.name.startswith("progress.json.reset-")
    assert backup.read_bytes() == old_bytes
    assert not store.path.exists()
    assert store.attempts() == []
    assert seen[-1] == {}  # listeners hear about the reset
    store.record("00_start_here", "00-d")
    assert [r["question"] for r in store.attempts()] == ["00-d"]
    assert backup.read_bytes() == old_bytes


def test_reset_without_a_file_returns_none(store):
    assert store.reset() is None


# --- damaged files are moved aside, never deleted ---------------------------------------------------------

GOOD_RECORD = {
    "notebook": "00_start_here",
    "question": "00-a",
    "kind": "answer",
    "answer": "x",
    "correct": True,
    "score": 1.0,
    "attempt": 1,
    "time": "2025-11-27T10:00:00+00:00",
}

DAMAGED = {
    "garbage-bytes": bytes(range(256)) * 4,
    "truncated-json": json.dumps({"format": FORMAT, "version": VERSION, "attempts": [GOOD_RECORD]})[:-7].encode(),
    "json-list": b"[1, 2, 3]",
    "json-string": b'"progress"',
    "other-format": json.dumps({"format": "something-else", "version": 1, "attempts": []}).encode(),
    "version-not-a-number": json.dumps({"format": FORMAT, "version": "two", "attempts": [GOOD_RECORD]}).encode(),
    "attempts-not-a-list": json.dumps({"format": FORMAT, "version": VERSION, "attempts": {"a": 1}}).encode(),
    # a newer version's file, and single damaged records, keep their readable records: tests/test_progress_input.py
    "non-utf8": b'{"format": "' + FORMAT.encode() + b'", "version": 1, "attempts": [], "x": "\xff\xfe"}',
    "utf16": json.dumps({"format": FORMAT, "version": VERSION, "attempts": []}).encode("utf-16"),
    "nested-too-deep": b"[" * 100_000,
}


@pytest.mark.parametrize("first_call", ["attempts", "record"])
@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_file_is_moved_aside_once_and_recording_continues(store, caught, name, first_call):
    content = DAMAGED[name]
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(content)

    if first_call == "attempts":
        assert store.attempts() == []
    else:
        store.record("00_start_here", "00-first")
    backups = list(store.path.parent.glob("progress.json.corrupt-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == content  # the original bytes, kept
    issued = _progress_warnings(caught)
    assert len(issued) == 1
    assert backups[0].name in str(issued[0].message)
    assert str(store.path) in str(issued[0].message)
    assert store.problem == str(issued[0].message)

    for i in range(3):
        store.record("00_start_here", f"00-q{i}")
        _strict_json(store.path)
    expected = (["00-first"] if first_call == "record" else []) + ["00-q0", "00-q1", "00-q2"]
    assert [r["question"] for r in store.attempts()] == expected
    assert [r["question"] for r in ProgressStore(store.path).attempts()] == expected
    assert len(_progress_warnings(caught)) == 1  # warned once, not on every later record
    assert len(list(store.path.parent.glob("progress.json.corrupt-*"))) == 1


def test_two_damaged_files_in_a_row_are_both_kept(store, caught):
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"first damage")
    store.record("00_start_here", "00-a")
    store.path.write_bytes(b"second damage")
    store.record("00_start_here", "00-b")
    kept = sorted(p.read_bytes() for p in store.path.parent.glob("progress.json.corrupt-*"))
    assert kept == [b"first damage", b"second damage"]
    assert [r["question"] for r in store.attempts()] == ["00-b"]
    assert len(_progress_warnings(caught)) == 2  # one per damaged file


def test_a_file_repaired_while_waiting_for_the_lock_is_not_moved_aside(store, monkeypatch, caught):
    """attempts() reads a damaged file without the lock; before moving it aside it must check again under
    the lock, because another kernel may have moved it aside and written a good file meanwhile."""
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"damaged")
    good = json.dumps({"format": FORMAT, "version": VERSION, "attempts": [GOOD_RECORD]}).encode()
    real_locked = progress._locked

    def locked_after_another_kernel_repaired(lock_path):
        store.path.write_bytes(good)  # the other kernel's work, done while we waited
        return real_locked(lock_path)

    monkeypatch.setattr(progress, "_locked", locked_after_another_kernel_repaired)
    assert store.attempts() == [GOOD_RECORD]
    assert store.path.read_bytes() == good
    assert not list(store.path.parent.glob("progress.json.corrupt-*"))
    assert not _progress_warnings(caught)


def test_a_file_that_cannot_be_read_is_never_overwritten(store, monkeypatch, caught):
    """If reading fails (permissions, I/O error), record() must not replace the file with one holding only
    the new attempt: the attempt waits in memory instead."""
    store.record("00_start_here", "00-old-1")
    store.record("00_start_here", "00-old-2")
    before = store.path.read_bytes()
    real_read_text = Path.read_text

    def failing_read_text(self, *args, **kwargs):
        if self == store.path:
            raise PermissionError(13, "Permission denied")
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", failing_read_text)
    store.record("00_start_here", "00-new")
    assert store.path.read_bytes() == before
    assert len(_progress_warnings(caught)) == 1
    assert "Permission denied" in store.problem
    monkeypatch.setattr(Path, "read_text", real_read_text)
    store.record("00_start_here", "00-newer")
    assert [r["question"] for r in store.attempts()] == ["00-old-1", "00-old-2", "00-new", "00-newer"]


# --- a folder that cannot be written: keep working from memory, say so once -------------------------------


@pytest.fixture
def unwritable_path(tmp_path) -> Path:
    """A progress file below a regular file: creating its folder fails (ENOTDIR), even for root."""
    (tmp_path / "afile").write_text("I am a file, not a folder")
    return tmp_path / "afile" / "sub" / "progress.json"


def test_unwritable_location_keeps_attempts_in_memory_and_warns_once(unwritable_path, caught):
    s = ProgressStore(unwritable_path)
    assert s.attempts() == []
    for i in range(5):
        rec = s.record("00_start_here", f"00-q{i}", answer=str(i), correct=i == 4, score=float(i == 4), attempt=i + 1)
        assert rec["question"] == f"00-q{i}"
        assert [r["question"] for r in s.attempts()] == [f"00-q{j}" for j in range(i + 1)]
    assert s.attempts(question="00-q4")[0]["correct"] is True
    assert s.summary("00_start_here", [f"00-q{i}" for i in range(5)]) == {"answered": 5, "correct": 1, "total": 5}
    issued = _progress_warnings(caught)
    assert len(issued) == 1
    assert str(unwritable_path) in str(issued[0].message)
    assert "COURSE_PROGRESS_DIR" in str(issued[0].message)
    assert s.problem == str(issued[0].message)
    assert (unwritable_path.parent.parent).is_file()  # nothing was changed on disk


def test_unwritable_course_progress_dir_via_the_kernel_store(unwritable_path, monkeypatch, caught):
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(unwritable_path.parent))
    monkeypatch.setattr(progress, "_STORE", None)
    s = progress.store()
    assert s.path == unwritable_path
    s.record("00_start_here", "00-a", correct=True)
    s.record("00_start_here", "00-b", correct=False)
    assert [r["question"] for r in progress.store().attempts()] == ["00-a", "00-b"]
    assert len(_progress_warnings(caught)) == 1


def test_listeners_still_called_when_the_disk_fails(unwritable_path, caught):
    s = ProgressStore(unwritable_path)
    seen: list[dict] = []
    s.subscribe(seen.append)
    rec = s.record("00_start_here", "00-a")
    assert seen == [rec]


# --- several processes at once ----------------------------------------------------------------------------


def _record_many(path: str, worker: int, count: int) -> None:
    s = ProgressStore(Path(path))
    for i in range(count):
        s.record("00_start_here", f"00-w{worker}-{i}", answer=i, attempt=i + 1)


def test_concurrent_processes_keep_every_record(tmp_path):
    path = tmp_path / "progress.json"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_record_many, args=(str(path), w, 25)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    doc = _strict_json(path)
    questions = [r["question"] for r in doc["attempts"]]
    assert len(questions) == 100
    assert set(questions) == {f"00-w{w}-{i}" for w in range(4) for i in range(25)}
    for w in range(4):  # each writer's records stay in its own order
        mine = [q for q in questions if q.startswith(f"00-w{w}-")]
        assert mine == [f"00-w{w}-{i}" for i in range(25)]


def test_concurrent_threads_keep_every_record(store):
    import threading

    def work(t: int) -> None:
        for i in range(20):
            store.record("00_start_here", f"00-t{t}-{i}")

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(_strict_json(store.path)["attempts"]) == 80


CHILD = """
import sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from course.quiz.progress import ProgressStore
s = ProgressStore(Path({path!r}))
i = 0
while True:
    s.record("00_start_here", "00-k%d" % i, answer="x" * (i % 50), attempt=i)
    sys.stdout.write("%d\\n" % i)
    sys.stdout.flush()
    i += 1
"""


@pytest.mark.parametrize("round_", range(5))
def test_killed_writer_never_leaves_a_broken_file(tmp_path, round_):
    rng = random.Random(round_)
    path = tmp_path / "progress.json"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(repo=str(REPO), path=str(path))], stdout=subprocess.PIPE, text=True
    )
    try:
        target = rng.randint(1, 40)
        done = -1
        while done < target:
            line = child.stdout.readline()
            assert line, "the child stopped on its own"
            done = int(line)
        time.sleep(rng.uniform(0, 0.004))  # a random moment, most likely in the middle of a write
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        for line in child.stdout:  # counters printed before the kill landed
            done = int(line)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    doc = _strict_json(path)
    questions = {r["question"] for r in doc["attempts"]}
    assert {f"00-k{i}" for i in range(done + 1)} <= questions  # every record reported done is there
    assert len(questions) in (done + 1, done + 2)  # at most one more: written, then killed before reporting
    # the lock died with the child: a new writer carries on at once
    ProgressStore(path).record("00_start_here", "00-after")
    assert len(_strict_json(path)["attempts"]) == len(questions) + 1


WRITER = """
import sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from course.quiz.progress import ProgressStore
s = ProgressStore(Path({path!r}))
for i in range({count}):
    s.record("00_start_here", "00-big%d" % i, answer="ж" * 20000)
"""


def test_a_reader_never_sees_a_half_written_file(tmp_path):
    """Writes are atomic: while another process writes a large file again and again, every read of it
    parses. (A file rewritten in place would be caught empty or half-written by some of these reads.)"""
    path = tmp_path / "progress.json"
    count = 40
    child = subprocess.Popen([sys.executable, "-c", WRITER.format(repo=str(REPO), path=str(path), count=count)])
    reads = bad = 0
    try:
        while child.poll() is None:
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            reads += 1
            try:
                _strict_json_bytes(data)
            except (ValueError, AssertionError):
                bad += 1
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
    assert child.returncode == 0
    assert reads > 0
    assert bad == 0, f"{bad} of {reads} reads saw a damaged file"
    assert len(_strict_json(path)["attempts"]) == count

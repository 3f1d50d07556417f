"""Nothing a student types is lost: any string is saved (issue 12, item 4), and a damaged progress history
keeps every readable record (item 6)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course.quiz import progress
from course.quiz.messages import t
from course.quiz.model import Reflection
from course.quiz.progress import FORMAT, VERSION, ProgressStore, ProgressWarning, repair_text
from course.quiz.widgets import QuizWidget

GOOD = {"notebook": "00_start_here", "question": "00-a", "kind": "answer", "answer": "x", "correct": True,
        "score": 1.0, "attempt": 1, "time": "2025-11-27T10:00:00+00:00"}
GOOD2 = {**GOOD, "question": "00-b", "answer": "y"}
GOOD3 = {**GOOD, "question": "00-c", "answer": "z"}


@pytest.fixture
def store(tmp_path) -> ProgressStore:
    return ProgressStore(tmp_path / "p" / "progress.json")


@pytest.fixture
def caught():
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        yield record


def issued(caught) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, ProgressWarning)]


def reflection() -> Reflection:
    return Reflection(id="00-r", prompt="Think.", explanation="EXPLAIN", model_answer="MODEL", notebook="00_x")


def utf8_doc(path: Path) -> dict:
    return json.loads(path.read_bytes().decode("utf-8"))  # strict: raises on anything UTF-8 cannot hold


# --- 4. any string a student types is saved ---------------------------------------------------------------


def test_a_lone_surrogate_in_a_reflection_is_saved_repaired_and_the_student_is_told(store, caught):
    w = QuizWidget(reflection(), progress=store, student="ada")
    w.answer = "Half an emoji: \ud83d and the rest"
    w.press("check")
    assert w.feedback_status == "recorded"
    assert "could not be saved as they arrived" in w.feedback_html
    [rec] = store.attempts()
    assert rec["answer"] == "Half an emoji: \ufffd and the rest"
    assert utf8_doc(store.path)["attempts"][0]["answer"] == rec["answer"]
    assert not issued(caught)


def test_a_surrogate_pair_sent_as_two_code_points_becomes_its_character_silently():
    result = reflection().grade("smile \ud83d\ude00")
    assert result.answer == "smile \U0001f600"
    assert t("text_repaired") not in result.lines


def test_the_store_repairs_any_string_it_is_given(store):
    store.record("00_x", "00-e", kind="exercise", answer={"k\udc80": ["\ud800", "ok"]})
    [rec] = store.attempts()
    assert rec["answer"] == {"k\ufffd": ["\ufffd", "ok"]}
    utf8_doc(store.path)


def test_repair_text_over_every_code_point():
    every = "".join(map(chr, range(0x110000)))
    fixed, lost = repair_text(every)
    assert lost
    fixed.encode("utf-8")  # no error
    # every code point outside the surrogates is kept; each surrogate becomes U+FFFD, except U+DBFF right
    # before U+DC00, which together are one character (U+10FC00), as a browser's UTF-16 would mean them
    before = "".join(map(chr, range(0xD800)))
    after = "".join(map(chr, range(0xE000, 0x110000)))
    expected = before + "\ufffd" * (0xDBFF - 0xD800) + "\U0010fc00" + "\ufffd" * (0xE000 - 0xDC01) + after
    assert fixed == expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(exclude_categories=()), min_size=1, max_size=60))
def test_any_string_python_can_hold_is_saved_and_read_back(tmp_path, text):
    store = ProgressStore(tmp_path / "hyp" / "progress.json")
    q = reflection()
    try:
        result = q.grade(text)
    except Exception as err:  # only "nothing was written" may refuse the text
        assert getattr(err, "key", None) == "err_empty", err
        return
    rec = store.record("00_x", q.id, answer=result.answer)
    back = ProgressStore(store.path).attempts()[-1]
    assert back["answer"] == rec["answer"] == repair_text(text.strip())[0]
    back["answer"].encode("utf-8")
    assert (t("text_repaired") in result.lines) == repair_text(text.strip())[1]


# --- 6. a damaged history keeps every readable record ------------------------------------------------------


def write_doc(store: ProgressStore, doc: object) -> None:
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(json.dumps(doc), encoding="utf-8")


@pytest.mark.parametrize("first_call", ["attempts", "record"])
def test_bad_records_are_set_aside_alone_and_counted(store, caught, first_call):
    bad = [{"kind": "answer"}, "junk", {"question": 7}]
    write_doc(store, {"format": FORMAT, "version": VERSION, "attempts": [GOOD, bad[0], GOOD2, bad[1], bad[2]]})
    if first_call == "attempts":
        assert store.attempts() == [GOOD, GOOD2]
    else:
        store.record("00_start_here", "00-new")
    assert [r["question"] for r in store.attempts()][:2] == ["00-a", "00-b"]
    [backup] = store.path.parent.glob("progress.json.bad-*")
    assert json.loads(backup.read_text(encoding="utf-8")) == bad
    [message] = issued(caught)
    assert "3 record(s)" in message
    assert "other 2 answer(s) are safe" in message
    assert backup.name in message
    assert not list(store.path.parent.glob("progress.json.corrupt-*"))  # the history is not moved aside
    assert [r["question"] for r in ProgressStore(store.path).attempts()][:2] == ["00-a", "00-b"]


def test_a_file_cut_short_keeps_the_records_before_the_damage(store, caught):
    text = json.dumps({"format": FORMAT, "version": VERSION, "attempts": [GOOD, GOOD2, GOOD3]}, indent=1)
    cut = text[: text.index('"00-c"') + 3]
    store.path.parent.mkdir(parents=True)
    store.path.write_text(cut, encoding="utf-8")
    assert store.attempts() == [GOOD, GOOD2]
    [backup] = store.path.parent.glob("progress.json.bad-*")
    assert '"00' in backup.read_text(encoding="utf-8")
    assert cut.endswith(backup.read_text(encoding="utf-8"))
    [message] = issued(caught)
    assert "cut short" in message
    assert "2 answer(s)" in message
    store.record("00_start_here", "00-d")
    assert [r["question"] for r in ProgressStore(store.path).attempts()] == ["00-a", "00-b", "00-d"]


def test_a_file_from_a_newer_version_is_read_and_keeps_its_version(store, caught):
    newer = {"format": FORMAT, "version": VERSION + 1, "attempts": [{**GOOD, "confidence": 3}, GOOD2]}
    write_doc(store, newer)
    assert [r["question"] for r in store.attempts()] == ["00-a", "00-b"]
    store.record("00_start_here", "00-new")
    doc = utf8_doc(store.path)
    assert doc["version"] == VERSION + 1
    assert doc["attempts"][0]["confidence"] == 3
    assert [r["question"] for r in doc["attempts"]] == ["00-a", "00-b", "00-new"]
    [message] = issued(caught)
    assert "newer version" in message
    assert not list(store.path.parent.glob("progress.json.corrupt-*"))


def test_temporary_files_of_a_killed_writer_are_removed(store):
    store.record("00_start_here", "00-a")
    stale = [store.path.with_name("progress.json.abc123.tmp"), store.path.with_name("progress.json.x.tmp")]
    for p in stale:
        p.write_text('{"half": ')
    other = store.path.with_name("notes.tmp")
    other.write_text("not ours")
    store.record("00_start_here", "00-b")
    assert not any(p.exists() for p in stale)
    assert other.exists()
    assert [r["question"] for r in store.attempts()] == ["00-a", "00-b"]


def test_a_progress_folder_that_is_a_file_is_named_as_such(tmp_path, monkeypatch, caught):
    folder = tmp_path / "progress-folder"
    folder.write_text("I am a file")
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(folder))
    monkeypatch.setattr(progress, "_STORE", None)
    s = progress.store()
    s.record("00_start_here", "00-a")
    [message] = issued(caught)
    assert f"{folder} is a file, not a folder" in message
    assert "COURSE_PROGRESS_DIR" in message
    assert [r["question"] for r in s.attempts()] == ["00-a"]  # kept in memory
    assert folder.read_text() == "I am a file"

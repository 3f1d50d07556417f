"""Tests for course.lessons.review: the progress summary across the module, the answer saved in notebook 00, the
disagreements table, the sources list, and the checks of notebook 06's exercises
(right answers pass; wrong, odd or empty answers get a hint, never an exception)."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from course import article, data
from course.exercises import check
from course.lessons import review
from course.quiz.bank import bank_paths, load_bank

REPO = Path(__file__).resolve().parents[2]
BANK_06 = REPO / "course" / "banks" / "06_review.yaml"


@pytest.fixture(autouse=True)
def _real_data(monkeypatch):
    """Read the repository's data/ and banks, whatever the caller's environment says."""
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.delenv("COURSE_BANKS_DIR", raising=False)
    monkeypatch.delenv("COURSE_QUIZZES_DIR", raising=False)
    article._load.cache_clear()
    yield
    article._load.cache_clear()


def q(qid, graded=True):
    return SimpleNamespace(id=qid, graded=graded)


def bank(notebook, title, *questions):
    return SimpleNamespace(notebook=notebook, title=title, questions=questions)


BANKS = [
    bank("00_start_here", "Start here", q("00-run-cell"), q("00-especially"), q("00-schools"),
         q("00-expectations", graded=False)),
    bank("03_migration_and_remittances", "Migration and remittances", q("03-a"), q("03-b")),
]
EXERCISES = ["03-pp-change", "03-share-from-russia", "04-wheat-hhi"]


def fill(store):
    """A student's history: retries, a partial answer, a reflection, a reveal, exercises, and stale records."""
    store.record("00_start_here", "00-run-cell", answer="Enter", correct=False, score=0.0, attempt=1)
    store.record("00_start_here", "00-run-cell", answer="Shift + Enter", correct=True, score=1.0, attempt=2)
    store.record("00_start_here", "00-especially", answer=["energy security"], correct=False, score=0.5, attempt=1)
    store.record("00_start_here", "00-expectations", answer="I want to know about remittances.", correct=None)
    store.record("00_start_here", "00-schools", kind="reveal", attempt=2)
    store.record("00_start_here", "00-old-question", answer="x", correct=True)          # no longer in the bank
    store.record("99_elsewhere", "99-q", answer="x", correct=True)                     # no such notebook
    store.record("03_migration_and_remittances", "03-pp-change", kind="exercise", answer=1.0, correct=False)
    store.record("03_migration_and_remittances", "03-pp-change", kind="exercise", answer=-5.98, correct=True)
    store.record("03_migration_and_remittances", "03-share-from-russia", kind="exercise", answer=2.0, correct=False)


# --- the summary (pure) ------------------------------------------------------------------------------------------


def test_summary_counts_distinct_questions_and_exercises_from_a_store(store):
    fill(store)
    summary = review.progress_summary(store, BANKS, EXERCISES)
    start = summary.row("00")
    assert (start.questions, start.graded) == (4, 3)
    assert start.answered == 3          # run-cell (twice), especially (partial), expectations (reflection)
    assert start.correct == 1           # only run-cell; a partial answer is not right, a reflection is not graded
    assert start.reveals == 1
    assert (start.exercises, start.checked, start.passed) == (0, 0, 0)
    migration = summary.row("03_migration_and_remittances")
    assert (migration.answered, migration.correct) == (0, 0)
    assert (migration.exercises, migration.checked, migration.passed) == (2, 2, 1)
    total = summary.total
    assert (total.questions, total.answered, total.correct, total.exercises, total.passed) == (6, 3, 1, 2, 1)
    assert not summary.empty


def test_summary_accepts_a_list_of_attempts_and_skips_damaged_ones():
    attempts = [{"notebook": "03_migration_and_remittances", "question": "03-a", "kind": "answer", "correct": True},
                "not a record", {"notebook": "03_migration_and_remittances"}, {"question": 7}, None]
    summary = review.progress_summary(attempts, BANKS)
    assert summary.row("03").correct == 1
    assert summary.row("00").answered == 0


def test_the_empty_state_is_a_friendly_message_not_a_table_of_zeros(store):
    summary = review.progress_summary(store, BANKS, EXERCISES)
    assert summary.empty
    assert len(summary) == 2
    text, page = repr(summary), summary._repr_html_()
    assert text.startswith("You have not answered any questions")
    assert "run this cell again" in text
    assert "|" not in text
    assert "<table" not in page
    assert 'role="status"' in page


def test_the_table_reads_well_and_is_escaped(store):
    fill(store)
    banks = BANKS + [bank("05_x", "<script>alert(1)</script>", q("05-a"))]
    summary = review.progress_summary(store, banks, EXERCISES)
    text = repr(summary)
    assert "So far you have answered 3 of 7 questions" in text
    assert "00 Start here | 3 of 4 | 1 of 3 | none in this notebook | 1" in text
    assert "03 Migration and remittances | 0 of 2 | 0 of 2 | 1 of 2 (2 checked) | 0" in text
    assert "Notebooks you have not started yet: 05." in text
    assert 'You used "Show answer" on 1 question:' in text
    page = summary._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert page.count("<tr>") == 5          # a header row, three notebooks and the total


def test_row_lookup_names_the_notebooks_when_unknown(store):
    with pytest.raises(KeyError, match="00_start_here"):
        review.progress_summary(store, BANKS).row("07")


def test_my_progress_reads_the_kernel_store_and_every_bank(progress_dir):
    from course.quiz.progress import store

    assert review.my_progress().empty
    store().record("06_review", "06-verdict", answer="x", correct=True)
    check("06-most-apart", "China trade 2024")
    summary = review.my_progress()
    assert [r.notebook for r in summary] == [p.stem for p in bank_paths()]
    row = summary.row("06")
    assert (row.answered, row.correct, row.passed, row.exercises) == (1, 1, 1, 2)
    assert summary.total.exercises >= 14        # every notebook's exercises are registered


def test_exercise_ids_cover_every_notebook():
    ids = review.exercise_ids()
    assert {"06-ratios", "06-most-apart"} <= set(ids)
    assert {i[:2] for i in ids} >= {"01", "02", "03", "04", "05", "06"}


# --- the question from notebook 00 ------------------------------------------------------------------------------


def test_saved_answer_is_the_last_non_empty_reflection(store):
    assert review.saved_answer(store) is None
    store.record("00_start_here", "00-expectations", answer="first", correct=None)
    store.record("00_start_here", "00-expectations", answer="  second  ", correct=None)
    store.record("00_start_here", "00-expectations", answer="   ", correct=None)
    store.record("00_start_here", "00-expectations", kind="reveal")
    assert review.saved_answer(store) == "second"


def test_first_question_shows_the_answer_escaped_or_a_clear_empty_state(progress_dir):
    from course.quiz.progress import store

    empty = review.first_question()
    assert empty.text is None
    assert "You have not saved an answer" in repr(empty)
    assert "You have not saved an answer" in empty._repr_html_()
    store().record("00_start_here", "00-expectations", answer="Why <b>gas</b>?\nAnd wheat?", correct=None)
    shown = review.first_question()
    assert "You wrote:\n    Why <b>gas</b>?\n    And wheat?" in repr(shown)
    page = shown._repr_html_()
    assert "&lt;b&gt;gas&lt;/b&gt;?<br>And wheat?" in page
    assert "<b>gas" not in page


# --- the disagreements table ------------------------------------------------------------------------------------


def test_every_disagreement_has_at_least_two_figures_straight_from_data():
    rows = review.disagreement_rows()
    figures = review.disagreement_figures()
    assert list(figures) == [d.topic for d in review.DISAGREEMENTS]
    for topic, records in rows.items():
        assert len(records) >= 2, topic
        assert figures[topic] == tuple(r.value for r in records)
        assert max(figures[topic]) > min(figures[topic]), f"{topic}: the sources agree"
        assert len({r.unit for r in records}) == 1, f"{topic}: figures in different units"
        for r in records:
            assert data.source(r.source_id)


def test_the_disagreements_table_says_whose_each_figure_is():
    table = review.disagreements()
    assert table.columns == ("Topic", "Notebook", "Figure", "Unit", "Whose figure")
    assert len(table) == sum(len(v) for v in review.disagreement_rows().values())
    assert all(row[4].strip() for row in table)
    whose = dict(zip(table.column("Figure"), table.column("Whose figure")))
    assert whose["18,000"].startswith("Russian Railways")
    assert whose["7,400"].startswith("Kyrgyz statistics")
    assert whose["1,224"] == "Japarov at the 2023 ceremony (24.kg)"


# --- sources --------------------------------------------------------------------------------------------------------


def bank_source_ids():
    doc = yaml.safe_load(BANK_06.read_text(encoding="utf-8"))
    return [s for question in doc["questions"] for s in question.get("sources", [])]


def test_every_source_the_bank_cites_exists():
    reports = {s["id"] for s in article.source_records()}
    paragraphs = {p.id for p in article.paragraphs()} | {sid for sid, _ in article.sections()} | {"metadata"}
    for sid in bank_source_ids():
        if sid.startswith("article:"):
            assert sid.split(":", 1)[1] in paragraphs, sid
        elif sid.startswith("article-source:"):
            assert sid.split(":", 1)[1] in reports, sid
        else:
            assert data.source(sid), sid


def test_the_sources_list_cites_everything_used_once():
    lines = review.sources()
    assert lines[0].startswith('Times Tengri, "Japarov Tells Putin')
    assert "II.3" in lines[0]
    cited = "\n".join(lines)
    ids = [s for s in bank_source_ids() if ":" not in s] + list(review.FURTHER_READING)
    ids += [r.source_id for rows in review.disagreement_rows().values() for r in rows]
    for sid in ids:
        assert data.source(sid)["url"] in cited, sid
    assert len(lines) == len(set(lines))


def test_the_bank_is_cumulative_and_varied():
    b = load_bank(BANK_06)
    assert 8 <= len(b.questions) <= 12
    assert len({x.kind for x in b.questions}) >= 4
    graded = [x for x in b.questions if x.graded]
    assert len({x.kind for x in graded}) >= 4
    assert any(x.kind == "reflection" and "notebook 00" in x.prompt for x in b.questions)


# --- exercise checks ------------------------------------------------------------------------------------------------


def right_ratios():
    return {topic: max(v) / min(v) for topic, v in review.disagreement_figures().items()}


def test_the_right_ratios_pass_also_rounded_and_with_other_spelling():
    assert check("06-ratios", right_ratios(), record=False).ok
    rounded = {topic.upper() + " ": round(v, 2) for topic, v in right_ratios().items()}
    assert check("06-ratios", rounded, record=False).ok


@pytest.mark.parametrize("value, hint", [
    ([1.5, 2.0], "Store a dictionary"),
    ("China trade 2024", "Store a dictionary"),
    (4.28, "Store a dictionary"),
    ({}, "no ratio yet"),
    ({"Chinese trade": 4.28}, "not topics of the table"),
])
def test_wrong_shapes_of_ratios_get_a_hint(value, hint):
    result = check("06-ratios", value, record=False)
    assert not result.ok
    assert hint in result.message


def test_ratios_that_are_upside_down_missing_odd_or_off_get_a_hint():
    good = right_ratios()
    upside_down = {k: 1 / v for k, v in good.items()}
    assert "below 1" in check("06-ratios", upside_down, record=False).message
    missing = dict(list(good.items())[:-1])
    assert "Pupils per school" in check("06-ratios", missing, record=False).message
    for odd in ("4.28", None, math.nan, True, [4.28]):
        result = check("06-ratios", {**good, "China trade 2024": odd}, record=False)
        assert not result.ok
        assert "'China trade 2024' is not a number" in result.message
    off = check("06-ratios", {**good, "Flour from Russia 2022": 1.9}, record=False)
    assert not off.ok
    assert "'Flour from Russia 2022' is not right yet" in off.message
    assert "2.43" not in off.message


def test_no_answer_yet_is_a_hint():
    for exercise_id in ("06-ratios", "06-most-apart"):
        result = check(exercise_id, ..., record=False)
        assert not result.ok
        assert "Not answered yet" in repr(result)


def test_the_topic_furthest_apart_passes_in_any_case():
    result = check("06-most-apart", "  china TRADE 2024 ", record=False)
    assert result.ok
    assert "China trade 2024" in result.message
    assert "4.3 times" in result.message
    assert check("06-most-apart", max(right_ratios(), key=right_ratios().get), record=False).ok


@pytest.mark.parametrize("value, hint", [
    ("Flour from Russia 2022", "Not 'Flour from Russia 2022'"),
    ("Chinese trade", "is not one of the topics"),
    ("", "Store the name of a topic"),
    (4.28, "That is a number"),
    (["China trade 2024"], "Store the name of a topic"),
    ({"China trade 2024": 4.28}, "Store the name of a topic"),
])
def test_a_wrong_topic_gets_a_hint_not_the_answer(value, hint):
    result = check("06-most-apart", value, record=False)
    assert not result.ok
    assert hint in result.message
    assert "China trade 2024" not in result.message

"""Tests for course.article: the article as a citable source (data/article.json)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # let the tests run from any directory without installing the package
    sys.path.insert(0, str(REPO))

from course import article  # noqa: E402

SECTION_IDS = ["I", "II", "III", "IV", "V"]
PARAGRAPHS_PER_SECTION = {"I": 2, "II": 3, "III": 3, "IV": 2, "V": 2}
SPEAKERS = {"Sadyr Japarov", "Vladimir Putin"}
FURNITURE = ["- Times Tengri", "- 1 day ago", "- 5 min read"]


def _raw() -> dict:
    return json.loads((REPO / "data" / "article.json").read_text(encoding="utf-8"))


# --- structure -------------------------------------------------------------------------------------------


def test_data_dir_defaults_to_repo_data():
    assert article.data_dir() == REPO / "data"


def test_data_dir_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert article.data_dir() == tmp_path.resolve()


def test_sections_in_order_with_headings():
    secs = article.sections()
    assert [sid for sid, _ in secs] == SECTION_IDS
    assert all(isinstance(h, str) and h.strip() for _, h in secs)
    assert secs[0][1] == "A State Visit Highlighting the Alliance"


def test_paragraph_count_per_section():
    for sid, expected in PARAGRAPHS_PER_SECTION.items():
        assert len(article.paragraphs(sid)) == expected, sid
    assert len(article.paragraphs()) == sum(PARAGRAPHS_PER_SECTION.values())


def test_paragraph_ids_unique_and_in_order():
    ids = [p.id for p in article.paragraphs()]
    assert len(ids) == len(set(ids))
    expected = [f"{sid}.{n}" for sid in SECTION_IDS for n in range(1, PARAGRAPHS_PER_SECTION[sid] + 1)]
    assert ids == expected
    for p in article.paragraphs():
        assert p.id == f"{p.section}.{p.number}"


def test_paragraph_is_frozen():
    p = article.paragraph("I.1")
    with pytest.raises(AttributeError):
        p.text = "changed"  # type: ignore[misc]


def test_paragraph_text_is_clean():
    for p in article.paragraphs():
        assert p.text == p.text.strip()
        assert p.text, p.id
        assert "\n" not in p.text
        assert p.text != "Comments"
        assert not p.text.rstrip().endswith("Comments"), p.id
        for line in FURNITURE:
            assert line not in p.text, (p.id, line)
        assert not re.match(r"^(I|II|III|IV|V)\. ", p.text), f"{p.id} looks like a heading"


def test_metadata_keeps_the_furniture_and_relative_dates():
    meta = article.metadata()
    assert meta["outlet_as_printed"] == "Times Tengri"
    assert meta["title"] == "Japarov Tells Putin: Russia Remains Our Ally and Strategic Partner"
    assert meta["dates_as_printed"] == ["1 day ago", "5 min read"]
    assert meta["events_date"] == "2025-11-26"
    assert meta["visit_dates"]["start"] == "2025-11-25"
    assert meta["visit_dates"]["end"] == "2025-11-27"
    assert meta["source_file"] == "seed/article.txt"
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", meta["provenance_note"].strip()) if s]
    assert 3 <= len(sentences) <= 6


def test_metadata_returns_a_copy():
    article.metadata()["title"] = "changed"
    assert article.metadata()["title"] != "changed"


def test_known_text_is_where_expected():
    assert article.paragraph("I.1").text.startswith("On November 26, 2025, Bishkek")
    assert "will be a high-level interaction" in article.paragraph("V.1").text
    assert "\u2014" in article.paragraph("V.1").text  # the em dash survives


# --- errors ---------------------------------------------------------------------------------------------


def test_unknown_paragraph_error_lists_valid_ids():
    with pytest.raises(article.ArticleError) as info:
        article.paragraph("VI.1")
    message = str(info.value)
    assert "VI.1" in message
    for pid in ("I.1", "II.3", "V.2"):
        assert pid in message
    assert isinstance(info.value, KeyError)


def test_unknown_section_error():
    with pytest.raises(KeyError, match="section ids in the article are: 'I', 'II', 'III', 'IV', 'V'"):
        article.paragraphs("VI")


@pytest.mark.parametrize("term", ["", "   ", "\n\t"])
def test_empty_search_is_value_error(term):
    with pytest.raises(ValueError, match="empty"):
        article.search(term)


def test_search_rejects_non_text():
    with pytest.raises(TypeError):
        article.search(None)  # type: ignore[arg-type]


def test_quotations_rejects_unknown_kind():
    with pytest.raises(ValueError):
        article.quotations(kind="paraphrase")


def test_malformed_json_names_file_and_problem(monkeypatch, tmp_path):
    bad = tmp_path / "article.json"
    bad.write_text('{"metadata": {"title": "x",}', encoding="utf-8")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    article._load.cache_clear()
    with pytest.raises(article.ArticleDataError) as info:
        article.metadata()
    message = str(info.value)
    assert str(bad) in message
    assert "not valid JSON" in message
    assert "line 1" in message


def test_missing_part_names_file_and_part(monkeypatch, tmp_path):
    bad = tmp_path / "article.json"
    raw = _raw()
    del raw["sources"]
    bad.write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    article._load.cache_clear()
    with pytest.raises(article.ArticleDataError, match="sources"):
        article.sections()


def test_missing_file_is_clear(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "nowhere"))
    article._load.cache_clear()
    with pytest.raises(article.ArticleDataError, match="file not found"):
        article.paragraphs()


# --- quotations ----------------------------------------------------------------------------------------


def test_each_quotation_occurs_in_its_paragraph():
    quotes = article.quotations(kind=None)
    assert quotes, "no quotations loaded"
    for q in quotes:
        text = article.paragraph(q.paragraph).text
        assert f'"{q.text}"' in text, q.id


def test_every_quoted_span_is_recorded():
    recorded = {(q.paragraph, q.text) for q in article.quotations(kind=None)}
    for p in article.paragraphs():
        for span in re.findall(r'"([^"]*)"', p.text):
            assert (p.id, span) in recorded, (p.id, span)


def test_quotation_ids_sequential():
    ids = [q.id for q in article.quotations(kind=None)]
    assert ids == [f"q{i}" for i in range(1, len(ids) + 1)]


def test_speakers_are_known():
    for q in article.quotations(kind=None):
        assert q.kind in article.KINDS
        if q.kind == "direct_quotation":
            assert q.speaker in SPEAKERS, q.id
        else:
            assert q.speaker is None, q.id


def test_explicit_attribution_is_in_the_paragraph():
    for q in article.quotations(kind=None):
        if q.attribution_explicit:
            assert q.attribution.rstrip(".,") in article.paragraph(q.paragraph).text, q.id


def test_backyard_is_a_scare_quote():
    scare = article.quotations(kind="scare_quote")
    assert [(q.text, q.paragraph, q.speaker) for q in scare] == [("backyard", "III.2", None)]
    assert all(q.text != "backyard" for q in article.quotations())


def test_quotation_filters():
    putin = article.quotations(speaker="Vladimir Putin")
    japarov = article.quotations(speaker="Sadyr Japarov")
    assert putin
    assert japarov
    assert all(q.speaker == "Vladimir Putin" for q in putin)
    assert len(putin) + len(japarov) == len(article.quotations())
    assert article.quotations(speaker="Nobody") == []
    assert len(article.quotations(kind=None)) == len(article.quotations()) + len(
        article.quotations(kind="scare_quote")
    )


# --- search and citation -------------------------------------------------------------------------------


def test_search_finds_eeu_in_section_ii():
    hits = article.search("Eurasian Economic Union")
    ids = {pid for pid, _ in hits}
    assert "II.2" in ids
    assert any(pid.startswith("II.") for pid in ids)
    for pid, snippet in hits:
        assert "eurasian economic union" in snippet.lower()
        assert pid in {p.id for p in article.paragraphs()}


def test_search_is_case_insensitive():
    assert article.search("BACKYARD") == article.search("backyard")
    assert [pid for pid, _ in article.search("backyard")] == ["III.2"]
    assert article.search("no such phrase anywhere") == []


def test_cite():
    assert article.cite("II.3") == (
        'Times Tengri, "Japarov Tells Putin: Russia Remains Our Ally and Strategic Partner", para. II.3'
    )
    with pytest.raises(article.ArticleError):
        article.cite("II.9")


# --- provenance and sources ----------------------------------------------------------------------------


def test_every_source_has_publisher_title_year_url():
    records = article.source_records()
    assert records
    ids = [s["id"] for s in records]
    assert len(ids) == len(set(ids))
    for s in records:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s["id"]), s["id"]
        for key in ("publisher", "title", "url"):
            assert isinstance(s[key], str), (s["id"], key)
            assert s[key].strip(), (s["id"], key)
        assert isinstance(s["year"], int), s["id"]
        assert 1990 <= s["year"] <= 2026, s["id"]
        assert s["url"].startswith(("http://", "https://")), s["id"]
        assert s["accessed"] == "2026-11-27"
    citations = article.sources()
    assert len(citations) == len(records)
    assert all(re.search(r"\(\d{4}\)\. https?://", c) for c in citations)


def test_every_provenance_source_id_exists():
    known = {s["id"] for s in article.source_records()}
    quote_ids = {q.id for q in article.quotations(kind=None)}
    findings = article.provenance()
    assert findings
    for f in findings:
        for sid in f["found_in"]:
            assert sid in known, sid
        assert f["first_published_by"] is None or f["first_published_by"] in known
        assert f["quotation_ids"]
        assert set(f["quotation_ids"]) <= quote_ids
        assert f["note"].strip()


def test_every_quotation_has_a_provenance_finding():
    covered = {qid for f in article.provenance() for qid in f["quotation_ids"]}
    assert covered == {q.id for q in article.quotations(kind=None)}


def test_visit_date_sources_exist():
    known = {s["id"] for s in article.source_records()}
    assert set(article.metadata()["visit_dates"]["source_ids"]) <= known

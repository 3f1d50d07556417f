"""The data package as a lesson on sources: each source says what kind it is and how a copy of it was read,
each table lists its sources as Frictionless source objects, and the reference validator accepts the package."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course import data
from tests import test_data
from tests.test_data import DATA, PACKAGE

data_copy = test_data.data_copy

ARTICLE = json.loads((DATA / "article.json").read_text(encoding="utf-8"))


def _write(folder: Path, pkg: dict) -> None:
    (folder / "datapackage.json").write_text(json.dumps(pkg, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.mark.parametrize("src", PACKAGE["sources"] + ARTICLE["sources"], ids=lambda s: s["id"])
def test_every_source_says_what_kind_it_is(src):
    assert src.get("kind") in data.SOURCE_KINDS
    if src["kind"] == "state media":
        assert src.get("state"), src["id"]


def test_kind_label_names_a_party_to_the_story():
    assert data.kind_label({"kind": "state media", "state": "Russia"}) == "state media of Russia, a party to the story"
    assert data.kind_label({"kind": "state media", "state": "Kuwait"}) == "state media of Kuwait"
    assert data.kind_label({"kind": "official"}) == "official"
    assert data.kind_label({}) == "kind not stated"


def test_citation_shows_the_kind():
    assert data.citation(data.source("tass-2025-11-24-abdumutalip")).startswith(
        "TASS [state media of Russia, a party to the story], "
    )


# how a source can have been read: a copy of the publisher's page, or a file kept in the repository
READ_VIA = ("archived copy", "stored copy", "the boundary file in data/geo/", "GitHub repo ")


def _read_via(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "read_via":
                yield value
            yield from _read_via(value)
    elif isinstance(node, list):
        for value in node:
            yield from _read_via(value)


@pytest.mark.parametrize("path", ["datapackage.json", "article.json"])
def test_every_source_says_how_a_copy_of_it_was_read(path):
    values = list(_read_via(json.loads((DATA / path).read_text(encoding="utf-8"))))
    assert values
    odd = [v for v in values if not v.startswith(READ_VIA)]
    assert not odd, f"data/{path}: read_via should say how the copy was read, e.g. 'archived copy, excerpt read'"


def test_validate_asks_for_a_kind(data_copy):
    pkg = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    del pkg["sources"][0]["kind"]
    pkg["sources"][1]["kind"] = "blog"
    state_media = next(s for s in pkg["sources"] if s.get("kind") == "state media")
    del state_media["state"]
    _write(data_copy, pkg)
    problems = data.validate()
    assert any(f"source {pkg['sources'][0]['id']!r} has kind None" in p for p in problems)
    assert any("has kind 'blog'; say what kind of source it is" in p for p in problems)
    assert any(f"source {state_media['id']!r} is state media; say which state" in p for p in problems)


def test_resources_list_sources_as_frictionless_source_objects():
    by_id = {s["id"]: s for s in PACKAGE["sources"]}
    for res in PACKAGE["resources"]:
        for entry in res["sources"]:
            assert set(entry) == {"id", "title", "path"}, (res["name"], entry)
            assert entry["path"] == by_id[entry["id"]]["url"]
            assert by_id[entry["id"]]["title"] in entry["title"]


def test_validate_and_sync_sources_repair_a_stale_source_object(data_copy):
    pkg = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    pkg["resources"][0]["sources"][0]["title"] = "an old title"
    pkg["resources"][1]["sources"] = pkg["resources"][1]["sources"][1:]
    _write(data_copy, pkg)
    problems = data.validate()
    assert any("sources[0] must be the source object" in p and "sync-sources" in p for p in problems)
    assert any(f"resource {pkg['resources'][1]['name']!r} 'sources' does not match" in p for p in problems)
    assert data.sync_sources() == [pkg["resources"][0]["name"], pkg["resources"][1]["name"]]
    assert data.validate() == []
    assert data.sync_sources() == []
    assert (data_copy / "datapackage.json").read_text(encoding="utf-8") == (DATA / "datapackage.json").read_text(
        encoding="utf-8"
    )


def test_the_repository_sources_are_in_sync(monkeypatch, tmp_path):
    """sync-sources would change nothing: what the tables list is what their rows cite."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    assert data.sync_sources() == []


def _frictionless(folder: Path) -> dict:
    pytest.importorskip("frictionless", reason="the reference validator is a development dependency")
    out = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(folder / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(out.stdout)


def _errors(report: dict) -> list[str]:
    errs = [e["message"] for e in report.get("errors", [])]
    return errs + [f"{t['name']}: {e['message']}" for t in report.get("tasks", []) for e in t.get("errors", [])]


@pytest.mark.slow
def test_the_reference_validator_accepts_the_package():
    report = _frictionless(DATA)
    assert _errors(report) == []
    assert report["valid"]
    assert len(report["tasks"]) == len(PACKAGE["resources"])


@pytest.mark.slow
def test_the_reference_validator_checks_types_and_constraints(data_copy):
    """Not a rubber stamp: a bad number and a value outside an enum are both reported."""
    trade = (data_copy / "trade.csv").read_text(encoding="utf-8").splitlines()
    trade[1] = trade[1].replace(",turnover,", ",swapped,", 1)
    memberships = (data_copy / "timeline.csv").read_text(encoding="utf-8").splitlines()
    memberships[1] = memberships[1].replace("1991-08-31", "1991-08-3x", 1)
    (data_copy / "trade.csv").write_text("\n".join(trade) + "\n", encoding="utf-8")
    (data_copy / "timeline.csv").write_text("\n".join(memberships) + "\n", encoding="utf-8")
    report = _frictionless(data_copy)
    errors = _errors(report)
    assert not report["valid"]
    assert any(e.startswith("trade:") and "swapped" in e for e in errors), errors
    assert any(e.startswith("timeline:") and "1991-08-3x" in e for e in errors), errors


def test_a_source_read_in_a_copy_says_that_its_address_is_not_the_publishers():
    marks = ("copy at", "reposted by", "via ", "rendering", "republished by")
    for src in PACKAGE["sources"]:
        if any(m in src["publisher"].lower() for m in marks) and "wikipedia.org" not in src["url"]:
            assert "not the publisher's own" in src.get("url_note", ""), src["id"]

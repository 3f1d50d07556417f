"""The notebooks as files: structure every notebook must have, quiz ids that exist, stored outputs that are
safe to read without a kernel. (nbval, run by `make test`, executes them and compares outputs.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course.quiz.bank import bank_paths, load_bank

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
QUIZ_CALL = re.compile(r"""quiz\(\s*["']([0-9]{2}-[a-z0-9-]+)["']""")


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_there_is_a_first_notebook():
    assert NOTEBOOKS
    assert NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_opening_and_closing_cells(path):
    first = cells(path)[0]
    assert first["cell_type"] == "markdown"
    text = source(first)
    assert text.startswith("# "), "the first cell starts with the title"
    for part in ("Learning objectives", "Time:", "teaching", "exercises", "know first"):
        assert part in text, f"the first cell must mention {part!r}"
    tail = "\n".join(source(c) for c in cells(path)[-4:] if c["cell_type"] == "markdown")  # the last: the links
    for part in ("Key points", "Sources", "Next"):
        assert part in tail, f"the last cells must have {part!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stored_errors_and_all_cells_ran(path):
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        assert cell["execution_count"] is not None, f"a cell was never run: {source(cell)[:60]!r}"
        assert not [o for o in cell["outputs"] if o["output_type"] == "error"], source(cell)[:60]
        assert not [o for o in cell["outputs"] if o.get("name") == "stderr"], f"stderr in {source(cell)[:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_test_markers_in_what_students_read(path):
    """nbval's markers go in cell tags (nbval-ignore-output, nbval-skip, raises-exception), never as comments that
    students read; and only tags that nbval knows, so a typo cannot silently stop a check."""
    from nbval.plugin import metadata_tags

    for cell in cells(path):
        text = source(cell)
        assert not re.search(r"#\s*(NBVAL_|PYTEST_VALIDATE_)", text), f"a test marker in a cell: {text[:80]!r}"
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag.startswith(("nbval", "raises")):
                assert tag in metadata_tags, f"nbval does not know the tag {tag!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_quiz_ids_exist_and_every_bank_question_is_used(path):
    used = [m for c in cells(path) if c["cell_type"] == "code" for m in QUIZ_CALL.findall(source(c))]
    bank = next(load_bank(p) for p in bank_paths() if p.stem == path.stem)
    assert set(used) <= set(bank.ids), f"unknown quiz ids: {set(used) - set(bank.ids)}"
    assert set(bank.ids) <= set(used), f"bank questions never shown: {set(bank.ids) - set(used)}"
    assert len(used) == len(set(used)), "a question is shown twice"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_saved_quiz_outputs_show_the_question_but_never_the_answer(path):
    bank = next(load_bank(p) for p in bank_paths() if p.stem == path.stem)
    for cell in cells(path):
        ids = QUIZ_CALL.findall(source(cell)) if cell["cell_type"] == "code" else []
        if not ids:
            continue
        q = bank.get(ids[0])
        (out,) = [o for o in cell["outputs"] if "text/html" in o.get("data", {})]
        shown = "".join(out["data"]["text/html"]) + "".join(out["data"]["text/plain"])
        assert "Run the notebook to answer" in shown
        assert f"Question {q.label}" in shown
        assert "Answer:" not in shown
        assert q.explanation[:40] not in shown
        if q.kind == "numeric":
            assert not re.search(rf"(?<![\d.]){re.escape(f'{q.answer:g}')}(?![\d.])", shown.replace(q.prompt, ""))
        if q.kind == "ordering":  # shown shuffled, not in the answer's order
            positions = [shown.index(item.replace("'", "&#x27;")) if item not in shown else shown.index(item)
                         for item in q.items]
            assert positions != sorted(positions)
        assert "widgets" not in json.loads(path.read_text(encoding="utf-8"))["metadata"], "widget state stored"


def _known_source_ids() -> set[str]:
    from course import article, data

    ids = {s["id"] for s in json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["sources"]}
    article_json = json.loads((ROOT / "data" / "article.json").read_text(encoding="utf-8"))
    article_sources = {s["id"] for s in article_json["sources"]}
    ids |= article_sources | {f"article-source:{sid}" for sid in article_sources} | {"article:metadata"}
    ids |= {f"article:{p.id}" for p in article.paragraphs()} | {f"article:{sid}" for sid, _ in article.sections()}
    ids |= {f"table:{name}" for name in data.tables()}
    return ids


@pytest.mark.parametrize("path", bank_paths(), ids=lambda p: p.stem)
def test_every_source_a_question_cites_exists(path):
    """A question's `sources` name sources in data/datapackage.json or data/article.json ("article-source:ID"),
    or the article's paragraphs, sections or metadata ("article:II.3", "article:metadata"). (Notebooks print
    their sources from data/, so those exist.)"""
    import yaml

    known = _known_source_ids()
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for q in doc["questions"]:
        unknown = [s for s in q.get("sources", []) if s not in known]
        assert not unknown, f"{path.name}: {q['id']} cites unknown sources {unknown}"

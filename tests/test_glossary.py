"""The glossary: data/glossary.csv (sourced entries), course.glossary(...), docs/glossary.md and the links to it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import course
from course import data, terms

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("CSTO", "EAEU", "CIS", "SCO", "HHI", "CIF/FOB", "remittances", "percentage point", "country codes")


def test_every_required_term_has_a_sourced_entry():
    for term in REQUIRED:
        (entry,) = course.glossary(term).rows
        assert entry.definition
        assert entry.source["url"].startswith("http")
        package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
        assert entry.source["id"] in {s["id"] for s in package["sources"]}


def test_lookup_ignores_case_and_accepts_full_names_and_codes():
    assert course.glossary("csto").rows == course.glossary("Collective Security Treaty Organization").rows
    assert course.glossary("cif-fob").rows[0].term_id == "cif-fob"
    assert course.glossary("KGZ").rows[0].term_id == "country-codes"
    assert len(course.glossary()) == len(data.load("glossary"))


@pytest.mark.parametrize("bad", ["CTSO", "", 3, None])
def test_an_unknown_term_names_the_nearest_ones(bad):
    with pytest.raises(KeyError) as info:
        course.glossary(bad)
    assert "glossary" in str(info.value)
    if bad == "CTSO":
        assert "'CSTO'" in str(info.value)


def test_country_codes_list_every_code_on_the_maps():
    codes = terms.codes_on_maps()
    assert codes["KGZ"] == "Kyrgyzstan"
    assert codes["RUS"] == "Russia"
    assert codes["CHN"] == "China"
    shown = repr(course.glossary("country codes"))
    assert all(f"{c} {n}" in shown for c, n in codes.items())
    assert "<table" in course.glossary("country codes")._repr_html_()


def test_html_escapes_and_links_the_source():
    out = course.glossary("HHI")._repr_html_()
    assert 'href="https://www.justice.gov/' in out
    assert "<script" not in out


def test_the_glossary_page_is_generated_from_the_data():
    assert (ROOT / terms.PAGE).read_text(encoding="utf-8") == terms.markdown(), \
        "docs/glossary.md is out of date: run python -m course.terms --write"
    for e in terms.entries():
        assert f'<a id="{e.term_id}"' in terms.markdown()


def test_each_term_is_linked_where_it_first_appears():
    """The notebook named in first_notebook links the term to the glossary page (../docs/glossary.md#id)."""
    for e in terms.entries():
        (path,) = sorted((ROOT / "notebooks").glob(f"{e.first_notebook:02d}_*.ipynb"))
        text = "".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                       if c["cell_type"] == "markdown")
        assert re.search(rf"\]\({re.escape(terms.link(e.term_id))}\)", text), f"{path.name} does not link {e.term}"
        earlier = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        for other in earlier:
            if int(other.name[:2]) < e.first_notebook:
                assert terms.link(e.term_id) not in other.read_text(encoding="utf-8")

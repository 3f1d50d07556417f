"""Tests of the data package (data/datapackage.json + data/*.csv) and of course.data / course.paths."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course import data, paths

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in PACKAGE["resources"]}
SOURCE_IDS = {s["id"] for s in PACKAGE["sources"]}
CITATION = re.compile(r"^.+ \[[^\]]+\], .+ \((\d{4}|n\.d\.)\)\. https?://\S+$")


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of datapackage.json and every CSV in tmp_path, made the data folder for this test."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(DATA / "datapackage.json", folder / "datapackage.json")
    for res in PACKAGE["resources"]:
        shutil.copy(DATA / res["path"], folder / res["path"])
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    return folder


def read_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


# --------------------------------------------------------------------------------------------------
# paths
# --------------------------------------------------------------------------------------------------


def test_data_dir_defaults_to_repo_data():
    assert paths.data_dir() == DATA


def test_data_dir_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert paths.data_dir() == tmp_path.resolve()


def test_article_uses_the_same_data_dir(monkeypatch, tmp_path):
    from course import article

    assert article.data_dir is paths.data_dir
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert article.data_dir() == tmp_path.resolve()


# --------------------------------------------------------------------------------------------------
# The package as it is
# --------------------------------------------------------------------------------------------------


def test_validate_finds_no_problem():
    assert data.validate() == []


def test_package_metadata():
    for key in ("name", "title", "description", "licenses", "sources", "resources"):
        assert PACKAGE.get(key), key
    lic = PACKAGE["licenses"][0]
    assert lic["name"] == "other-at"
    assert "CC BY 4.0" in lic["title"]
    assert "source" in lic["title"]
    assert len(PACKAGE["resources"]) == len(list(DATA.glob("*.csv")))


@pytest.mark.parametrize("name", list(RESOURCES))
def test_resource_declares_what_a_reader_needs(name):
    res = RESOURCES[name]
    assert res["path"] == f"{name}.csv"
    assert (DATA / res["path"]).is_file()
    assert res["format"] == "csv"
    assert res["mediatype"] == "text/csv"
    assert res["encoding"] == "utf-8"
    assert res["title"]
    assert res["description"]
    assert res["licenses"]
    for field in res["schema"]["fields"]:
        assert field["type"] in data.FIELD_TYPES, field
        assert field.get("description"), field
    numeric = [f for f in res["schema"]["fields"] if f["name"] in ("value", "count")]
    for field in numeric:
        assert field.get("unit"), f"{name}.{field['name']} has no unit"


@pytest.mark.parametrize("name", list(RESOURCES))
def test_header_equals_declared_fields(name):
    header = read_rows(DATA / RESOURCES[name]["path"])[0]
    assert header == [f["name"] for f in RESOURCES[name]["schema"]["fields"]]


@pytest.mark.parametrize("name", list(RESOURCES))
def test_every_value_parses_to_its_type(name):
    rows = data.load(name)
    assert rows, f"{name} is empty"
    types = {f["name"]: f["type"] for f in RESOURCES[name]["schema"]["fields"]}
    expected = {"integer": int, "year": int, "number": (int, float), "date": dt.date, "string": str}
    for r in rows:
        for field, ftype in types.items():
            value = getattr(r, field)
            assert value is None or isinstance(value, expected[ftype]), (name, r.row, field, value)


@pytest.mark.parametrize("name", list(RESOURCES))
def test_every_row_names_a_known_source_and_the_resource_lists_them(name):
    rows = data.load(name)
    used = {r.source_id for r in rows}
    assert used <= SOURCE_IDS
    assert sorted(used) == sorted(s["id"] for s in RESOURCES[name]["sources"])
    for r in rows:
        assert r.source["id"] == r.source_id


def test_every_source_has_publisher_title_url_and_year_or_year_note():
    for src in PACKAGE["sources"]:
        for key in ("id", "publisher", "title", "url", "read_via", "licence", "accessed"):
            assert isinstance(src.get(key), str), (src["id"], key)
            assert src[key].strip(), (src["id"], key)
        assert src["url"].startswith(("http://", "https://")), src["id"]
        assert "year" in src, src["id"]
        if src["year"] is None:
            assert src.get("year_note", "").strip(), f"{src['id']}: year null without year_note"
        else:
            assert isinstance(src["year"], int), src["id"]
            assert 1990 <= src["year"] <= 2026, src["id"]


def test_source_ids_and_urls_are_unique():
    ids = [s["id"] for s in PACKAGE["sources"]]
    assert len(ids) == len(set(ids))
    urls = [data._norm_url(s["url"]) for s in PACKAGE["sources"]]
    assert len(urls) == len(set(urls))


def test_every_source_is_used():
    used = {r.source_id for name in RESOURCES for r in data.load(name)}
    assert used == SOURCE_IDS


def test_plausibility_of_values():
    for name in RESOURCES:
        for r in data.load(name):
            d = dataclasses.asdict(r)
            for field in ("value", "count"):
                if d.get(field) is not None:
                    assert d[field] >= 0, (name, r.row, field)
            unit = d.get("unit") or ""
            if unit.startswith("percent") and not any(w in unit for w in ("increase", "change", "growth")):
                assert 0 <= d["value"] <= 100, (name, r.row, unit, d["value"])
            if d.get("year") is not None:
                assert 1960 <= d["year"] <= 2026, (name, r.row)
            if d.get("date") is not None:
                assert dt.date(1991, 1, 1) <= d["date"] <= dt.date(2026, 11, 27), (name, r.row)


def test_timeline_dates_lie_between_1991_and_the_compilation_day():
    rows = data.load("timeline")
    assert all(dt.date(1991, 1, 1) <= r.date <= dt.date(2026, 11, 27) for r in rows)
    assert min(r.date for r in rows).year == 1991
    assert any(r.date == dt.date(2025, 11, 26) for r in rows)  # the talks of the state visit


def test_date_precision_agrees_with_the_date():
    for name in ("timeline", "memberships"):
        for r in data.load(name):
            if r.date_precision == "unknown":
                assert r.date is None
            elif r.date_precision == "month":
                assert r.date.day == 1
            elif r.date_precision == "year":
                assert (r.date.month, r.date.day) == (1, 1)


def test_disagreeing_sources_stay_separate_rows():
    trade = [r for r in data.load("trade") if r.year == 2024 and r.partner == "China" and r.flow == "turnover"]
    assert sorted(r.value for r in trade) == [5.3, 22.7]
    assert len({r.source_id for r in trade}) == 2


def test_numbers_keep_the_sources_digits():
    rows = {(r.year, r.measure, r.source_id): r.value for r in data.load("remittances")}
    assert rows[(2019, "money_transfers_inflow_usd", "sputnik-kg-2021-remit")] == 2406850000
    assert isinstance(rows[(2019, "money_transfers_inflow_usd", "sputnik-kg-2021-remit")], int)
    assert rows[(2008, "personal_remittances_pct_gdp", "wb-wdi-remit-pct")] == 23.80


# --------------------------------------------------------------------------------------------------
# The API
# --------------------------------------------------------------------------------------------------


def test_tables_lists_every_resource():
    assert data.tables() == list(RESOURCES)


def test_records_have_attributes_a_source_and_a_row_and_are_read_only():
    r = data.load("remittances")[0]
    assert (r.year, r.measure, r.unit) == (2008, "personal_remittances_pct_gdp", "percent of GDP")
    assert r.source["publisher"] == "World Bank"
    assert r.row == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.value = 1  # type: ignore[misc]
    assert "source=" not in repr(r)
    assert "0x" not in repr(r)


def test_empty_cells_are_none():
    rows = data.load("migrants")
    assert any(r.note is None for r in rows)


def test_sources_returns_sorted_citation_strings():
    cites = data.sources("remittances")
    assert cites
    assert all(isinstance(c, str) for c in cites)
    assert cites == sorted(cites, key=str.casefold)
    for c in cites:
        assert CITATION.match(c), c
    assert any(c.startswith("World Bank [official], Personal remittances, received (% of GDP)") for c in cites)
    assert len(cites) == len(RESOURCES["remittances"]["sources"])


def test_sources_of_several_tables_is_the_union():
    both = data.sources(["trade", "migrants"])
    assert set(both) == set(data.sources("trade")) | set(data.sources("migrants"))


def test_citation_of_an_undated_source_says_nd():
    src = data.source("wb-kg-overview")
    assert src["year"] is None
    assert src["year_note"]
    assert "(n.d.)" in data.citation(src)


def test_source_returns_a_copy():
    s = data.source("wb-wdi-gdp-usd")
    s["title"] = "changed"
    assert data.source("wb-wdi-gdp-usd")["title"] != "changed"


def test_unknown_source_id():
    with pytest.raises(KeyError, match="There is no source id 'nope'"):
        data.source("nope")


def test_unknown_table_lists_the_valid_names():
    with pytest.raises(data.DataError) as info:
        data.load("remitances")
    assert "remittances" in str(info.value)
    assert "trade" in str(info.value)
    assert isinstance(info.value, KeyError)


def test_describe_gives_fields_with_units():
    d = data.describe("migrants")
    assert d["title"]
    assert d["description"]
    units = {f["name"]: f["unit"] for f in d["fields"]}
    assert units["count"].startswith("persons")
    assert d["sources"] == [s["id"] for s in RESOURCES["migrants"]["sources"]]


def test_membership_status_on_the_day_of_the_visit():
    st = data.membership_status()
    for org in ("CIS", "CSTO", "EAEU", "SCO"):
        assert st[(org, "Kyrgyzstan")].category == "member"
    assert st[("CSTO", "Armenia")].category == "suspended"
    assert st[("CSTO", "Uzbekistan")].category == "suspended"
    assert st[("CIS", "Georgia")].category == "former"
    assert st[("CIS", "Turkmenistan")].category == "observer"


def test_membership_status_earlier():
    st = data.membership_status("2010-01-01")
    assert st[("CSTO", "Uzbekistan")].category == "member"  # rejoined 2006, suspended 2012
    assert st[("CSTO", "Armenia")].category == "member"
    assert ("EAEU", "Kyrgyzstan") not in st
    assert data.membership_status("2015-01-01")[("EAEU", "Kyrgyzstan")].category == "signed"
    assert data.membership_status("2015-08-07")[("EAEU", "Kyrgyzstan")].category == "member"


def test_importing_data_loads_neither_matplotlib_nor_numpy():
    code = (
        "import sys, course; before = set(sys.modules); import course.data, course.paths; "
        "new = set(sys.modules) - before; "
        "bad = sorted(m for m in new if m.split('.')[0] in ('matplotlib', 'numpy', 'pandas')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# --------------------------------------------------------------------------------------------------
# Broken copies: every table, and each kind of fault, gives a DataError naming file, row and column
# --------------------------------------------------------------------------------------------------

BAD_TEXT = {"number": "2x.5", "integer": "12a", "year": "20x4", "date": "2025-13-45"}


def _first_typed_field(name: str) -> tuple[int, dict]:
    for i, f in enumerate(RESOURCES[name]["schema"]["fields"]):
        if f["type"] != "string":
            return i, f
    raise AssertionError(f"{name} has no typed column")  # pragma: no cover


@pytest.mark.parametrize("name", list(RESOURCES))
def test_broken_value_names_file_row_and_column(name, data_copy):
    col, field = _first_typed_field(name)
    path = data_copy / RESOURCES[name]["path"]
    rows = read_rows(path)
    rows[5][col] = BAD_TEXT[field["type"]]  # the 5th data row = spreadsheet row 6
    write_rows(path, rows)
    with pytest.raises(data.DataError) as info:
        data.load(name)
    err = info.value
    assert (err.row, err.column) == (6, field["name"])
    assert err.file.endswith(f"{name}.csv")
    assert f"{name}.csv, row 6, column {field['name']}: " in str(err)
    assert BAD_TEXT[field["type"]] in str(err)
    assert any(str(err) in p for p in data.validate())


@pytest.mark.parametrize("name", list(RESOURCES))
def test_unknown_source_id_in_a_row(name, data_copy):
    path = data_copy / RESOURCES[name]["path"]
    rows = read_rows(path)
    col = rows[0].index("source_id")
    rows[2][col] = "no-such-source"
    write_rows(path, rows)
    with pytest.raises(data.DataError, match=rf"{name}\.csv, row 3, column source_id: \"no-such-source\""):
        data.load(name)


def test_example_from_the_docs(data_copy):
    path = data_copy / "remittances.csv"
    rows = read_rows(path)
    rows[6][rows[0].index("value")] = "2x.5"
    write_rows(path, rows)
    with pytest.raises(data.DataError) as info:
        data.load("remittances")
    assert str(info.value).endswith(
        'remittances.csv, row 7, column value: "2x.5" is not a number '
        "(write digits with a decimal point, no commas or units)"
    )


def test_missing_column(data_copy):
    path = data_copy / "trade.csv"
    write_rows(path, [[c for i, c in enumerate(r) if i != 2] for r in read_rows(path)])
    with pytest.raises(data.DataError, match=r"trade\.csv, row 1, column flow: this column is declared"):
        data.load("trade")


def test_extra_column(data_copy):
    path = data_copy / "migrants.csv"
    write_rows(path, [r + (["comment"] if i == 0 else [""]) for i, r in enumerate(read_rows(path))])
    with pytest.raises(data.DataError, match=r"migrants\.csv, row 1, column comment: this column is not declared"):
        data.load("migrants")


def test_columns_in_another_order(data_copy):
    path = data_copy / "food.csv"
    write_rows(path, [[r[1], r[0], *r[2:]] for r in read_rows(path)])
    with pytest.raises(data.DataError, match=r"food\.csv, row 1, column product: the columns are not in the declared"):
        data.load("food")


def test_row_with_a_missing_cell(data_copy):
    path = data_copy / "energy.csv"
    rows = read_rows(path)
    rows[3] = rows[3][:-2]
    write_rows(path, rows)
    with pytest.raises(data.DataError, match=r"energy\.csv, row 4, column source_id: the row has 6 cells"):
        data.load("energy")


def test_row_with_an_extra_cell(data_copy):
    path = data_copy / "timeline.csv"
    rows = read_rows(path)
    rows[9].append("oops")
    write_rows(path, rows)
    with pytest.raises(data.DataError, match=r"timeline\.csv, row 10, column 6 \(no such column\)"):
        data.load("timeline")


def test_value_not_in_the_enum(data_copy):
    path = data_copy / "memberships.csv"
    rows = read_rows(path)
    rows[4][rows[0].index("status")] = "maybe"
    write_rows(path, rows)
    with pytest.raises(data.DataError, match=r"memberships\.csv, row 5, column status: \"maybe\" is not one of"):
        data.load("memberships")


def test_year_out_of_range(data_copy):
    path = data_copy / "gdp_population.csv"
    rows = read_rows(path)
    rows[1][0] = "1959"
    write_rows(path, rows)
    with pytest.raises(data.DataError, match=r"gdp_population\.csv, row 2, column year: 1959 is below"):
        data.load("gdp_population")


def test_timeline_date_after_the_compilation_day(data_copy):
    path = data_copy / "timeline.csv"
    rows = read_rows(path)
    rows[-1][0] = "2026-12-01"
    write_rows(path, rows)
    with pytest.raises(data.DataError, match=rf"timeline\.csv, row {len(rows)}, column date: 2026-12-01 is above"):
        data.load("timeline")


def test_required_value_missing(data_copy):
    path = data_copy / "facts.csv"
    rows = read_rows(path)
    rows[2][rows[0].index("fact")] = ""
    write_rows(path, rows)
    with pytest.raises(data.DataError, match=r"facts\.csv, row 3, column fact: is empty, but a value is required"):
        data.load("facts")


def test_number_with_a_thousands_separator(data_copy):
    path = data_copy / "migrants.csv"
    rows = read_rows(path)
    rows[1][1] = "520,000"
    write_rows(path, rows)
    with pytest.raises(data.DataError, match=r"migrants\.csv, row 2, column count: \"520,000\" is not a whole"):
        data.load("migrants")


def test_missing_file(data_copy):
    (data_copy / "energy_facts.csv").unlink()
    with pytest.raises(data.DataError, match=r"energy_facts\.csv: file not found"):
        data.load("energy_facts")
    assert any("energy_facts.csv: file not found" in p for p in data.validate())


def test_missing_package_file(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    with pytest.raises(data.DataError, match="datapackage.json: file not found"):
        data.tables()
    assert len(data.validate()) == 1


def test_validate_catches_a_source_without_year_or_year_note(data_copy):
    pkg = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    src = next(s for s in pkg["sources"] if s["year"] is None)
    del src["year_note"]
    (data_copy / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
    assert any(f"source {src['id']!r} has year null but no year_note" in p for p in data.validate())


def test_validate_catches_duplicate_urls_and_unlisted_sources(data_copy):
    pkg = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    dup = dict(pkg["sources"][0], id="a-copy")
    pkg["sources"].append(dup)
    pkg["resources"][0]["sources"] = pkg["resources"][0]["sources"][1:]
    (data_copy / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
    problems = data.validate()
    assert any("have the same URL" in p for p in problems)
    assert any("'sources' does not match" in p for p in problems)
    assert any("source 'a-copy' is not used" in p for p in problems)


def test_validate_catches_a_share_above_100(data_copy):
    path = data_copy / "remittances.csv"
    rows = read_rows(path)
    rows[1][rows[0].index("value")] = "123.4"
    write_rows(path, rows)
    assert any("remittances.csv, row 2, column value: 123.4 percent of GDP" in p for p in data.validate())


def test_validate_catches_a_month_date_not_on_the_first(data_copy):
    path = data_copy / "timeline.csv"
    rows = read_rows(path)
    i = next(k for k, r in enumerate(rows) if r[1] == "month")
    rows[i][0] = rows[i][0][:8] + "15"
    write_rows(path, rows)
    assert any(f"timeline.csv, row {i + 1}, column date: month precision" in p for p in data.validate())


def test_sources_show_as_a_list_of_links_and_stay_a_list_of_strings():
    from IPython.lib.pretty import pretty

    from course.data import Citations

    cites = data.sources("trade")
    assert isinstance(cites, Citations)
    assert all(isinstance(line, str) for line in cites)
    page = cites._repr_html_()
    assert page.count("<li>") == len(cites)
    assert page.count('target="_blank" rel="noopener noreferrer"') == len(cites)  # every address opens
    assert pretty(cites).splitlines() == [f"- {line}" for line in cites]
    joined = cites + ["Extra, One more (2020). https://example.org/x"]
    assert isinstance(joined, Citations)
    assert len(joined) == len(cites) + 1


def test_a_citation_is_escaped_and_only_web_addresses_become_links():
    from course.data import Citations

    page = Citations(["A & B <i>, T (2020). https://example.org/?a=1&b=2",
                      "C, D (2021). javascript:alert(1)"])._repr_html_()
    assert "A &amp; B &lt;i&gt;" in page
    assert 'href="https://example.org/?a=1&amp;b=2"' in page
    assert "javascript" not in page.split("href=")[-1].split(">")[0]  # shown as text, not a link
    assert page.count("<a ") == 1

"""data.select(table, **where): the rows with the values asked for, and a plain message for a column or a value
that the table does not have; data.load reads each table once."""

from __future__ import annotations

import shutil

import pytest

from course import data


def test_select_keeps_the_rows_with_every_value_asked_for():
    rows = data.select("trade", year=2024, flow="turnover", unit="USD billion")
    expected = [r for r in data.load("trade") if r.year == 2024 and r.flow == "turnover" and r.unit == "USD billion"]
    assert rows == expected
    assert rows  # the table has such rows, so the comparison above is not between two empty lists


def test_a_list_of_values_means_any_of_them():
    years = sorted({r.year for r in data.load("trade")})[-2:]
    rows = data.select("trade", year=years)
    assert {r.year for r in rows} == set(years)
    assert len(rows) == len([r for r in data.load("trade") if r.year in years])


def test_select_filters_records_already_loaded():
    rows = data.load("remittances")
    measure = rows[0].measure
    assert data.select(rows, measure=measure) == [r for r in rows if r.measure == measure]
    assert data.select([], measure="anything") == []


def test_an_unknown_column_names_the_columns():
    with pytest.raises(data.UnknownNameError) as caught:
        data.select("trade", yeer=2024)
    assert "no column 'yeer'" in str(caught.value)
    assert "year" in str(caught.value)
    assert caught.value.column == "yeer"


def test_a_value_no_row_has_names_the_values_there_are():
    with pytest.raises(data.UnknownNameError) as caught:
        data.select("trade", flow="Turnover")
    message = str(caught.value)
    assert "flow='Turnover'" in message
    assert "'turnover'" in message


def test_load_reads_a_table_once_until_its_file_changes(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(data.data_dir(), copy)
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    first = data.load("remittances")
    again = data.load("remittances")
    assert again == first
    assert again is not first  # a new list each time: changing it changes nothing for the next caller
    assert all(a is b for a, b in zip(first, again))  # the records themselves were not read again
    path = copy / "remittances.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # one row fewer: the file changed
    assert len(data.load("remittances")) == len(first) - 1

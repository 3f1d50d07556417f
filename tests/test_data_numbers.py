"""Numbers and text in data tables that could be read as something else are refused, by the loader and by
`python -m course check`, with file, row and column (issue 12, item 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from course import data
from tests import test_data

REPO = Path(__file__).resolve().parent.parent
data_copy = test_data.data_copy  # the fixture: a copy of the data folder, made the current one


def _lines(folder: Path) -> list[str]:
    return (folder / "remittances.csv").read_text(encoding="utf-8").splitlines()


def _write(folder: Path, lines: list[str]) -> None:
    (folder / "remittances.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _set_cell(folder: Path, row: int, column: str, text: str) -> None:
    """Put `text` (written as is, unquoted) in a cell; row as in a spreadsheet (header = 1)."""
    lines = _lines(folder)
    header = lines[0].split(",")
    cells = lines[row - 1].split(",", len(header) - 1)
    cells[header.index(column)] = text
    lines[row - 1] = ",".join(cells)
    _write(folder, lines)


@pytest.mark.parametrize(
    "column, text, words",
    [
        ("value", "1e999", "too large"),
        ("value", "inf", "not an ordinary number"),
        ("value", "-inf", "not an ordinary number"),
        ("value", "nan", "not an ordinary number"),
        ("value", "NaN", "not an ordinary number"),
        ("value", "٢٣", "another script"),
        ("value", "２３", "another script"),
        ("value", "23\u0e53", "another script"),
        ("year", "٢٠١٠", "four digits 0-9"),
        ("value", "2\x007", "control character (U+0000)"),
        ("unit", "percent\x07", "control character (U+0007)"),
        ("note", "a\x1bb", "control character (U+001B)"),
    ],
)
def test_misreadable_cells_are_refused_with_file_row_and_column(data_copy, column, text, words):
    _set_cell(data_copy, 4, column, text)
    with pytest.raises(data.DataError) as info:
        data.load("remittances")
    err = info.value
    assert (err.file.endswith("remittances.csv"), err.row, err.column) == (True, 4, column)
    assert f"remittances.csv, row 4, column {column}:" in str(err)
    assert words in str(err)


def test_an_unclosed_quote_is_reported_at_the_row_where_it_opens(data_copy):
    lines = _lines(data_copy)
    lines[3] = lines[3].replace(",", ',"', 1)  # row 4: a quote opens and is never closed on that line
    _write(data_copy, lines)
    with pytest.raises(data.DataError) as info:
        data.load("remittances")
    assert info.value.row == 4, str(info.value)
    assert "row 4:" in str(info.value)
    assert "quote" in str(info.value)


def test_an_unclosed_quote_in_the_last_row_is_reported_there(data_copy):
    lines = _lines(data_copy)
    lines.append('2099,net_inflow_money_transfers_usd,"1,USD million,azernews-2023-remit,a quote never closed')
    last = len(lines)
    _write(data_copy, lines)
    with pytest.raises(data.DataError) as info:
        data.load("remittances")
    assert info.value.row == last
    assert "never closed" in str(info.value)


def test_a_quoted_cell_running_over_two_lines_is_refused_at_its_first_line(data_copy):
    lines = _lines(data_copy)
    lines[3] = lines[3][: lines[3].rfind(",")] + ',"a note\nthat continues"'
    _write(data_copy, lines)
    with pytest.raises(data.DataError) as info:
        data.load("remittances")
    assert (info.value.row, info.value.column) == (4, "note")
    assert "runs on to line 5" in str(info.value)


def test_plain_numbers_still_load_with_their_types(data_copy):
    _set_cell(data_copy, 4, "value", "1e2")
    rows = data.load("remittances")
    assert rows[2].value == 100.0
    assert isinstance(rows[2].value, float)
    assert all(isinstance(r.year, int) for r in rows)


def test_course_check_refuses_the_same_cells(data_copy):
    _set_cell(data_copy, 4, "value", "1e999")
    env = {**os.environ, "PYTHONPATH": str(REPO), "COURSE_DATA_DIR": str(data_copy)}
    proc = subprocess.run([sys.executable, "-m", "course", "check"], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=120)
    assert proc.returncode == 1
    assert "remittances.csv, row 4, column value:" in proc.stderr
    assert "too large" in proc.stderr

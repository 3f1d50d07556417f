"""Facts that age: plans carry their due day, `course check` lists the ones whose day has passed, and notebooks
can say when the facts were last reviewed."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys

from course import data
from tests import test_data

REPO = test_data.REPO
data_copy = test_data.data_copy


def test_the_two_plans_the_issue_names_are_stale_and_say_their_outcome_was_not_checked():
    lines = data.stale(today="2026-12-03")
    csto = [x for x in lines if "planned for 2026-11-11" in x]
    eu = [x for x in lines if "planned for 2026-02-24" in x]
    assert len(csto) == len(eu) == 1
    assert csto[0].startswith("stale: data/facts.csv, row ")
    assert "as of 2025-11-27" in csto[0]
    assert "not checked" in csto[0]
    assert "as of 2026-01-31" in eu[0]


def test_a_plan_is_not_stale_before_its_day_nor_once_its_outcome_is_recorded():
    assert not any("2027-09-01" in x for x in data.stale(today="2026-12-03"))
    assert any("2027-09-01" in x for x in data.stale(today="2027-09-02"))
    before = data.stale(today="2026-02-24")
    assert not any("2026-02-24" in x for x in before)
    # the 2023 plan for 2025 has a recorded outcome (it changed), so it is never listed
    assert not any("2025-12-31" in x for x in data.stale(today="2030-01-01"))


def test_stale_reads_a_plan_without_a_date_as_of_the_day_its_source_was_read(data_copy):
    path = data_copy / "facts.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    row = next(r for r in rows[1:] if r[header.index("source_id")] == "govru-overchuk-school")
    assert row[header.index("date")] == ""
    assert row[header.index("planned_for")] == "2027-09-01"
    lines = [x for x in data.stale(today=dt.date(2028, 1, 1)) if "2027-09-01" in x]
    assert any("as read on 2026-11-27" in x for x in lines), lines


def test_validate_wants_a_planned_day_for_an_outcome_and_a_review_date(data_copy):
    path = data_copy / "facts.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    rows[1][header.index("outcome")] = "happened"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    pkg = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    del pkg["reviewed"]
    (data_copy / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
    problems = data.validate()
    assert any("facts.csv, row 2, column outcome: an outcome needs the planned day" in p for p in problems)
    assert any("needs 'reviewed'" in p for p in problems)
    assert data.reviewed() is None
    assert "no review date" in data.review_note()


def test_review_note_names_the_day_and_the_command():
    assert data.reviewed() == dt.date.fromisoformat(test_data.PACKAGE["reviewed"])
    note = data.review_note()
    assert f"{data.reviewed().day} {data.reviewed():%B %Y}" in note
    assert "python -m course check" in note


def test_course_check_lists_stale_plans_without_failing():
    done = subprocess.run([sys.executable, "-m", "course", "check"], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    stale = [line for line in done.stdout.splitlines() if line.startswith("WARN   stale: ")]
    assert len(stale) == len(data.stale()) >= 2
    assert "plan(s) whose day has passed without a recorded outcome" in done.stdout


def test_every_notebook_says_when_its_facts_were_last_reviewed():
    day = data.reviewed()
    stated = f"last reviewed on {day.day} {day:%B %Y}"
    for path in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        assert "review_note()" in code or stated in prose, f"{path.name} does not say when its facts were reviewed"


def test_fact_tables_show_a_plan_with_its_due_day_and_outcome():
    rows = {r.row: r for r in data.load("facts")}
    plan = next(r for r in rows.values() if r.planned_for and r.planned_for.isoformat() == "2026-11-11")
    text = data.fact_text(plan)
    assert text.startswith(plan.fact)
    assert "[plan for 2026-11-11, as of 2025-11-27; outcome: not checked" in text
    due_later = next(r for r in rows.values() if r.planned_for and r.planned_for.year == 2027 and r.date)
    assert "outcome: not yet due when last reviewed]" in data.fact_text(due_later)
    plain = next(r for r in rows.values() if r.planned_for is None)
    assert data.fact_text(plain) == plain.fact

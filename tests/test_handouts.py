"""Handouts and answer keys (`python -m course handout`): every question, and in the key every answer and every
exercise's model solution."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course import instructor
from course.instructor import InstructorError, exercise_solutions

ROOT = Path(__file__).resolve().parent.parent


def test_handouts_without_and_with_the_key(tmp_path):
    from course.quiz.bank import bank_paths, load_bank

    plain = instructor.handouts(tmp_path / "plain")
    key = instructor.handouts(tmp_path / "key", key=True)
    assert len(plain) == len(key) == 2 * len(bank_paths())
    for path in bank_paths():
        bank = load_bank(path)
        q_text = (tmp_path / "plain" / f"{bank.notebook}.md").read_text(encoding="utf-8")
        k_text = (tmp_path / "key" / f"{bank.notebook}_key.md").read_text(encoding="utf-8")
        for q in bank.questions:
            assert f"## Question {q.label}" in q_text
            assert f"## Question {q.label}" in k_text
            assert f"**Answer:** {q.answer_text()}" in k_text
            assert q.explanation in k_text
            assert q.explanation not in q_text
        assert "**Answer:**" not in q_text
        assert "<html" in (tmp_path / "plain" / f"{bank.notebook}.html").read_text(encoding="utf-8")


def test_handout_escapes_html_in_a_bank_and_reports_a_broken_bank(bank_dir, write_bank, tmp_path):
    write_bank("""\
notebook: 00_start_here
title: T
questions:
  - id: 00-x
    type: single
    prompt: "<script>alert(1)</script> Which?"
    explanation: Because.
    choices:
      - text: a
        correct: true
      - text: b
""", "00_start_here.yaml", bank_dir)
    instructor.handouts(tmp_path / "h")
    page = (tmp_path / "h" / "00_start_here.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    write_bank("notebook: 00_start_here\ntitle: T\nquestions: []\n", "00_start_here.yaml", bank_dir)
    with pytest.raises(InstructorError, match=r"00_start_here\.yaml, line 3, field questions"):
        instructor.handouts(tmp_path / "h2")


def test_the_key_includes_every_exercise_s_model_solution_and_the_questions_do_not(tmp_path):
    solutions = exercise_solutions()
    assert len(solutions) >= 10
    assert all(code.strip() for code in solutions.values())
    instructor.handouts(tmp_path / "plain")
    instructor.handouts(tmp_path / "key", key=True)
    for eid, code in solutions.items():
        stem = next(p.stem for p in (tmp_path / "plain").glob(f"{eid[:2]}_*.md"))
        key = (tmp_path / "key" / f"{stem}_key.md").read_text(encoding="utf-8")
        assert f"### `{eid}`" in key
        assert f"```python\n{code}\n```" in key
        plain = (tmp_path / "plain" / f"{stem}.md").read_text(encoding="utf-8")
        assert eid not in plain
        assert code not in plain


def test_the_handout_command(tmp_path):
    out = subprocess.run([sys.executable, "-m", "course", "handout", "--key", "--out", str(tmp_path / "ho")],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0
    assert (tmp_path / "ho" / "00_start_here_key.html").exists()

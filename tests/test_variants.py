"""Per-student option orders: neighbours see different orders, the same student always the same one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course.quiz.bank import bank_paths, load_bank
from course.quiz.model import Matching, MultipleChoice, Ordering, SingleChoice, student_seed

STUDENTS = [f"student{i:02d}" for i in range(30)]
ROOT = Path(__file__).resolve().parent.parent


def all_questions():
    return [q for p in bank_paths() for q in load_bank(p).questions]


def order(q, student):
    if isinstance(q, (SingleChoice, MultipleChoice)):
        return [c.text for c in q.display_choices(student)]
    if isinstance(q, Ordering):
        return q.display_order(student)
    if isinstance(q, Matching):
        return q.right_options(student)
    return None


@pytest.mark.parametrize("q", [q for q in all_questions() if order(q, "x") is not None], ids=lambda q: q.id)
def test_same_student_same_order_and_students_differ(q):
    assert order(q, "ada") == order(q, "ada")
    n_options = len(order(q, "ada"))
    distinct = {tuple(order(q, s)) for s in STUDENTS}
    if q.shuffle and n_options >= 3:
        assert len(distinct) >= 3, "30 students should not share one or two orders"
    if not q.shuffle and not isinstance(q, (Ordering, Matching)):
        assert distinct == {tuple(c.text for c in q.choices)}


@pytest.mark.parametrize("q", [q for q in all_questions() if isinstance(q, SingleChoice) and len(q.choices) >= 4],
                         ids=lambda q: q.id)
def test_the_right_answer_moves_between_students(q):
    positions = [next(i for i, c in enumerate(q.display_choices(s)) if c.correct) for s in STUDENTS]
    assert len(set(positions)) >= 3
    assert max(positions.count(p) for p in set(positions)) <= 20, "one position for two thirds of the class"


@pytest.mark.parametrize("q", [q for q in all_questions() if isinstance(q, Ordering)], ids=lambda q: q.id)
def test_an_ordering_question_is_never_shown_solved(q):
    for s in STUDENTS:
        assert q.display_order(s) != list(q.items)


def test_without_a_student_one_fixed_order_that_is_not_the_banks():
    """Handouts, the no-kernel view and COURSE_VARIANTS=off show one order, the same for everyone (and in every
    process), and it is not the bank's: the banks tend to list the key first."""
    choice_questions = [q for q in all_questions() if isinstance(q, (SingleChoice, MultipleChoice)) and q.shuffle]
    fixed = {q.id: q.display_choices(None) for q in choice_questions}
    assert all(sorted(fixed[q.id], key=lambda c: c.text) == sorted(q.choices, key=lambda c: c.text)
               for q in choice_questions)
    assert sum(fixed[q.id] != list(q.choices) for q in choice_questions) >= len(choice_questions) - 2
    assert {q.id: q.display_choices(None) for q in choice_questions} == fixed


def test_the_fixed_order_does_not_follow_the_banks_order():
    """Moving options in the bank moves nothing in the fixed-order views."""
    from dataclasses import replace

    for q in all_questions():
        if isinstance(q, (SingleChoice, MultipleChoice)):
            moved = replace(q, choices=tuple(reversed(q.choices)))
            assert moved.display_choices(None) == q.display_choices(None)
            assert moved.static_groups() == q.static_groups()


def test_the_order_does_not_depend_on_pythons_hash_seed():
    q = next(q for q in all_questions() if isinstance(q, SingleChoice))
    code = (f"from course.quiz.bank import question; q = question({q.id!r}); "
            "print([c.text for c in q.display_choices('ada')])")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2", "3")}
    assert len(outs) == 1
    assert outs.pop().strip().startswith("[")


def test_who_the_student_is(monkeypatch):
    monkeypatch.setenv("COURSE_STUDENT", "ada")
    monkeypatch.setenv("JUPYTERHUB_USER", "hubuser")
    assert student_seed() == "ada"
    monkeypatch.delenv("COURSE_STUDENT")
    assert student_seed() == "hubuser"
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert student_seed()  # the login name


def test_shuffle_false_in_a_bank_keeps_the_order(bank_dir, write_bank):
    write_bank("""\
notebook: 00_start_here
title: T
questions:
  - id: 00-levels
    type: single
    shuffle: false
    prompt: How much?
    explanation: Because.
    choices:
      - text: less than 10 %
      - text: 10 to 20 %
        correct: true
      - text: more than 20 %
""", "00_start_here.yaml", bank_dir)
    q = load_bank(bank_dir / "00_start_here.yaml").questions[0]
    assert {tuple(c.text for c in q.display_choices(s)) for s in STUDENTS} == {
        ("less than 10 %", "10 to 20 %", "more than 20 %")}


def test_one_identity_names_both_the_seed_and_the_export(monkeypatch):
    from course import identity, instructor

    monkeypatch.setenv("COURSE_STUDENT", "Айгүл")
    monkeypatch.setenv("JUPYTERHUB_USER", "hubuser")
    assert student_seed() == instructor.student_name() == identity.student() == "Айгүл"


def test_safe_names_never_collide_and_are_ascii():
    from course.identity import safe_name

    names = ["Айгүл", "Айгул", "Айгуль", "a b", "a_b", "ada", "../x", ""]
    safe = [safe_name(n) for n in names]
    assert len(set(safe)) == len(names), safe
    assert all(s.isascii() and "/" not in s and s for s in safe), safe
    assert safe_name("ada") == "ada"
    assert safe_name("Айгүл").startswith("Aigul-")

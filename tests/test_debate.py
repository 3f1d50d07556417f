"""The debate of notebook 05: balanced roles (two for the motion, two against, each with evidence cards) and a
model opening statement (Question 5.9) for the role the student chose."""

from __future__ import annotations

import re

from course.lessons import alliances_and_challenges as challenges
from course.quiz import bank
from course.quiz.widgets import quiz


def test_two_roles_argue_for_the_motion_and_two_against():
    assert sorted(challenges.SIDES.values()) == ["against", "against", "for", "for"]
    assert set(challenges.SIDES) == set(challenges.ROLES)
    assert challenges.roles().column("Your side of the motion") == [challenges.SIDES[k] for k in challenges.ROLES]


def test_every_role_has_at_least_three_evidence_cards():
    for role in challenges.ROLES:
        assert len(challenges.evidence(role)) >= 3, role


def test_the_model_statement_fits_the_role_and_cites_its_cards():
    q = bank.question("05-role-argument")
    cards = {c.id: c for c in challenges.evidence_items()}
    assert set(q.model_answers) == set(challenges.ROLES)
    for role, text in q.model_answers.items():
        side = challenges.SIDES[role]
        assert f"({side} the motion)" in text
        cited = re.findall(r"\bE(\d+)\b", text)
        assert len(cited) >= 2, role
        assert any(role in cards[f"E{n}"].roles for n in cited), role


def test_role_of_reads_the_exercise_answer():
    assert challenges.role_of({"role": "Migrant family", "evidence": ["E30"]}) == "family"
    assert challenges.role_of("bank") == "bank"
    assert challenges.role_of(...) is None
    assert challenges.role_of({"evidence": []}) is None


def test_the_quiz_shows_the_model_answer_for_the_chosen_role(store):
    for role in challenges.ROLES:
        w = quiz("05-role-argument", progress=store, model_for=challenges.role_of({"role": role}))
        w.answer = "My statement."
        w.press("check")
        assert f"({challenges.SIDES[role]} the motion)" in w.feedback_html
    w = quiz("05-role-argument", progress=store, model_for=None)
    w.answer = "My statement."
    w.press("check")
    assert "not chosen a role" in w.feedback_html


def test_every_figure_in_a_model_statement_is_on_a_card_it_cites():
    """The model statements quote their cards' figures exactly: each number in a statement appears in the text
    of the cards the statement cites (so a change to the cards or the data cannot leave a statement wrong)."""
    cards = {c.id: c for c in challenges.evidence_items()}
    for role, text in bank.question("05-role-argument").model_answers.items():
        cited = " ".join(cards[f"E{n}"].text for n in re.findall(r"\bE(\d+)\b", text))
        numbers = re.findall(r"(?<![E\d])\d[\d,.]*\d|(?<![E\d])\d", text)
        for number in numbers:
            assert number in cited, (role, number)


def test_the_solo_texts_cite_cards_that_exist():
    from course.alone import activities

    ids = {c.id for c in challenges.evidence_items()}
    for a in activities():
        for n in re.findall(r"\bE(\d+)\b", a.strong + a.task):
            assert f"E{n}" in ids, (a.id, n)


def test_the_answer_key_gives_every_role_its_model_statement():
    from course.instructor import handout_markdown
    from course.quiz.bank import bank_paths, load_bank

    bank05 = next(load_bank(p) for p in bank_paths() if p.stem.startswith("05_"))
    key = handout_markdown(bank05, key=True)
    for role in challenges.ROLES:
        assert f"[{role}] As " in key
    chosen = bank.question("05-role-argument").for_case("family")
    assert chosen.answer_text().startswith("As a Kyrgyz migrant family")

"""Partial credit says which parts are right and which are not yet, not only how many (issue 11, section 5)."""

from __future__ import annotations

from course.quiz.messages import set_language, t
from course.quiz.model import Choice, Matching, MultipleChoice, Ordering

MULTI = MultipleChoice(id="00-m", prompt="?", explanation="E", choices=(
    Choice("energy", True), Choice("food", True), Choice("water", True),
    Choice("banking", False, "Banking is not in the sentence."), Choice("education", False)))
ORDER = Ordering(id="00-o", prompt="?", explanation="E", items=("first", "second", "third", "fourth"))
MATCH = Matching(id="00-x", prompt="?", explanation="E",
                 pairs=(("q1", "Japarov"), ("q2", "Putin"), ("q3", "Putin"), ("q4", "nobody")), distractors=("Lavrov",))


def test_multiple_names_the_right_ticks_and_each_wrong_one_with_why():
    r = MULTI.grade(["energy", "banking", "education"])
    assert r.status == "incorrect"  # 1 right - 2 wrong: no credit, but still told what was right
    assert "Right: “energy”." in r.lines
    assert "Not right: “banking”. Banking is not in the sentence." in r.lines
    assert "Not right: “education”." in r.lines
    partial = MULTI.grade(["food", "energy"])
    assert partial.status == "partial"
    assert "Right: “energy”, “food”." in partial.lines


def test_multiple_never_names_the_right_options_not_ticked():
    r = MULTI.grade(["energy"])
    assert not any("water" in line or "food" in line for line in r.lines)


def test_ordering_names_the_positions_right_and_not_yet():
    r = ORDER.grade(["first", "third", "second", "fourth"])
    assert r.status == "partial"
    assert "Right: position 1 “first”; position 4 “fourth”." in r.lines
    assert "Not right yet: position 2 “third”; position 3 “second”." in r.lines


def test_ordering_with_nothing_in_place_names_nothing():
    r = ORDER.grade(["second", "first", "fourth", "third"])
    assert r.status == "incorrect"
    assert not any(line.startswith(("Right:", "Not right")) for line in r.lines)


def test_matching_names_the_pairs_right_and_not_yet():
    r = MATCH.grade({"q1": "Japarov", "q2": "Lavrov", "q3": "Putin", "q4": "Putin"})
    assert r.status == "partial"
    assert "Right: “q1” → “Japarov”; “q3” → “Putin”." in r.lines
    assert "Not right yet: “q2” → “Lavrov”; “q4” → “Putin”." in r.lines


def test_the_item_lines_come_from_the_message_table():
    set_language("ru")
    try:
        r = ORDER.grade(["first", "third", "second", "fourth"])
        assert t("items_right", items="; ".join([t("position_item", n=1, item="first"),
                                                 t("position_item", n=4, item="fourth")])) in r.lines
        assert any(line.startswith("Верно:") for line in r.lines)
    finally:
        set_language("en")

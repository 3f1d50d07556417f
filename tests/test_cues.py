"""Cues that give a key away (course.quiz.cues) and how `course check` reports them: warnings, not failures."""

from __future__ import annotations

import subprocess
import sys
from math import comb
from pathlib import Path

import pytest

from course.quiz.bank import bank_paths, load_bank
from course.quiz.cues import (
    at_least,
    bank_cues,
    key_positions,
    longest_share_cue,
    position_cues,
    wording_cues,
)
from course.quiz.model import Choice, SingleChoice

ROOT = Path(__file__).resolve().parent.parent


def single(*texts: str, key: int = 0) -> list[Choice]:
    return [Choice(text, i == key) for i, text in enumerate(texts)]


def multi(texts: list[str], keys: set[int]) -> list[Choice]:
    return [Choice(text, i in keys) for i, text in enumerate(texts)]


# --- the arithmetic ---------------------------------------------------------------------------------------------

def test_at_least_is_the_exact_binomial_tail():
    assert at_least(0, [0.25] * 5) == pytest.approx(1.0)
    assert at_least(5, [0.25] * 5) == pytest.approx(0.25 ** 5)
    expected = sum(comb(6, k) * 0.25 ** k * 0.75 ** (6 - k) for k in range(4, 7))
    assert at_least(4, [0.25] * 6) == pytest.approx(expected)
    assert at_least(2, [0.5, 0.25]) == pytest.approx(0.125)  # different chances per question
    assert at_least(1, []) == 0.0


def test_key_positions():
    assert key_positions(multi(["a", "b", "c", "d"], {1, 3})) == [1, 3]


# --- position -----------------------------------------------------------------------------------------------------

def test_the_key_always_first_is_a_pattern():
    shown = [(f"q{i}", single("a", "b", "c", "d", key=0)) for i in range(5)]
    (cue,) = position_cues(shown)
    assert "first option in 5 of 5" in cue.problem
    assert cue.question is None
    assert cue.kind == "position"
    assert "1 in 1,024" in cue.problem


def test_the_key_always_in_one_other_place_is_a_pattern_too():
    shown = [(f"q{i}", single("a", "b", "c", key=2)) for i in range(6)]
    (cue,) = position_cues(shown)
    assert "third option in 6 of 6" in cue.problem


def test_keys_spread_over_the_positions_are_no_pattern():
    shown = [(f"q{i}", single("a", "b", "c", "d", key=i % 4)) for i in range(8)]
    assert position_cues(shown) == []


def test_two_questions_alike_by_chance_are_not_flagged():
    """Two four-option questions both keyed first happens by chance 1 time in 16: no warning."""
    assert position_cues([("q1", single("a", "b", "c", "d")), ("q2", single("e", "f", "g", "h"))]) == []


def test_right_options_listed_before_the_wrong_ones_is_a_pattern():
    shown = [(f"m{i}", multi(["a", "b", "c", "d", "e", "f"], {0, 1, 2})) for i in range(3)]
    (cue,) = position_cues(shown)
    assert "before all the wrong ones in 3 of 3" in cue.problem
    after = [(f"m{i}", multi(["a", "b", "c", "d", "e", "f"], {3, 4, 5})) for i in range(3)]
    assert "after all the wrong ones" in position_cues(after)[0].problem
    mixed = [(f"m{i}", multi(["a", "b", "c", "d", "e", "f"], keys)) for i, keys in
             enumerate([{0, 3, 5}, {1, 2, 4}, {0, 4, 5}])]
    assert position_cues(mixed) == []


# --- wording ------------------------------------------------------------------------------------------------------

def test_a_key_much_longer_than_every_other_option():
    choices = single("It is unclear from this evidence alone, because the counts measure different things",
                     "It is wrong", "It is right", "It is old")
    (cue,) = wording_cues("q", choices)
    assert cue.question == "q"
    assert "times as long" in cue.problem


def test_short_options_a_few_letters_apart_are_not_a_length_cue():
    assert wording_cues("q", single("Shift + Enter", "Enter", "Ctrl + S", "Esc")) == []


def test_right_options_of_a_multiple_choice_much_longer_than_the_wrong_ones():
    choices = multi(["A long and careful statement of the first mechanism of trade statistics",
                     "A long and careful statement of the second mechanism of trade statistics",
                     "Wrong years", "Exports only"], {0, 1})
    (cue,) = wording_cues("m", choices)
    assert "on average" in cue.problem


def test_only_the_key_hedged():
    choices = single("The label may be counted from any moment", "It was 27 November", "It was 26 November",
                     "It was yesterday")
    assert any("hedged" in c.problem for c in wording_cues("q", choices))
    hedged_too = single("The label may be counted from any moment", "It might be 27 November",
                        "It was 26 November", "It was yesterday")
    assert not any("hedged" in c.problem for c in wording_cues("q", hedged_too))
    month = single("94% of January-May transfers came from Russia", "It was 27 November", "It was 26 November")
    assert not any("hedged" in c.problem for c in wording_cues("q", month))


def test_only_the_distractors_absolute():
    choices = single("Probably a slip", "It is always wrong", "Only Russia counts", "It proves fraud")
    assert any("absolutes" in c.problem for c in wording_cues("q", choices))
    assert not any("absolutes" in c.problem
                   for c in wording_cues("q", single("Probably a slip", "It is wrong", "Only Russia counts")))


def test_the_key_the_longest_in_most_of_a_bank():
    long_key = [(f"q{i}", single("the longest option of all", "short", "shorter", "tiny")) for i in range(3)]
    assert "3 of 3" in str(longest_share_cue(long_key))
    spread = long_key[:1] + [(f"p{i}", single("key", "a much longer distractor", "b")) for i in range(2)]
    assert longest_share_cue(spread) is None
    assert longest_share_cue(long_key[:2]) is None  # two questions are too few to call it a habit


def test_bank_cues_look_at_the_order_readers_see():
    """A bank that lists every key first is no position cue once the fixed-order views shuffle it; it is one
    where the bank keeps its order (shuffle: false)."""
    def q(i: int, shuffle: bool) -> SingleChoice:
        return SingleChoice(id=f"00-q{i}", prompt="?", explanation=".", shuffle=shuffle,
                            choices=tuple(single(f"right {i}", f"wrong a{i}", f"wrong b{i}", f"wrong c{i}")))

    kept = bank_cues([q(i, False) for i in range(5)])
    assert any("first option in 5 of 5" in c.problem for c in kept)
    shuffled = bank_cues([q(i, True) for i in range(5)])
    assert not any("first option in 5 of 5" in c.problem for c in shuffled)


# --- the module's own banks and the command ------------------------------------------------------------------------

@pytest.mark.parametrize("path", bank_paths(), ids=lambda p: p.name)
def test_the_modules_banks_have_no_cue_to_the_key(path):
    """The module's own banks pass their own check: no key found by its position, length or hedging."""
    assert [str(c) for c in bank_cues(load_bank(path).questions)] == []


def test_check_prints_cues_as_warnings_and_still_succeeds(bank_dir, write_bank):
    choices = "".join(f"""
      - text: A careful, long and well hedged answer that may well be the right one {i}
        correct: true
      - text: No {i}
      - text: Never {i}
      - text: Always {i}""" for i in [0])
    questions = "".join(f"""
  - id: 00-q{i}
    type: single
    shuffle: false
    prompt: Which?
    explanation: Because.
    choices:{choices.replace(" 0", f" {i}")}""" for i in range(4))
    write_bank(f"notebook: 00_start_here\ntitle: T\nquestions:{questions}\n", "00_start_here.yaml", bank_dir)
    out = subprocess.run([sys.executable, "-m", "course", "check", "--dir", str(bank_dir)], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    warnings = [line for line in out.stdout.splitlines() if line.startswith("WARN")]
    assert any("first option in 4 of 4" in w for w in warnings), out.stdout
    assert any("00-q1: the key is" in w and "times as long" in w for w in warnings), out.stdout
    assert any("longest option in 4 of 4" in w for w in warnings), out.stdout
    assert "warning(s) about cues to the key" in out.stdout

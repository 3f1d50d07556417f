"""Cues that give a key away to a test-wise student who knows nothing of the content. Pure Python.

``python -m course check`` prints what ``bank_cues(bank)`` finds as warnings (it does not fail): an instructor
decides whether a cue is real. Two kinds are looked for:

* **Position.** In the views that show every reader one order (handouts, the no-kernel view,
  ``COURSE_VARIANTS=off``), the keys sit at the same place too often: the key is option 1 in most single-choice
  questions, or the right options of multiple-choice questions always come first. "Too often" means more often
  than chance would put them there, by a margin that happens by chance less than once in
  ``1 / POSITION_P`` banks (the exact probability is computed, so a small bank is not flagged for one
  coincidence).
* **Wording.** The key is by far the longest option (``LONGER`` times and ``LONGER_BY`` characters), it
  alone is hedged ("may", "cannot be established"), or only the wrong options speak in absolutes ("always",
  "proves"); and across a bank the key is the longest option in more than ``LONGEST_SHARE`` of the
  single-choice questions.

The rules are rules of thumb from the item-writing literature: they point at questions to reread, not at
errors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from math import comb

from .model import Choice, MultipleChoice, Question, SingleChoice

#: Flag a position pattern whose probability under a random order is below this.
POSITION_P = 0.01
#: Flag a question whose key is at least this many times as long as the longest other option (single), or whose
#: right options are on average this many times as long as the wrong ones (multiple).
LONGER = 1.5
#: ...and at least this many characters longer (so "Shift + Enter" against "Esc" is not a cue).
LONGER_BY = 20
#: Flag a bank where the key is the longest option in more than this share of its single-choice questions...
LONGEST_SHARE = 0.5
#: ...when it has at least this many single-choice questions with three or more options.
LONGEST_MIN_QUESTIONS = 3

HEDGES = re.compile(  # "may" in lower case only: "January-May" is a month, not a hedge
    r"\b(may|(?i:might|could|perhaps|possibly|possible|probably|likely|unlikely|suggests?|not established|"
    r"cannot be (?:established|confirmed|said|told)|not known|unknown|depends?|in part|partly|some))\b",
)
ABSOLUTES = re.compile(r"\b(always|never|all|every|none|only|proves?|certainly|must|entirely|whole)\b",
                       re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    """One warning: the question it is about (None for the whole bank), what was found in plain words, and its
    kind: "position", "length", "hedge" or "absolute"."""

    question: str | None
    problem: str
    kind: str = ""

    def __str__(self) -> str:
        return f"{self.question}: {self.problem}" if self.question else self.problem


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, f"number {n}")


def at_least(k: int, chances: Sequence[float]) -> float:
    """The probability that at least `k` of independent events happen, event i with probability chances[i]
    (the Poisson binomial distribution, computed exactly)."""
    dist = [1.0]  # dist[j]: probability of j events among those seen so far
    for p in chances:
        nxt = [0.0] * (len(dist) + 1)
        for j, q in enumerate(dist):
            nxt[j] += q * (1 - p)
            nxt[j + 1] += q * p
        dist = nxt
    return sum(dist[max(k, 0):])


def _odds(p: float) -> str:
    return "less than 1 in 10,000" if p < 1e-4 else f"about 1 in {round(1 / p):,}"


def key_positions(choices: Sequence[Choice]) -> list[int]:
    """The 0-based positions of the right options in `choices` (in the order shown)."""
    return [i for i, c in enumerate(choices) if c.correct]


def position_cues(shown: Sequence[tuple[str, Sequence[Choice]]]) -> list[Cue]:
    """Patterns in where the keys are, over the choice questions of one bank as one fixed-order view shows them:
    `shown` is a list of (question id, choices in the order shown)."""
    cues: list[Cue] = []
    singles = [(qid, cs) for qid, cs in shown if sum(c.correct for c in cs) == 1 and len(cs) >= 3]
    if len(singles) >= 2:
        width = max(len(cs) for _, cs in singles)
        for pos in range(width):
            hits = sum(key_positions(cs)[0] == pos for _, cs in singles)
            chances = [1 / len(cs) if pos < len(cs) else 0.0 for _, cs in singles]
            p = at_least(hits, chances)
            if hits >= 2 and p < POSITION_P:
                cues.append(Cue(None, f"the key is the {_ordinal(pos + 1)} option in {hits} of {len(singles)} "
                                      f"single-choice questions (by chance: {_odds(p)})", "position"))
    multis = [(qid, cs) for qid, cs in shown if 1 < sum(c.correct for c in cs) < len(cs)]
    for where, name in (("first", "before"), ("last", "after")):
        hits, chances = 0, []
        for _, cs in multis:
            pos = key_positions(cs)
            n, k = len(cs), len(pos)
            block = list(range(k)) if where == "first" else list(range(n - k, n))
            hits += pos == block
            chances.append(1 / comb(n, k))
        p = at_least(hits, chances)
        if hits >= 2 and p < POSITION_P:
            cues.append(Cue(None, f"the right options come {name} all the wrong ones in {hits} of {len(multis)} "
                                  f"multiple-choice questions (by chance: {_odds(p)})", "position"))
    return cues


def _lengths(choices: Sequence[Choice]) -> tuple[list[int], list[int]]:
    right = [len(c.text) for c in choices if c.correct]
    wrong = [len(c.text) for c in choices if not c.correct]
    return right, wrong


def wording_cues(qid: str, choices: Sequence[Choice]) -> list[Cue]:
    """Cues in the words of one choice question's options."""
    right, wrong = _lengths(choices)
    if not right or not wrong:
        return []
    cues: list[Cue] = []
    keys = [c.text for c in choices if c.correct]
    others = [c.text for c in choices if not c.correct]
    if len(right) == 1:
        longest_other = max(wrong)
        if right[0] >= LONGER * longest_other and right[0] - longest_other >= LONGER_BY:
            cues.append(Cue(qid, f"the key is {right[0] / longest_other:.1f} times as long as the longest other "
                                 f"option ({right[0]} against {longest_other} characters)", "length"))
    else:
        mean_right, mean_wrong = sum(right) / len(right), sum(wrong) / len(wrong)
        if mean_right >= LONGER * mean_wrong and mean_right - mean_wrong >= LONGER_BY:
            cues.append(Cue(qid, f"the right options are on average {mean_right / mean_wrong:.1f} times as long as "
                                 f"the wrong ones ({mean_right:.0f} against {mean_wrong:.0f} characters)", "length"))
    if len(keys) == 1 and HEDGES.search(keys[0]) and not any(HEDGES.search(o) for o in others):
        word = HEDGES.search(keys[0]).group(0)
        cues.append(Cue(qid, f'only the key is hedged ("{word}"): a test-wise student picks the careful-sounding '
                             "option", "hedge"))
    if len(others) >= 2 and all(ABSOLUTES.search(o) for o in others) and not any(ABSOLUTES.search(k) for k in keys):
        cues.append(Cue(qid, 'every wrong option speaks in absolutes ("always", "only", "proves"...) and no right '
                             "one does", "absolute"))
    return cues


def longest_share_cue(questions: Sequence[tuple[str, Sequence[Choice]]]) -> Cue | None:
    """The key is the longest option in too many of a bank's single-choice questions."""
    singles = [cs for _, cs in questions if sum(c.correct for c in cs) == 1 and len(cs) >= 3]
    if len(singles) < LONGEST_MIN_QUESTIONS:
        return None
    longest = sum(max(len(c.text) for c in cs if not c.correct) < next(len(c.text) for c in cs if c.correct)
                  for cs in singles)
    if longest / len(singles) > LONGEST_SHARE:
        return Cue(None, f"the key is the longest option in {longest} of {len(singles)} single-choice questions",
                   "length")
    return None


def bank_cues(questions: Sequence[Question]) -> list[Cue]:
    """Every cue in one bank's questions, as the fixed-order views show them (``display_choices()`` without a
    student: the question's fixed order, or the bank's own where it says ``shuffle: false``)."""
    shown = [(q.id, q.display_choices()) for q in questions if isinstance(q, (SingleChoice, MultipleChoice))]
    cues = position_cues(shown)
    share = longest_share_cue(shown)
    if share is not None:
        cues.append(share)
    for qid, choices in shown:
        cues += wording_cues(qid, choices)
    return cues


__all__ = ["Cue", "at_least", "bank_cues", "key_positions", "longest_share_cue", "position_cues", "wording_cues"]

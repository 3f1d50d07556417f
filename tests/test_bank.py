"""Tests for course.quiz.bank (YAML banks checked against bank.schema.json), `python -m course check`,
and the safe rendering of bank text (course.quiz.render)."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from course.quiz import bank as bank_mod
from course.quiz import render
from course.quiz.bank import MAX_BANK_BYTES, BankError, bank_paths, check_all, load_bank
from course.quiz.messages import t
from course.quiz.model import (
    Choice,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Reflection,
    SingleChoice,
    format_number,
)

REPO = Path(__file__).resolve().parent.parent
REAL_DIR = REPO / "course" / "banks"
MARK = "# <-"

HEADER = "notebook: 00_start_here\ntitle: Start here\nquestions:\n"

SINGLE = """\
  - id: 00-a
    type: single
    prompt: Which one?
    explanation: Because.
    choices:
      - text: right
        correct: true
      - text: wrong
"""

VALID_BANK = (
    HEADER
    + SINGLE
    + """\
  - id: 00-b
    type: multiple
    prompt: Tick all.
    explanation: Both.
    choices:
      - text: one
        correct: true
      - text: two
        correct: true
      - text: three
        feedback: Not this one.
  - id: 00-c
    type: numeric
    prompt: How much?
    explanation: Nine.
    answer: 9
    tolerance: 0.5
    unit: "%"
    unit_aliases: [percent]
  - id: 00-d
    type: ordering
    prompt: Order.
    explanation: So.
    items: [first, second, third]
  - id: 00-e
    type: matching
    prompt: Match.
    explanation: So.
    pairs:
      - {left: a, right: "1"}
      - {left: b, right: "2"}
    distractors: ["3"]
  - id: 00-f
    type: reflection
    prompt: Think.
    explanation: Anything goes.
    model_answer: Something thoughtful.
"""
)


def _line_of_mark(text: str) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if MARK in line]
    assert len(lines) == 1, "a case must mark exactly one line"
    return lines[0]


# (id, text, expected line: int, "mark" or None, field or None, words of the problem)
MALFORMED = [
    (
        "yaml-unclosed-quote",
        HEADER + '  - id: 00-a\n    type: single\n    prompt: "never closed\n    explanation: E\n',
        6,
        None,
        "not valid YAML",
    ),
    (
        "yaml-colon-in-plain-text",
        HEADER + "  - id: 00-a\n    type: single\n    prompt: Note: this breaks  # <-\n",
        "mark",
        None,
        "not valid YAML",
    ),
    (
        "yaml-bad-indent",
        HEADER + "  - id: 00-a\n    type: single\n   prompt: P  # <-\n",
        "mark",
        None,
        "not valid YAML",
    ),
    ("tab-indentation", HEADER + "  - id: 00-a\n\ttype: single  # <-\n", "mark", None, "tab"),
    ("empty-file", "", 1, None, "empty"),
    ("only-comments", "# nothing here yet\n\n", 1, None, "empty"),
    ("top-level-list", "- 00-a  # <-\n- 00-b\n", "mark", None, "expected object"),
    ("missing-questions", "notebook: 00_start_here  # <-\ntitle: T\n", "mark", None, '"questions" is missing'),
    ("missing-title", "notebook: 00_start_here  # <-\nquestions:\n" + SINGLE, "mark", None, '"title" is missing'),
    (
        "unknown-type",
        HEADER + SINGLE.replace("type: single", "type: essay  # <-"),
        "mark",
        "questions[0].type",
        "'essay' is not one of",
    ),
    (
        "missing-prompt",
        HEADER + SINGLE.replace("    prompt: Which one?\n", "").replace("id: 00-a", "id: 00-a  # <-"),
        "mark",
        "questions[0]",
        '"prompt" is missing',
    ),
    (
        "missing-type",
        HEADER + SINGLE.replace("    type: single\n", "").replace("id: 00-a", "id: 00-a  # <-"),
        "mark",
        "questions[0]",
        '"type" is missing',
    ),
    (
        "single-zero-correct",
        HEADER + SINGLE.replace("        correct: true\n", "").replace("choices:", "choices:  # <-"),
        "mark",
        "questions[0].choices",
        "found 0",
    ),
    (
        "single-two-correct",
        HEADER
        + SINGLE.replace("      - text: wrong\n", "      - text: wrong\n        correct: true\n").replace(
            "choices:", "choices:  # <-"
        ),
        "mark",
        "questions[0].choices",
        "found 2",
    ),
    (
        "multiple-none-correct",
        HEADER
        + SINGLE.replace("type: single", "type: multiple")
        .replace("        correct: true\n", "")
        .replace("choices:", "choices:  # <-"),
        "mark",
        "questions[0].choices",
        "at least one choice",
    ),
    (
        "duplicate-choice",
        HEADER + SINGLE.replace("text: wrong", "text: right").replace("choices:", "choices:  # <-"),
        "mark",
        "questions[0].choices",
        "appears twice",
    ),
    (
        "one-choice-only",
        HEADER + SINGLE.replace("      - text: wrong\n", "").replace("choices:", "choices:  # <-"),
        "mark",
        "questions[0].choices",
        "too short",
    ),
    (
        "duplicate-ids",
        HEADER + SINGLE + SINGLE.replace("id: 00-a", "id: 00-a  # <-"),
        "mark",
        "questions[1].id",
        "used twice",
    ),
    (
        "id-wrong-notebook-prefix",
        HEADER + SINGLE.replace("id: 00-a", "id: 01-a  # <-"),
        "mark",
        "questions[0].id",
        'must start with "00-"',
    ),
    (
        "id-bad-form",
        HEADER + SINGLE.replace("id: 00-a", "id: 00-Bad_ID  # <-"),
        "mark",
        "questions[0].id",
        "required form",
    ),
    (
        "notebook-not-filename",
        HEADER.replace("notebook: 00_start_here", "notebook: 00_other  # <-") + SINGLE,
        "mark",
        "notebook",
        "00_start_here.yaml",
    ),
    (
        "answer-on-single",
        HEADER + SINGLE + "    answer: 3  # <-\n",
        "mark",
        "questions[0].answer",
        '"answer" is not a field this question type knows',
    ),
    (
        "reveal-after-on-reflection",
        HEADER + "  - id: 00-f\n    type: reflection\n    prompt: P\n    explanation: E\n"
        "    model_answer: M\n    reveal_after: 2  # <-\n",
        "mark",
        "questions[0].reveal_after",
        "not a field",
    ),
    ("unknown-top-level-field", HEADER + SINGLE + "author: me  # <-\n", "mark", "author", "not a field"),
    (
        "unknown-choice-field",
        HEADER + SINGLE.replace("      - text: wrong\n", "      - text: wrong\n        why: no  # <-\n"),
        "mark",
        "questions[0].choices[1].why",
        "not a field",
    ),
    (
        "choice-text-no-is-bool",
        HEADER + SINGLE.replace("text: wrong", "text: no  # <-"),
        "mark",
        "questions[0].choices[1].text",
        "put the text in quotes",
    ),
    (
        "choice-text-number",
        HEADER + SINGLE.replace("text: wrong", "text: 1.5  # <-"),
        "mark",
        "questions[0].choices[1].text",
        "put the text in quotes",
    ),
    (
        "duplicate-key",
        HEADER + SINGLE.replace("    explanation: Because.\n", "    explanation: Because.\n    prompt: Again?  # <-\n"),
        "mark",
        "questions[0].prompt",
        "appears twice",
    ),
    (
        "billion-laughs",
        "notebook: 00_start_here\ntitle: T\nlol1: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        "lol2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]  # <-\nlol3: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "lol4: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nquestions: []\n",
        "mark",
        "lol2[0]",
        "anchors and aliases",
    ),
    (
        "alias-in-question",
        HEADER
        + SINGLE.replace("prompt: Which one?", "prompt: &p Which one?").replace(
            "explanation: Because.", "explanation: *p  # <-"
        ),
        "mark",
        "questions[0].explanation",
        "anchors and aliases",
    ),
    (
        "non-utf8",
        (HEADER + SINGLE).encode().replace(b"prompt: Which one?", b"prompt: Which \xff\xfe one?  # <-"),
        "mark",
        None,
        "not UTF-8",
    ),
    (
        "matching-distractor-is-right",
        HEADER + "  - id: 00-e\n    type: matching\n    prompt: M\n    explanation: E\n"
        "    pairs:\n      - {left: a, right: x}\n      - {left: b, right: y}\n    distractors: [z, y]  # <-\n",
        "mark",
        "questions[0].distractors",
        '"y" is also a right answer',
    ),
    (
        "matching-duplicate-left",
        HEADER + "  - id: 00-e\n    type: matching\n    prompt: M\n    explanation: E\n"
        "    pairs:  # <-\n      - {left: a, right: x}\n      - {left: a, right: y}\n",
        "mark",
        "questions[0].pairs",
        "appears twice",
    ),
    (
        "ordering-duplicate-item",
        HEADER + "  - id: 00-d\n    type: ordering\n    prompt: O\n    explanation: E\n    items: [a, b, a]  # <-\n",
        "mark",
        "questions[0].items",
        "appears twice",
    ),
    (
        "unit-aliases-without-unit",
        HEADER + "  - id: 00-c\n    type: numeric\n    prompt: N\n    explanation: E\n"
        "    answer: 9\n    unit_aliases: [percent]  # <-\n",
        "mark",
        "questions[0].unit_aliases",
        'needs a "unit"',
    ),
    (
        "negative-tolerance",
        HEADER + "  - id: 00-c\n    type: numeric\n    prompt: N\n    explanation: E\n"
        "    answer: 9\n    tolerance: -1  # <-\n",
        "mark",
        "questions[0].tolerance",
        "minimum",
    ),
    (
        "nan-tolerance",
        HEADER + "  - id: 00-c\n    type: numeric\n    prompt: N\n    explanation: E\n"
        "    answer: 9\n    tolerance: .nan  # <-\n",
        "mark",
        "questions[0].tolerance",
        "finite",
    ),
    (
        "infinite-answer",
        HEADER + "  - id: 00-c\n    type: numeric\n    prompt: N\n    explanation: E\n    answer: -.inf  # <-\n",
        "mark",
        "questions[0].answer",
        "finite",
    ),
    (
        "answer-beyond-float",
        HEADER + "  - id: 00-c\n    type: numeric\n    prompt: N\n    explanation: E\n"
        "    answer: " + "9" * 400 + "  # <-\n",
        "mark",
        "questions[0].answer",
        "finite",
    ),
    (
        "answer-as-text",
        HEADER + "  - id: 00-c\n    type: numeric\n    prompt: N\n    explanation: E\n    answer: nine  # <-\n",
        "mark",
        "questions[0].answer",
        "expected number",
    ),
    (
        "reveal-after-zero",
        HEADER + SINGLE + "    reveal_after: 0  # <-\n",
        "mark",
        "questions[0].reveal_after",
        "minimum",
    ),
    (
        "blank-prompt",
        HEADER + SINGLE.replace("prompt: Which one?", 'prompt: "   "  # <-'),
        "mark",
        "questions[0].prompt",
        "required form",
    ),
    (
        "impossible-date",
        HEADER.replace("title: Start here", "title: 2025-02-30  # <-") + SINGLE,
        "mark",
        "title",
        "put it in quotes",
    ),
    ("list-as-key", HEADER + SINGLE + "    ? [a, b]  # <-\n    : c\n", "mark", "questions[0]", "plain text"),
]


@pytest.mark.parametrize("case_id, text, line, field, words", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_bank_names_file_line_and_field(tmp_path, case_id, text, line, field, words):
    path = tmp_path / "00_start_here.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
        expected_line = _line_of_mark(text.decode("latin-1")) if line == "mark" else line
    else:
        path.write_text(text, encoding="utf-8")
        expected_line = _line_of_mark(text) if line == "mark" else line
    with pytest.raises(BankError) as info:
        load_bank(path)
    err = info.value
    message = str(err)
    assert "00_start_here.yaml" in message
    assert err.line == expected_line, message
    assert re.search(rf", line {expected_line}\b", message), message
    if field is not None:
        # a question is named as the notebook numbers it ("question 0.1 (id 00-a)"), not as questions[0]
        inside = re.fullmatch(r"questions\[(\d+)\]\.?(.*)", field)
        if inside:
            number, rest = f"0.{int(inside[1]) + 1}", inside[2] or None
            assert (err.question, err.field) == (number, rest), message
            assert f"question {number}" in message
            assert "questions[" not in message
            assert f"question {number} (id {err.qid})" in message or err.qid is None
            if rest:
                assert f"field {rest}:" in message
        else:
            assert err.field == field, message
            assert f"field {field}:" in message
    assert words in message
    assert all(e.text.count("\n") == 0 for e in err.errors)  # one line each, for `python -m course check`
    assert message.splitlines()[0] == err.errors[0].text


def test_at_least_twelve_malformed_cases():
    assert len(MALFORMED) >= 12
    assert len({c[0] for c in MALFORMED}) == len(MALFORMED)


def test_valid_bank_fixture_loads(write_bank):
    b = load_bank(write_bank(VALID_BANK))
    assert b.notebook == "00_start_here"
    assert b.title == "Start here"
    assert [q.kind for q in b.questions] == ["single", "multiple", "numeric", "ordering", "matching", "reflection"]
    assert [q.label for q in b.questions] == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6"]
    assert all(q.notebook == "00_start_here" for q in b.questions)
    numeric = b.get("00-c")
    assert (numeric.answer, numeric.tolerance, numeric.unit, numeric.unit_aliases) == (9.0, 0.5, "%", ("percent",))
    assert b.get("00-e").pairs == (("a", "1"), ("b", "2"))
    assert b.get("00-e").distractors == ("3",)
    with pytest.raises(KeyError):
        b.get("00-zz")


def test_every_malformed_case_differs_from_a_valid_bank_only_by_its_mistake(write_bank):
    # the cases built from SINGLE are only meaningful if SINGLE itself is valid
    assert load_bank(write_bank(HEADER + SINGLE)).ids == ["00-a"]


def test_file_over_one_megabyte_is_refused_before_parsing(tmp_path):
    path = tmp_path / "00_start_here.yaml"
    path.write_text(VALID_BANK + "#" + "x" * MAX_BANK_BYTES + "\n", encoding="utf-8")
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert "00_start_here.yaml" in str(info.value)
    assert "too large" in str(info.value)
    assert str(MAX_BANK_BYTES) in str(info.value)


def test_deeply_nested_yaml_is_a_bank_error(tmp_path):
    path = tmp_path / "00_start_here.yaml"
    path.write_text("notebook: 00_start_here\ntitle: T\nquestions: " + "[" * 998 + "]" * 998 + "\n", encoding="utf-8")
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert "00_start_here.yaml" in str(info.value)


def test_missing_file_is_a_bank_error(tmp_path):
    with pytest.raises(BankError) as info:
        load_bank(tmp_path / "00_start_here.yaml")
    assert "cannot be read" in str(info.value)


def test_billion_laughs_is_refused_quickly(tmp_path):
    import time

    levels = ["lol0: &l0 [" + ", ".join(["lol"] * 10) + "]"]
    levels += [f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 10)]
    path = tmp_path / "00_start_here.yaml"
    path.write_text("notebook: 00_start_here\ntitle: T\n" + "\n".join(levels) + "\nquestions: []\n")
    start = time.perf_counter()
    with pytest.raises(BankError, match="anchors and aliases"):
        load_bank(path)
    assert time.perf_counter() - start < 2.0


# --- the real banks --------------------------------------------------------------------------------------


def test_real_banks_all_load(real_banks):
    paths = bank_paths()
    assert paths
    assert all(p.parent == REAL_DIR for p in paths)
    banks, errors = check_all()
    assert errors == []
    assert len(banks) == len(paths)
    seen_ids: set[str] = set()
    for b in banks:
        assert b.notebook == b.path.stem
        assert all(q.id.startswith(b.notebook[:2] + "-") for q in b.questions)
        assert not seen_ids & set(b.ids)
        seen_ids |= set(b.ids)
    kinds = {q.kind for b in banks for q in b.questions}
    assert kinds == {"single", "multiple", "numeric", "ordering", "matching", "reflection"}


def test_real_bank_lookup_by_id(real_banks):
    q = bank_mod.question("00-run-cell")
    assert isinstance(q, SingleChoice)
    assert q.answer_text() == "Shift + Enter"
    with pytest.raises(KeyError, match="00-nope"):
        bank_mod.question("00-nope")
    with pytest.raises(KeyError, match="99_"):
        bank_mod.question("99-x")


def test_bank_for_reloads_a_changed_bank(bank_dir, write_bank):
    path = write_bank(HEADER + SINGLE, directory=bank_dir)
    assert bank_mod.question("00-a").prompt == "Which one?"
    path.write_text(HEADER + SINGLE.replace("Which one?", "Which other one?"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert bank_mod.question("00-a").prompt == "Which other one?"


# --- python -m course check ------------------------------------------------------------------------------


def _check(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COURSE_BANKS_DIR"}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "course", "check", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )


def test_cli_check_passes_on_the_real_banks():
    proc = _check()
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for path in REAL_DIR.glob("[0-9][0-9]_*.yaml"):
        assert f"ok     {path.name}" in proc.stdout


def test_cli_check_fails_with_one_line_per_broken_bank(tmp_path):
    (tmp_path / "00_start_here.yaml").write_text(HEADER + SINGLE.replace("type: single", "type: essay"))
    proc = _check("--dir", str(tmp_path))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(errors) == 1
    assert errors[0].startswith("ERROR")
    assert "00_start_here.yaml" in errors[0]
    assert "line 5" in errors[0]
    assert "question 0.1 (id 00-a), field type" in errors[0]


def test_cli_check_reports_every_broken_bank_without_traceback(tmp_path):
    broken = {
        "00_start_here.yaml": HEADER.replace("title: Start here", "title: 2025-02-30") + SINGLE,
        "01_alias.yaml": "notebook: 01_alias\ntitle: &t T\nx: *t\nquestions: []\n",
        "02_key.yaml": "notebook: 02_key\ntitle: T\n? [a]\n: b\nquestions: []\n",
        "03_deep.yaml": "notebook: 03_deep\ntitle: T\nquestions: " + "[" * 998 + "]" * 998 + "\n",
        "04_bytes.yaml": b"notebook: 04_bytes\ntitle: \xff\n",
        "05_huge.yaml": "notebook: 05_huge\ntitle: T\nquestions:\n  - id: 05-a\n    type: numeric\n    prompt: P\n"
        "    explanation: E\n    answer: " + "9" * 400 + "\n",
    }
    for name, text in broken.items():
        (tmp_path / name).write_bytes(text if isinstance(text, bytes) else text.encode())
    (tmp_path / "06_fine.yaml").write_text(HEADER.replace("00_start_here", "06_fine") + SINGLE.replace("00-a", "06-a"))
    proc = _check("--dir", str(tmp_path))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(errors) == len(broken)
    for name in broken:
        assert sum(name in line for line in errors) == 1, name
    assert "ok     06_fine.yaml" in proc.stdout


def test_cli_check_fails_on_an_empty_dir(tmp_path):
    proc = _check("--dir", str(tmp_path))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "No question banks" in proc.stderr


def test_cli_check_honours_course_quizzes_dir(tmp_path):
    proc = _check(env_extra={"COURSE_BANKS_DIR": str(tmp_path)})
    assert proc.returncode == 1
    assert "No question banks" in proc.stderr


# --- rendering: raw HTML escaped, static views never give the answer away ------------------------------------

EVIL = (
    "Look: <script>alert(1)</script> and <img src=x onerror=alert(1)> and [x](javascript:alert(1)) "
    'and <a href="javascript:alert(1)">y</a> and <JAVASCRIPT:alert(1)> and [z](JaVaScRiPt:alert(1))'
)


def _assert_safe(out: str) -> None:
    low = out.lower()
    assert "<script" not in low
    assert "<img" not in low
    assert 'href="javascript' not in low
    assert "href='javascript" not in low


@pytest.mark.parametrize("fn", [render.markdown, render.inline])
def test_markdown_escapes_raw_html_and_javascript_links(fn):
    out = fn(EVIL)
    _assert_safe(out)
    assert "&lt;script&gt;" in out
    assert "&lt;img" in out


def test_markdown_still_renders_ordinary_markdown():
    out = render.markdown("**bold** and [a link](https://example.org) and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<strong>bold</strong>" in out
    assert '<a href="https://example.org">a link</a>' in out
    assert "<code>code</code>" in out
    assert "<table>" in out


def _evil_questions():
    common = dict(prompt=EVIL, explanation="EXPLANATION " + EVIL, label="0.1", notebook="00_start_here")
    return [
        SingleChoice(
            id="00-s",
            choices=(
                Choice("<script>alert(1)</script>", True),
                Choice("<img src=x onerror=alert(1)>"),
                Choice("[x](javascript:alert(1))"),
            ),
            **common,
        ),
        MultipleChoice(id="00-m", choices=(Choice("<img src=x onerror=alert(1)>", True), Choice("b")), **common),
        Numeric(id="00-n", answer=3, unit="<script>", **common),
        Ordering(id="00-o", items=("<script>alert(1)</script>", "<img src=x onerror=alert(1)>"), **common),
        Matching(id="00-x", pairs=(("<script>", "<img src=x onerror=alert(1)>"), ("b", "c")), **common),
        Reflection(id="00-r", model_answer="<script>alert(1)</script>", **common),
    ]


@pytest.mark.parametrize("q", _evil_questions(), ids=lambda q: q.kind)
def test_static_html_escapes_prompt_and_options(q):
    _assert_safe(render.static_html(q))
    assert "&lt;script&gt;" in render.static_html(q)


def _real_questions():
    return [q for b in check_all(REAL_DIR)[0] for q in b.questions]


@pytest.mark.parametrize("q", _real_questions(), ids=lambda q: q.id)
def test_static_views_never_contain_the_answer(q):
    text, page = render.static_text(q), render.static_html(q)
    answer_line = t("answer_is", answer=q.answer_text())
    for out in (text, html.unescape(page)):
        assert "Answer:" not in out
        assert answer_line not in out
        assert q.explanation not in out
        assert t("static_note") in out
        assert t("question_label", label=q.label) in out
    rest_text = text.replace(q.prompt.strip(), "")
    rest_html = page.replace(render.markdown(q.prompt), "")
    if isinstance(q, Numeric):
        number = format_number(q.answer)
        assert not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", rest_text)
        assert not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", html.unescape(rest_html))
    if isinstance(q, (SingleChoice, MultipleChoice)):
        # every option is shown once, and the correct ones look exactly like the others
        markers = {}
        for c in q.choices:
            lines = [
                line
                for line in rest_text.splitlines()
                if line.endswith(c.text) and not any(ch.isalnum() for ch in line[: -len(c.text)])
            ]
            assert len(lines) == 1, c.text
            markers[c.text] = lines[0][: -len(c.text)]
        assert len(set(markers.values())) == 1, markers  # no marker tells the correct choice from the others
        items = re.findall(r"(<li[^>]*>)(.*?)</li>", rest_html, re.S)
        assert sorted(html.unescape(body) for _, body in items) == sorted(c.text for c in q.choices)
        assert {tag for tag, _ in items} == {"<li>"}  # no class or attribute on the correct ones
    if isinstance(q, Ordering):
        shown = [line[2:] for line in rest_text.splitlines() if line.startswith("- ")]
        assert sorted(shown) == sorted(q.items)
        assert shown != list(q.items)
    if isinstance(q, Matching):
        for left, right in q.pairs:
            assert f"{left} — {right}" not in text
        shown_rights = [line.strip()[2:] for line in text.splitlines() if line.strip().startswith("· ")]
        assert sorted(shown_rights) == sorted(set(r for _, r in q.pairs) | set(q.distractors))
    if isinstance(q, Reflection):
        assert q.model_answer not in text
        assert q.model_answer not in html.unescape(page)

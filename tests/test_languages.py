"""Every word the engine and its helpers show, in every language (issue 12, item 7)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from course.quiz import messages
from course.quiz.messages import MESSAGES, placeholders, set_language, t

REPO = Path(__file__).resolve().parent.parent
#: Keys whose text is only a symbol or a placeholder, the same in every language.
SAME_EVERYWHERE = {"invalid", "exercise_ok"}


@pytest.fixture
def russian():
    set_language("ru")
    yield
    set_language("en")


@pytest.mark.parametrize("lang", sorted(MESSAGES))
def test_every_language_has_every_key_with_the_same_placeholders(lang):
    assert set(MESSAGES[lang]) == set(MESSAGES["en"]), (
        f"missing in {lang}: {sorted(set(MESSAGES['en']) - set(MESSAGES[lang]))}; "
        f"unknown in {lang}: {sorted(set(MESSAGES[lang]) - set(MESSAGES['en']))}")
    for key, template in MESSAGES[lang].items():
        assert placeholders(template) == placeholders(MESSAGES["en"][key]), f"{lang}:{key}"


@pytest.mark.parametrize("lang", sorted(set(MESSAGES) - {"en"}))
def test_every_message_is_translated_not_copied(lang):
    copied = [k for k, v in MESSAGES[lang].items() if v == MESSAGES["en"][k] and k not in SAME_EVERYWHERE]
    assert not copied


def _calls_in(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "AnswerError")
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            yield node.args[0].value, {kw.arg for kw in node.keywords}


def test_every_key_used_anywhere_in_the_package_exists():
    used = {}
    for path in sorted((REPO / "course").rglob("*.py")):
        if path.name != "messages.py":
            for key, names in _calls_in(path):
                used.setdefault(key, []).append((path.name, names))
    assert {"export_done", "exercise_not_yet", "quiz_problem", "expect_number"} <= set(used)
    for key, calls in used.items():
        assert key in MESSAGES["en"], f"{key} used in {calls[0][0]} but not in the table"
        for filename, names in calls:
            if None not in names:
                assert names == placeholders(MESSAGES["en"][key]), f"{filename}: {key} called with {names}"


@pytest.mark.parametrize("code", ["ru", "ru_RU", "ru-RU", "RU", "ru_RU.UTF-8", "ru_RU.utf8@latin"])
def test_russian_is_chosen_however_it_is_written(code, monkeypatch):
    monkeypatch.setenv("COURSE_LANG", code)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert messages._from_environment() == "ru"
    set_language(code)
    assert messages.language() == "ru"
    set_language("en")


def test_an_unknown_language_falls_back_to_english_with_one_warning():
    env = {**os.environ, "PYTHONPATH": str(REPO), "COURSE_LANG": "xx_YY"}
    code = ("import warnings; warnings.simplefilter('always')\n"
            "from course.quiz.messages import t, language\n"
            "from course.quiz import model, widgets\n"
            "print(language(), t('check'))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "en Check"
    assert proc.stderr.count("COURSE_LANG='xx_YY'") == 1


def test_a_wrong_numeric_answer_is_all_russian(russian, tmp_path):
    from course.quiz.model import Numeric
    from course.quiz.progress import ProgressStore
    from course.quiz.widgets import QuizWidget

    q = Numeric(id="04-x", prompt="Сколько?", explanation="Объяснение.", answer=10, notebook="04_x")
    w = QuizWidget(q, progress=ProgressStore(tmp_path / "p.json"), student="ada")
    w.answer = "5"
    w.press("check")
    assert "Не совсем" in w.feedback_html
    assert "слишком мал" in w.feedback_html
    assert "Your answer" not in w.feedback_html
    assert "Attempt" not in w.feedback_html
    w.answer = "abc"
    w.press("check")
    assert "не число" in w.feedback_html
    assert [b["label"] for b in w.buttons] == ["Проверить", "Показать ответ"]


def test_the_helpers_speak_russian_too(russian, tmp_path, monkeypatch):
    from course.exercises import CheckResult
    from course.quiz.widgets import QuizProblem

    assert repr(QuizProblem("x")).startswith("⚠ Этот тест нельзя показать")
    assert "нельзя показать" in QuizProblem("x")._repr_html_()
    assert repr(CheckResult("03-x", False, "подсказка")).startswith("✘ Пока нет.")
    from course.lessons import review

    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))
    from course.quiz import progress

    monkeypatch.setattr(progress, "_STORE", None)
    panel = review.export_button(folder=tmp_path, student="ada")
    assert panel.labels["button"] == "Выгрузить мои ответы"
    panel.click()
    assert panel.ok
    assert "выгружены" in panel.message
    assert "записанных попыток: 0" in panel.message


def test_the_english_text_of_the_helpers_is_unchanged():
    assert t("quiz_problem") + ": x" == "⚠ This quiz cannot be shown: x"
    assert t("exercise_not_yet") == "✘ Not yet."


def test_the_test_run_is_english_whatever_the_shell_says():
    """`make test` with COURSE_LANG=ru in the shell: conftest.py pins English for tests and kernels."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "COURSE_LANG": "ru"}
    target = "tests/test_model.py::test_numeric_correct_within_tolerance"
    proc = subprocess.run([sys.executable, "-m", "pytest", target, "-q", "-o", "addopts=", "-p", "no:cacheprovider"],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:]

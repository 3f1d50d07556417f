"""Every word the quiz engine itself shows, in one table.

To add a language, copy the "en" block, translate the values (keep the {placeholders}),
and select it with ``COURSE_LANG=xx`` or ``course.quiz.messages.set_language("xx")``.
A key missing from a language falls back to English, so a partial translation still works.
"""

from __future__ import annotations

import os
import string

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        # buttons and labels
        "check": "Check",
        "check_tooltip": "Check your answer",
        "save_reflection": "Save my answer",
        "save_reflection_tooltip": "Save what you wrote (it is not graded)",
        "hint": "Hint",
        "hint_tooltip": "Show a hint",
        "show_answer": "Show answer",
        "show_answer_tooltip": "Show the answer and its explanation",
        "show_answer_locked_tooltip": "The answer can be shown after {n} attempts",
        "your_answer": "Your answer",
        "choose": "— choose —",
        "position": "Position {n}",
        "unit_label": "unit: {unit}",
        "numeric_placeholder": "type a number, e.g. 3.5",
        "reflection_placeholder": "Write your answer here",
        "question_label": "Question {label}",
        # feedback headlines (symbol + words: never colour alone)
        "correct": "✔ Correct!",
        "incorrect": "✘ Not quite. Try again.",
        "partial": "◐ Partly right: {score}% of the credit.",
        "recorded": "✎ Saved. This question is not graded.",
        "invalid": "⚠ {message}",
        "revealed": "ℹ The answer",
        "answer_is": "Answer: {answer}",
        "model_answer": "A model answer to compare with yours: {answer}",
        "hint_n": "Hint {i} of {n}: {hint}",
        "no_more_hints": "That was the last hint.",
        "attempt_n": "Attempt {n}.",
        "previous_result": "Earlier you answered this {n} time(s); best result: {best}.",
        "best_correct": "correct",
        "best_partial": "partly right",
        "best_incorrect": "not yet right",
        "best_recorded": "saved",
        # detail lines
        "multi_detail": "You ticked {right} of the {total} right choices and {wrong} wrong one(s).",
        "ordering_detail": "{right} of {total} are in the right position.",
        "matching_detail": "{right} of {total} pairs are right.",
        "numeric_too_low": "Your answer is too low.",
        "numeric_too_high": "Your answer is too high.",
        # invalid input: clear messages, never a traceback
        "err_empty": "Please give an answer first.",
        "err_choose_one": "Please choose one of the options.",
        "err_choose_some": "Please tick at least one option.",
        "err_not_a_choice": "That is not one of the options.",
        "err_not_number": "“{text}” is not a number. Type digits, e.g. 3.5 or 3,5.",
        "err_not_finite": "Please type an ordinary number (not NaN or infinity).",
        "err_too_long": "That answer is too long ({n} characters; at most {max}).",
        "err_too_large": "That number is too large to be a sensible answer.",
        "err_digits": "Please type the number with the digits 0–9.",
        "err_separators": "Please type the number without thousands separators, e.g. 1234.5.",
        "err_wrong_unit": "This answer is in {unit}; “{given}” is a different unit.",
        "err_no_unit_expected": "Please type just the number, without “{given}”.",
        "err_fill_all_positions": "Please choose an item for every position.",
        "err_duplicate_item": "“{item}” is used more than once; each item goes in one position.",
        "err_fill_all_pairs": "Please choose a match for every item.",
        "err_wrong_type": "This question expects {expected}.",
        # progress
        "progress_label": "{answered} of {total} questions answered · {correct} correct",
        "progress_corrupt": "Your progress file {path} could not be read ({reason}). It was kept as {backup} "
        "and a fresh progress file was started.",
        "progress_unwritable": "Your answers cannot be saved to {path} ({reason}). The quizzes still work, "
        "but this session's answers will be lost when the kernel stops. Set COURSE_PROGRESS_DIR to a "
        "folder you can write to.",
        # static fallback (notebook read without a kernel)
        "static_note": "Run the notebook to answer this question (quizzes need a running Python kernel).",
        "static_choices": "Options:",
        "static_items": "Items:",
        "static_pairs": "Match each of these items…",
        "static_pair_options": "…with one of these:",
        "progress_tooltip": "Questions answered in this notebook",
        # exporting progress for the instructor (notebook 06)
        "export_button": "Export my progress",
        "export_tooltip": "Write your answers to a file progress-<your name>.json that you can hand to your "
        "instructor",
        "export_static": "Run the notebook to use this button. It writes progress-<your name>.json in this "
        "notebook's folder.",
        "export_static_plain": "a button: run the notebook to use it; it writes progress-<your name>.json in this "
        "notebook's folder",
        "export_no_name": "✘ Your progress could not be exported: your user name could not be found. In a "
        "terminal, run {command} --student YOUR_NAME",
        "export_refused": "✘ Your progress could not be exported: {reason}. In a terminal, run {command} "
        "--student YOUR_NAME",
        "export_unwritable": "✘ Your progress could not be exported to {where}: {reason}. Try a folder you can "
        "write to: in a terminal, run {command} --out ~/progress-{safe}.json",
        "export_folder": "the folder {folder}",
        "export_this_folder": "this notebook's folder",
        "export_one": "1 recorded attempt",
        "export_many": "{n} recorded attempts",
        "export_none": "0 recorded attempts (none yet: answer some questions, then export again)",
        "export_done": "✔ Your progress ({answers}) was exported to the file {file} in the folder {folder}. "
        "Hand this file to your instructor.",
        "export_name_label": "Your name (as your instructor knows you)",
        "export_name_help": "This computer's login ({login}) is shared by many people, so it cannot tell you apart. "
        "Type your name, then press {button}.",
        "export_ask_first": "✘ Type your name in the box above first: the login {login} is shared by many people.",
        "export_shared": "the login name “{login}” is shared by many people, so it cannot tell you apart; "
        "give your own name with --student \"Your Name\" (or set COURSE_STUDENT)",
    },
    "ru": {
        "check": "Проверить",
        "check_tooltip": "Проверить ответ",
        "save_reflection": "Сохранить ответ",
        "save_reflection_tooltip": "Сохранить написанное (без оценки)",
        "hint": "Подсказка",
        "hint_tooltip": "Показать подсказку",
        "show_answer": "Показать ответ",
        "show_answer_tooltip": "Показать ответ и объяснение",
        "show_answer_locked_tooltip": "Ответ можно посмотреть после {n} попыток",
        "your_answer": "Ваш ответ",
        "choose": "— выберите —",
        "position": "Место {n}",
        "unit_label": "единица: {unit}",
        "numeric_placeholder": "введите число, например 3,5",
        "reflection_placeholder": "Напишите ответ здесь",
        "question_label": "Вопрос {label}",
        "correct": "✔ Верно!",
        "incorrect": "✘ Не совсем. Попробуйте ещё раз.",
        "partial": "◐ Частично верно: {score}% баллов.",
        "recorded": "✎ Сохранено. Этот вопрос не оценивается.",
        "invalid": "⚠ {message}",
        "revealed": "ℹ Ответ",
        "answer_is": "Ответ: {answer}",
        "model_answer": "Образец ответа для сравнения: {answer}",
        "hint_n": "Подсказка {i} из {n}: {hint}",
        "no_more_hints": "Это была последняя подсказка.",
        "attempt_n": "Попытка {n}.",
        "err_empty": "Сначала дайте ответ.",
        "err_choose_one": "Выберите один из вариантов.",
        "err_choose_some": "Отметьте хотя бы один вариант.",
        "err_not_number": "«{text}» — не число. Введите цифры, например 3.5 или 3,5.",
        "err_not_finite": "Введите обычное число (не NaN и не бесконечность).",
        "static_note": "Запустите блокнот, чтобы ответить (нужно работающее ядро Python).",
        "export_button": "Выгрузить мои ответы",
        "export_tooltip": "Записать ваши ответы в файл progress-<ваше имя>.json, который можно передать "
        "преподавателю",
        "export_static": "Запустите блокнот, чтобы воспользоваться этой кнопкой. Она записывает "
        "progress-<ваше имя>.json в папку этого блокнота.",
        "export_static_plain": "кнопка: запустите блокнот, чтобы ею воспользоваться; она записывает "
        "progress-<ваше имя>.json в папку этого блокнота",
        "export_no_name": "✘ Ответы не удалось выгрузить: не найдено ваше имя пользователя. В терминале "
        "выполните {command} --student ВАШЕ_ИМЯ",
        "export_refused": "✘ Ответы не удалось выгрузить: {reason}. В терминале выполните {command} "
        "--student ВАШЕ_ИМЯ",
        "export_unwritable": "✘ Ответы не удалось выгрузить в {where}: {reason}. Выберите папку, в которую "
        "можно писать: в терминале выполните {command} --out ~/progress-{safe}.json",
        "export_folder": "папку {folder}",
        "export_this_folder": "папку этого блокнота",
        "export_one": "1 записанная попытка",
        "export_many": "записанных попыток: {n}",
        "export_none": "записанных попыток: 0 (пока нет: ответьте на несколько вопросов и выгрузите снова)",
        "export_done": "✔ Ваши ответы ({answers}) выгружены в файл {file} в папке {folder}. Передайте этот "
        "файл преподавателю.",
        "export_name_label": "Ваше имя (как вас знает преподаватель)",
        "export_name_help": "Этим входом ({login}) пользуются многие, поэтому по нему вас не отличить. Введите "
        "своё имя и нажмите «{button}».",
        "export_ask_first": "✘ Сначала введите своё имя в поле выше: входом {login} пользуются многие.",
        "export_shared": "имя входа «{login}» используют многие, поэтому по нему вас не отличить; укажите "
        "своё имя: --student \"Ваше Имя\" (или задайте COURSE_STUDENT)",
    },
}

DEFAULT_LANGUAGE = "en"
_language = os.environ.get("COURSE_LANG", DEFAULT_LANGUAGE)


def set_language(code: str) -> None:
    """Choose the language of the engine's own words for this kernel."""
    global _language
    if code not in MESSAGES:
        raise ValueError(f"No messages for language {code!r}; available: {', '.join(sorted(MESSAGES))}")
    _language = code


def language() -> str:
    return _language if _language in MESSAGES else DEFAULT_LANGUAGE


def t(key: str, **params: object) -> str:
    """The message `key` in the current language, with {placeholders} filled in."""
    table = MESSAGES[language()]
    template = table.get(key, MESSAGES[DEFAULT_LANGUAGE][key])
    return template.format(**params)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}

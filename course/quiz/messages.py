"""Every word the quiz engine itself shows, in one table.

To add a language, copy the "en" block, translate the values (keep the {placeholders}),
and select it with ``COURSE_LANG=xx`` (or xx_YY, xx-YY, xx_YY.UTF-8) or
``course.quiz.messages.set_language("xx")``. An unknown COURSE_LANG falls back to English with one warning.
The tests (tests/test_languages.py) fail when any key is missing from any language.
"""

from __future__ import annotations

import os
import string
import warnings

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
        "text_repaired": "Some characters of your text could not be saved as they arrived (half of an emoji or "
        "of another special character) and were replaced by �. Please check your text.",
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
        "items_right": "Right: {items}.",
        "items_wrong": "Not right yet: {items}.",
        "item_wrong": "Not right: “{item}”. {why}",
        "quoted": "“{item}”",
        "position_item": "position {n} “{item}”",
        "pair_item": "“{left}” → “{right}”",
        "numeric_too_low": "Your answer is too low.",
        "numeric_too_high": "Your answer is too high.",
        "numeric_read_as": "Your answer was read as {value}.",
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
        "err_separators": "Please type the number without thousands separators, e.g. 1234.5 (or with groups of "
        "three digits: 1,234.5).",
        "err_ambiguous_comma": "“{text}” can be read as {thousands} (a comma between thousands) or as {decimal} (a "
        "decimal comma), and the two get different verdicts. Please type the number without the comma: {thousands} "
        "or {decimal}.",
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
        "progress_bad_records": "{n} record(s) in your progress file {path} could not be read; they were kept "
        "in {backup}. Your other {kept} answer(s) are safe.",
        "progress_cut_short": "Your progress file {path} was cut short (for example by a full disk). The {kept} "
        "answer(s) before the damage are safe; the damaged end was kept in {backup}.",
        "progress_newer": "Your progress file {path} was written by a newer version of this module (version "
        "{version}). Its answers are read and new ones are added; update the module if something looks wrong.",
        "progress_dir_is_file": "Your answers cannot be saved to {path}: {file} is a file, not a folder. The "
        "quizzes still work, but this session's answers will be lost when the kernel stops. Move that file away, "
        "or set COURSE_PROGRESS_DIR to a folder you can write to.",
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
        "progress_plain": "Progress bar for {notebook} ({n} questions)",
        # what a question expects (in err_wrong_type)
        "expect_number": "a number",
        "expect_option": "one of the options",
        "expect_ticks": "a list of the options you tick",
        "expect_order": "a list of the items in order",
        "expect_match": "a match for every item",
        "expect_text": "some text",
        # a quiz that cannot be shown
        "quiz_problem": "⚠ This quiz cannot be shown",
        # exercise checks (course.exercises)
        "exercise_ok": "✔",
        "exercise_not_yet": "✘ Not yet.",
        "exercise_unreadable": "This check could not read your answer ({error}).",
        "exercise_empty": "○ Not answered yet.",
        "exercise_no_answer": "Replace the ... in the exercise cell above with your answer, run that cell, then run "
        "this check again.",
        "exercise_part_empty": "Part of your answer is still ... (three dots).",
        "exercise_none": "Your answer is None, which means \"nothing\": did you store a result with = ? "
        "(print(...) shows a value but gives None.)",
        "exercise_stuck": 'Stuck? reveal("{id}") in a new cell shows a model solution.',
        "exercise_name": "Exercise {label}",
        "reveal_off": "Model solutions are switched off for this class by your instructor ({setting}=off). Ask "
        "them about {name}.",
        "reveal_none": "{name} has no model solution to show.",
        "reveal_try_first": "Try {name} first: write your answer in place of the ..., run the cell and then its "
        "check. After one real attempt the model solution can be shown.",
        "reveal_shown": "A model solution for {name} (yours may differ and still be right). Type it into the "
        "exercise cell yourself, then run it and the check again. Showing it is recorded in your progress; it is "
        "not a pass.",
        "reveal_label": "Model solution",
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
        "text_repaired": "Некоторые символы вашего текста пришли повреждёнными (половина эмодзи или другого "
        "особого знака) и заменены на �. Проверьте, пожалуйста, текст.",
        "invalid": "⚠ {message}",
        "revealed": "ℹ Ответ",
        "answer_is": "Ответ: {answer}",
        "model_answer": "Образец ответа для сравнения: {answer}",
        "hint_n": "Подсказка {i} из {n}: {hint}",
        "no_more_hints": "Это была последняя подсказка.",
        "attempt_n": "Попытка {n}.",
        "items_right": "Верно: {items}.",
        "items_wrong": "Пока неверно: {items}.",
        "item_wrong": "Неверно: «{item}». {why}",
        "quoted": "«{item}»",
        "position_item": "место {n} «{item}»",
        "pair_item": "«{left}» → «{right}»",
        "previous_result": "Раньше вы отвечали на этот вопрос (попыток: {n}); лучший результат: {best}.",
        "best_correct": "верно",
        "best_partial": "частично верно",
        "best_incorrect": "пока неверно",
        "best_recorded": "сохранено",
        "multi_detail": "Вы отметили верных вариантов: {right} из {total}; неверных: {wrong}.",
        "ordering_detail": "На своём месте: {right} из {total}.",
        "matching_detail": "Верных пар: {right} из {total}.",
        "numeric_too_low": "Ваш ответ слишком мал.",
        "numeric_too_high": "Ваш ответ слишком велик.",
        "numeric_read_as": "Ваш ответ прочитан как {value}.",
        "err_empty": "Сначала дайте ответ.",
        "err_choose_one": "Выберите один из вариантов.",
        "err_choose_some": "Отметьте хотя бы один вариант.",
        "err_not_a_choice": "Такого варианта нет.",
        "err_not_number": "«{text}» — не число. Введите цифры, например 3.5 или 3,5.",
        "err_not_finite": "Введите обычное число (не NaN и не бесконечность).",
        "err_too_long": "Ответ слишком длинный (символов: {n}; допустимо не больше {max}).",
        "err_too_large": "Это число слишком велико, чтобы быть разумным ответом.",
        "err_digits": "Введите число цифрами 0–9.",
        "err_separators": "Введите число без разделителей тысяч, например 1234.5 (или с группами по три цифры: "
        "1 234,5).",
        "err_ambiguous_comma": "«{text}» можно прочитать как {thousands} (запятая отделяет тысячи) или как "
        "{decimal} (десятичная запятая), и оценка будет разной. Введите число без запятой: {thousands} или "
        "{decimal}.",
        "err_wrong_unit": "Ответ даётся в единицах «{unit}»; «{given}» — другая единица.",
        "err_no_unit_expected": "Введите только число, без «{given}».",
        "err_fill_all_positions": "Выберите элемент для каждого места.",
        "err_duplicate_item": "«{item}» выбран больше одного раза; каждый элемент занимает одно место.",
        "err_fill_all_pairs": "Выберите пару для каждого элемента.",
        "err_wrong_type": "В этом вопросе нужен ответ такого вида: {expected}.",
        "progress_label": "Отвечено вопросов: {answered} из {total} · верно: {correct}",
        "progress_corrupt": "Файл с вашими ответами {path} не удалось прочитать ({reason}). Он сохранён как "
        "{backup}, и начат новый файл.",
        "progress_bad_records": "Записей в файле ваших ответов {path}, которые не удалось прочитать: {n}; они "
        "сохранены в {backup}. Остальные ответы (их {kept}) в порядке.",
        "progress_cut_short": "Файл с вашими ответами {path} оборван (например, из-за переполненного диска). "
        "Ответы до повреждения (их {kept}) в порядке; повреждённый конец сохранён в {backup}.",
        "progress_newer": "Файл с вашими ответами {path} записан более новой версией модуля (версия {version}). "
        "Его ответы прочитаны, новые добавляются; если что-то выглядит не так, обновите модуль.",
        "progress_dir_is_file": "Ваши ответы нельзя сохранить в {path}: {file} — это файл, а не папка. Тесты "
        "работают, но ответы этого сеанса пропадут, когда ядро остановится. Уберите этот файл или укажите в "
        "COURSE_PROGRESS_DIR папку, в которую можно писать.",
        "progress_unwritable": "Ваши ответы нельзя сохранить в {path} ({reason}). Тесты работают, но ответы "
        "этого сеанса пропадут, когда ядро остановится. Укажите в COURSE_PROGRESS_DIR папку, в которую можно "
        "писать.",
        "static_note": "Запустите блокнот, чтобы ответить (нужно работающее ядро Python).",
        "static_choices": "Варианты:",
        "static_items": "Элементы:",
        "static_pairs": "Сопоставьте каждый из этих элементов…",
        "static_pair_options": "…с одним из этих:",
        "progress_tooltip": "Отвеченные вопросы этого блокнота",
        "progress_plain": "Индикатор прогресса для {notebook} (вопросов: {n})",
        "expect_number": "число",
        "expect_option": "один из вариантов",
        "expect_ticks": "список отмеченных вариантов",
        "expect_order": "список элементов по порядку",
        "expect_match": "пара для каждого элемента",
        "expect_text": "текст",
        "quiz_problem": "⚠ Этот тест нельзя показать",
        "exercise_ok": "✔",
        "exercise_not_yet": "✘ Пока нет.",
        "exercise_unreadable": "Проверка не смогла прочитать ваш ответ ({error}).",
        "exercise_empty": "○ Ответа пока нет.",
        "exercise_no_answer": "Замените ... в ячейке упражнения выше своим ответом, выполните эту ячейку, а затем "
        "снова выполните проверку.",
        "exercise_part_empty": "Часть вашего ответа всё ещё ... (три точки).",
        "exercise_none": "Ваш ответ — None, то есть «ничего»: сохранили ли вы результат через = ? "
        "(print(...) показывает значение, но возвращает None.)",
        "exercise_stuck": 'Не получается? reveal("{id}") в новой ячейке покажет образец решения.',
        "exercise_name": "Упражнение {label}",
        "reveal_off": "Преподаватель отключил образцы решений для этой группы ({setting}=off). Спросите его "
        "про {name}.",
        "reveal_none": "Для {name} нет образца решения.",
        "reveal_try_first": "Сначала попробуйте {name}: напишите ответ вместо ..., выполните ячейку, а затем "
        "проверку. После одной настоящей попытки можно будет показать образец решения.",
        "reveal_shown": "Образец решения для {name} (ваше решение может отличаться и всё равно быть верным). "
        "Наберите его в ячейке упражнения сами, затем выполните её и проверку снова. Показ образца сохраняется "
        "в вашем прогрессе; это не зачёт.",
        "reveal_label": "Образец решения",
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


def normalise(code: str) -> str | None:
    """The language of a code as people and systems write it ("ru", "ru_RU", "ru-RU", "RU", "ru_RU.UTF-8"),
    if there is a table for it; else None."""
    base = code.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return base if base in MESSAGES else None


def _from_environment() -> str:
    wanted = os.environ.get("COURSE_LANG", "").strip()
    if not wanted:
        return DEFAULT_LANGUAGE
    found = normalise(wanted)
    if found is None:
        warnings.warn(f"COURSE_LANG={wanted!r}: no messages in that language; the quizzes are in English "
                      f"(available: {', '.join(sorted(MESSAGES))})", UserWarning, stacklevel=2)
        return DEFAULT_LANGUAGE
    return found


_language = _from_environment()


def set_language(code: str) -> None:
    """Choose the language of the engine's own words for this kernel: "ru", "ru_RU", "ru-RU" all select ru."""
    global _language
    found = normalise(code) if isinstance(code, str) else None
    if found is None:
        raise ValueError(f"No messages for language {code!r}; available: {', '.join(sorted(MESSAGES))}")
    _language = found


def language() -> str:
    return _language if _language in MESSAGES else DEFAULT_LANGUAGE


def t(key: str, **params: object) -> str:
    """The message `key` in the current language, with {placeholders} filled in."""
    table = MESSAGES[language()]
    template = table.get(key, MESSAGES[DEFAULT_LANGUAGE][key])
    return template.format(**params)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}

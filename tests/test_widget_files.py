"""The browser half of the widgets lives in files (course/quiz/static/), not in Python strings, and every widget
class names a view that the one ES module can draw."""

from __future__ import annotations

import re
from pathlib import Path

from course.lessons import migration_and_remittances as remittances
from course.quiz import widgets

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"


def _views_in_module() -> set[str]:
    js = (widgets.STATIC / "widgets.js").read_text(encoding="utf-8")
    table = re.search(r"const VIEWS = \{([^}]*)\}", js)
    assert table, "widgets.js has no VIEWS table"
    return set(re.findall(r"(\w+):\s*render\w+", table.group(1)))


def test_each_widget_loads_the_files_and_names_a_view_the_module_draws():
    views = _views_in_module()
    for cls in (widgets.QuizWidget, widgets.ProgressBar, remittances.WhatIf):
        assert issubclass(cls, widgets.CourseWidget)
        assert cls.view.default_value in views, f"{cls.__name__}: view {cls.view.default_value!r} is not drawn"
        assert "export default { render }" in str(cls._esm)
        assert ".course-quiz" in str(cls._css)
    assert {widgets.QuizWidget.view.default_value, widgets.ProgressBar.view.default_value,
            remittances.WhatIf.view.default_value} == views


def test_no_python_module_carries_browser_code_in_a_string():
    for path in COURSE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "export default" not in text, f"{path.relative_to(REPO)} holds an ES module"
        assert "__KEY_GUARD__" not in text, f"{path.relative_to(REPO)} stitches JavaScript"

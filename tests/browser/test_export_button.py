"""The Export button in JupyterLab, as a student on a shared login (Binder's `jovyan`) meets it: it asks for a
name, a press without one says so, a press with one writes the file, and a second press a second file."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from .conftest import _missing, open_notebook, serve

pytestmark = pytest.mark.browser

NOTEBOOK = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                       "source": "from course.lessons import review\nreview.export_button()"}],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture(scope="module")
def shared_login_server():
    if _missing():
        pytest.skip(_missing())
    with serve(COURSE_STUDENT="", JUPYTERHUB_USER="", LOGNAME="jovyan", USER="jovyan") as server:
        (server["root"] / "notebooks" / "export_try.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
        yield server


def test_the_button_asks_for_a_name_then_exports_and_never_overwrites(browser, shared_login_server):
    page = open_notebook(browser, shared_login_server, "export_try.ipynb")
    try:
        box = page.locator(".course-export")
        expect(box).to_have_count(1, timeout=60_000)
        name = box.get_by_label("Your name (as your instructor knows you)")
        expect(name).to_be_visible()
        expect(box).to_contain_text("jovyan")
        button = box.get_by_role("button", name="Export my progress")
        status = box.get_by_role("status")
        button.click()
        expect(status).to_contain_text("Type your name", timeout=15_000)
        name.fill("Айгүл Осмонова")
        button.click()
        expect(status).to_contain_text("✔ Your progress", timeout=15_000)
        expect(status).to_contain_text("progress-Aigul_Osmonova-")
        folder = shared_login_server["root"] / "notebooks"
        files = sorted(p.name for p in folder.glob("progress-*.json"))
        assert len(files) == 1
        assert files[0].startswith("progress-Aigul_Osmonova-")
        doc = json.loads((folder / files[0]).read_text(encoding="utf-8"))
        assert doc["student"] == "Айгүл Осмонова"
        name.press("Enter")  # Enter in the name field presses the button too
        expect(status).to_contain_text("-2.json", timeout=15_000)
        assert len(list(folder.glob("progress-*.json"))) == 2
        assert not page.console_errors, page.console_errors
    finally:
        page.close()

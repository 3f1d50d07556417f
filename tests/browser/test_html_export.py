"""A notebook executed without a browser and exported to HTML (``jupyter nbconvert --execute --to html``, or
papermill's output turned into HTML) shows each quiz's no-kernel view offline: the question and its options,
never the key (issue 12, item 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course.quiz.bank import question

ROOT = Path(__file__).resolve().parents[2]
QIDS = ("00-run-cell", "00-schools", "00-expectations")  # single choice, numeric, reflection (model answer)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """A small notebook with two quizzes and a progress bar, run and exported by nbconvert as a user would."""
    folder = tmp_path_factory.mktemp("export")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("from course.quiz import progress_bar, quiz"),
                *(nbformat.v4.new_code_cell(f"quiz({qid!r})") for qid in QIDS),
                nbformat.v4.new_code_cell('progress_bar("00_start_here")')]
    nbformat.write(nb, folder / "quizzes.ipynb")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COURSE_PROGRESS_DIR": str(folder / "progress")}
    for fmt in ("html", "notebook"):
        proc = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--execute", "--to", fmt,
                               "--output", f"executed.{'html' if fmt == 'html' else 'ipynb'}", "quizzes.ipynb"],
                              cwd=folder, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
    return folder


def test_the_quizzes_state_is_not_saved_with_the_executed_notebook(exported):
    nb = json.loads((exported / "executed.ipynb").read_text(encoding="utf-8"))
    state = nb["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    views = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for c in nb["cells"]
             for o in c.get("outputs", []) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 4  # the live view is still in the outputs, for JupyterLab
    assert not set(views) & set(state)  # but no widget state to make an export prefer it


def test_the_export_shows_the_static_view_offline_and_never_the_key(exported, browser):
    context = browser.new_context(offline=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else route.abort())  # no network at all, not even a CDN
    page = context.new_page()
    try:
        page.goto((exported / "executed.html").as_uri())
        page.wait_for_load_state("load")
        text = page.locator("body").inner_text()
        for qid in QIDS:
            q = question(qid)
            block = page.locator(".course-quiz-static", has_text=f"Question {q.label}")
            assert block.count() == 1, qid
            assert block.is_visible(), qid
            shown = block.inner_text()
            assert q.prompt.strip().split("\n")[0][:40] in shown
            for line in q.static_lines():
                assert line.lstrip("()[]-· ").strip() in shown
            assert "Run the notebook to answer this question" in shown
            assert q.explanation not in text
        assert question("00-expectations").model_answer not in text
        assert "Answer:" not in text
        assert "Progress bar for 00_start_here" in text
    finally:
        context.close()
